//! Property tests on random trees of 1..300 leaves: generated proofs equal
//! the literal RFC recursion, verify, and stop verifying under any single
//! change an attacker could make.

use corridor_ledger::merkle::{
    Hash, MemoryTree, leaf_hash, reference, verify_consistency, verify_inclusion,
};
use proptest::prelude::*;

fn tree(size: u64, salt: u64) -> (MemoryTree, Vec<Hash>) {
    let mut t = MemoryTree::new();
    let leaves: Vec<Hash> = (0..size)
        .map(|i| leaf_hash(format!("{salt}/{i}").as_bytes()))
        .collect();
    for l in &leaves {
        t.append_leaf_hash(*l).unwrap();
    }
    (t, leaves)
}

fn flip(h: &Hash, bit: usize) -> Hash {
    let mut out = *h;
    out.0[bit / 8] ^= 1 << (bit % 8);
    out
}

/// A size, an index below it, a salt for the leaf contents.
fn size_and_index() -> impl Strategy<Value = (u64, u64, u64)> {
    (1u64..300).prop_flat_map(|n| (Just(n), 0..n, any::<u64>()))
}

/// Two sizes `first <= second`.
fn two_sizes() -> impl Strategy<Value = (u64, u64, u64)> {
    (1u64..300).prop_flat_map(|n| (1..=n, Just(n), any::<u64>()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn inclusion_proofs_match_the_rfc_and_verify((n, i, salt) in size_and_index()) {
        let (t, leaves) = tree(n, salt);
        let proof = t.inclusion_proof(i, n).unwrap();
        prop_assert_eq!(&proof, &reference::path(i as usize, &leaves).unwrap());
        prop_assert_eq!(t.root(), reference::mth(&leaves));
        prop_assert!(verify_inclusion(i, n, &leaves[i as usize].0, &proof, &t.root().0).is_ok());
    }

    #[test]
    fn any_change_to_an_inclusion_proof_fails(
        (n, i, salt) in size_and_index(),
        pick in any::<prop::sample::Index>(),
        bit in 0usize..256,
        other in any::<prop::sample::Index>(),
    ) {
        let (t, leaves) = tree(n, salt);
        let (leaf, root) = (leaves[i as usize], t.root());
        let proof = t.inclusion_proof(i, n).unwrap();
        if !proof.is_empty() {
            let mut p = proof.clone();
            let k = pick.index(p.len());
            p[k] = flip(&p[k], bit);
            prop_assert!(verify_inclusion(i, n, &leaf.0, &p, &root.0).is_err());
            prop_assert!(verify_inclusion(i, n, &leaf.0, &proof[..proof.len() - 1], &root.0).is_err());
        }
        let mut longer = proof.clone();
        longer.push(leaf);
        prop_assert!(verify_inclusion(i, n, &leaf.0, &longer, &root.0).is_err());
        prop_assert!(verify_inclusion(i, n, &flip(&leaf, bit).0, &proof, &root.0).is_err());

        let j = other.index(n as usize + 2) as u64;
        if j != i {
            prop_assert!(verify_inclusion(j, n, &leaf.0, &proof, &root.0).is_err());
        }
        // A wrong size is checked against the real root of that size: the
        // path alone cannot bind the size (see rfc6962_vectors.rs).
        let m = other.index(n as usize + 2) as u64;
        if m != n {
            let (bigger, _) = tree(n + 1, salt);
            let root_m = bigger.root_at(m).unwrap();
            prop_assert!(verify_inclusion(i, m, &leaf.0, &proof, &root_m.0).is_err());
        }
    }

    #[test]
    fn consistency_proofs_match_the_rfc_and_verify((m, n, salt) in two_sizes()) {
        let (t, leaves) = tree(n, salt);
        let proof = t.consistency_proof(m, n).unwrap();
        prop_assert_eq!(&proof, &reference::proof(m as usize, &leaves).unwrap());
        let (r1, r2) = (t.root_at(m).unwrap(), t.root());
        prop_assert!(verify_consistency(m, n, &r1.0, &r2.0, &proof).is_ok());
    }

    #[test]
    fn any_change_to_a_consistency_proof_fails(
        (m, n, salt) in two_sizes(),
        pick in any::<prop::sample::Index>(),
        bit in 0usize..256,
        other in 1u64..300,
    ) {
        let (t, _) = tree(n, salt);
        let (r1, r2) = (t.root_at(m).unwrap(), t.root());
        let proof = t.consistency_proof(m, n).unwrap();
        if !proof.is_empty() {
            let mut p = proof.clone();
            let k = pick.index(p.len());
            p[k] = flip(&p[k], bit);
            prop_assert!(verify_consistency(m, n, &r1.0, &r2.0, &p).is_err());
            prop_assert!(verify_consistency(m, n, &r1.0, &r2.0, &proof[..proof.len() - 1]).is_err());
        }
        let mut longer = proof.clone();
        longer.push(r1);
        prop_assert!(verify_consistency(m, n, &r1.0, &r2.0, &longer).is_err());
        prop_assert!(verify_consistency(m, n, &flip(&r1, bit).0, &r2.0, &proof).is_err());
        prop_assert!(verify_consistency(m, n, &r1.0, &flip(&r2, bit).0, &proof).is_err());
        // Another first size, with that size's real root.
        if other != m && other <= n {
            let ro = t.root_at(other).unwrap();
            prop_assert!(verify_consistency(other, n, &ro.0, &r2.0, &proof).is_err());
        }
    }
}
