//! Proofs from tiles in storage without holding the tree in memory.
//!
//! [`HashReader`] is synchronous and storage is async, so a proof is made in
//! two passes: first the proof function runs against a reader that only
//! records which tiles it touches (which hashes a proof needs depends on
//! the index and sizes, never on hash values), then exactly those tiles are
//! fetched concurrently and the function runs again for real. A proof
//! needs O(log n) hashes, so this is at most a few tiles per tile level.

use std::cell::RefCell;
use std::collections::BTreeSet;

use futures_util::future::try_join_all;

use super::{LedgerStore, StorageError};
use crate::merkle::{Hash, HashReader, ProofError, ReadError};
use crate::tiles::{TILE_WIDTH, TileError, TileId, TiledTree};

/// Why hashes could not be served from storage.
#[derive(Debug, thiserror::Error)]
pub enum StoredTilesError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("tile {0} is missing from storage")]
    MissingTile(String),
    #[error(transparent)]
    Tile(#[from] TileError),
    #[error(transparent)]
    Proof(#[from] ProofError),
}

/// The tiles of one tree size that a computation needs, loaded from storage.
pub type StoredTiles = TiledTree;

/// Records the tiles a computation reads; answers with placeholder hashes.
struct Recorder {
    size: u64,
    tiles: RefCell<BTreeSet<(u8, u64)>>,
}

impl HashReader for Recorder {
    fn hash_at(&self, level: u8, index: u64) -> Result<Hash, ReadError> {
        let inside = level < 64
            && index
                .checked_add(1)
                .and_then(|end| end.checked_mul(1u64 << level))
                .is_some_and(|end| end <= self.size);
        if !inside {
            return Err(ReadError::Missing { level, index });
        }
        let first_leaf_of_tile_level = index << (level % 8);
        self.tiles
            .borrow_mut()
            .insert((level / 8, first_leaf_of_tile_level / u64::from(TILE_WIDTH)));
        Ok(Hash::default())
    }
}

/// The tile at (`level`, `index`) as it is stored for a tree of `size`.
pub(crate) fn tile_for_size(size: u64, level: u8, index: u64) -> TileId {
    let count = size.checked_shr(8 * u32::from(level)).unwrap_or(0);
    let width = if index < count / 256 {
        TILE_WIDTH
    } else {
        (count % 256) as u16
    };
    TileId {
        level,
        index,
        width,
    }
}

/// Fetches one tile of a tree of `size` from storage.
pub(crate) async fn fetch_tile(
    store: &LedgerStore,
    size: u64,
    level: u8,
    index: u64,
) -> Result<(TileId, bytes::Bytes), StoredTilesError> {
    let id = tile_for_size(size, level, index);
    let path = id.path();
    match store.get(&path).await? {
        Some(bytes) => Ok((id, bytes)),
        None => Err(StoredTilesError::MissingTile(path)),
    }
}

/// Runs `compute` over the tiles of the tree of `size` leaves, loading only
/// the tiles it needs. Links between the loaded tiles are checked; callers
/// still check the result against a signed root.
pub async fn load_tiles_for<T>(
    store: &LedgerStore,
    size: u64,
    compute: impl Fn(&dyn HashReader) -> Result<T, ProofError>,
) -> Result<T, StoredTilesError> {
    let recorder = Recorder {
        size,
        tiles: RefCell::new(BTreeSet::new()),
    };
    // The dry run fails only for requests outside the tree, which the real
    // run would refuse the same way.
    compute(&recorder)?;
    let wanted: Vec<(u8, u64)> = recorder.tiles.into_inner().into_iter().collect();
    let fetched = try_join_all(
        wanted
            .iter()
            .map(|&(level, index)| fetch_tile(store, size, level, index)),
    )
    .await?;
    let tree = TiledTree::from_tiles(size, fetched)?;
    Ok(compute(&tree)?)
}
