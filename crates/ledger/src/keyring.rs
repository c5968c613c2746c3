//! The log's signing keys over time. A rotation never re-signs the past: checkpoints and
//! receipts issued under an old key stay exactly as they were, and stay verifiable, because the
//! history says which key signs which tree sizes.
//!
//! The history is the public object `keys` next to `checkpoint`, one line per key, oldest first:
//!
//! ```text
//! corridor.example/ledger/2026+1a2b3c4d+AV0k… 0
//! corridor.example/ledger/2026+5e6f7a8b+AbC9… 1042
//! ```
//!
//! A key signs the checkpoints whose tree size is at least its `from_size` and less than the
//! next key's. So a retired key cannot sign anything a verifier accepts as new, even if it
//! leaked: the sizes it could still sign are the ones the log has already signed. Every key is
//! named after the origin (tlog-checkpoint: the key name SHOULD equal the origin); the key ID,
//! which covers the public key, tells them apart.

use crate::note::{Ed25519NoteVerifier, NoteVerifier as _};

/// One key of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    pub verifier: Ed25519NoteVerifier,
    /// The smallest tree size this key signs.
    pub from_size: u64,
}

impl KeyEntry {
    pub fn vkey(&self) -> String {
        self.verifier.vkey()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyHistoryError {
    #[error("key history line {line}: {reason}")]
    Malformed { line: usize, reason: String },
    #[error("the key history is empty")]
    Empty,
    #[error("the first key must sign from tree size 0, not {0}")]
    FirstNotFromZero(u64),
    #[error("key history sizes must increase: {from_size} after {previous}")]
    NotIncreasing { previous: u64, from_size: u64 },
    #[error("key {0} appears twice in the history")]
    Repeated(String),
    #[error("key {found:?} in the history is not named {expected:?}")]
    OtherName { expected: String, found: String },
}

/// The keys a log has signed with, each with the tree sizes it signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHistory {
    entries: Vec<KeyEntry>,
}

impl KeyHistory {
    /// A log's first key, signing from size 0.
    pub fn new(first: Ed25519NoteVerifier) -> Self {
        Self {
            entries: vec![KeyEntry {
                verifier: first,
                from_size: 0,
            }],
        }
    }

    /// Parses the text of the `keys` object. Empty lines and `#` comments are ignored.
    pub fn parse(text: &str) -> Result<Self, KeyHistoryError> {
        let mut entries: Vec<KeyEntry> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let malformed = |reason: String| KeyHistoryError::Malformed {
                line: i + 1,
                reason,
            };
            let (vkey, from) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| malformed("expected \"VKEY FROM_SIZE\"".into()))?;
            let verifier =
                Ed25519NoteVerifier::from_vkey(vkey).map_err(|e| malformed(e.to_string()))?;
            let from_size = crate::checkpoint::parse_canonical_u64(from.trim())
                .ok_or_else(|| malformed(format!("bad tree size {:?}", from.trim())))?;
            entries.push(KeyEntry {
                verifier,
                from_size,
            });
        }
        let history = Self { entries };
        history.check()?;
        Ok(history)
    }

    fn check(&self) -> Result<(), KeyHistoryError> {
        let first = self.entries.first().ok_or(KeyHistoryError::Empty)?;
        if first.from_size != 0 {
            return Err(KeyHistoryError::FirstNotFromZero(first.from_size));
        }
        for (i, pair) in self.entries.windows(2).enumerate() {
            if pair[1].from_size <= pair[0].from_size {
                return Err(KeyHistoryError::NotIncreasing {
                    previous: pair[0].from_size,
                    from_size: pair[1].from_size,
                });
            }
            if pair[1].verifier.name() != first.verifier.name() {
                return Err(KeyHistoryError::OtherName {
                    expected: first.verifier.name().to_owned(),
                    found: pair[1].verifier.name().to_owned(),
                });
            }
            if self.entries[..=i]
                .iter()
                .any(|e| e.verifier == pair[1].verifier)
            {
                return Err(KeyHistoryError::Repeated(pair[1].vkey()));
            }
        }
        Ok(())
    }

    /// The text of the `keys` object.
    pub fn encode(&self) -> String {
        self.entries
            .iter()
            .map(|e| format!("{} {}\n", e.vkey(), e.from_size))
            .collect()
    }

    pub fn entries(&self) -> &[KeyEntry] {
        &self.entries
    }

    /// The key that signs new checkpoints.
    pub fn current(&self) -> &Ed25519NoteVerifier {
        &self
            .entries
            .last()
            .expect("a history is never empty")
            .verifier
    }

    /// The one key that may sign a checkpoint of `size`.
    pub fn verifier_for(&self, size: u64) -> &Ed25519NoteVerifier {
        &self
            .entries
            .iter()
            .rev()
            .find(|e| e.from_size <= size)
            .unwrap_or(&self.entries[0])
            .verifier
    }

    /// Whether `verifier` is in the history.
    pub fn contains(&self, verifier: &Ed25519NoteVerifier) -> bool {
        self.entries.iter().any(|e| &e.verifier == verifier)
    }

    /// The first tree size `verifier` may no longer sign, if it was retired.
    pub fn retired_at(&self, verifier: &Ed25519NoteVerifier) -> Option<u64> {
        let i = self.entries.iter().position(|e| &e.verifier == verifier)?;
        self.entries.get(i + 1).map(|next| next.from_size)
    }

    /// Makes `next` the current key from tree size `from_size` on.
    pub fn rotate(
        &mut self,
        next: Ed25519NoteVerifier,
        from_size: u64,
    ) -> Result<(), KeyHistoryError> {
        self.entries.push(KeyEntry {
            verifier: next,
            from_size,
        });
        if let Err(e) = self.check() {
            self.entries.pop();
            return Err(e);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::Ed25519NoteSigner;

    const ORIGIN: &str = "corridor.example/ledger/2026";

    fn key(seed: u8) -> Ed25519NoteVerifier {
        Ed25519NoteSigner::from_seed(ORIGIN, &[seed; 32])
            .unwrap()
            .verifier()
    }

    #[test]
    fn each_size_has_exactly_one_key() {
        let mut h = KeyHistory::new(key(1));
        h.rotate(key(2), 10).unwrap();
        h.rotate(key(3), 20).unwrap();
        assert_eq!(h.verifier_for(0), &key(1));
        assert_eq!(h.verifier_for(9), &key(1));
        assert_eq!(h.verifier_for(10), &key(2));
        assert_eq!(h.verifier_for(19), &key(2));
        assert_eq!(h.verifier_for(20), &key(3));
        assert_eq!(h.verifier_for(u64::MAX), &key(3));
        assert_eq!(h.current(), &key(3));
        assert_eq!(h.retired_at(&key(1)), Some(10));
        assert_eq!(h.retired_at(&key(3)), None);
    }

    #[test]
    fn the_text_form_round_trips() {
        let mut h = KeyHistory::new(key(1));
        h.rotate(key(2), 7).unwrap();
        let text = h.encode();
        assert_eq!(text.lines().count(), 2);
        assert!(text.ends_with(" 7\n"));
        assert_eq!(KeyHistory::parse(&text).unwrap(), h);
        let commented = format!("# keys of {ORIGIN}\n\n{text}");
        assert_eq!(KeyHistory::parse(&commented).unwrap(), h);
    }

    #[test]
    fn a_rotation_must_move_forward_to_a_new_key_of_the_same_log() {
        let mut h = KeyHistory::new(key(1));
        h.rotate(key(2), 5).unwrap();
        assert!(matches!(
            h.rotate(key(3), 5),
            Err(KeyHistoryError::NotIncreasing { .. })
        ));
        assert!(matches!(
            h.rotate(key(1), 9),
            Err(KeyHistoryError::Repeated(_))
        ));
        let other = Ed25519NoteSigner::from_seed("other.example/log", &[4; 32])
            .unwrap()
            .verifier();
        assert!(matches!(
            h.rotate(other, 9),
            Err(KeyHistoryError::OtherName { .. })
        ));
        assert_eq!(h.entries().len(), 2, "a refused rotation changes nothing");
    }

    #[test]
    fn bad_histories_are_refused() {
        let k1 = key(1).vkey();
        let k2 = key(2).vkey();
        for bad in [
            String::new(),
            format!("{k1} 3\n"),
            format!("{k1} 0\n{k2} 0\n"),
            format!("{k1} 0\n{k2} 01\n"),
            format!("{k1}\n"),
            "not-a-key 0\n".to_string(),
        ] {
            assert!(KeyHistory::parse(&bad).is_err(), "{bad:?}");
        }
    }
}
