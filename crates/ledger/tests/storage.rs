//! Durable writes and compare-and-swap on both backends, and the second
//! writer that CAS exists to stop.

mod ledger_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use corridor_ledger::sequencer::{AppendError, Sequencer, WriterLock};
use corridor_ledger::storage::{LedgerStore, ObjectVersion, StorageError};
use ledger_support::{ORIGIN, config, entry, open, signer};

async fn cas_semantics(store: LedgerStore) {
    let v1 = store
        .put_cas("state/x", "1".into(), &ObjectVersion::absent())
        .await
        .unwrap();
    let again = store
        .put_cas("state/x", "1b".into(), &ObjectVersion::absent())
        .await;
    assert!(
        matches!(again, Err(StorageError::CasFailed(_))),
        "create over existing"
    );
    let (bytes, read) = store.get_versioned("state/x").await.unwrap().unwrap();
    assert_eq!(bytes.as_ref(), b"1");
    let v2 = store.put_cas("state/x", "2".into(), &read).await.unwrap();
    let stale = store.put_cas("state/x", "3".into(), &v1).await;
    assert!(
        matches!(stale, Err(StorageError::CasFailed(_))),
        "stale version"
    );
    store.put_cas("state/x", "3".into(), &v2).await.unwrap();
    assert_eq!(store.get("state/x").await.unwrap().unwrap().as_ref(), b"3");

    store.put_once("state/h", "a".into()).await.unwrap();
    store.put_once("state/h", "a".into()).await.unwrap();
    assert!(matches!(
        store.put_once("state/h", "b".into()).await,
        Err(StorageError::Conflict(_))
    ));

    store
        .put("tile/0/000.p/1", vec![0u8; 32].into())
        .await
        .unwrap();
    assert!(store.get_public("tile/0/000.p/1").await.unwrap().is_some());
    assert!(store.get_public("state/x").await.unwrap().is_none());
    assert!(store.get("missing").await.unwrap().is_none());
}

#[tokio::test]
async fn cas_and_write_once_on_memory() {
    cas_semantics(LedgerStore::memory()).await;
}

#[tokio::test]
async fn cas_and_write_once_on_the_local_filesystem() {
    let dir = tempfile::tempdir().unwrap();
    cas_semantics(LedgerStore::local(dir.path()).unwrap()).await;
}

#[tokio::test]
async fn a_second_writer_poisons_the_first_instead_of_forking() {
    let dir = tempfile::tempdir().unwrap();
    let store = LedgerStore::local(dir.path()).unwrap();
    let a = open(&store).await;
    assert_eq!(a.append(entry(0)).await.unwrap(), 0);
    // A second process opening the same store (no writer lock configured).
    let b = open(&LedgerStore::local(dir.path()).unwrap()).await;
    assert_eq!(b.append(entry(1)).await.unwrap(), 1);
    assert!(matches!(
        a.append(entry(99)).await,
        Err(AppendError::Poisoned(_))
    ));
    assert!(matches!(
        a.append(entry(99)).await,
        Err(AppendError::Poisoned(_))
    ));
    assert_eq!(b.append(entry(2)).await.unwrap(), 2);
    // The stale writer did not clobber the committed tiles.
    b.checkpoint().await.unwrap();
    b.shutdown().await;
    let report = corridor_ledger::audit::audit(&store, &signer().verifier())
        .await
        .unwrap();
    assert_eq!(report.tree_size, 3);
    let stored = corridor_ledger::storage::read_entry(&store, 2, 1)
        .await
        .unwrap();
    assert_eq!(stored, entry(1));
}

#[derive(Debug)]
struct Flag(AtomicBool);

impl WriterLock for Flag {
    fn check(&self) -> Result<(), String> {
        if self.0.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err("lease expired".into())
        }
    }
}

#[tokio::test]
async fn losing_the_writer_lock_stops_commits() {
    let flag = Arc::new(Flag(AtomicBool::new(true)));
    let mut cfg = config();
    cfg.writer_lock = Some(flag.clone());
    let seq = Sequencer::open(LedgerStore::memory(), signer(), ORIGIN, cfg)
        .await
        .unwrap();
    assert_eq!(seq.append(entry(0)).await.unwrap(), 0);
    flag.0.store(false, Ordering::SeqCst);
    assert!(matches!(
        seq.append(entry(1)).await,
        Err(AppendError::CommitFailed(_))
    ));
    assert!(seq.checkpoint().await.is_err());
    flag.0.store(true, Ordering::SeqCst);
    assert_eq!(seq.append(entry(1)).await.unwrap(), 1);
}
