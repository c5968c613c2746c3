//! Object names. Public objects follow C2SP tlog-tiles so the store can be
//! served as static files; the sequencer's private objects live under
//! `state/`, which [`is_public`] never exposes.

use crate::tiles::{EntryBundleId, TileId};

/// The latest signed checkpoint (mutable, served with short caching).
pub const CHECKPOINT: &str = "checkpoint";
/// The log's key history ([`crate::keyring::KeyHistory`]): public, so verifiers can check
/// checkpoints signed before a key rotation.
pub const KEYS: &str = "keys";
/// Sequencer state: size, frontier, last signed checkpoint (CAS-updated).
pub const STATE: &str = "state/sequencer";
/// Prefix of the append-only history of every signed checkpoint.
pub const HISTORY_PREFIX: &str = "state/checkpoints";

/// `state/checkpoints/<size, 20 digits>`: zero-padding makes lexicographic
/// order (what object stores list in) equal numeric order.
pub fn history(size: u64) -> String {
    format!("{HISTORY_PREFIX}/{size:020}")
}

/// Parses the size back out of a [`history`] name.
pub fn parse_history(name: &str) -> Option<u64> {
    let digits = name.strip_prefix(HISTORY_PREFIX)?.strip_prefix('/')?;
    if digits.len() != 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether `path` names an object of the public tlog-tiles layout.
pub fn is_public(path: &str) -> bool {
    path == CHECKPOINT
        || path == KEYS
        || TileId::parse_path(path).is_ok()
        || EntryBundleId::parse_path(path).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_names_sort_numerically_and_parse_back() {
        assert!(history(9) < history(10));
        assert_eq!(parse_history(&history(12345)), Some(12345));
        assert_eq!(parse_history("state/checkpoints/12"), None);
    }

    #[test]
    fn only_tlog_tiles_objects_are_public() {
        assert!(is_public("checkpoint"));
        assert!(is_public("keys"));
        assert!(is_public("tile/0/000.p/5"));
        assert!(is_public("tile/entries/x001/234"));
        assert!(!is_public("state/sequencer"));
        assert!(!is_public("tile/../state/sequencer"));
    }
}
