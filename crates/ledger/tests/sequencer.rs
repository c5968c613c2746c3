//! The sequencer over real storage: group commit, restart, refusing to
//! start over storage that is behind its signed checkpoints, receipts.

mod ledger_support;

use std::collections::BTreeSet;

use corridor_ledger::checkpoint::Checkpoint;
use corridor_ledger::merkle::{MemoryTree, verify_consistency};
use corridor_ledger::note::{Ed25519NoteSigner, Note, NoteVerifier};
use corridor_ledger::receipt::verify_receipt;
use corridor_ledger::sequencer::{AppendError, Sequencer, SequencerError};
use corridor_ledger::storage::{
    LedgerStore, consistency_proof_from_storage, paths, read_entry, root_from_storage,
};
use ledger_support::{ORIGIN, append_all, config, entry, open, signer};

fn parse(note: &str) -> Checkpoint {
    Checkpoint::parse_body(Note::parse(note.as_bytes()).unwrap().text()).unwrap()
}

#[tokio::test]
async fn appended_entries_read_back_and_get_verifiable_receipts() {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    for i in 0..3 {
        assert_eq!(seq.append(entry(i)).await.unwrap(), i);
    }
    let note = seq.checkpoint().await.unwrap();
    assert_eq!(parse(&note).size, 3);
    for i in 0..3 {
        assert_eq!(read_entry(&store, 3, i).await.unwrap(), entry(i));
        let receipt = seq.receipt(i).await.unwrap().encode();
        let v = signer().verifier();
        let verdict = verify_receipt(&entry(i), &receipt, &v, &[], 0).unwrap();
        assert_eq!((verdict.leaf_index, verdict.tree_size), (i, 3));
        assert!(verify_receipt(&entry(i + 1), &receipt, &v, &[], 0).is_err());
    }
    assert_eq!(
        store.get(paths::CHECKPOINT).await.unwrap().unwrap(),
        note.as_bytes()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_appends_get_distinct_indices_and_the_right_root() {
    let dir = tempfile::tempdir().unwrap();
    let store = LedgerStore::local(dir.path()).unwrap();
    let seq = open(&store).await;
    let tasks: Vec<_> = (0..1000u64)
        .map(|i| {
            let fut = seq.append(entry(i));
            tokio::spawn(async move { (i, fut.await) })
        })
        .collect();
    let mut by_index = vec![None; 1000];
    for t in tasks {
        let (i, index) = t.await.unwrap();
        let index = index.unwrap() as usize;
        assert!(by_index[index].is_none(), "index {index} given twice");
        by_index[index] = Some(i);
    }
    let mut mem = MemoryTree::new();
    for i in &by_index {
        mem.append(&entry(i.expect("every index 0..999 assigned")))
            .unwrap();
    }
    let cp = parse(&seq.checkpoint().await.unwrap());
    assert_eq!((cp.size, cp.root), (1000, mem.root()));
    assert_eq!(root_from_storage(&store, 1000).await.unwrap(), mem.root());
    for index in [0u64, 255, 256, 999] {
        let i = by_index[index as usize].unwrap();
        assert_eq!(read_entry(&store, 1000, index).await.unwrap(), entry(i));
    }
}

#[tokio::test]
async fn restart_recovers_size_checkpoint_and_partial_tiles() {
    let dir = tempfile::tempdir().unwrap();
    let store = LedgerStore::local(dir.path()).unwrap();
    let seq = open(&store).await;
    append_all(&seq, 0..300).await;
    let first = seq.checkpoint().await.unwrap();
    seq.append(entry(300)).await.unwrap();
    seq.shutdown().await;
    assert!(matches!(
        seq.append(b"late".to_vec()).await,
        Err(AppendError::Stopped)
    ));

    let seq = open(&store).await;
    assert_eq!(seq.published().size, 301);
    assert_eq!(seq.latest_checkpoint().as_deref(), Some(first.as_str()));
    assert_eq!(seq.append(entry(301)).await.unwrap(), 301);
    let mut mem = MemoryTree::new();
    for i in 0..302 {
        mem.append(&entry(i)).unwrap();
    }
    assert_eq!(parse(&seq.checkpoint().await.unwrap()).root, mem.root());
    let v = signer().verifier();
    for i in [0u64, 299, 300, 301] {
        let r = seq.receipt(i).await.unwrap().encode();
        verify_receipt(&entry(i), &r, &v, &[], 0).unwrap();
    }
}

/// Fills a log to 300 entries with a checkpoint at 10 and at 300, and
/// returns the state object as it was at the first checkpoint.
async fn log_with_two_checkpoints(store: &LedgerStore) -> bytes::Bytes {
    let seq = open(store).await;
    append_all(&seq, 0..10).await;
    seq.checkpoint().await.unwrap();
    let old_state = store.get(paths::STATE).await.unwrap().unwrap();
    append_all(&seq, 10..300).await;
    seq.checkpoint().await.unwrap();
    seq.shutdown().await;
    old_state
}

async fn open_err(store: &LedgerStore) -> SequencerError {
    Sequencer::open(store.clone(), signer(), ORIGIN, config())
        .await
        .expect_err("must refuse to start")
}

#[tokio::test]
async fn refuses_to_start_when_the_state_was_rolled_back() {
    let store = LedgerStore::memory();
    let old_state = log_with_two_checkpoints(&store).await;
    store.put(paths::STATE, old_state).await.unwrap();
    assert!(matches!(
        open_err(&store).await,
        SequencerError::StorageBehind {
            signed: 300,
            stored: 10
        }
    ));
}

#[tokio::test]
async fn refuses_to_start_when_the_state_is_gone_but_data_exists() {
    let dir = tempfile::tempdir().unwrap();
    let store = LedgerStore::local(dir.path()).unwrap();
    log_with_two_checkpoints(&store).await;
    std::fs::remove_file(dir.path().join("state/sequencer")).unwrap();
    assert!(matches!(
        open_err(&store).await,
        SequencerError::StateMissing(_)
    ));
}

/// Open reads the right edge and recomputes every signed root: O(log n)
/// tiles, so it catches a lost or altered edge tile. Tiles deeper inside
/// the tree are covered by `audit`.
#[tokio::test]
async fn refuses_to_start_when_an_edge_tile_is_missing_or_altered() {
    let dir = tempfile::tempdir().unwrap();
    let store = LedgerStore::local(dir.path()).unwrap();
    log_with_two_checkpoints(&store).await;
    for name in ["tile/1/000.p/1", "tile/0/001.p/44"] {
        let tile = dir.path().join(name);
        let good = std::fs::read(&tile).unwrap();

        std::fs::remove_file(&tile).unwrap();
        assert!(
            matches!(open_err(&store).await, SequencerError::Tiles(_)),
            "{name}"
        );

        let mut bad = good.clone();
        bad[5] ^= 1;
        std::fs::write(&tile, &bad).unwrap();
        let err = open_err(&store).await;
        assert!(
            matches!(err, SequencerError::Inconsistent { .. }),
            "{name}: {err}"
        );

        std::fs::write(&tile, &good).unwrap();
    }
    assert_eq!(open(&store).await.published().size, 300);
}

#[tokio::test]
async fn refuses_a_partial_bundle_that_does_not_match_its_tile() {
    let dir = tempfile::tempdir().unwrap();
    let store = LedgerStore::local(dir.path()).unwrap();
    log_with_two_checkpoints(&store).await;
    let bundle = dir.path().join("tile/entries/001.p/44");
    let mut bytes = std::fs::read(&bundle).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&bundle, &bytes).unwrap();
    assert!(matches!(
        open_err(&store).await,
        SequencerError::Inconsistent { .. }
    ));
}

#[tokio::test]
async fn refuses_a_key_that_does_not_name_the_origin_and_a_state_of_another_log() {
    let store = LedgerStore::memory();
    let other = Ed25519NoteSigner::from_seed("other.example/log", &[1; 32]).unwrap();
    let err = Sequencer::open(store.clone(), other.clone(), ORIGIN, config()).await;
    assert!(matches!(
        err,
        Err(SequencerError::KeyNameIsNotOrigin { .. })
    ));
    open(&store).await.shutdown().await;
    // The store's key history names another log's key: refused before the state is read.
    let err = Sequencer::open(store, other, "other.example/log", config()).await;
    assert!(matches!(err, Err(SequencerError::UnknownKey { .. })));
}

#[tokio::test]
async fn oversized_entries_are_refused_without_touching_the_log() {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    let err = seq.append(vec![0u8; 65_536]).await.unwrap_err();
    assert!(matches!(err, AppendError::TooLarge(65_536)));
    assert_eq!(seq.append(vec![0u8; 65_535]).await.unwrap(), 0);
}

#[tokio::test]
async fn every_checkpoint_in_history_is_consistent_with_the_next() {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    let mut n = 0u64;
    for batch in [1u64, 1, 7, 250, 300, 3, 600] {
        append_all(&seq, n..n + batch).await;
        n += batch;
        seq.checkpoint().await.unwrap();
    }
    // Signing again without growth must not add a history entry.
    seq.checkpoint().await.unwrap();
    let names = store.list_after(paths::HISTORY_PREFIX, None).await.unwrap();
    let sizes: Vec<u64> = names
        .iter()
        .filter_map(|n| paths::parse_history(n))
        .collect();
    assert_eq!(sizes, [1, 2, 9, 259, 559, 562, 1162]);
    let v = signer().verifier();
    let known: [&dyn NoteVerifier; 1] = [&v];
    let mut cps = Vec::new();
    for name in &names {
        let note = store.get(name).await.unwrap().unwrap();
        corridor_ledger::note::open(&note, &known).unwrap();
        cps.push(parse(std::str::from_utf8(&note).unwrap()));
    }
    for pair in cps.windows(2) {
        let proof = consistency_proof_from_storage(&store, pair[0].size, pair[1].size)
            .await
            .unwrap();
        verify_consistency(
            pair[0].size,
            pair[1].size,
            &pair[0].root.0,
            &pair[1].root.0,
            &proof,
        )
        .unwrap();
    }
    let distinct: BTreeSet<_> = cps.iter().map(|c| c.root).collect();
    assert_eq!(distinct.len(), cps.len());
}

#[tokio::test]
async fn checkpoints_are_signed_on_the_cadence() {
    let store = LedgerStore::memory();
    let mut cfg = config();
    cfg.checkpoint_interval = Some(std::time::Duration::from_millis(20));
    let seq = Sequencer::open(store.clone(), signer(), ORIGIN, cfg)
        .await
        .unwrap();
    let index = seq.append(entry(0)).await.unwrap();
    let receipt = seq
        .receipt_when_covered(index, std::time::Duration::from_secs(5))
        .await
        .unwrap();
    verify_receipt(&entry(0), &receipt.encode(), &signer().verifier(), &[], 0).unwrap();
}
