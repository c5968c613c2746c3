//! Durable append throughput with group commit, and in-memory tree speed.
//!
//! ```text
//! cargo run --release -p corridor-ledger --example bench_append -- [entries] [submitters] [dir] [max_batch,...]
//! ```
//!
//! Defaults: 200,000 entries of 128 bytes from 8,192 concurrent submitters,
//! on the local filesystem (fsync on) in a temp dir under the system temp
//! directory, or under `dir` if given (put it on the disk you care about),
//! for each `max_batch` in 256 (Tessera's default), 1024, 4096 and 8192
//! with `max_wait` 5 ms. Every append returns only once its entry is
//! durable (group commit), so a batch can only fill up if that many
//! submitters are waiting: `submitters` bounds the useful batch size.
//! Results are printed against two published anchors: Tessera POSIX on one
//! core (~1,600/s) and TesseraCT on NVMe (~10,000/s).

use std::sync::Arc;
use std::time::{Duration, Instant};

use corridor_ledger::merkle::MemoryTree;
use corridor_ledger::note::Ed25519NoteSigner;
use corridor_ledger::sequencer::{Sequencer, SequencerConfig};
use corridor_ledger::storage::LedgerStore;

const ORIGIN: &str = "bench.example/ledger/2026";
const ENTRY_LEN: usize = 128;
/// Tessera (POSIX driver) on a free-tier, one-core VM.
const ANCHOR_TESSERA_POSIX: f64 = 1_600.0;
/// TesseraCT on NVMe.
const ANCHOR_TESSERACT_NVME: f64 = 10_000.0;

fn entry(i: u64) -> Vec<u8> {
    let mut e = vec![b'.'; ENTRY_LEN];
    let id = i.to_be_bytes();
    e[..8].copy_from_slice(&id);
    e
}

async fn run(
    store: LedgerStore,
    label: &str,
    entries: u64,
    submitters: u64,
    max_batch: usize,
) -> Option<f64> {
    let signer = match Ed25519NoteSigner::from_seed(ORIGIN, &[1; 32]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("key: {e}");
            return None;
        }
    };
    let config = SequencerConfig {
        max_batch,
        max_wait: Duration::from_millis(5),
        checkpoint_interval: Some(Duration::from_secs(2)),
        ..SequencerConfig::default()
    };
    let seq = match Sequencer::open(store, signer, ORIGIN, config).await {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("open: {e}");
            return None;
        }
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
            _ => {
                eprintln!("an append failed");
                return None;
            }
        }
    }
    let elapsed = start.elapsed();
    let done = per * submitters;
    let _ = seq.checkpoint().await;
    let rate = done as f64 / elapsed.as_secs_f64();
    println!(
        "{label:<30} max_batch {max_batch:>5}: {done} in {:>6.3} s = {rate:>7.0} durable appends/s \
         = {:>5.1}x Tessera POSIX, {:>5.2}x TesseraCT NVMe (worst latency {} ms)",
        elapsed.as_secs_f64(),
        rate / ANCHOR_TESSERA_POSIX,
        rate / ANCHOR_TESSERACT_NVME,
        worst.as_millis()
    );
    seq.shutdown().await;
    Some(rate)
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
    let entries: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let submitters: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(8_192)
        .max(1);
    let base = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let batches: Vec<usize> = args
        .next()
        .map(|a| a.split(',').filter_map(|b| b.parse().ok()).collect())
        .unwrap_or_else(|| vec![256, 1024, 4096, 8192]);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return eprintln!("runtime: {e}"),
    };
    println!(
        "{entries} entries of {ENTRY_LEN} bytes, {submitters} concurrent submitters, max_wait 5 ms; \
         anchors: Tessera POSIX {ANCHOR_TESSERA_POSIX}/s, TesseraCT NVMe {ANCHOR_TESSERACT_NVME}/s"
    );
    rt.block_on(async {
        let mut best: Option<(usize, f64)> = None;
        for &max_batch in &batches {
            let dir = match tempfile::tempdir_in(&base) {
                Ok(d) => d,
                Err(e) => return eprintln!("temp dir: {e}"),
            };
            let store = match LedgerStore::local(dir.path()) {
                Ok(store) => store,
                Err(e) => return eprintln!("store: {e}"),
            };
            let label = "local fs (fsync, group commit)";
            if let Some(rate) = run(store, label, entries, submitters, max_batch).await
                && best.is_none_or(|(_, b)| rate > b)
            {
                best = Some((max_batch, rate));
            }
        }
        if let Some((max_batch, rate)) = best {
            println!(
                "best durable: {rate:.0} appends/s at max_batch {max_batch} = {:.1}x the 1,600/s anchor, \
                 {:.2}x the 10,000/s anchor",
                rate / ANCHOR_TESSERA_POSIX,
                rate / ANCHOR_TESSERACT_NVME
            );
        }
        let max_batch = best.map_or(256, |(b, _)| b);
        let label = "in-memory object store";
        run(LedgerStore::memory(), label, entries, submitters, max_batch).await;
    });
    memory_tree(1_000_000);
}
