//! Durable storage of a log over [`object_store`]: the public C2SP
//! tlog-tiles layout (`checkpoint`, `tile/<L>/<N>[.p/<W>]`,
//! `tile/entries/<N>[.p/<W>]`) and the sequencer's private objects under
//! `state/` (see [`paths`]).
//!
//! # Durability
//!
//! The sequencer acknowledges an entry only after the store says its
//! writes are durable, so every backend must make a successful `put`
//! durable:
//!
//! * Remote stores (S3, GCS, Azure) are durable when the PUT returns.
//! * `object_store`'s `LocalFileSystem` writes a temp file and renames it,
//!   but by default does **not** fsync anything: a power cut can lose an
//!   acknowledged write. [`LedgerStore::local`] therefore always turns on
//!   `with_fsync(true)` (object_store ≥ 0.14.2), which fsyncs the file
//!   before the rename and the parent directory (and any directory it had
//!   to create) after it.
//!
//! # Compare-and-swap
//!
//! The state object is updated with `PutMode::Update` (etag/version from
//! the last read) or `PutMode::Create` for the first write. `LocalFileSystem`
//! does not implement `PutMode::Update`, so for the local backend the update
//! is emulated: an exclusive `flock` on `<root>/.cas.lock` is held while the
//! current etag is compared and the new object is renamed into place. That
//! is a real CAS between processes on one host; across hosts use a remote
//! store or an external writer lock ([`crate::sequencer::WriterLock`]).

mod cas;
mod local_batch;
pub mod paths;
mod proofs;
mod reader;
mod warm;

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, UpdateVersion};

pub use proofs::{
    StoredProofError, consistency_proof_from_storage, read_entry, receipt_from_storage,
    root_from_storage,
};
use reader::TileCache;
pub use reader::{StoredTiles, StoredTilesError, load_tiles_for};
pub use warm::WarmUp;

/// Failures of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("object store error at {path}: {source}")]
    Store {
        path: String,
        #[source]
        source: object_store::Error,
    },
    #[error("object {0} already exists with different content")]
    Conflict(String),
    #[error("compare-and-swap of {0} failed: another writer changed it")]
    CasFailed(String),
    #[error("local CAS lock failed: {0}")]
    Lock(#[source] std::io::Error),
    #[error("cannot open local store at {path}: {source}")]
    OpenLocal {
        path: PathBuf,
        #[source]
        source: object_store::Error,
    },
    #[error("background task failed: {0}")]
    Join(String),
    #[error("local file {path}: {source}")]
    LocalIo {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl StorageError {
    fn store(path: &Path, source: object_store::Error) -> Self {
        Self::Store {
            path: path.to_string(),
            source,
        }
    }
}

/// An object written ahead of its compare-and-swap by
/// [`LedgerStore::put_once_all_preparing`] (on the local filesystem; empty
/// elsewhere). Dropped unused, its staging file is removed.
#[derive(Debug)]
pub(crate) struct PreparedPut(Option<local_batch::StagedFile>);

impl PreparedPut {
    /// Nothing written ahead: the compare-and-swap writes the object.
    pub(crate) fn none() -> Self {
        Self(None)
    }
}

/// The version of an object as last read, for a later compare-and-swap.
/// `None` means "did not exist": the next write must create it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectVersion(pub(crate) Option<UpdateVersion>);

impl ObjectVersion {
    pub fn absent() -> Self {
        Self(None)
    }

    /// Whether two reads saw the same object version. Compares the etag,
    /// and the version id where both have one (stores fill in different
    /// fields, and a PUT result may lack one a GET reports).
    pub fn same_as(&self, other: &ObjectVersion) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                let etag = a.e_tag.is_some() && a.e_tag == b.e_tag;
                let version = match (&a.version, &b.version) {
                    (Some(x), Some(y)) => x == y,
                    _ => true,
                };
                etag && version
            }
            _ => false,
        }
    }
}

/// How conditional updates are done on this backend.
#[derive(Debug, Clone)]
enum CasMode {
    /// The store implements `PutMode::Update` itself (S3, GCS, Azure, memory).
    Native,
    /// `LocalFileSystem`: emulated under a lock file in the store root.
    /// The store is kept typed to map object names to files the way it
    /// does, for batched writes ([`LedgerStore::put_once_all`]).
    LocalLockFile {
        lock: PathBuf,
        fs: Arc<LocalFileSystem>,
    },
}

/// A log's storage: an object store plus the knowledge of how to do
/// durable, conditional writes on it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct LedgerStore {
    inner: Arc<dyn ObjectStore>,
    cas: CasMode,
    tile_cache: Arc<TileCache>,
}

/// Default tile cache: level-0 tiles (about 16 MiB when full).
pub const DEFAULT_CACHED_LEVEL0_TILES: usize = 1024;
/// Default tile cache: summaries of full level-0 tiles (about 1 KiB each;
/// 65,536 cover a log of 16.7 million entries in about 64 MiB, and the
/// memory is only taken as the log grows or is read).
pub const DEFAULT_CACHED_TILE_SUMMARIES: usize = 65_536;
/// Default tile cache: tiles of level 1 and up (about 16 MiB when full;
/// enough for every upper tile of a log of 67 million entries).
pub const DEFAULT_CACHED_UPPER_TILES: usize = 1024;

impl LedgerStore {
    /// A directory on the local filesystem (created if missing), with fsync
    /// on every write. See the module docs for the durability argument.
    pub fn local(root: impl Into<PathBuf>) -> Result<Self, StorageError> {
        let root = root.into();
        std::fs::create_dir_all(&root).map_err(StorageError::Lock)?;
        let fs = LocalFileSystem::new_with_prefix(&root)
            .map_err(|source| StorageError::OpenLocal {
                path: root.clone(),
                source,
            })?
            .with_fsync(true);
        let lock = std::fs::canonicalize(&root)
            .map_err(StorageError::Lock)?
            .join(".cas.lock");
        let fs = Arc::new(fs);
        Ok(Self {
            inner: fs.clone(),
            cas: CasMode::LocalLockFile { lock, fs },
            tile_cache: Self::default_tile_cache(),
        })
    }

    /// A volatile in-memory store, for tests and benchmarks.
    pub fn memory() -> Self {
        Self::from_object_store(Arc::new(InMemory::new()))
    }

    /// Any object store that is durable on a successful PUT and implements
    /// `PutMode::Update` (S3 with conditional writes, GCS, Azure).
    pub fn from_object_store(inner: Arc<dyn ObjectStore>) -> Self {
        Self {
            inner,
            cas: CasMode::Native,
            tile_cache: Self::default_tile_cache(),
        }
    }

    fn default_tile_cache() -> Arc<TileCache> {
        Arc::new(TileCache::new(
            DEFAULT_CACHED_LEVEL0_TILES,
            DEFAULT_CACHED_UPPER_TILES,
            DEFAULT_CACHED_TILE_SUMMARIES,
        ))
    }

    /// The same objects, read without the tile cache: for checks that must
    /// see storage as it is now, such as recovery on open.
    pub(crate) fn uncached(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            cas: self.cas.clone(),
            tile_cache: Arc::new(TileCache::new(0, 0, 0)),
        }
    }

    /// Replaces the cache of decoded tiles that proofs from storage use
    /// (shared by clones made after this call): at most `level0` tiles of
    /// level 0 and `upper` tiles of higher levels. `(0, 0)` turns it off.
    /// Summaries are sized separately ([`Self::with_tile_summaries`]).
    pub fn with_tile_cache(mut self, level0: usize, upper: usize) -> Self {
        let (_, _, summaries) = self.tile_cache.capacities();
        self.tile_cache = Arc::new(TileCache::new(level0, upper, summaries));
        self
    }

    /// Replaces the cache (shared as for [`Self::with_tile_cache`]) with
    /// one keeping at most `tiles` summaries of full level-0 tiles (about
    /// 1 KiB each, one per 256 entries); 0 turns them off.
    pub fn with_tile_summaries(mut self, tiles: usize) -> Self {
        let (level0, upper, _) = self.tile_cache.capacities();
        self.tile_cache = Arc::new(TileCache::new(level0, upper, tiles));
        self
    }

    /// Called by the sequencer once a batch is committed, with the full
    /// level-0 tiles it completed: their summaries make receipts for
    /// these entries cheap later, without reading the tiles back first.
    pub(crate) fn remember_committed_tiles(&self, tiles: &[(u64, Vec<crate::merkle::Hash>)]) {
        if !self.tile_cache.wants_summaries() {
            return;
        }
        for (index, hashes) in tiles {
            let nodes = crate::tiles::TileNodes::new(hashes.clone());
            self.tile_cache.insert_summary(*index, &nodes);
        }
    }

    /// The underlying store, e.g. to serve the public tiles over HTTP.
    pub fn object_store(&self) -> &Arc<dyn ObjectStore> {
        &self.inner
    }

    /// Reads an object; `None` if it does not exist.
    pub async fn get(&self, path: &str) -> Result<Option<Bytes>, StorageError> {
        Ok(self.get_versioned(path).await?.map(|(b, _)| b))
    }

    /// Reads an object with its version for a later [`Self::put_cas`].
    pub async fn get_versioned(
        &self,
        path: &str,
    ) -> Result<Option<(Bytes, ObjectVersion)>, StorageError> {
        let p = Path::from(path);
        let result = match self.inner.get(&p).await {
            Ok(r) => r,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(StorageError::store(&p, e)),
        };
        let version = UpdateVersion {
            e_tag: result.meta.e_tag.clone(),
            version: result.meta.version.clone(),
        };
        let bytes = result
            .bytes()
            .await
            .map_err(|e| StorageError::store(&p, e))?;
        Ok(Some((bytes, ObjectVersion(Some(version)))))
    }

    /// Reads a public object of the tlog-tiles layout (`checkpoint`, a hash
    /// tile or an entry bundle), refusing any other path, so an HTTP server
    /// can pass request paths through without exposing `state/`.
    pub async fn get_public(&self, path: &str) -> Result<Option<Bytes>, StorageError> {
        if !paths::is_public(path) {
            return Ok(None);
        }
        self.get(path).await
    }

    /// Durable unconditional write (tiles, bundles, the public checkpoint).
    pub async fn put(&self, path: &str, bytes: Bytes) -> Result<(), StorageError> {
        // Only leftovers of uncommitted batches are ever overwritten; never
        // serve a stale decoded copy of one.
        if let Ok(id) = crate::tiles::TileId::parse_path(path) {
            self.tile_cache.remove(&id);
        }
        let p = Path::from(path);
        let written = self.inner.put(&p, PutPayload::from(bytes)).await;
        // Again after the write, in case a reader cached the old bytes
        // while it was in flight.
        if let Ok(id) = crate::tiles::TileId::parse_path(path) {
            self.tile_cache.remove(&id);
        }
        written.map_err(|e| StorageError::store(&p, e))?;
        Ok(())
    }

    /// Durable write-once: creates the object, or succeeds without writing
    /// if it already holds exactly `bytes` (an idempotent retry), or fails
    /// with [`StorageError::Conflict`] if it holds something else.
    pub async fn put_once(&self, path: &str, bytes: Bytes) -> Result<(), StorageError> {
        let p = Path::from(path);
        let opts = PutOptions::from(PutMode::Create);
        match self
            .inner
            .put_opts(&p, PutPayload::from(bytes.clone()), opts)
            .await
        {
            Ok(_) => Ok(()),
            Err(object_store::Error::AlreadyExists { .. }) => match self.get(path).await? {
                Some(existing) if existing == bytes => Ok(()),
                _ => Err(StorageError::Conflict(path.to_owned())),
            },
            Err(e) => Err(StorageError::store(&p, e)),
        }
    }

    /// [`Self::put_once`] for many objects at once. Returns the paths that
    /// already held other bytes (left unchanged, the [`StorageError::Conflict`]
    /// of `put_once`); every other object is durable when this returns.
    /// On error, as for a failed `put_once`, any of them may or may not
    /// have been written. On the local filesystem the batch shares its
    /// flushes (see `local_batch`); elsewhere the writes run concurrently.
    pub async fn put_once_all(
        &self,
        writes: &[(String, Bytes)],
    ) -> Result<Vec<String>, StorageError> {
        Ok(self.put_once_all_preparing(writes, None).await?.0)
    }

    /// [`Self::put_once_all`], plus `prepare`: the object (path, bytes) a
    /// [`Self::put_cas_prepared`] will swap in once the batch is durable.
    /// On the local filesystem it is written and fsynced in the batch's
    /// flush round, under a staging name nothing lists, so the swap only
    /// has a rename and a directory sync left; elsewhere nothing is done
    /// ahead. It never becomes visible before its compare-and-swap.
    pub(crate) async fn put_once_all_preparing(
        &self,
        writes: &[(String, Bytes)],
        prepare: Option<(&str, Bytes)>,
    ) -> Result<(Vec<String>, PreparedPut), StorageError> {
        match &self.cas {
            CasMode::Native => {
                let each = writes.iter().map(|(path, bytes)| async move {
                    match self.put_once(path, bytes.clone()).await {
                        Ok(()) => Ok(None),
                        Err(StorageError::Conflict(p)) => Ok(Some(p)),
                        Err(e) => Err(e),
                    }
                });
                let done = futures_util::future::try_join_all(each).await?;
                Ok((done.into_iter().flatten().collect(), PreparedPut(None)))
            }
            CasMode::LocalLockFile { fs, .. } => {
                let file = |path: &str| {
                    let p = Path::from(path);
                    fs.path_to_filesystem(&p)
                        .map_err(|e| StorageError::store(&p, e))
                };
                let mut targets = Vec::with_capacity(writes.len());
                for (path, bytes) in writes {
                    targets.push((file(path)?, bytes.clone()));
                }
                let prepare = match prepare {
                    Some((path, bytes)) => Some((file(path)?, bytes)),
                    None => None,
                };
                let (outcomes, prepared) = local_batch::put_once_all(targets, prepare).await?;
                let conflicts = outcomes
                    .into_iter()
                    .zip(writes)
                    .filter(|(o, _)| *o == local_batch::Outcome::Conflict)
                    .map(|(_, (path, _))| path.clone())
                    .collect();
                Ok((conflicts, PreparedPut(prepared)))
            }
        }
    }

    /// [`Self::put_cas`] of `bytes`, using the staged copy `prepared` holds
    /// if there is one (it must be these same bytes, staged for `path`).
    pub(crate) async fn put_cas_prepared(
        &self,
        path: &str,
        bytes: Bytes,
        prepared: PreparedPut,
        expected: &ObjectVersion,
    ) -> Result<ObjectVersion, StorageError> {
        match (&self.cas, prepared.0) {
            (CasMode::LocalLockFile { lock, .. }, Some(staged)) => {
                cas::rename_cas_locked(self, lock.clone(), path, staged, expected).await
            }
            _ => self.put_cas(path, bytes, expected).await,
        }
    }

    /// Durable compare-and-swap: writes `bytes` only if the object is still
    /// at `expected` (absent → create). Returns the new version.
    pub async fn put_cas(
        &self,
        path: &str,
        bytes: Bytes,
        expected: &ObjectVersion,
    ) -> Result<ObjectVersion, StorageError> {
        match &self.cas {
            CasMode::Native => self.put_cas_native(path, bytes, expected).await,
            CasMode::LocalLockFile { lock, .. } => {
                cas::put_cas_locked(self, lock.clone(), path, bytes, expected).await
            }
        }
    }

    async fn put_cas_native(
        &self,
        path: &str,
        bytes: Bytes,
        expected: &ObjectVersion,
    ) -> Result<ObjectVersion, StorageError> {
        let p = Path::from(path);
        let mode = match &expected.0 {
            None => PutMode::Create,
            Some(v) => PutMode::Update(v.clone()),
        };
        match self
            .inner
            .put_opts(&p, PutPayload::from(bytes), PutOptions::from(mode))
            .await
        {
            Ok(r) => Ok(ObjectVersion(Some(UpdateVersion::from(r)))),
            Err(object_store::Error::Precondition { .. })
            | Err(object_store::Error::AlreadyExists { .. }) => {
                Err(StorageError::CasFailed(path.to_owned()))
            }
            Err(e) => Err(StorageError::store(&p, e)),
        }
    }

    /// Object names under `prefix` that sort after `offset` (both full
    /// paths), in lexicographic order.
    pub async fn list_after(
        &self,
        prefix: &str,
        offset: Option<&str>,
    ) -> Result<Vec<String>, StorageError> {
        use futures_util::TryStreamExt;
        let p = Path::from(prefix);
        let stream = match offset {
            Some(o) => self.inner.list_with_offset(Some(&p), &Path::from(o)),
            None => self.inner.list(Some(&p)),
        };
        let metas: Vec<_> = stream
            .try_collect()
            .await
            .map_err(|e| StorageError::store(&p, e))?;
        let mut names: Vec<String> = metas.into_iter().map(|m| m.location.to_string()).collect();
        // Not every backend promises an order.
        names.sort();
        Ok(names)
    }
}

pub(crate) use proofs::bundle_for;
pub(crate) use reader::fetch_tile;
