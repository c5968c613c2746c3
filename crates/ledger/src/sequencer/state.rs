//! The sequencer's private state object (`state/sequencer`): tree size,
//! frontier and the last signed checkpoint. JSON so an operator can read it;
//! every field is re-validated on load because storage is not trusted to be
//! intact (a restored backup is exactly the "storage behind" case).

use serde::{Deserialize, Serialize};

use crate::merkle::{Frontier, Hash};

/// Bumped on any incompatible change of the layout below.
pub const STATE_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateFile {
    pub format: u32,
    pub origin: String,
    pub size: u64,
    /// Frontier hashes, hex, largest subtree first.
    pub frontier: Vec<String>,
    /// The last checkpoint note this log signed, verbatim.
    pub checkpoint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    #[error("state object is not valid JSON of the expected shape: {0}")]
    Parse(String),
    #[error("state format {0} is not supported")]
    Format(u32),
    #[error("state belongs to log {found:?}, not {expected:?}")]
    Origin { expected: String, found: String },
    #[error("state frontier is invalid: {0}")]
    Frontier(String),
}

impl StateFile {
    pub fn new(origin: &str, frontier: &Frontier, checkpoint: Option<String>) -> Self {
        Self {
            format: STATE_FORMAT,
            origin: origin.to_owned(),
            size: frontier.size(),
            frontier: frontier.subtrees().iter().map(Hash::to_hex).collect(),
            checkpoint,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        // Serialising plain strings and integers cannot fail.
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    pub fn decode(bytes: &[u8], origin: &str) -> Result<(Self, Frontier), StateError> {
        let state: Self =
            serde_json::from_slice(bytes).map_err(|e| StateError::Parse(e.to_string()))?;
        if state.format != STATE_FORMAT {
            return Err(StateError::Format(state.format));
        }
        if state.origin != origin {
            return Err(StateError::Origin {
                expected: origin.to_owned(),
                found: state.origin,
            });
        }
        let hashes = state
            .frontier
            .iter()
            .map(|h| {
                Hash::from_hex(h).ok_or_else(|| StateError::Frontier(format!("bad hash {h:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let frontier = Frontier::from_parts(state.size, hashes)
            .map_err(|e| StateError::Frontier(e.to_string()))?;
        Ok((state, frontier))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::leaf_hash;

    #[test]
    fn round_trips_and_refuses_tampering() {
        let mut f = Frontier::new();
        for i in 0u8..5 {
            f.append(leaf_hash(&[i])).unwrap();
        }
        let s = StateFile::new("o", &f, Some("note".into()));
        let (back, frontier) = StateFile::decode(&s.encode(), "o").unwrap();
        assert_eq!((back, frontier), (s.clone(), f));
        assert!(StateFile::decode(&s.encode(), "other").is_err());
        let bad = String::from_utf8(s.encode())
            .unwrap()
            .replace("\"size\": 5", "\"size\": 7");
        assert!(StateFile::decode(bad.as_bytes(), "o").is_err());
        assert!(StateFile::decode(b"{", "o").is_err());
    }
}
