//! An in-memory log: the stored-hash array (Crosby–Wallach order) plus a
//! frontier for O(log n) roots. Serves roots and proofs for any past size,
//! because perfect-subtree hashes never change once written.

use super::error::{ProofError, ReadError};
use super::frontier::{Frontier, FrontierError};
use super::hash::{Hash, leaf_hash};
use super::prove;
use super::reader::{HashReader, tree_root};
use super::stored::stored_hash_index;

#[derive(Debug, Clone, Default)]
pub struct MemoryTree {
    stored: Vec<Hash>,
    frontier: Frontier,
}

impl MemoryTree {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// Appends an entry (hashed as a leaf) and returns its index.
    pub fn append(&mut self, entry: &[u8]) -> Result<u64, FrontierError> {
        self.append_leaf_hash(leaf_hash(entry))
    }

    /// Appends an already computed leaf hash and returns its index.
    pub fn append_leaf_hash(&mut self, leaf: Hash) -> Result<u64, FrontierError> {
        let index = self.frontier.size();
        let completed = self.frontier.append(leaf)?;
        self.stored.push(leaf);
        self.stored.extend(completed);
        Ok(index)
    }

    /// Root of the whole tree, from the frontier without any lookups.
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// Root of the tree as it was at `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash, ProofError> {
        self.check_size(size)?;
        tree_root(self, size)
    }

    /// Inclusion proof of leaf `index` in the tree of `size` leaves.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, ProofError> {
        self.check_size(size)?;
        prove::inclusion_proof(self, index, size)
    }

    /// Consistency proof from `first` to `second` leaves.
    pub fn consistency_proof(&self, first: u64, second: u64) -> Result<Vec<Hash>, ProofError> {
        self.check_size(second)?;
        prove::consistency_proof(self, first, second)
    }

    /// The stored-hash array, in `sumdb/tlog` `StoredHashIndex` order.
    pub fn stored_hashes(&self) -> &[Hash] {
        &self.stored
    }

    /// The frontier, e.g. to persist sequencer state.
    pub fn frontier(&self) -> &Frontier {
        &self.frontier
    }

    fn check_size(&self, size: u64) -> Result<(), ProofError> {
        if size > self.size() {
            return Err(ProofError::SizeBeyondTree {
                requested: size,
                available: self.size(),
            });
        }
        Ok(())
    }
}

impl HashReader for MemoryTree {
    fn hash_at(&self, level: u8, index: u64) -> Result<Hash, ReadError> {
        let missing = ReadError::Missing { level, index };
        let within = level < 64
            && index
                .checked_add(1)
                .and_then(|end| end.checked_mul(1u64 << level))
                .is_some_and(|end| end <= self.size());
        if !within {
            return Err(missing);
        }
        stored_hash_index(level, index)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.stored.get(i).copied())
            .ok_or(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::hash::node_hash;
    use crate::merkle::stored::stored_hash_count;

    fn tree(n: u8) -> MemoryTree {
        let mut t = MemoryTree::new();
        for i in 0..n {
            t.append(&[i]).unwrap();
        }
        t
    }

    #[test]
    fn append_returns_consecutive_indices() {
        let mut t = MemoryTree::new();
        assert_eq!(t.append(b"a").unwrap(), 0);
        assert_eq!(t.append(b"b").unwrap(), 1);
        assert_eq!(t.size(), 2);
    }

    #[test]
    fn stored_array_has_the_sumdb_length() {
        for n in 0..40 {
            assert_eq!(
                tree(n).stored_hashes().len() as u64,
                stored_hash_count(n.into())
            );
        }
    }

    #[test]
    fn historical_roots_match_frontier_roots() {
        let t = tree(20);
        for size in 0..=20u8 {
            assert_eq!(t.root_at(size.into()).unwrap(), tree(size).root());
        }
    }

    #[test]
    fn perfect_subtree_reads_stay_inside_the_tree() {
        let t = tree(3);
        let l: Vec<Hash> = (0u8..3).map(|i| leaf_hash(&[i])).collect();
        assert_eq!(t.hash_at(1, 0).unwrap(), node_hash(&l[0], &l[1]));
        assert!(t.hash_at(1, 1).is_err(), "pair (2,3) is not complete");
        assert!(t.hash_at(0, 3).is_err());
        assert!(t.hash_at(64, 0).is_err());
        assert!(t.hash_at(63, u64::MAX).is_err());
    }

    #[test]
    fn proofs_for_sizes_beyond_the_tree_are_refused() {
        let t = tree(4);
        assert!(matches!(
            t.inclusion_proof(0, 5),
            Err(ProofError::SizeBeyondTree {
                requested: 5,
                available: 4
            })
        ));
        assert!(t.consistency_proof(2, 5).is_err());
        assert!(t.root_at(5).is_err());
    }
}
