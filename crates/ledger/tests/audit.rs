//! The audit recomputes everything from the entries and catches any
//! flipped byte in a tile or an entry bundle.

mod ledger_support;

use corridor_ledger::audit::{AuditError, audit};
use corridor_ledger::storage::LedgerStore;
use ledger_support::{append_all, open, signer};

async fn log(dir: &std::path::Path) -> LedgerStore {
    let store = LedgerStore::local(dir).unwrap();
    let seq = open(&store).await;
    let mut n = 0;
    for batch in [3u64, 400, 250] {
        append_all(&seq, n..n + batch).await;
        n += batch;
        seq.checkpoint().await.unwrap();
    }
    seq.shutdown().await;
    store
}

#[tokio::test]
async fn a_clean_log_passes() {
    let dir = tempfile::tempdir().unwrap();
    let store = log(dir.path()).await;
    let report = audit(&store, &signer().verifier()).await.unwrap();
    assert_eq!(report.tree_size, 653);
    assert_eq!(report.bundles_checked, 3);
    // Two full L0 tiles, one L0 partial, one L1 partial.
    assert_eq!(report.tiles_checked, 4);
    assert_eq!(report.history_checked, 3);
}

#[tokio::test]
async fn a_flipped_byte_anywhere_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let store = log(dir.path()).await;
    let v = signer().verifier();
    for name in [
        "tile/0/000",
        "tile/0/002.p/141",
        "tile/1/000.p/2",
        "tile/entries/001",
        "tile/entries/002.p/141",
    ] {
        let path = dir.path().join(name);
        let good = std::fs::read(&path).unwrap();
        let mut bad = good.clone();
        bad[good.len() / 2] ^= 0x20;
        std::fs::write(&path, &bad).unwrap();
        let err = audit(&store, &v).await.expect_err(name);
        assert!(
            matches!(
                err,
                AuditError::TileMismatch(_)
                    | AuditError::RootMismatch { .. }
                    | AuditError::Bundle { .. }
            ),
            "{name}: {err}"
        );
        std::fs::remove_file(&path).unwrap();
        assert!(
            matches!(audit(&store, &v).await, Err(AuditError::Missing(_))),
            "{name}"
        );
        std::fs::write(&path, &good).unwrap();
    }
    audit(&store, &v).await.unwrap();
}

#[tokio::test]
async fn a_history_checkpoint_from_another_tree_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let store = log(dir.path()).await;
    let other = LedgerStore::memory();
    let seq = open(&other).await;
    let futs: Vec<_> = (0..403)
        .map(|i| seq.append(format!("other {i}").into_bytes()))
        .collect();
    futures_util::future::join_all(futs).await;
    let forged = seq.checkpoint().await.unwrap();
    std::fs::write(
        dir.path().join("state/checkpoints/00000000000000000403"),
        forged,
    )
    .unwrap();
    let err = audit(&store, &signer().verifier()).await.unwrap_err();
    assert!(
        matches!(err, AuditError::RootMismatch { size: 403, .. }),
        "{err}"
    );
}
