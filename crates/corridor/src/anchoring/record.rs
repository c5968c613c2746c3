//! The ledger leaf: a canonical, versioned record of what was anchored.
//!
//! Canonical means one byte string per record: JSON with keys in sorted order and no
//! whitespace, so anyone can rebuild the bytes, hash them, and find the leaf. The record names
//! files only by role ("certificate", "evidence-1") and their SHA-256; a random salt makes the
//! record unguessable even when its metadata is predictable, so the public log reveals nothing
//! about a matter to someone who does not already hold the record.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const VERSION: u32 = 1;

/// Fields are declared in alphabetical order: serde writes them in declaration order, which
/// makes `serde_json::to_vec` canonical.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerRecord {
    /// When the act took place, RFC 3339 UTC to the second.
    pub at: String,
    pub files: Vec<FileDigest>,
    /// What was anchored, e.g. `notarial_certificate`, `evidence_item`, `arbitral_award`.
    pub kind: String,
    /// Non-personal metadata (office code, act type); sorted by key.
    pub meta: BTreeMap<String, String>,
    /// 16 random bytes, hex.
    pub salt: String,
    /// The platform's opaque id of the anchored object.
    pub subject: String,
    pub v: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDigest {
    /// A role, not a file name: file names can carry personal data.
    pub role: String,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RecordError {
    #[error("the record is not valid JSON of the expected shape: {0}")]
    Malformed(String),
    #[error("the record is not in canonical form (sorted keys, no whitespace)")]
    NotCanonical,
    #[error("unsupported record version {0}")]
    Version(u32),
}

impl LedgerRecord {
    pub fn canonical_bytes(&self) -> Vec<u8> {
        // Serializing plain strings, numbers and a BTreeMap cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Parses leaf bytes, insisting that they are exactly the canonical encoding, so two
    /// different byte strings can never stand for the same record.
    pub fn parse(bytes: &[u8]) -> Result<Self, RecordError> {
        let record: LedgerRecord =
            serde_json::from_slice(bytes).map_err(|e| RecordError::Malformed(e.to_string()))?;
        if record.v != VERSION {
            return Err(RecordError::Version(record.v));
        }
        if record.canonical_bytes() != bytes {
            return Err(RecordError::NotCanonical);
        }
        Ok(record)
    }

    /// The role under which a file with these bytes is named, if any.
    pub fn role_of(&self, file_bytes: &[u8]) -> Option<&str> {
        let digest = hex::encode(Sha256::digest(file_bytes));
        self.files
            .iter()
            .find(|f| f.sha256 == digest)
            .map(|f| f.role.as_str())
    }
}

pub fn new_salt() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> LedgerRecord {
        LedgerRecord {
            at: "2026-11-28T06:00:00Z".into(),
            files: vec![FileDigest {
                role: "certificate".into(),
                sha256: hex::encode(Sha256::digest(b"pdf bytes")),
            }],
            kind: "notarial_certificate".into(),
            meta: BTreeMap::from([("office".into(), "demo-office".into())]),
            salt: "00112233445566778899aabbccddeeff".into(),
            subject: "0193-demo".into(),
            v: VERSION,
        }
    }

    #[test]
    fn the_canonical_form_has_sorted_keys_and_round_trips() {
        let bytes = record().canonical_bytes();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("{\"at\":"), "{text}");
        assert!(
            !text.contains(' ') || text.contains("T06"),
            "no whitespace outside values"
        );
        assert_eq!(LedgerRecord::parse(&bytes).unwrap(), record());
    }

    #[test]
    fn a_reformatted_record_is_not_the_same_leaf() {
        let pretty = serde_json::to_vec_pretty(&record()).unwrap();
        assert_eq!(LedgerRecord::parse(&pretty), Err(RecordError::NotCanonical));
    }

    #[test]
    fn files_are_matched_by_their_hash() {
        let r = record();
        assert_eq!(r.role_of(b"pdf bytes"), Some("certificate"));
        assert_eq!(r.role_of(b"pdf bytez"), None);
    }
}
