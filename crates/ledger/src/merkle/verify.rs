//! Proof verification exactly as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2
//! (consistency), plus the hardening rules of the reference notes §1.4:
//! every hash must be 32 bytes, proof lengths are bounded before any work,
//! a first size of 0 is always an error, and equal sizes need an empty proof.
//!
//! Hashes come in as byte slices on purpose: the length check is one of the
//! rules (a 1-leaf tree with an empty leaf and empty root is the classic
//! false accept), so it belongs here, not in every caller.

use super::error::{HashRole, VerifyError};
use super::hash::{Hash, node_hash};

/// An inclusion path for a u64-sized tree has at most 64 hashes.
pub const MAX_INCLUSION_PROOF_LEN: usize = 64;
/// A consistency proof for u64-sized trees has at most 65 hashes.
pub const MAX_CONSISTENCY_PROOF_LEN: usize = 65;

fn to_hash(bytes: &[u8], role: HashRole) -> Result<Hash, VerifyError> {
    Hash::from_slice(bytes).map_err(|e| VerifyError::HashLength { role, len: e.0 })
}

fn to_hashes<P: AsRef<[u8]>>(proof: &[P]) -> Result<Vec<Hash>, VerifyError> {
    proof
        .iter()
        .enumerate()
        .map(|(i, p)| to_hash(p.as_ref(), HashRole::ProofElement(i)))
        .collect()
}

/// Shifts both indices right until `first` is odd or zero: this skips the
/// levels where the node is the right edge of the tree and has no sibling.
fn skip_rightmost_levels(first: &mut u64, second: &mut u64) {
    while *first & 1 == 0 && *first != 0 {
        *first >>= 1;
        *second >>= 1;
    }
}

/// Checks that `proof` shows the leaf with hash `leaf_hash` at `index` in the
/// tree of `size` leaves whose root is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion<P: AsRef<[u8]>>(
    index: u64,
    size: u64,
    leaf_hash: &[u8],
    proof: &[P],
    root: &[u8],
) -> Result<(), VerifyError> {
    if size == 0 {
        return Err(VerifyError::EmptyTree);
    }
    if index >= size {
        return Err(VerifyError::IndexOutOfRange { index, size });
    }
    if proof.len() > MAX_INCLUSION_PROOF_LEN {
        return Err(VerifyError::ProofExceedsBound {
            len: proof.len(),
            max: MAX_INCLUSION_PROOF_LEN,
        });
    }
    let leaf = to_hash(leaf_hash, HashRole::Leaf)?;
    let root = to_hash(root, HashRole::Root)?;
    let proof = to_hashes(proof)?;

    let computed = root_from_inclusion_proof(index, size, &leaf, &proof)?;
    if computed != root {
        return Err(VerifyError::RootMismatch {
            computed,
            expected: root,
        });
    }
    Ok(())
}

/// The root implied by an inclusion proof; the loop of §2.1.3.2 step 4.
/// Requires `index < size` (checked by the caller).
fn root_from_inclusion_proof(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
) -> Result<Hash, VerifyError> {
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if snode == 0 {
            return Err(VerifyError::ProofTooLong);
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            skip_rightmost_levels(&mut fnode, &mut snode);
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(VerifyError::ProofTooShort);
    }
    Ok(r)
}

/// Checks that the tree of `first` leaves with root `first_root` is a prefix
/// of the tree of `second` leaves with root `second_root` (RFC 9162
/// §2.1.4.2). Equal sizes are accepted only with an empty proof and equal
/// roots (transparency-dev/merkle issue #40 convention).
pub fn verify_consistency<P: AsRef<[u8]>>(
    first: u64,
    second: u64,
    first_root: &[u8],
    second_root: &[u8],
    proof: &[P],
) -> Result<(), VerifyError> {
    if first == 0 {
        return Err(VerifyError::ZeroFirstSize);
    }
    if first > second {
        return Err(VerifyError::SizesOutOfOrder { first, second });
    }
    if proof.len() > MAX_CONSISTENCY_PROOF_LEN {
        return Err(VerifyError::ProofExceedsBound {
            len: proof.len(),
            max: MAX_CONSISTENCY_PROOF_LEN,
        });
    }
    let first_root = to_hash(first_root, HashRole::FirstRoot)?;
    let second_root = to_hash(second_root, HashRole::SecondRoot)?;
    let proof = to_hashes(proof)?;

    if first == second {
        if !proof.is_empty() {
            return Err(VerifyError::NonEmptyProofForEqualSizes);
        }
        if first_root != second_root {
            return Err(VerifyError::RootMismatch {
                computed: first_root,
                expected: second_root,
            });
        }
        return Ok(());
    }
    if proof.is_empty() {
        return Err(VerifyError::EmptyProof);
    }

    // Step 2: a power-of-two first tree is a single node the proof omits.
    let mut path = Vec::with_capacity(proof.len() + 1);
    if first.is_power_of_two() {
        path.push(first_root);
    }
    path.extend_from_slice(&proof);

    let (mut fnode, mut snode) = (first - 1, second - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if snode == 0 {
            return Err(VerifyError::ProofTooLong);
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            skip_rightmost_levels(&mut fnode, &mut snode);
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(VerifyError::ProofTooShort);
    }
    if fr != first_root {
        return Err(VerifyError::FirstRootMismatch {
            computed: fr,
            expected: first_root,
        });
    }
    if sr != second_root {
        return Err(VerifyError::RootMismatch {
            computed: sr,
            expected: second_root,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::hash::leaf_hash;

    const NO_PROOF: &[Hash] = &[];

    #[test]
    fn single_leaf_tree_accepts_empty_proof_to_its_own_leaf() {
        let l = leaf_hash(b"");
        assert_eq!(verify_inclusion(0, 1, &l.0, NO_PROOF, &l.0), Ok(()));
    }

    #[test]
    fn empty_leaf_and_empty_root_are_refused_for_their_length() {
        let err = verify_inclusion::<&[u8]>(0, 1, &[], &[], &[]).unwrap_err();
        assert_eq!(
            err,
            VerifyError::HashLength {
                role: HashRole::Leaf,
                len: 0
            }
        );
    }

    #[test]
    fn inclusion_in_an_empty_tree_or_past_the_end_is_refused() {
        let l = leaf_hash(b"");
        assert_eq!(
            verify_inclusion(0, 0, &l.0, NO_PROOF, &l.0),
            Err(VerifyError::EmptyTree)
        );
        assert_eq!(
            verify_inclusion(1, 1, &l.0, NO_PROOF, &l.0),
            Err(VerifyError::IndexOutOfRange { index: 1, size: 1 })
        );
    }

    #[test]
    fn overlong_proofs_are_refused_before_hashing() {
        let l = leaf_hash(b"");
        let long = vec![l; 65];
        assert!(matches!(
            verify_inclusion(0, u64::MAX, &l.0, &long, &l.0),
            Err(VerifyError::ProofExceedsBound { len: 65, max: 64 })
        ));
        let longer = vec![l; 66];
        assert!(matches!(
            verify_consistency(1, u64::MAX, &l.0, &l.0, &longer),
            Err(VerifyError::ProofExceedsBound { len: 66, max: 65 })
        ));
    }

    #[test]
    fn consistency_size_rules_hold_even_with_matching_roots() {
        let l = leaf_hash(b"");
        let r = |a, b, p: &[Hash]| verify_consistency(a, b, &l.0, &l.0, p);
        assert_eq!(r(0, 0, NO_PROOF), Err(VerifyError::ZeroFirstSize));
        assert_eq!(r(0, 1, NO_PROOF), Err(VerifyError::ZeroFirstSize));
        assert_eq!(
            r(2, 1, NO_PROOF),
            Err(VerifyError::SizesOutOfOrder {
                first: 2,
                second: 1
            })
        );
        assert_eq!(r(3, 3, NO_PROOF), Ok(()));
        assert_eq!(r(3, 3, &[l]), Err(VerifyError::NonEmptyProofForEqualSizes));
        assert_eq!(r(1, 2, NO_PROOF), Err(VerifyError::EmptyProof));
    }

    #[test]
    fn equal_sizes_with_different_roots_are_refused() {
        let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
        assert!(matches!(
            verify_consistency(1, 1, &a.0, &b.0, NO_PROOF),
            Err(VerifyError::RootMismatch { .. })
        ));
    }

    #[test]
    fn two_leaf_tree_proofs_verify_and_a_swapped_order_does_not() {
        let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
        let root = node_hash(&a, &b);
        assert_eq!(verify_inclusion(0, 2, &a.0, &[b], &root.0), Ok(()));
        assert_eq!(verify_inclusion(1, 2, &b.0, &[a], &root.0), Ok(()));
        assert!(verify_inclusion(0, 2, &b.0, &[a], &root.0).is_err());
        assert_eq!(verify_consistency(1, 2, &a.0, &root.0, &[b]), Ok(()));
        assert_eq!(
            verify_inclusion(0, 2, &a.0, &[b, b], &root.0),
            Err(VerifyError::ProofTooLong)
        );
        assert_eq!(
            verify_inclusion(0, 2, &a.0, NO_PROOF, &root.0),
            Err(VerifyError::ProofTooShort)
        );
    }
}
