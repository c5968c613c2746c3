//! Proofs served from storage at scale: the code path receipts use.
//!
//! ```text
//! cargo run --release -p corridor-ledger --example bench_proofs -- [entries] [proofs] [memory|fs] [dir]
//! ```
//!
//! Defaults: 10,000,000 entries of 32 bytes, 10,000 proofs of each kind,
//! the in-memory object store. `fs` uses [`LedgerStore::local`] (fsync on)
//! in a temp dir under `dir` (default: the system temp directory).
//!
//! The log is built through the [`Sequencer`] with large batches, so the
//! stored layout (tiles, entry bundles, state, signed checkpoint) is what a
//! real log has. Then random receipts ([`receipt_from_storage`]: tiles for
//! the inclusion path, the entry bundle, the path checked against the
//! checkpoint root) and random consistency proofs
//! ([`consistency_proof_from_storage`], old size random, new size the whole
//! tree) are timed one at a time, reporting p50/p99/max latency; also
//! receipts for random entries among the newest 262,144 (the tiles the
//! default tile cache holds: receipts are mostly asked for right after an
//! append). Every receipt and every tenth consistency proof is verified
//! again, untimed.
//!
//! With `restart` as a further argument, the log is instead reopened over
//! the same objects with an empty cache, as after a server restart, and
//! random receipts are timed three ways: on a cold cache without warm-up,
//! while [`LedgerStore::warm_tile_summaries`] runs in the background, and
//! after it has finished.

use std::time::{Duration, Instant};

use corridor_ledger::merkle::{leaf_hash, tree_root, verify_consistency, verify_inclusion};
use corridor_ledger::note::Ed25519NoteSigner;
use corridor_ledger::sequencer::{Sequencer, SequencerConfig};
use corridor_ledger::storage::{
    LedgerStore, consistency_proof_from_storage, load_tiles_for, read_entry, receipt_from_storage,
    root_from_storage,
};

const ORIGIN: &str = "bench.example/ledger/2026";
const BATCH: usize = 65_536;

mod common;
use common::{Rng, entry};

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| {
        let i = ((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1;
        times[i].as_secs_f64() * 1e6
    };
    let mean = times.iter().sum::<Duration>().as_secs_f64() * 1e6 / times.len() as f64;
    println!(
        "{what:<34} n={:<6} p50 {:>8.1} µs  p99 {:>8.1} µs  max {:>8.1} µs  mean {:>8.1} µs",
        times.len(),
        at(0.50),
        at(0.99),
        at(1.0),
        mean
    );
}

async fn build(store: LedgerStore, n: u64) -> Result<String, String> {
    let signer = Ed25519NoteSigner::from_seed(ORIGIN, &[1; 32]).map_err(|e| e.to_string())?;
    let config = SequencerConfig {
        max_batch: BATCH,
        max_wait: Duration::from_millis(50),
        checkpoint_interval: None,
        queue_capacity: 2 * BATCH,
        ..SequencerConfig::default()
    };
    let seq = Sequencer::open(store, signer, ORIGIN, config)
        .await
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut next = 0u64;
    while next < n {
        let end = (next + BATCH as u64).min(n);
        let pending: Vec<_> = (next..end).map(|i| seq.append(entry(i).to_vec())).collect();
        for (want, p) in (next..end).zip(pending) {
            let got = p.await.map_err(|e| e.to_string())?;
            if got != want {
                return Err(format!("append {want} got index {got}"));
            }
        }
        next = end;
    }
    let note = seq.checkpoint().await.map_err(|e| e.to_string())?;
    let s = start.elapsed().as_secs_f64();
    println!(
        "built {n} entries via the sequencer (batches of {BATCH}) in {s:.1} s = {:.0} appends/s",
        n as f64 / s
    );
    seq.shutdown().await;
    Ok(note)
}

async fn measure(store: &LedgerStore, note: &str, n: u64, proofs: u64) -> Result<(), String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let root = root_from_storage(store, n)
        .await
        .map_err(|e| e.to_string())?;

    // Warm-up, untimed: first touches of the store's data structures.
    for _ in 0..100 {
        let i = rng.below(n);
        receipt_from_storage(store, note, i)
            .await
            .map_err(|e| e.to_string())?;
    }

    let mut times = Vec::with_capacity(proofs as usize);
    for _ in 0..proofs {
        let i = rng.below(n);
        let start = Instant::now();
        let receipt = receipt_from_storage(store, note, i).await;
        times.push(start.elapsed());
        let receipt = receipt.map_err(|e| e.to_string())?;
        // Untimed double check (the receipt path already verified it).
        let e = read_entry(store, n, i).await.map_err(|e| e.to_string())?;
        verify_inclusion(i, n, &leaf_hash(&e).0, &receipt.inclusion_path, &root.0)
            .map_err(|e| e.to_string())?;
    }
    report("receipt, random entry", times);

    // Receipts are mostly asked for right after an append: entries in the
    // newest 1,024 level-0 tiles, which the default tile cache holds.
    let recent = n.min(1024 * 256);
    for i in n - recent..n {
        if i % 256 == 0 {
            receipt_from_storage(store, note, i)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let mut times = Vec::with_capacity(proofs as usize);
    for _ in 0..proofs {
        let i = n - recent + rng.below(recent);
        let start = Instant::now();
        let receipt = receipt_from_storage(store, note, i).await;
        times.push(start.elapsed());
        receipt.map_err(|e| e.to_string())?;
    }
    report("receipt, entry among newest 262,144", times);

    let mut times = Vec::with_capacity(proofs as usize);
    let mut checked = Vec::new();
    for k in 0..proofs {
        let m = 1 + rng.below(n - 1);
        let start = Instant::now();
        let proof = consistency_proof_from_storage(store, m, n).await;
        times.push(start.elapsed());
        let proof = proof.map_err(|e| e.to_string())?;
        if k % 10 == 0 {
            checked.push((m, proof));
        }
    }
    report("consistency proof, random old size", times);
    for (m, proof) in &checked {
        // The old root from the tiles of the whole tree: storage keeps
        // partial tiles only for sizes a batch ended at.
        let old = load_tiles_for(store, n, |r| tree_root(r, *m))
            .await
            .map_err(|e| e.to_string())?;
        verify_consistency(*m, n, &old.0, &root.0, proof).map_err(|e| e.to_string())?;
    }
    println!(
        "all {proofs} receipts verified; {} consistency proofs verified against roots from storage",
        checked.len()
    );
    Ok(())
}

/// Times `proofs` random receipts (one at a time) on `store`.
async fn random_receipts(
    store: &LedgerStore,
    note: &str,
    n: u64,
    proofs: u64,
    rng: &mut Rng,
) -> Result<Vec<Duration>, String> {
    let mut times = Vec::with_capacity(proofs as usize);
    for _ in 0..proofs {
        let i = rng.below(n);
        let start = Instant::now();
        let receipt = receipt_from_storage(store, note, i).await;
        times.push(start.elapsed());
        receipt.map_err(|e| e.to_string())?;
    }
    Ok(times)
}

/// Receipts after a restart: `reopen` gives a store over the same objects
/// with an empty cache each time it is called.
async fn restart(
    reopen: impl Fn() -> Result<LedgerStore, String>,
    note: &str,
    n: u64,
    proofs: u64,
) -> Result<(), String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let cold = reopen()?;
    let times = random_receipts(&cold, note, n, proofs, &mut rng).await?;
    report("after restart, no warm-up: receipt, random entry", times);

    let warming = reopen()?;
    let background = warming.clone();
    let start = Instant::now();
    let task = tokio::spawn(async move { background.warm_tile_summaries(n).await });
    let times = random_receipts(&warming, note, n, proofs, &mut rng).await?;
    let during = start.elapsed().as_secs_f64();
    report(
        "after restart, during warm-up: receipt, random entry",
        times,
    );
    let done = task.await.map_err(|e| e.to_string())?;
    let done = done.map_err(|e| e.to_string())?;
    println!(
        "  ({during:.2} s of receipts; warm-up finished after {:.2} s: {done:?})",
        start.elapsed().as_secs_f64()
    );

    let warm = reopen()?;
    let start = Instant::now();
    let done = warm
        .warm_tile_summaries(n)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "warm-up alone: {:.2} s, {done:?}",
        start.elapsed().as_secs_f64()
    );
    let before = warm.summarized_tile_reads();
    let times = random_receipts(&warm, note, n, proofs, &mut rng).await?;
    report("after restart and warm-up: receipt, random entry", times);
    println!(
        "  ({} of {proofs} receipts read their level-0 tile through a summary)",
        warm.summarized_tile_reads() - before
    );
    Ok(())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000)
        .max(2);
    let proofs: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000)
        .max(1);
    let backend = args.next().unwrap_or_else(|| "memory".into());
    let (flags, dirs): (Vec<String>, Vec<String>) = args.partition(|a| a == "restart");
    let restarts = !flags.is_empty();
    let base = dirs
        .into_iter()
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return eprintln!("runtime: {e}"),
    };
    let result: Result<(), String> = rt.block_on(async {
        let mut _dir = None;
        let store = match backend.as_str() {
            "fs" => {
                let dir = tempfile::tempdir_in(&base).map_err(|e| e.to_string())?;
                let store = LedgerStore::local(dir.path()).map_err(|e| e.to_string())?;
                _dir = Some(dir);
                store
            }
            "memory" => LedgerStore::memory(),
            other => return Err(format!("unknown backend {other:?}: memory or fs")),
        };
        println!("{backend} store, {n} entries of 32 bytes, {proofs} proofs of each kind");
        let note = build(store.clone(), n).await?;
        if !restarts {
            return measure(&store, &note, n, proofs).await;
        }
        let objects = store.object_store().clone();
        let root = _dir.as_ref().map(|d| d.path().to_owned());
        let reopen = || match &root {
            Some(root) => LedgerStore::local(root).map_err(|e| e.to_string()),
            None => Ok(LedgerStore::from_object_store(objects.clone())),
        };
        restart(reopen, &note, n, proofs).await
    });
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
