//! C2SP tlog-checkpoint (<https://c2sp.org/tlog-checkpoint>): a signed note
//! whose text is `origin`, tree size, base64 root, then optional extension
//! lines.
//!
//! Parsing is strict: one spelling per checkpoint (no leading zeros, no
//! sign, canonical base64, exactly 32-byte root), because two spellings of
//! the same tree head would be two different signed statements. A size-0
//! checkpoint is accepted only with the RFC 6962 empty root
//! `SHA-256("")`; Go's `sumdb/tlog` uses all zeros there, and refusing the
//! mismatch keeps the two from being confused.

use crate::merkle::{EMPTY_ROOT, Hash};
use crate::note::{self, NoteError, NoteSigner, NoteVerifier, OpenedNote};

/// A tree head: which log, how many entries, and their Merkle root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// Opaque extra lines; NOT RECOMMENDED by the spec, kept verbatim.
    pub extensions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("checkpoint text must end in a newline")]
    MissingFinalNewline,
    #[error("checkpoint needs origin, size and root lines")]
    TooFewLines,
    #[error("checkpoint line {0} is empty")]
    EmptyLine(usize),
    #[error("checkpoint contains a control character")]
    ControlCharacter,
    #[error("tree size {0:?} is not a canonical decimal u64")]
    BadSize(String),
    #[error("root {0:?} is not base64 of 32 bytes")]
    BadRoot(String),
    #[error("size-0 checkpoint must carry the RFC 6962 empty root")]
    EmptyTreeRoot,
    #[error("origin {found:?} is not the expected {expected:?}")]
    WrongOrigin { expected: String, found: String },
    #[error("checkpoint fields do not survive formatting and parsing")]
    Unrepresentable,
    #[error(transparent)]
    Note(#[from] NoteError),
}

/// Parses a decimal u64 with no sign and no leading zeros ("0" itself is
/// fine). Shared with the tlog-proof and tlog-witness formats.
pub(crate) fn parse_canonical_u64(text: &str) -> Option<u64> {
    let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = text.len() > 1 && text.starts_with('0');
    if !digits_only || leading_zero {
        return None;
    }
    text.parse().ok()
}

impl Checkpoint {
    pub fn new(origin: &str, size: u64, root: Hash) -> Self {
        Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// Parses the note text (body) of a checkpoint.
    pub fn parse_body(text: &str) -> Result<Self, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::MissingFinalNewline)?;
        if body.chars().any(|c| c < ' ' && c != '\n') {
            return Err(CheckpointError::ControlCharacter);
        }
        let lines: Vec<&str> = body.split('\n').collect();
        if let Some(i) = lines.iter().position(|l| l.is_empty()) {
            return Err(CheckpointError::EmptyLine(i + 1));
        }
        let [origin, size, root, extensions @ ..] = lines.as_slice() else {
            return Err(CheckpointError::TooFewLines);
        };
        let size =
            parse_canonical_u64(size).ok_or_else(|| CheckpointError::BadSize((*size).into()))?;
        let root =
            Hash::from_base64(root).ok_or_else(|| CheckpointError::BadRoot((*root).into()))?;
        if size == 0 && root != EMPTY_ROOT {
            return Err(CheckpointError::EmptyTreeRoot);
        }
        Ok(Self {
            origin: (*origin).to_owned(),
            size,
            root,
            extensions: extensions.iter().map(|l| (*l).to_owned()).collect(),
        })
    }

    /// The note text. Round-trips through [`Checkpoint::parse_body`] when
    /// origin and extension lines are non-empty single lines.
    pub fn to_body(&self) -> String {
        let mut out = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            self.root.to_base64()
        );
        for line in &self.extensions {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// Signs the checkpoint as a note. Refuses a body it could not parse
    /// back, so a log never publishes a checkpoint clients reject.
    pub fn sign(&self, signers: &[&dyn NoteSigner]) -> Result<String, CheckpointError> {
        let body = self.to_body();
        if Self::parse_body(&body)? != *self {
            return Err(CheckpointError::Unrepresentable);
        }
        Ok(note::sign(&body, signers)?)
    }
}

/// A checkpoint together with the note it was opened from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    pub checkpoint: Checkpoint,
    pub note: OpenedNote,
}

/// Opens a signed checkpoint: the note must verify under `known` and the
/// origin must be `expected_origin`.
pub fn open_checkpoint(
    msg: &[u8],
    expected_origin: &str,
    known: &[&dyn NoteVerifier],
) -> Result<SignedCheckpoint, CheckpointError> {
    let note = note::open(msg, known)?;
    let checkpoint = Checkpoint::parse_body(&note.text)?;
    if checkpoint.origin != expected_origin {
        return Err(CheckpointError::WrongOrigin {
            expected: expected_origin.to_owned(),
            found: checkpoint.origin,
        });
    }
    Ok(SignedCheckpoint { checkpoint, note })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::leaf_hash;
    use crate::note::Ed25519NoteSigner;

    const ROOT_B64: &str = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";

    fn body(size: &str, root: &str) -> String {
        format!("example.com/log\n{size}\n{root}\n")
    }

    #[test]
    fn parses_three_lines_and_keeps_extensions() {
        let cp = Checkpoint::parse_body(&format!("{}ext one\n", body("8", ROOT_B64))).unwrap();
        assert_eq!((cp.origin.as_str(), cp.size), ("example.com/log", 8));
        assert_eq!(cp.extensions, ["ext one"]);
        assert_eq!(cp.to_body(), format!("{}ext one\n", body("8", ROOT_B64)));
    }

    #[test]
    fn refuses_non_canonical_sizes() {
        for size in [
            "08",
            "+8",
            "-8",
            " 8",
            "8 ",
            "0x8",
            "",
            "18446744073709551616",
        ] {
            let err = Checkpoint::parse_body(&body(size, ROOT_B64)).unwrap_err();
            assert!(
                matches!(
                    err,
                    CheckpointError::BadSize(_) | CheckpointError::EmptyLine(_)
                ),
                "{size:?}: {err:?}"
            );
        }
    }

    #[test]
    fn refuses_roots_that_are_not_32_bytes_of_canonical_base64() {
        let short = crate::b64::encode(&[0; 31]);
        for root in [
            short.as_str(),
            "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg",
            "!!",
        ] {
            assert!(matches!(
                Checkpoint::parse_body(&body("8", root)),
                Err(CheckpointError::BadRoot(_))
            ));
        }
    }

    #[test]
    fn refuses_missing_lines_empty_lines_and_missing_newline() {
        let cases = [
            ("example.com/log\n8\n", CheckpointError::TooFewLines),
            (
                "example.com/log\n8\nX=",
                CheckpointError::MissingFinalNewline,
            ),
            ("\n8\nX=\n", CheckpointError::EmptyLine(1)),
        ];
        for (text, want) in cases {
            assert_eq!(Checkpoint::parse_body(text), Err(want));
        }
        let blank_ext = format!("{}\nafter\n", body("8", ROOT_B64));
        assert_eq!(
            Checkpoint::parse_body(&blank_ext),
            Err(CheckpointError::EmptyLine(4))
        );
    }

    #[test]
    fn size_zero_needs_the_rfc_empty_root_not_go_zeros() {
        let zeros = Hash([0; 32]).to_base64();
        assert_eq!(
            Checkpoint::parse_body(&body("0", &zeros)),
            Err(CheckpointError::EmptyTreeRoot)
        );
        assert!(Checkpoint::parse_body(&body("0", &EMPTY_ROOT.to_base64())).is_ok());
    }

    #[test]
    fn signed_checkpoint_opens_only_for_its_origin() {
        let log = Ed25519NoteSigner::from_seed("example.com/log", &[3; 32]).unwrap();
        let cp = Checkpoint::new("example.com/log", 1, leaf_hash(b"a"));
        let msg = cp.sign(&[&log]).unwrap();
        let v = log.verifier();
        let opened = open_checkpoint(msg.as_bytes(), "example.com/log", &[&v]).unwrap();
        assert_eq!(opened.checkpoint, cp);
        assert!(matches!(
            open_checkpoint(msg.as_bytes(), "example.com/other", &[&v]),
            Err(CheckpointError::WrongOrigin { .. })
        ));
    }

    #[test]
    fn signing_refuses_a_checkpoint_that_would_not_parse_back() {
        let log = Ed25519NoteSigner::from_seed("l", &[3; 32]).unwrap();
        let mut cp = Checkpoint::new("two\nlines", 1, leaf_hash(b"a"));
        assert!(cp.sign(&[&log]).is_err());
        cp.origin = String::new();
        assert!(cp.sign(&[&log]).is_err());
    }
}
