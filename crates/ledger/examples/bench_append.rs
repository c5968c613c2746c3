//! Durable append throughput with group commit, and in-memory tree speed.
//!
//! ```text
//! cargo run --release --example bench_append -- [entries] [submitters] [dir]
//! ```
//!
//! Defaults: 100,000 entries of 128 bytes from 1,000 concurrent submitters,
//! on the local filesystem (fsync on) in a temp dir under the system temp
//! directory, or under `dir` if given (put it on the disk you care about).

use std::sync::Arc;
use std::time::{Duration, Instant};

use corridor_ledger::merkle::MemoryTree;
use corridor_ledger::note::Ed25519NoteSigner;
use corridor_ledger::sequencer::{Sequencer, SequencerConfig};
use corridor_ledger::storage::LedgerStore;

const ORIGIN: &str = "bench.example/ledger/2026";
const ENTRY_LEN: usize = 128;

fn entry(i: u64) -> Vec<u8> {
    let mut e = vec![b'.'; ENTRY_LEN];
    let id = i.to_be_bytes();
    e[..8].copy_from_slice(&id);
    e
}

async fn run(store: LedgerStore, label: &str, entries: u64, submitters: u64, max_batch: usize) {
    let signer = match Ed25519NoteSigner::from_seed(ORIGIN, &[1; 32]) {
        Ok(s) => s,
        Err(e) => return eprintln!("key: {e}"),
    };
    let config = SequencerConfig {
        max_batch,
        max_wait: Duration::from_millis(5),
        checkpoint_interval: Some(Duration::from_secs(2)),
        ..SequencerConfig::default()
    };
    let seq = match Sequencer::open(store, signer, ORIGIN, config).await {
        Ok(s) => Arc::new(s),
        Err(e) => return eprintln!("open: {e}"),
    };
    let per = entries / submitters;
    let start = Instant::now();
    let tasks: Vec<_> = (0..submitters)
        .map(|t| {
            let seq = seq.clone();
            tokio::spawn(async move {
                let mut worst = Duration::ZERO;
                for k in 0..per {
                    let began = Instant::now();
                    if seq.append(entry(t * per + k)).await.is_err() {
                        return None;
                    }
                    worst = worst.max(began.elapsed());
                }
                Some(worst)
            })
        })
        .collect();
    let mut worst = Duration::ZERO;
    for t in tasks {
        match t.await {
            Ok(Some(w)) => worst = worst.max(w),
            _ => return eprintln!("an append failed"),
        }
    }
    let elapsed = start.elapsed();
    let done = per * submitters;
    let _ = seq.checkpoint().await;
    println!(
        "{label:<28} max_batch {max_batch:>4}: {done} appends in {:>7.3} s = {:>9.0} durable appends/s (worst latency {} ms)",
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64(),
        worst.as_millis()
    );
    seq.shutdown().await;
}

fn memory_tree(n: u64) {
    let entries: Vec<Vec<u8>> = (0..n).map(entry).collect();
    let start = Instant::now();
    let mut tree = MemoryTree::new();
    for e in &entries {
        if tree.append(e).is_err() {
            return eprintln!("tree full");
        }
    }
    let elapsed = start.elapsed();
    println!(
        "{:<28}                 : {n} appends in {:>7.3} s = {:>9.0} appends/s (root {})",
        "in-memory MemoryTree",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        &tree.root().to_hex()[..16]
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let entries: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let submitters: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000)
        .max(1);
    let base = args
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
    println!("{entries} entries of {ENTRY_LEN} bytes, {submitters} concurrent submitters");
    rt.block_on(async {
        for max_batch in [256, 1024] {
            let dir = match tempfile::tempdir_in(&base) {
                Ok(d) => d,
                Err(e) => return eprintln!("temp dir: {e}"),
            };
            match LedgerStore::local(dir.path()) {
                Ok(store) => {
                    run(
                        store,
                        "local fs (fsync, group commit)",
                        entries,
                        submitters,
                        max_batch,
                    )
                    .await
                }
                Err(e) => eprintln!("store: {e}"),
            }
        }
        run(
            LedgerStore::memory(),
            "in-memory object store",
            entries,
            submitters,
            256,
        )
        .await;
    });
    memory_tree(1_000_000);
}
