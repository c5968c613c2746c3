//! Receipts and consistency proofs served from tiles in storage.

use super::LedgerStore;
use super::reader::{StoredTilesError, load_tiles_for};
use crate::checkpoint::{Checkpoint, CheckpointError};
use crate::merkle::{
    Hash, VerifyError, consistency_proof, inclusion_proof, leaf_hash, verify_inclusion,
};
use crate::note::{Note, NoteError};
use crate::receipt::TlogProof;
use crate::tiles::{BundleError, EntryBundleId, TILE_WIDTH, split_entry_bundle_of_width};

/// Why a receipt could not be produced from storage.
#[derive(Debug, thiserror::Error)]
pub enum StoredProofError {
    #[error(transparent)]
    Tiles(#[from] StoredTilesError),
    #[error("checkpoint note: {0}")]
    Note(#[from] NoteError),
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    #[error("index {index} is not covered by the checkpoint of size {size}")]
    NotCovered { index: u64, size: u64 },
    #[error("entry bundle {0} is missing from storage")]
    MissingBundle(String),
    #[error("entry bundle: {0}")]
    Bundle(#[from] BundleError),
    #[error("stored data does not match the signed checkpoint: {0}")]
    Mismatch(#[from] VerifyError),
}

/// The bundle holding `index` as stored for a tree of `size` leaves.
pub(crate) fn bundle_for(size: u64, index: u64) -> EntryBundleId {
    let n = index / u64::from(TILE_WIDTH);
    let width = if n < size / 256 {
        TILE_WIDTH
    } else {
        (size % 256) as u16
    };
    EntryBundleId { index: n, width }
}

/// Reads entry `index` of the tree of `size` leaves from its bundle.
pub async fn read_entry(
    store: &LedgerStore,
    size: u64,
    index: u64,
) -> Result<Vec<u8>, StoredProofError> {
    if index >= size {
        return Err(StoredProofError::NotCovered { index, size });
    }
    let id = bundle_for(size, index);
    let path = id.path();
    let bytes = store
        .get(&path)
        .await
        .map_err(|e| StoredProofError::Tiles(e.into()))?
        .ok_or_else(|| StoredProofError::MissingBundle(path.clone()))?;
    let entries = split_entry_bundle_of_width(&bytes, id.width)?;
    let pos = (index % u64::from(TILE_WIDTH)) as usize;
    match entries.get(pos) {
        Some(entry) => Ok(entry.to_vec()),
        None => Err(StoredProofError::MissingBundle(path)),
    }
}

/// A `c2sp.org/tlog-proof@v1` receipt for entry `index` against the signed
/// checkpoint note `checkpoint_note` (used verbatim, cosignatures and all),
/// reading only the O(log n) tiles the path needs. The path is checked
/// against the checkpoint root with the stored entry before it is returned,
/// so corrupted storage yields an error, never a receipt that fails later.
/// The note's signature is not checked here: pass a note the log signed.
pub async fn receipt_from_storage(
    store: &LedgerStore,
    checkpoint_note: &str,
    index: u64,
) -> Result<TlogProof, StoredProofError> {
    let note = Note::parse(checkpoint_note.as_bytes())?;
    let checkpoint = Checkpoint::parse_body(note.text())?;
    let size = checkpoint.size;
    if index >= size {
        return Err(StoredProofError::NotCovered { index, size });
    }
    let path = load_tiles_for(store, size, |r| inclusion_proof(r, index, size)).await?;
    let entry = read_entry(store, size, index).await?;
    verify_inclusion(index, size, &leaf_hash(&entry).0, &path, &checkpoint.root.0)?;
    Ok(TlogProof {
        extra: None,
        index,
        inclusion_path: path,
        checkpoint: checkpoint_note.to_owned(),
    })
}

/// The RFC 9162 consistency proof from `first` to `second` leaves, from
/// the tiles of the tree of `second` leaves.
pub async fn consistency_proof_from_storage(
    store: &LedgerStore,
    first: u64,
    second: u64,
) -> Result<Vec<Hash>, StoredTilesError> {
    load_tiles_for(store, second, |r| consistency_proof(r, first, second)).await
}

/// The root of the first `size` leaves, from the tiles in storage.
pub async fn root_from_storage(store: &LedgerStore, size: u64) -> Result<Hash, StoredTilesError> {
    load_tiles_for(store, size, |r| crate::merkle::tree_root(r, size)).await
}
