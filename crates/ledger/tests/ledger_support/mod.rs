//! Helpers shared by the storage, sequencer, witness and crash tests.
#![allow(dead_code)]

use std::time::Duration;

use corridor_ledger::note::Ed25519NoteSigner;
use corridor_ledger::sequencer::{Sequencer, SequencerConfig};
use corridor_ledger::storage::LedgerStore;

pub const ORIGIN: &str = "corridor.example/ledger/2026";

pub fn signer() -> Ed25519NoteSigner {
    Ed25519NoteSigner::from_seed(ORIGIN, &[42; 32]).expect("valid key name")
}

/// Fast batches, no background cadence: tests sign when they want to.
pub fn config() -> SequencerConfig {
    SequencerConfig {
        max_batch: 64,
        max_wait: Duration::from_millis(2),
        checkpoint_interval: None,
        ..SequencerConfig::default()
    }
}

pub async fn open(store: &LedgerStore) -> Sequencer {
    Sequencer::open(store.clone(), signer(), ORIGIN, config())
        .await
        .expect("sequencer opens")
}

pub fn entry(i: u64) -> Vec<u8> {
    format!("notarial act {i}").into_bytes()
}

/// Appends `entry(i)` for every i in `range` concurrently (one batch or a
/// few), returning the indices in submission order.
pub async fn append_all(seq: &Sequencer, range: std::ops::Range<u64>) -> Vec<u64> {
    let futs: Vec<_> = range.map(|i| seq.append(entry(i))).collect();
    futures_util::future::join_all(futs)
        .await
        .into_iter()
        .map(|r| r.expect("append acknowledged"))
        .collect()
}
