//! RFC 6962 / RFC 9162 tree and proof vectors: published values from
//! transparency-dev/merkle and the RFC §2.1.5 example, plus the derived
//! exhaustive set for sizes 1..8 with negative mutations.

mod common;

use common::*;
use corridor_ledger::merkle::{
    EMPTY_ROOT, Frontier, Hash, HashReader, leaf_hash, node_hash_raw, reference,
    verify_consistency, verify_inclusion,
};
use serde_json::Value;

#[test]
fn leaf_hashes_node_hashes_and_roots_match_the_reference_tree() {
    let v = vector("tree");
    let inputs = reference_inputs();
    let leaves = hashes_of(&v, "leaf_hashes_hex");
    for (input, want) in inputs.iter().zip(&leaves) {
        assert_eq!(leaf_hash(input), *want);
    }
    let tree = reference_tree(8);
    for level in 0..4u8 {
        let want = hashes_of(&v["node_hashes_by_level_hex"], &format!("level{level}"));
        for (i, h) in want.iter().enumerate() {
            assert_eq!(
                tree.hash_at(level, i as u64).unwrap(),
                *h,
                "level {level} index {i}"
            );
        }
    }
    let roots = &v["roots_by_tree_size_hex"];
    let mut frontier = Frontier::new();
    for size in 0..=8usize {
        let want = hash_of(roots, &size.to_string());
        assert_eq!(tree.root_at(size as u64).unwrap(), want, "root_at {size}");
        assert_eq!(reference_tree(size).root(), want, "append {size}");
        assert_eq!(reference::mth(&leaves[..size]), want, "MTH {size}");
        assert_eq!(frontier.root(), want, "frontier {size}");
        if size < 8 {
            frontier.append(leaves[size]).unwrap();
        }
    }
}

#[test]
fn hasher_vectors_match() {
    let v = &vector("tree")["extra_hasher_vectors"];
    assert_eq!(EMPTY_ROOT, hash_of(v, "empty_tree_root"));
    assert_eq!(leaf_hash(b""), hash_of(v, "leaf_hash_of_empty_input"));
    assert_eq!(
        leaf_hash(b"L123456"),
        hash_of(v, "leaf_hash_of_ascii_L123456")
    );
    let key = "node_hash_of_ascii_N123_and_N456 (raw 4-byte children, not 32-byte hashes)";
    assert_eq!(node_hash_raw(b"N123", b"N456"), hash_of(v, key));
}

/// Generated proofs equal the published ones and verify.
fn check_inclusion_cases(cases: &[Value]) {
    for c in cases {
        let (index, size) = (u64_of(c, "leaf_index"), u64_of(c, "tree_size"));
        let path = hashes_of(c, "inclusion_path_hex");
        let (leaf, root) = (hash_of(c, "leaf_hash_hex"), hash_of(c, "root_hex"));
        let tree = reference_tree(8);
        assert_eq!(
            tree.inclusion_proof(index, size).unwrap(),
            path,
            "({index}, {size})"
        );
        assert_eq!(
            verify_inclusion(index, size, &leaf.0, &path, &root.0),
            Ok(())
        );
    }
}

fn check_consistency_cases(cases: &[Value]) {
    for c in cases {
        let (first, second) = (u64_of(c, "first"), u64_of(c, "second"));
        let path = hashes_of(c, "consistency_path_hex");
        let (r1, r2) = (hash_of(c, "first_hash_hex"), hash_of(c, "second_hash_hex"));
        let tree = reference_tree(8);
        assert_eq!(
            tree.consistency_proof(first, second).unwrap(),
            path,
            "{first}->{second}"
        );
        assert_eq!(
            verify_consistency(first, second, &r1.0, &r2.0, &path),
            Ok(())
        );
    }
}

#[test]
fn published_verify_test_proofs_are_generated_and_accepted() {
    let v = vector("proofs");
    check_inclusion_cases(array(&v, "inclusion"));
    check_consistency_cases(array(&v, "consistency"));
}

#[test]
fn published_reference_test_proofs_are_generated_and_accepted() {
    let v = &vector("proofs")["reference_test_go"];
    check_inclusion_cases(array(v, "inclusion"));
    check_consistency_cases(array(v, "consistency"));
}

/// `"[b, h, l]"` → the named nodes.
fn named(nodes: &Value, list: &str) -> Vec<Hash> {
    list.trim_matches(['[', ']'])
        .split(", ")
        .map(|n| hash_of(nodes, n))
        .collect()
}

#[test]
fn rfc_9162_section_2_1_5_worked_example() {
    let v = &vector("proofs")["rfc9162_section_2_1_5_example"];
    let nodes = &v["nodes_hex"];
    let tree = reference_tree(7);
    for (leaf, list) in v["inclusion"].as_object().unwrap() {
        let index: u64 = leaf.trim_start_matches('d').parse().unwrap();
        let want = named(nodes, list.as_str().unwrap());
        assert_eq!(tree.inclusion_proof(index, 7).unwrap(), want, "{leaf}");
    }
    for (label, list) in v["consistency"].as_object().unwrap() {
        let first: u64 = label["PROOF(".len()..label.find(',').unwrap()]
            .parse()
            .unwrap();
        let want = named(nodes, list.as_str().unwrap());
        assert_eq!(tree.consistency_proof(first, 7).unwrap(), want, "{label}");
    }
    assert_eq!(tree.root(), reference_tree(8).root_at(7).unwrap());
}

fn flip_bit(h: &Hash, bit: usize) -> Hash {
    let mut out = *h;
    out.0[bit / 8] ^= 1 << (bit % 8);
    out
}

#[test]
fn derived_inclusion_proofs_verify_and_every_mutation_fails() {
    let v = vector("all_proofs");
    let cases = array(&v, "inclusion");
    assert_eq!(cases.len(), 36);
    check_inclusion_cases(cases);
    for c in cases {
        let (i, n) = (u64_of(c, "leaf_index"), u64_of(c, "tree_size"));
        let path = hashes_of(c, "inclusion_path_hex");
        let (leaf, root) = (hash_of(c, "leaf_hash_hex"), hash_of(c, "root_hex"));
        let fails = |i: u64, n: u64, leaf: &Hash, p: &[Hash], root: &[u8]| {
            assert!(
                verify_inclusion(i, n, &leaf.0, p, root).is_err(),
                "({i},{n}) {p:?}"
            );
        };
        for k in 0..path.len() {
            for bit in [0, 7, 100, 255] {
                let mut p = path.clone();
                p[k] = flip_bit(&p[k], bit);
                fails(i, n, &leaf, &p, &root.0);
            }
        }
        fails(i, n, &flip_bit(&leaf, 3), &path, &root.0);
        fails(i, n, &leaf, &path, &flip_bit(&root, 3).0);
        fails(i, n, &leaf, &path, &root.0[..31]);
        fails(i, n, &leaf, &path, &[]);
        for j in [i.wrapping_sub(1), i + 1, n, n * 2] {
            fails(j, n, &leaf, &path, &root.0);
        }
        // A wrong size is judged against that size's real root: against the
        // original root some wrong sizes pass (see the test below).
        let tree = reference_tree(8);
        for m in (0..=8).filter(|m| *m != n) {
            let root_m = tree.root_at(m).unwrap();
            fails(i, m, &leaf, &path, &root_m.0);
        }
        let mut extended = path.clone();
        extended.push(leaf);
        fails(i, n, &leaf, &extended, &root.0);
        if !path.is_empty() {
            fails(i, n, &leaf, &path[..path.len() - 1], &root.0);
            fails(i, n, &leaf, &path[1..], &root.0);
        }
    }
}

#[test]
fn derived_consistency_proofs_verify_and_every_mutation_fails() {
    let v = vector("all_proofs");
    let cases = array(&v, "consistency");
    assert_eq!(cases.len(), 28);
    check_consistency_cases(cases);
    for c in cases {
        let (m, n) = (u64_of(c, "first"), u64_of(c, "second"));
        let path = hashes_of(c, "consistency_path_hex");
        let (r1, r2) = (hash_of(c, "first_hash_hex"), hash_of(c, "second_hash_hex"));
        let fails = |m: u64, n: u64, r1: &[u8], r2: &[u8], p: &[Hash]| {
            assert!(
                verify_consistency(m, n, r1, r2, p).is_err(),
                "{m}->{n} {p:?}"
            );
        };
        for k in 0..path.len() {
            let mut p = path.clone();
            p[k] = flip_bit(&p[k], 42);
            fails(m, n, &r1.0, &r2.0, &p);
        }
        fails(m, n, &flip_bit(&r1, 0).0, &r2.0, &path);
        fails(m, n, &r1.0, &flip_bit(&r2, 0).0, &path);
        fails(m, n, &r2.0, &r1.0, &path);
        fails(m, n, &r1.0[..16], &r2.0, &path);
        fails(0, n, &r1.0, &r2.0, &path);
        fails(n, m, &r2.0, &r1.0, &path);
        fails(m, n, &r1.0, &r2.0, &[]);
        fails(m, m, &r1.0, &r1.0, &path);
        let mut extended = path.clone();
        extended.push(r1);
        fails(m, n, &r1.0, &r2.0, &extended);
        fails(m, n, &r1.0, &r2.0, &path[..path.len() - 1]);
    }
}

/// Hardening rule 4 of the reference: the inclusion path of leaf 0 in the
/// 3-leaf tree also "verifies" as a path in a 4-leaf tree with the same
/// root, because RFC 9162 verification only sees the shape of the path.
/// Only a signature binding size to root (the checkpoint) rules this out.
#[test]
fn a_path_alone_does_not_bind_the_tree_size() {
    let tree = reference_tree(3);
    let (leaf, root) = (tree.hash_at(0, 0).unwrap(), tree.root());
    let path = tree.inclusion_proof(0, 3).unwrap();
    assert_eq!(verify_inclusion(0, 3, &leaf.0, &path, &root.0), Ok(()));
    assert_eq!(verify_inclusion(0, 4, &leaf.0, &path, &root.0), Ok(()));
    let real_root_4 = reference_tree(4).root();
    assert!(verify_inclusion(0, 4, &leaf.0, &path, &real_root_4.0).is_err());
}

#[test]
fn the_stored_hash_file_order_matches_go_sumdb() {
    let v = vector("stored");
    let tree = reference_tree(8);
    let stored = tree.stored_hashes();
    assert_eq!(
        stored.len() as u64,
        u64_of(&v, "stored_hash_count_for_8_records")
    );
    for entry in array(&v, "file_order") {
        let (index, level, n) = (
            u64_of(entry, "index"),
            u64_of(entry, "level"),
            u64_of(entry, "n"),
        );
        let level = u8::try_from(level).unwrap();
        assert_eq!(
            stored[index as usize],
            hash_of(entry, "hash_hex"),
            "position {index}"
        );
        assert_eq!(
            corridor_ledger::merkle::stored_hash_index(level, n),
            Some(index)
        );
        assert_eq!(
            corridor_ledger::merkle::split_stored_hash_index(index),
            (level, n)
        );
    }
}
