//! The body of a C2SP tlog-witness `add-checkpoint` request: the size the
//! log believes the witness is at, a consistency proof from there, and the
//! new signed checkpoint. Only the text format; the HTTP exchange is out of
//! scope for this crate.
//!
//! ```text
//! old <size>
//! <base64 consistency proof hash>...   (at most 63)
//!
//! <signed checkpoint>
//! ```

use crate::checkpoint::parse_canonical_u64;
use crate::merkle::Hash;

/// tlog-witness caps the proof at 63 lines.
pub const MAX_WITNESS_PROOF_LINES: usize = 63;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddCheckpointRequest {
    pub old_size: u64,
    pub consistency_proof: Vec<Hash>,
    /// The signed checkpoint note, verbatim.
    pub checkpoint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed add-checkpoint request: {0}")]
pub struct WitnessRequestError(pub &'static str);

impl AddCheckpointRequest {
    pub fn parse(body: &str) -> Result<Self, WitnessRequestError> {
        let (head, checkpoint) = body
            .split_once("\n\n")
            .ok_or(WitnessRequestError("no empty line before the checkpoint"))?;
        if checkpoint.is_empty() {
            return Err(WitnessRequestError("missing checkpoint"));
        }
        let mut lines = head.split('\n');
        let old_size = lines
            .next()
            .and_then(|l| l.strip_prefix("old "))
            .and_then(parse_canonical_u64)
            .ok_or(WitnessRequestError("missing or non-canonical old line"))?;
        let proof_lines: Vec<&str> = lines.collect();
        if proof_lines.len() > MAX_WITNESS_PROOF_LINES {
            return Err(WitnessRequestError("more than 63 proof lines"));
        }
        let consistency_proof = proof_lines
            .iter()
            .map(|l| Hash::from_base64(l).ok_or(WitnessRequestError("bad proof hash")))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            old_size,
            consistency_proof,
            checkpoint: checkpoint.to_owned(),
        })
    }

    pub fn encode(&self) -> String {
        let mut out = format!("old {}\n", self.old_size);
        for h in &self.consistency_proof {
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

    #[test]
    fn round_trips_and_allows_an_empty_proof_from_size_zero() {
        let req = AddCheckpointRequest {
            old_size: 0,
            consistency_proof: vec![],
            checkpoint: "o\n1\nAA==\n\n\u{2014} o AAAAAAA=\n".into(),
        };
        assert_eq!(req.encode(), format!("old 0\n\n{}", req.checkpoint));
        assert_eq!(AddCheckpointRequest::parse(&req.encode()), Ok(req));
    }

    #[test]
    fn refuses_bad_old_lines_and_long_proofs() {
        let cp = "o\n1\nAA==\n\n\u{2014} o AAAAAAA=\n";
        for head in ["old 01\n", "old\n", "new 1\n", "old 1\nnot-base64\n"] {
            assert!(
                AddCheckpointRequest::parse(&format!("{head}\n{cp}")).is_err(),
                "{head}"
            );
        }
        let long = AddCheckpointRequest {
            old_size: 1,
            consistency_proof: vec![leaf_hash(b""); 64],
            checkpoint: cp.into(),
        };
        assert!(AddCheckpointRequest::parse(&long.encode()).is_err());
    }
}
