//! Proofs from tiles in storage without holding the tree in memory.
//!
//! [`HashReader`] is synchronous and storage is async, so a proof is made in
//! two passes: first the proof function runs against a reader that only
//! records which tiles it touches (which hashes a proof needs depends on
//! the index and sizes, never on hash values), then exactly those tiles are
//! fetched concurrently and the function runs again for real. A proof
//! needs O(log n) hashes, so this is at most a few tiles per tile level.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::future::try_join_all;

use super::{LedgerStore, StorageError};
use crate::merkle::{Hash, HashReader, ProofError, ReadError};
use crate::tiles::{
    SUMMARY_FROM, TILE_WIDTH, TileError, TileId, TileNodes, TileSummary, TiledTree,
};

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
    /// Per level-0 tile, the 16-hash groups read below the summary levels
    /// (bit g: hashes 16g..16g+16), so a summarized tile hashes only those.
    groups: RefCell<BTreeMap<u64, u16>>,
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
        let tile = first_leaf_of_tile_level / u64::from(TILE_WIDTH);
        self.tiles.borrow_mut().insert((level / 8, tile));
        if level < SUMMARY_FROM {
            let group = (first_leaf_of_tile_level % u64::from(TILE_WIDTH)) / 16;
            *self.groups.borrow_mut().entry(tile).or_default() |= 1 << group;
        }
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
///
/// A third FIFO keeps [`TileSummary`]s of full level-0 tiles (about 1 KiB
/// each, 4 bytes per entry): enough to keep one for every tile of a large
/// log, so a proof for an old entry hashes 15 nodes of its tile instead of
/// 255. They come from tiles read and checked here, and from the
/// sequencer, which computes them for the tiles it has just committed.
#[derive(Debug)]
pub(crate) struct TileCache {
    segments: Mutex<[Segment; 2]>,
    summaries: Mutex<Segment<u64, Arc<TileSummary>>>,
    /// Level-0 tiles that proofs served from a summary instead of hashing
    /// them whole: how tests and benchmarks see that warm-up worked.
    summarized_reads: AtomicU64,
}

#[derive(Debug)]
struct Segment<K = TileId, V = Arc<TileNodes>> {
    capacity: usize,
    map: HashMap<K, V>,
    order: VecDeque<K>,
}

impl<K: std::hash::Hash + Eq + Copy, V> Segment<K, V> {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            map: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    fn insert(&mut self, key: K, value: V) {
        if self.capacity == 0 || self.map.contains_key(&key) {
            return;
        }
        while self.map.len() >= self.capacity {
            match self.order.pop_front() {
                Some(old) => {
                    self.map.remove(&old);
                }
                None => break,
            }
        }
        self.map.insert(key, value);
        self.order.push_back(key);
    }

    fn remove(&mut self, key: &K) {
        if self.map.remove(key).is_some() {
            self.order.retain(|k| k != key);
        }
    }
}

impl TileCache {
    pub(crate) fn new(level0: usize, upper: usize, summaries: usize) -> Self {
        Self {
            segments: Mutex::new([Segment::new(level0), Segment::new(upper)]),
            summaries: Mutex::new(Segment::new(summaries)),
            summarized_reads: AtomicU64::new(0),
        }
    }

    pub(crate) fn summarized_reads(&self) -> u64 {
        self.summarized_reads.load(Ordering::Relaxed)
    }

    /// Warm-up's insert: never evicts (returns `false` once the cache is
    /// full, so warm-up stops), and files the summary at the old end of
    /// the FIFO. Warm-up goes from the newest tile down, so eviction still
    /// goes oldest tile first, and never before what proofs or the
    /// sequencer inserted meanwhile.
    pub(crate) fn insert_warm_summary(&self, index: u64, summary: TileSummary) -> bool {
        let mut summaries = lock(&self.summaries);
        if summaries.map.len() >= summaries.capacity {
            return false;
        }
        if summaries.map.contains_key(&index) {
            return true;
        }
        summaries.map.insert(index, Arc::new(summary));
        summaries.order.push_front(index);
        true
    }

    pub(crate) fn has_room_for_summaries(&self) -> bool {
        let summaries = lock(&self.summaries);
        summaries.map.len() < summaries.capacity
    }

    pub(crate) fn capacities(&self) -> (usize, usize, usize) {
        let segments = self.lock();
        let summaries = lock(&self.summaries).capacity;
        (segments[0].capacity, segments[1].capacity, summaries)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, [Segment; 2]> {
        lock(&self.segments)
    }

    fn get(&self, id: &TileId) -> Option<Arc<TileNodes>> {
        self.lock()[usize::from(id.level > 0)].map.get(id).cloned()
    }

    fn insert(&self, id: TileId, nodes: Arc<TileNodes>) {
        self.lock()[usize::from(id.level > 0)].insert(id, nodes);
    }

    fn summary(&self, id: &TileId) -> Option<Arc<TileSummary>> {
        if id.level != 0 || id.width != TILE_WIDTH {
            return None;
        }
        lock(&self.summaries).map.get(&id.index).cloned()
    }

    /// Keeps the summary of the full level-0 tile `index` of a committed
    /// tree. Only ever give it nodes hashed from committed data.
    pub(crate) fn insert_summary(&self, index: u64, nodes: &TileNodes) {
        let mut summaries = lock(&self.summaries);
        if summaries.capacity == 0 || summaries.map.contains_key(&index) {
            return;
        }
        if let Some(summary) = nodes.summary() {
            summaries.insert(index, Arc::new(summary));
        }
    }

    pub(crate) fn wants_summaries(&self) -> bool {
        lock(&self.summaries).capacity > 0
    }

    pub(crate) fn remove(&self, id: &TileId) {
        self.lock()[usize::from(id.level > 0)].remove(id);
        if id.level == 0 && id.width == TILE_WIDTH {
            lock(&self.summaries).remove(&id.index);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The cache holds no invariant a panic could break halfway.
    m.lock().unwrap_or_else(|e| e.into_inner())
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
        groups: RefCell::new(BTreeMap::new()),
    };
    // The dry run fails only for requests outside the tree, which the real
    // run would refuse the same way.
    compute(&recorder)?;
    let groups = recorder.groups.into_inner();
    let cache = &store.tile_cache;
    let mut tree = TiledTree::new(size);
    let mut missing = Vec::new();
    for (level, index) in recorder.tiles.into_inner() {
        let id = tile_for_size(size, level, index);
        match cache.get(&id) {
            Some(nodes) => tree.insert_nodes(id, nodes)?,
            None => missing.push((id, cache.summary(&id))),
        }
    }
    let fetched = try_join_all(
        missing
            .iter()
            .map(|(id, _)| fetch_tile(store, size, id.level, id.index)),
    )
    .await?;
    for ((id, bytes), (_, summary)) in fetched.iter().zip(&missing) {
        match summary {
            Some(summary) => {
                let used = groups.get(&id.index).copied().unwrap_or(0);
                tree.insert_summarized(*id, bytes, summary, used)?;
                cache.summarized_reads.fetch_add(1, Ordering::Relaxed);
            }
            None => tree.insert(*id, bytes)?,
        }
    }
    tree.check_links()?;
    for (id, summary) in missing {
        // A summarized tile stays partly unhashed: not worth caching whole.
        if summary.is_some() {
            continue;
        }
        if let Some(nodes) = tree.nodes(id.level, id.index) {
            cache.insert(id, nodes.clone());
            if id.level == 0 {
                cache.insert_summary(id.index, nodes);
            }
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
        let off = store.clone().with_tile_cache(0, 0).with_tile_summaries(0);
        let small = store.with_tile_cache(2, 1).with_tile_summaries(0);
        for index in (0..2_000).step_by(97) {
            let want = mem.inclusion_proof(index, 2_000).unwrap();
            for s in [&off, &small] {
                let got = load_tiles_for(s, 2_000, |r| inclusion_proof(r, index, 2_000));
                assert_eq!(got.await.unwrap(), want);
            }
        }
        assert!(off.tile_cache.lock().iter().all(|s| s.map.is_empty()));
        assert!(lock(&off.tile_cache.summaries).map.is_empty());
        let segments = small.tile_cache.lock();
        assert!(segments[0].map.len() <= 2 && segments[1].map.len() <= 1);
        assert_eq!(segments[0].map.len(), segments[0].order.len());
    }

    #[tokio::test]
    async fn summarized_tiles_give_the_same_proofs_as_whole_ones() {
        let mem = tree(5_000);
        let sizes = [4_096, 5_000];
        // No whole level-0 tiles kept: after the first pass every level-0
        // tile is served from its summary plus the groups a proof reads.
        let store = store_with_tiles(&mem, &sizes)
            .await
            .with_tile_cache(0, 16)
            .with_tile_summaries(64);
        for pass in 0..2 {
            for &size in &sizes {
                for index in (0..size).step_by(37).chain([size - 1]) {
                    let got = load_tiles_for(&store, size, |r| inclusion_proof(r, index, size));
                    let want = mem.inclusion_proof(index, size).unwrap();
                    assert_eq!(got.await.unwrap(), want, "pass {pass} index {index}");
                }
                for first in (1..size).step_by(131) {
                    let got = load_tiles_for(&store, size, |r| consistency_proof(r, first, size));
                    let want = mem.consistency_proof(first, size).unwrap();
                    assert_eq!(got.await.unwrap(), want, "pass {pass} first {first}");
                }
            }
        }
        assert_eq!(lock(&store.tile_cache.summaries).map.len(), 5_000 / 256);
    }

    #[tokio::test]
    async fn a_tampered_tile_is_caught_against_its_summary() {
        use object_store::ObjectStoreExt;
        let mem = tree(1_024);
        let store = store_with_tiles(&mem, &[1_024])
            .await
            .with_tile_cache(0, 16)
            .with_tile_summaries(64);
        let proof = load_tiles_for(&store, 1_024, |r| inclusion_proof(r, 300, 1_024));
        assert!(proof.await.is_ok());
        // Change one hash of tile 1 behind the cache's back.
        let id = tile_for_size(1_024, 0, 1);
        let mut bytes = build_tiles(&mem, 1_024).unwrap()[1].1.clone();
        bytes[(300 - 256) * 32] ^= 1;
        let path = object_store::path::Path::from(id.path());
        store.object_store().put(&path, bytes.into()).await.unwrap();
        let proof = load_tiles_for(&store, 1_024, |r| inclusion_proof(r, 300, 1_024));
        assert!(matches!(
            proof.await,
            Err(StoredTilesError::Tile(TileError::Inconsistent(_)))
        ));
    }
}
