//! The C2SP tlog-proof text (<https://c2sp.org/tlog-proof>): the offline,
//! self-contained evidence that an entry is in a log.
//!
//! ```text
//! c2sp.org/tlog-proof@v1
//! [extra <base64>]
//! index <n>
//! <base64 hash, leaf sibling first>...
//!
//! <signed checkpoint, verbatim, with cosignatures>
//! ```

use crate::checkpoint::parse_canonical_u64;
use crate::merkle::{Hash, MAX_INCLUSION_PROOF_LEN};

use super::ReceiptError;

pub const TLOG_PROOF_HEADER: &str = "c2sp.org/tlog-proof@v1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogProof {
    /// Opaque application data. Not authenticated: never trust it.
    pub extra: Option<Vec<u8>>,
    pub index: u64,
    pub inclusion_path: Vec<Hash>,
    /// The signed checkpoint note, verbatim.
    pub checkpoint: String,
}

impl TlogProof {
    pub fn parse(text: &str) -> Result<Self, ReceiptError> {
        let malformed = ReceiptError::Malformed;
        // Hash lines are never empty, so the first empty line ends them.
        let (head, checkpoint) = text
            .split_once("\n\n")
            .ok_or(malformed("no empty line before the checkpoint"))?;
        if checkpoint.is_empty() {
            return Err(malformed("missing checkpoint"));
        }
        let mut lines = head.split('\n').peekable();
        if lines.next() != Some(TLOG_PROOF_HEADER) {
            return Err(malformed("first line is not c2sp.org/tlog-proof@v1"));
        }
        let mut extra = None;
        if let Some(b64) = lines.peek().and_then(|l| l.strip_prefix("extra ")) {
            extra = Some(crate::b64::decode(b64).ok_or(malformed("extra is not base64"))?);
            lines.next();
        }
        let index = lines
            .next()
            .and_then(|l| l.strip_prefix("index "))
            .and_then(parse_canonical_u64)
            .ok_or(malformed("missing or non-canonical index line"))?;
        let hash_lines: Vec<&str> = lines.collect();
        if hash_lines.len() > MAX_INCLUSION_PROOF_LEN {
            return Err(malformed("more than 64 inclusion proof hashes"));
        }
        let inclusion_path = hash_lines
            .iter()
            .map(|l| Hash::from_base64(l).ok_or(malformed("proof line is not base64 of 32 bytes")))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            extra,
            index,
            inclusion_path,
            checkpoint: checkpoint.to_owned(),
        })
    }

    pub fn encode(&self) -> String {
        let mut out = format!("{TLOG_PROOF_HEADER}\n");
        if let Some(extra) = &self.extra {
            out.push_str(&format!("extra {}\n", crate::b64::encode(extra)));
        }
        out.push_str(&format!("index {}\n", self.index));
        for h in &self.inclusion_path {
            out.push_str(&h.to_base64());
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.checkpoint);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::leaf_hash;

    const CHECKPOINT: &str = "o\n1\nAA==\n\n\u{2014} o AAAAAAA=\n";

    fn proof(extra: Option<Vec<u8>>, path: usize) -> TlogProof {
        TlogProof {
            extra,
            index: 7,
            inclusion_path: vec![leaf_hash(b"x"); path],
            checkpoint: CHECKPOINT.to_owned(),
        }
    }

    #[test]
    fn round_trips_with_and_without_extra_and_path() {
        for p in [proof(None, 0), proof(Some(b"ctx".to_vec()), 3)] {
            assert_eq!(TlogProof::parse(&p.encode()).unwrap(), p);
        }
    }

    #[test]
    fn refuses_wrong_header_index_or_hashes() {
        let good = proof(None, 1).encode();
        let bad = [
            good.replace("tlog-proof@v1", "tlog-proof@v2"),
            good.replace("index 7", "index 07"),
            good.replace("index 7", "index -7"),
            good.replace("index 7\n", ""),
            good.replacen("=\n", "\n", 1),
            good.replace("index 7\n", "index 7\nAAAA\n"),
            format!("{TLOG_PROOF_HEADER}\nindex 1\n\n"),
            format!("{TLOG_PROOF_HEADER}\nindex 1\n"),
        ];
        for text in bad {
            assert!(TlogProof::parse(&text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn refuses_more_than_64_hashes_before_decoding_them() {
        let text = proof(None, 65).encode();
        assert_eq!(
            TlogProof::parse(&text),
            Err(ReceiptError::Malformed(
                "more than 64 inclusion proof hashes"
            ))
        );
    }
}
