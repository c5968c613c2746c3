//! The frontier (compact range `[0, size)`): the roots of the perfect
//! subtrees that make up a tree, one per set bit of its size, largest first.
//!
//! It is all a sequencer must keep to append and compute roots: at most 64
//! hashes, O(log n) work per append and per root (RFC 9162 §2.1.2's stack
//! algorithm, kept incrementally).

use super::hash::{EMPTY_ROOT, Hash, node_hash};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Frontier {
    size: u64,
    /// Perfect-subtree roots, left (largest) to right.
    subtrees: Vec<Hash>,
}

/// A saved frontier whose hash count does not match its size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontierError {
    #[error("a frontier of size {size} has {want} subtree hashes, got {got}")]
    WrongHashCount { size: u64, want: u32, got: usize },
    #[error("the tree is full: size would overflow u64")]
    Full,
}

impl Frontier {
    pub fn new() -> Self {
        Self::default()
    }

    /// Restores a frontier persisted as `(size(), subtrees())`.
    pub fn from_parts(size: u64, subtrees: Vec<Hash>) -> Result<Self, FrontierError> {
        if subtrees.len() != size.count_ones() as usize {
            return Err(FrontierError::WrongHashCount {
                size,
                want: size.count_ones(),
                got: subtrees.len(),
            });
        }
        Ok(Self { size, subtrees })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn subtrees(&self) -> &[Hash] {
        &self.subtrees
    }

    /// Appends one leaf hash. Returns the roots of the perfect subtrees this
    /// leaf completed, lowest level first (level 1, 2, ...): exactly the
    /// hashes a Crosby–Wallach store writes after the leaf hash.
    pub fn append(&mut self, leaf: Hash) -> Result<Vec<Hash>, FrontierError> {
        let new_size = self.size.checked_add(1).ok_or(FrontierError::Full)?;
        let mut completed = Vec::new();
        let mut carry = leaf;
        let mut bits = self.size;
        while bits & 1 == 1 {
            // Invariant: one stored subtree per set bit, so this is present.
            let Some(left) = self.subtrees.pop() else {
                break;
            };
            carry = node_hash(&left, &carry);
            completed.push(carry);
            bits >>= 1;
        }
        self.subtrees.push(carry);
        self.size = new_size;
        Ok(completed)
    }

    /// The root of the tree so far (`EMPTY_ROOT` when empty).
    pub fn root(&self) -> Hash {
        let mut rest = self.subtrees.iter().rev();
        let Some(mut acc) = rest.next().copied() else {
            return EMPTY_ROOT;
        };
        for left in rest {
            acc = node_hash(left, &acc);
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::hash::leaf_hash;

    #[test]
    fn keeps_one_subtree_per_set_bit_of_the_size() {
        let mut f = Frontier::new();
        for i in 0u8..13 {
            f.append(leaf_hash(&[i])).unwrap();
            assert_eq!(f.subtrees().len(), f.size().count_ones() as usize);
        }
    }

    #[test]
    fn fourth_leaf_completes_a_pair_and_a_quad() {
        let l: Vec<Hash> = (0u8..4).map(|i| leaf_hash(&[i])).collect();
        let mut f = Frontier::new();
        for h in &l[..3] {
            f.append(*h).unwrap();
        }
        let completed = f.append(l[3]).unwrap();
        let pair = node_hash(&l[2], &l[3]);
        let quad = node_hash(&node_hash(&l[0], &l[1]), &pair);
        assert_eq!(completed, vec![pair, quad]);
        assert_eq!(f.root(), quad);
    }

    #[test]
    fn from_parts_refuses_a_hash_count_that_does_not_match_the_size() {
        let h = leaf_hash(b"");
        assert!(Frontier::from_parts(3, vec![h]).is_err());
        assert!(Frontier::from_parts(3, vec![h, h]).is_ok());
        assert_eq!(Frontier::from_parts(0, vec![]).unwrap().root(), EMPTY_ROOT);
    }
}
