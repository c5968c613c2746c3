//! Full audit of a stored log (reference notes §6.6 `ledger-verify audit`):
//! verify the latest signed checkpoint, recompute the tree from every entry
//! bundle (RFC 9162 §2.1.2, streaming: memory is O(8·256) hashes whatever
//! the log size), compare every stored hash tile with the recomputed one,
//! and check every checkpoint in the history against the recomputed roots,
//! which proves each is consistent with the next.
//!
//! Anything the audit does not recompute is not trusted: a flipped byte in
//! any bundle or tile is reported with its path.

use futures_util::{StreamExt, TryStreamExt, stream};
use serde::Serialize;

use crate::checkpoint::{Checkpoint, CheckpointError, open_checkpoint};
use crate::keyring::KeyHistory;
use crate::merkle::{Frontier, Hash, leaf_hash};
use crate::note::{Note, NoteVerifier};
use crate::storage::{LedgerStore, StorageError, bundle_for, paths};
use crate::tiles::{
    BundleError, TILE_WIDTH, TileEdge, TileHashes, decode_entry_bundle_of_width, tile_bytes,
};

/// What a passed audit established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub origin: String,
    pub tree_size: u64,
    pub root_hash: Hash,
    pub bundles_checked: u64,
    pub tiles_checked: u64,
    /// Signed checkpoints in the history, all consistent with the tree.
    pub history_checked: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    #[error("no signed checkpoint in storage")]
    NoCheckpoint,
    #[error("checkpoint {path}: {source}")]
    Checkpoint {
        path: String,
        #[source]
        source: CheckpointError,
    },
    #[error("{0} is missing")]
    Missing(String),
    #[error("entry bundle {path}: {source}")]
    Bundle {
        path: String,
        #[source]
        source: BundleError,
    },
    #[error("tile {0} differs from the tile recomputed from the entries")]
    TileMismatch(String),
    #[error("checkpoint of size {size} has root {signed}, the entries give {computed}")]
    RootMismatch {
        size: u64,
        signed: Hash,
        computed: Hash,
    },
    #[error("history entry {0} is not named after its tree size")]
    HistoryName(String),
}

/// The log's key, or its key history after a rotation.
#[derive(Clone, Copy)]
enum Keys<'a> {
    One(&'a dyn NoteVerifier),
    History(&'a KeyHistory),
}

impl Keys<'_> {
    fn for_size(&self, size: u64) -> &dyn NoteVerifier {
        match self {
            Keys::One(v) => *v,
            Keys::History(h) => h.verifier_for(size),
        }
    }
}

async fn open_cp(
    store: &LedgerStore,
    path: &str,
    keys: Keys<'_>,
) -> Result<Option<Checkpoint>, AuditError> {
    let Some(bytes) = store.get(path).await? else {
        return Ok(None);
    };
    let refused = |source| AuditError::Checkpoint {
        path: path.to_owned(),
        source,
    };
    let unverified = Note::parse(&bytes)
        .map_err(CheckpointError::from)
        .and_then(|n| Checkpoint::parse_body(n.text()))
        .map_err(refused)?;
    let verifier = keys.for_size(unverified.size);
    let known = [verifier];
    open_checkpoint(&bytes, verifier.name(), &known)
        .map(|s| Some(s.checkpoint))
        .map_err(refused)
}

async fn check_tiles(
    store: &LedgerStore,
    tiles: &[TileHashes],
    checked: &mut u64,
) -> Result<(), AuditError> {
    for (id, hashes) in tiles {
        let path = id.path();
        let stored = store
            .get(&path)
            .await?
            .ok_or_else(|| AuditError::Missing(path.clone()))?;
        if stored.as_ref() != tile_bytes(hashes).as_slice() {
            return Err(AuditError::TileMismatch(path));
        }
        *checked += 1;
    }
    Ok(())
}

/// Audits the log in `store` signed by `verifier` (whose key name is the
/// origin), against the largest checkpoint found in `checkpoint` or the
/// history.
pub async fn audit(
    store: &LedgerStore,
    verifier: &dyn NoteVerifier,
) -> Result<AuditReport, AuditError> {
    audit_keys(store, Keys::One(verifier)).await
}

/// Like [`audit`] for a log whose key was rotated: each checkpoint must be signed by the key
/// of `keys` for its tree size.
pub async fn audit_with_history(
    store: &LedgerStore,
    keys: &KeyHistory,
) -> Result<AuditReport, AuditError> {
    audit_keys(store, Keys::History(keys)).await
}

async fn audit_keys(store: &LedgerStore, verifier: Keys<'_>) -> Result<AuditReport, AuditError> {
    let mut history = Vec::new();
    for name in store.list_after(paths::HISTORY_PREFIX, None).await? {
        let size =
            paths::parse_history(&name).ok_or_else(|| AuditError::HistoryName(name.clone()))?;
        let cp = open_cp(store, &name, verifier)
            .await?
            .ok_or_else(|| AuditError::Missing(name.clone()))?;
        if cp.size != size {
            return Err(AuditError::HistoryName(name));
        }
        history.push(cp);
    }
    let mut latest = open_cp(store, paths::CHECKPOINT, verifier).await?;
    if let Some(h) = history.last()
        && latest.as_ref().is_none_or(|l| h.size > l.size)
    {
        latest = Some(h.clone());
    }
    let latest = latest.ok_or(AuditError::NoCheckpoint)?;
    let size = latest.size;
    let mut to_check: Vec<Checkpoint> =
        history.iter().filter(|c| c.size <= size).cloned().collect();
    to_check.push(latest.clone());
    to_check.sort_by_key(|c| c.size);
    let mut next_check = to_check.iter().peekable();

    let mut frontier = Frontier::new();
    let mut edge = TileEdge::new();
    let mut tiles_checked = 0u64;
    let bundle_count = size.div_ceil(u64::from(TILE_WIDTH));
    // Fetch bundles a few at a time ahead of hashing.
    let mut bundles = stream::iter(0..bundle_count)
        .map(|n| {
            let id = bundle_for(size, n * 256);
            async move {
                let path = id.path();
                let bytes = store
                    .get(&path)
                    .await?
                    .ok_or_else(|| AuditError::Missing(path.clone()))?;
                let entries = decode_entry_bundle_of_width(&bytes, id.width)
                    .map_err(|source| AuditError::Bundle { path, source })?;
                Ok::<_, AuditError>(entries)
            }
        })
        .buffered(8);
    let mut completed = Vec::new();
    while let Some(entries) = bundles.try_next().await? {
        for e in entries {
            let leaf = leaf_hash(&e);
            // A u64 tree cannot fill up from bundles that exist.
            let _ = frontier.append(leaf);
            edge.push(leaf, &mut completed);
            while let Some(cp) = next_check.next_if(|c| c.size <= frontier.size()) {
                if cp.size == frontier.size() && cp.root != frontier.root() {
                    return Err(AuditError::RootMismatch {
                        size: cp.size,
                        signed: cp.root,
                        computed: frontier.root(),
                    });
                }
            }
        }
        check_tiles(store, &completed, &mut tiles_checked).await?;
        completed.clear();
    }
    check_tiles(store, &edge.partial_tiles(), &mut tiles_checked).await?;
    if frontier.root() != latest.root || frontier.size() != size {
        return Err(AuditError::RootMismatch {
            size,
            signed: latest.root,
            computed: frontier.root(),
        });
    }
    Ok(AuditReport {
        origin: latest.origin,
        tree_size: size,
        root_hash: latest.root,
        bundles_checked: bundle_count,
        tiles_checked,
        history_checked: history.len(),
    })
}
