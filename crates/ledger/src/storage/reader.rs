//! Proofs from tiles in storage without holding the tree in memory.
//!
//! [`HashReader`] is synchronous and storage is async, so a proof is made in
//! two passes: first the proof function runs against a reader that only
//! records which tiles it touches (which hashes a proof needs depends on
//! the index and sizes, never on hash values), then exactly those tiles are
//! fetched concurrently and the function runs again for real. A proof
//! needs O(log n) hashes, so this is at most a few tiles per tile level.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use futures_util::future::try_join_all;

use super::{LedgerStore, StorageError};
use crate::merkle::{Hash, HashReader, ProofError, ReadError};
use crate::tiles::{TILE_WIDTH, TileError, TileId, TileNodes, TiledTree};

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

/// Decoded tiles kept between proofs, shared by every clone of a
/// [`LedgerStore`].
///
/// A tile's path names its width, and the sequencer writes a path only
/// with the hashes of the committed tree, so a tile read for a committed
/// size never changes: a cached tile serves every later proof. (Leftovers
/// of an uncommitted batch can be overwritten; [`LedgerStore::put`] drops
/// the cached tile it overwrites, and proofs are only ever asked for
/// committed sizes.) Tiles enter the cache only after their links to the
/// other tiles of the proof were checked.
///
/// Two FIFO segments: level-0 tiles (a random proof brings a new one) and
/// higher levels (few, read by almost every proof), so random level-0
/// traffic never evicts the hot upper tiles. A full tile costs about 16 KiB.
#[derive(Debug)]
pub(crate) struct TileCache {
    segments: Mutex<[Segment; 2]>,
}

#[derive(Debug, Default)]
struct Segment {
    capacity: usize,
    map: HashMap<TileId, Arc<TileNodes>>,
    order: VecDeque<TileId>,
}

impl TileCache {
    pub(crate) fn new(level0: usize, upper: usize) -> Self {
        let segment = |capacity| Segment {
            capacity,
            ..Segment::default()
        };
        Self {
            segments: Mutex::new([segment(level0), segment(upper)]),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, [Segment; 2]> {
        // The cache holds no invariant a panic could break halfway.
        self.segments.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, id: &TileId) -> Option<Arc<TileNodes>> {
        self.lock()[usize::from(id.level > 0)].map.get(id).cloned()
    }

    fn insert(&self, id: TileId, nodes: Arc<TileNodes>) {
        let mut segments = self.lock();
        let segment = &mut segments[usize::from(id.level > 0)];
        if segment.capacity == 0 || segment.map.contains_key(&id) {
            return;
        }
        while segment.map.len() >= segment.capacity {
            match segment.order.pop_front() {
                Some(old) => {
                    segment.map.remove(&old);
                }
                None => break,
            }
        }
        segment.map.insert(id, nodes);
        segment.order.push_back(id);
    }

    pub(crate) fn remove(&self, id: &TileId) {
        let mut segments = self.lock();
        let segment = &mut segments[usize::from(id.level > 0)];
        if segment.map.remove(id).is_some() {
            segment.order.retain(|k| k != id);
        }
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
    let mut tree = TiledTree::new(size);
    let mut missing = Vec::new();
    for (level, index) in recorder.tiles.into_inner() {
        let id = tile_for_size(size, level, index);
        match store.tile_cache.get(&id) {
            Some(nodes) => tree.insert_nodes(id, nodes)?,
            None => missing.push(id),
        }
    }
    let fetched = try_join_all(
        missing
            .iter()
            .map(|id| fetch_tile(store, size, id.level, id.index)),
    )
    .await?;
    for (id, bytes) in &fetched {
        tree.insert(*id, bytes)?;
    }
    tree.check_links()?;
    for id in missing {
        if let Some(nodes) = tree.nodes(id.level, id.index) {
            store.tile_cache.insert(id, nodes.clone());
        }
    }
    Ok(compute(&tree)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::{MemoryTree, consistency_proof, inclusion_proof, tree_root};
    use crate::tiles::build_tiles;

    fn tree(n: u64) -> MemoryTree {
        let mut t = MemoryTree::new();
        for i in 0..n {
            t.append(&i.to_be_bytes()).unwrap();
        }
        t
    }

    async fn store_with_tiles(mem: &MemoryTree, sizes: &[u64]) -> LedgerStore {
        let store = LedgerStore::memory();
        for &size in sizes {
            for (id, bytes) in build_tiles(mem, size).unwrap() {
                store.put(&id.path(), bytes.into()).await.unwrap();
            }
        }
        store
    }

    #[tokio::test]
    async fn cached_tiles_give_the_same_proofs_for_every_size() {
        let mem = tree(70_000);
        let sizes = [65_536, 66_000, 70_000];
        let store = store_with_tiles(&mem, &sizes).await;
        // Twice: the first pass fills the cache, the second reads from it.
        for _ in 0..2 {
            for &size in &sizes {
                for index in [0, 255, 256, 40_000, size - 1] {
                    let got = load_tiles_for(&store, size, |r| inclusion_proof(r, index, size));
                    assert_eq!(
                        got.await.unwrap(),
                        mem.inclusion_proof(index, size).unwrap()
                    );
                }
                for first in [1, 256, 300, 65_536, size - 1] {
                    let got = load_tiles_for(&store, size, |r| consistency_proof(r, first, size));
                    let want = mem.consistency_proof(first, size).unwrap();
                    assert_eq!(got.await.unwrap(), want);
                }
                let root = load_tiles_for(&store, size, |r| tree_root(r, size));
                assert_eq!(root.await.unwrap(), mem.root_at(size).unwrap());
            }
        }
        let segments = store.tile_cache.lock();
        assert!(!segments[0].map.is_empty() && !segments[1].map.is_empty());
    }

    #[tokio::test]
    async fn overwriting_a_tile_drops_its_cached_copy() {
        let mem = tree(600);
        let store = store_with_tiles(&mem, &[600]).await;
        let root = load_tiles_for(&store, 600, |r| tree_root(r, 600)).await;
        assert_eq!(root.unwrap(), mem.root());
        // Replace the partial tile with other hashes: a fresh read sees them.
        let id = tile_for_size(600, 0, 2);
        store
            .put(&id.path(), vec![7u8; 88 * 32].into())
            .await
            .unwrap();
        let root = load_tiles_for(&store, 600, |r| tree_root(r, 600)).await;
        assert_ne!(root.unwrap(), mem.root());
    }

    #[tokio::test]
    async fn a_disabled_cache_stays_empty_and_evictions_respect_capacity() {
        let mem = tree(2_000);
        let store = store_with_tiles(&mem, &[2_000]).await;
        let off = store.clone().with_tile_cache(0, 0);
        let small = store.with_tile_cache(2, 1);
        for index in (0..2_000).step_by(97) {
            let want = mem.inclusion_proof(index, 2_000).unwrap();
            for s in [&off, &small] {
                let got = load_tiles_for(s, 2_000, |r| inclusion_proof(r, index, 2_000));
                assert_eq!(got.await.unwrap(), want);
            }
        }
        assert!(off.tile_cache.lock().iter().all(|s| s.map.is_empty()));
        let segments = small.tile_cache.lock();
        assert!(segments[0].map.len() <= 2 && segments[1].map.len() <= 1);
        assert_eq!(segments[0].map.len(), segments[0].order.len());
    }
}
