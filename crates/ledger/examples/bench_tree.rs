//! In-memory tree math, side by side with the `ct-merkle` crate.
//!
//! ```text
//! cargo run --release -p corridor-ledger --example bench_tree -- [entries] [proofs]
//! ```
//!
//! Appends the same `entries` (default 1,000,000) 32-byte entries to
//! [`MemoryTree`] and to `ct_merkle::mem_backed_tree::MemoryBackedTree`
//! with `sha2::Sha256`, checks the two roots are equal (both are RFC 6962
//! trees), then generates and verifies `proofs` (default 100,000) random
//! inclusion proofs and consistency proofs (old size random, new size the
//! whole tree: the only form ct-merkle offers) with each, checking the
//! proofs are byte-for-byte identical.
//!
//! Each measurement is the best of three passes over the same work, so a
//! burst of load from other processes on a shared machine hurts less.

use std::hint::black_box;
use std::time::Instant;

use corridor_ledger::merkle::{Hash, MemoryTree, leaf_hash, verify_consistency, verify_inclusion};
use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
use sha2::Sha256;

type CtTree = MemoryBackedTree<Sha256, [u8; 32]>;

mod common;
use common::{Rng, entry};

/// Best (shortest) of three runs of `f`, in seconds; `f` returns a value
/// kept alive so the work is not optimised away.
fn best_of_3<T>(mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..3 {
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed().as_secs_f64());
        last = Some(black_box(out));
    }
    match last {
        Some(out) => (best, out),
        None => unreachable!("three runs"),
    }
}

fn line(what: &str, ours: f64, theirs: f64, n: u64) {
    let (a, b) = (n as f64 / ours, n as f64 / theirs);
    println!(
        "{what:<22} MemoryTree {a:>12.0}/s   ct-merkle {b:>12.0}/s   ratio {:>6.2}x",
        a / b
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000)
        .max(2);
    let proofs: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000)
        .max(1);
    let entries: Vec<[u8; 32]> = (0..n).map(entry).collect();
    println!("{n} entries of 32 bytes; {proofs} random proofs of each kind; best of 3 runs");

    // Appends: hash each entry as a leaf and extend the tree.
    let (ours_s, ours) = best_of_3(|| {
        let mut t = MemoryTree::new();
        for e in &entries {
            if t.append(e).is_err() {
                unreachable!("tree full");
            }
        }
        t
    });
    let (ct_s, ct) = best_of_3(|| {
        let mut t = CtTree::new();
        for e in &entries {
            t.push(*e);
        }
        t
    });
    line("appends", ours_s, ct_s, n);

    let root = ours.root();
    let ct_root = ct.root();
    if ct_root.as_bytes().as_slice() != root.as_bytes() {
        println!(
            "ROOTS DIFFER: MemoryTree {} ct-merkle {}",
            root.to_hex(),
            hex::encode(ct_root.as_bytes())
        );
        std::process::exit(1);
    }
    println!("roots equal: {}", root.to_hex());

    // Inclusion proofs of random leaves in the whole tree.
    let indices: Vec<u64> = {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        (0..proofs).map(|_| rng.below(n)).collect()
    };
    let (ours_s, our_paths) = best_of_3(|| {
        indices
            .iter()
            .map(|&i| ours.inclusion_proof(i, n).unwrap_or_default())
            .collect::<Vec<Vec<Hash>>>()
    });
    let (ct_s, ct_paths) = best_of_3(|| {
        indices
            .iter()
            .map(|&i| ct.prove_inclusion(i as usize))
            .collect::<Vec<InclusionProof<Sha256>>>()
    });
    line("inclusion prove", ours_s, ct_s, proofs);
    let same = our_paths
        .iter()
        .zip(&ct_paths)
        .all(|(a, b)| a.iter().flat_map(|h| h.0).eq(b.as_bytes().iter().copied()));
    println!("inclusion proofs identical: {same}");

    let leaves: Vec<Hash> = indices
        .iter()
        .map(|&i| leaf_hash(&entries[i as usize]))
        .collect();
    let (ours_s, ok) = best_of_3(|| {
        indices
            .iter()
            .zip(&leaves)
            .zip(&our_paths)
            .filter(|((i, leaf), path)| verify_inclusion(**i, n, &leaf.0, path, &root.0).is_ok())
            .count()
    });
    let (ct_s, ct_ok) = best_of_3(|| {
        indices
            .iter()
            .zip(&ct_paths)
            .filter(|(i, proof)| {
                let e = entries[**i as usize];
                ct_root.verify_inclusion(&e, **i, proof).is_ok()
            })
            .count()
    });
    line("inclusion verify", ours_s, ct_s, proofs);
    println!("inclusion proofs verified: MemoryTree {ok}/{proofs}, ct-merkle {ct_ok}/{proofs}");

    // Consistency proofs from a random old size to the whole tree. The
    // old roots are computed up front (not timed): ct-merkle has no
    // historical roots, so they come from MemoryTree for both.
    let firsts: Vec<u64> = {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        (0..proofs).map(|_| 1 + rng.below(n - 1)).collect()
    };
    let (ours_s, our_cons) = best_of_3(|| {
        firsts
            .iter()
            .map(|&m| ours.consistency_proof(m, n).unwrap_or_default())
            .collect::<Vec<Vec<Hash>>>()
    });
    let (ct_s, ct_cons) = best_of_3(|| {
        firsts
            .iter()
            .map(|&m| ct.prove_consistency((n - m) as usize))
            .collect::<Vec<ConsistencyProof<Sha256>>>()
    });
    line("consistency prove", ours_s, ct_s, proofs);
    let same = our_cons
        .iter()
        .zip(&ct_cons)
        .all(|(a, b)| a.iter().flat_map(|h| h.0).eq(b.as_bytes().iter().copied()));
    println!("consistency proofs identical: {same}");

    let old_roots: Vec<Hash> = firsts
        .iter()
        .map(|&m| ours.root_at(m).unwrap_or_default())
        .collect();
    let ct_old: Vec<RootHash<Sha256>> = firsts
        .iter()
        .zip(&old_roots)
        .map(|(&m, r)| RootHash::new(r.0.into(), m))
        .collect();
    let (ours_s, ok) = best_of_3(|| {
        firsts
            .iter()
            .zip(&old_roots)
            .zip(&our_cons)
            .filter(|((m, old), proof)| verify_consistency(**m, n, &old.0, &root.0, proof).is_ok())
            .count()
    });
    let (ct_s, ct_ok) = best_of_3(|| {
        ct_old
            .iter()
            .zip(&ct_cons)
            .filter(|(old, proof)| ct_root.verify_consistency(old, proof).is_ok())
            .count()
    });
    line("consistency verify", ours_s, ct_s, proofs);
    println!("consistency proofs verified: MemoryTree {ok}/{proofs}, ct-merkle {ct_ok}/{proofs}");
}
