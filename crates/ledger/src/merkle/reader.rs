//! Access to stored perfect-subtree hashes, so proofs can be served from any
//! storage: memory, a Crosby–Wallach hash file, or tlog-tiles.
//!
//! Every hash a proof needs is the root of some range `D[a:b]` produced by
//! the RFC's split-at-the-largest-power-of-two recursion. Such a range is a
//! run of perfect subtrees, largest first, so it can always be rebuilt from
//! stored perfect-subtree hashes alone: that is the contract of
//! [`HashReader`].

use super::error::{ProofError, ReadError};
use super::hash::{EMPTY_ROOT, Hash, node_hash};

/// Read access to the hashes of perfect subtrees.
///
/// `hash_at(level, index)` is `MTH(D[index·2^level : (index+1)·2^level])`:
/// level 0 holds leaf hashes, level 1 pairs of leaves, and so on. This is
/// the `(level, n)` addressing of Go's `sumdb/tlog` (`StoredHashIndex`) and
/// of tlog-tiles, where a tile at tile-level `L` holds tree level `8·L`.
pub trait HashReader {
    fn hash_at(&self, level: u8, index: u64) -> Result<Hash, ReadError>;
}

impl<R: HashReader + ?Sized> HashReader for &R {
    fn hash_at(&self, level: u8, index: u64) -> Result<Hash, ReadError> {
        (**self).hash_at(level, index)
    }
}

/// `k` of RFC 9162 §2.1.1: the largest power of two strictly below `n`.
/// Requires `n >= 2`.
pub(crate) fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// `MTH(D[start:end])` for a range from the RFC recursion, i.e. one whose
/// `start` is a multiple of the largest power of two not above its length.
/// Such a range is a run of perfect subtrees, one per set bit of its
/// length, largest first; they are folded right to left (smallest first),
/// without allocating.
pub(crate) fn range_hash<R: HashReader + ?Sized>(
    reader: &R,
    start: u64,
    end: u64,
) -> Result<Hash, ReadError> {
    debug_assert!(start < end);
    let mut acc: Option<Hash> = None;
    let mut at = end;
    while at > start {
        let level = (at - start).trailing_zeros() as u8;
        at -= 1u64 << level;
        debug_assert_eq!(at % (1u64 << level), 0, "range is not RFC-aligned");
        let left = reader.hash_at(level, at >> level)?;
        acc = Some(match acc {
            Some(right) => node_hash(&left, &right),
            None => left,
        });
    }
    Ok(acc.unwrap_or(EMPTY_ROOT))
}

/// The root of the first `size` leaves (`MTH(D[0:size])`), or the RFC 6962
/// empty root for size 0. Reads at most 64 hashes.
pub fn tree_root<R: HashReader + ?Sized>(reader: &R, size: u64) -> Result<Hash, ProofError> {
    if size == 0 {
        return Ok(EMPTY_ROOT);
    }
    Ok(range_hash(reader, 0, size)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::hash::leaf_hash;

    /// A reader that can only answer from leaves, to test range hashing
    /// without the rest of the crate.
    struct Leaves(Vec<Hash>);

    impl HashReader for Leaves {
        fn hash_at(&self, level: u8, index: u64) -> Result<Hash, ReadError> {
            let width = 1usize << level;
            let start = index as usize * width;
            let leaves = self.0.get(start..start + width);
            let leaves = leaves.ok_or(ReadError::Missing { level, index })?;
            let mut row = leaves.to_vec();
            while row.len() > 1 {
                row = row.chunks(2).map(|p| node_hash(&p[0], &p[1])).collect();
            }
            Ok(row[0])
        }
    }

    #[test]
    fn split_point_is_largest_power_of_two_below_n() {
        let cases = [
            (2, 1),
            (3, 2),
            (4, 2),
            (5, 4),
            (8, 4),
            (9, 8),
            (u64::MAX, 1 << 63),
        ];
        for (n, k) in cases {
            assert_eq!(split_point(n), k, "n = {n}");
        }
    }

    #[test]
    fn three_leaf_root_is_left_pair_then_lone_leaf() {
        let l: Vec<Hash> = (0u8..3).map(|i| leaf_hash(&[i])).collect();
        let want = node_hash(&node_hash(&l[0], &l[1]), &l[2]);
        assert_eq!(tree_root(&Leaves(l), 3).unwrap(), want);
    }

    #[test]
    fn empty_tree_root_needs_no_reads() {
        assert_eq!(tree_root(&Leaves(vec![]), 0).unwrap(), EMPTY_ROOT);
    }

    #[test]
    fn missing_hashes_are_reported_not_panicked_on() {
        let err = tree_root(&Leaves(vec![leaf_hash(b"")]), 2).unwrap_err();
        assert!(matches!(err, ProofError::Read(ReadError::Missing { .. })));
    }
}
