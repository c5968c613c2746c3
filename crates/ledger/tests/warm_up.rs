//! After a restart, the tile summaries are filled in the background, and
//! tampering is caught exactly as without them.

mod ledger_support;

use corridor_ledger::storage::{LedgerStore, StoredProofError, StoredTilesError, WarmUp};
use corridor_ledger::tiles::{TileError, TileId};
use ledger_support::{append_all, open};
use object_store::ObjectStoreExt;

const ENTRIES: u64 = 2_000;
const FULL_TILES: u64 = ENTRIES / 256;

/// A log of `ENTRIES` entries with a signed checkpoint, and a second
/// store over the same objects with an empty cache: the restarted server.
async fn restarted_log() -> LedgerStore {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    append_all(&seq, 0..ENTRIES).await;
    seq.checkpoint().await.unwrap();
    seq.shutdown().await;
    LedgerStore::from_object_store(store.object_store().clone())
}

async fn tamper_level0_tile(store: &LedgerStore, index: u64, hash: usize) {
    let id = TileId {
        level: 0,
        index,
        width: 256,
    };
    let path = object_store::path::Path::from(id.path());
    let mut bytes = store.get(&id.path()).await.unwrap().unwrap().to_vec();
    bytes[hash * 32] ^= 1;
    store.object_store().put(&path, bytes.into()).await.unwrap();
}

fn is_inconsistent_tile(result: Result<impl std::fmt::Debug, StoredProofError>) -> bool {
    matches!(
        result,
        Err(StoredProofError::Tiles(StoredTilesError::Tile(
            TileError::Inconsistent(_)
        )))
    )
}

#[tokio::test]
async fn after_open_and_warm_up_a_proof_for_an_old_entry_uses_a_cached_summary() {
    // Arrange
    let store = restarted_log().await;
    let seq = open(&store).await;
    let warmed = seq.tile_summaries_warmed().await.unwrap();
    assert_eq!(
        warmed,
        WarmUp {
            summarized: FULL_TILES,
            inconsistent: 0
        }
    );
    let before = store.summarized_tile_reads();

    // Act
    let receipt = seq.receipt(5).await;

    // Assert
    assert!(receipt.is_ok(), "{receipt:?}");
    assert_eq!(store.summarized_tile_reads(), before + 1);
}

#[tokio::test]
async fn a_tile_tampered_after_warm_up_is_caught_against_its_summary() {
    let store = restarted_log().await;
    let seq = open(&store).await;
    seq.tile_summaries_warmed().await.unwrap();

    tamper_level0_tile(&store, 1, 300 - 256).await;

    assert!(is_inconsistent_tile(seq.receipt(300).await));
    assert!(seq.receipt(5).await.is_ok(), "other tiles still serve");
}

#[tokio::test]
async fn a_tile_tampered_before_open_gets_no_summary_and_is_caught_by_the_level_above() {
    let store = restarted_log().await;
    tamper_level0_tile(&store, 1, 300 - 256).await;

    let seq = open(&store).await;
    let warmed = seq.tile_summaries_warmed().await.unwrap();

    assert_eq!(warmed.inconsistent, 1);
    assert_eq!(warmed.summarized, FULL_TILES - 1);
    assert!(is_inconsistent_tile(seq.receipt(300).await));
}

#[tokio::test]
async fn warm_up_stops_when_the_summary_cache_is_full_keeping_the_newest_tiles() {
    let store = restarted_log().await.with_tile_summaries(3);
    let seq = open(&store).await;

    let warmed = seq.tile_summaries_warmed().await.unwrap();

    assert_eq!(warmed.summarized, 3);
    let before = store.summarized_tile_reads();
    seq.receipt(ENTRIES - 300).await.unwrap();
    assert_eq!(store.summarized_tile_reads(), before + 1, "a newest tile");
    seq.receipt(5).await.unwrap();
    assert_eq!(
        store.summarized_tile_reads(),
        before + 1,
        "tile 0 was not warmed"
    );
}
