//! Opening a log: load the state, cross-check it against every signed
//! checkpoint that storage still knows about, and rebuild the in-memory
//! right edge (partial tiles, pending bundle entries) from storage.
//!
//! "Never roll back": the log must never sign a checkpoint that is not an
//! extension of one it signed before. Each signed checkpoint is in up to
//! three places (state, history, public `checkpoint`), written in that
//! order of durability; if any of them is ahead of the state's tree, or
//! its root differs from the root recomputed from the stored tiles, the
//! storage is behind or forked and we refuse to start.

use bytes::Bytes;

use super::SequencerError;
use super::state::StateFile;
use crate::checkpoint::{Checkpoint, open_checkpoint};
use crate::keyring::KeyHistory;
use crate::merkle::{Frontier, Hash, leaf_hash};
use crate::note::{Ed25519NoteVerifier, Note, NoteVerifier};
use crate::storage::{LedgerStore, ObjectVersion, paths, root_from_storage};
use crate::tiles::{TileEdge, decode_entry_bundle_of_width};

/// The in-memory tree a sequencer appends to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tree {
    pub frontier: Frontier,
    pub edge: TileEdge,
    /// Entries of the incomplete entry bundle (< 256).
    pub bundle: Vec<Bytes>,
}

#[derive(Debug)]
pub(crate) struct Loaded {
    pub tree: Tree,
    pub version: ObjectVersion,
    pub checkpoint: Option<(String, Checkpoint)>,
    /// Size of the public `checkpoint` object, to republish if it lags.
    pub public_size: Option<u64>,
}

/// Opens a checkpoint the log signed: only the key of the history that signs its size counts,
/// so a retired key's signature over a later size is refused like any stranger's.
fn opened(note: &[u8], origin: &str, keys: &KeyHistory) -> Result<Checkpoint, SequencerError> {
    let unverified = Checkpoint::parse_body(Note::parse(note)?.text())?;
    let known: [&dyn NoteVerifier; 1] = [keys.verifier_for(unverified.size)];
    Ok(open_checkpoint(note, origin, &known)?.checkpoint)
}

/// The stored key history (or, for a log that has none yet, `signer` from size 0) and whether
/// it was stored. `signer` must be its current key: a retired key may not sign again.
pub(crate) async fn key_history(
    store: &LedgerStore,
    signer: &Ed25519NoteVerifier,
) -> Result<(KeyHistory, bool), SequencerError> {
    let Some(bytes) = store.uncached().get(paths::KEYS).await? else {
        return Ok((KeyHistory::new(signer.clone()), false));
    };
    let history = KeyHistory::parse(&note_text(&bytes)?)?;
    if history.current() != signer {
        let current = history.current().vkey();
        return Err(match history.retired_at(signer) {
            Some(at) => SequencerError::KeyRetired {
                vkey: signer.vkey(),
                until: at.saturating_sub(1),
                current,
            },
            None => SequencerError::UnknownKey {
                vkey: signer.vkey(),
                current,
            },
        });
    }
    Ok((history, true))
}

fn note_text(bytes: &Bytes) -> Result<String, SequencerError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| SequencerError::Note(crate::note::NoteError::Malformed("not UTF-8")))
}

pub(crate) async fn load(
    store: &LedgerStore,
    origin: &str,
    verifier: &KeyHistory,
) -> Result<Loaded, SequencerError> {
    // Opening checks storage as it is now, never tiles cached earlier.
    let store = &store.uncached();
    let Some((state_bytes, version)) = store.get_versioned(paths::STATE).await? else {
        return start_fresh(store, origin).await;
    };
    let (state, frontier) = StateFile::decode(&state_bytes, origin)?;
    let size = frontier.size();

    let mut checkpoint = match &state.checkpoint {
        Some(note) => Some((note.clone(), opened(note.as_bytes(), origin, verifier)?)),
        None => None,
    };
    let signed_size = checkpoint.as_ref().map_or(0, |(_, c)| c.size);
    if signed_size > size {
        return Err(SequencerError::StorageBehind {
            signed: signed_size,
            stored: size,
        });
    }

    // Every signed checkpoint is in the history before it reaches the
    // state; a missing entry means the history was truncated.
    if let Some((note, cp)) = &checkpoint {
        let stored = store.get(&paths::history(cp.size)).await?;
        if stored.as_deref() != Some(note.as_bytes()) {
            return Err(SequencerError::Inconsistent {
                size: cp.size,
                what: "history entry missing or different".into(),
            });
        }
    }

    // Checkpoints signed after the state was last written (crash between
    // the history write and the state CAS).
    let offset = checkpoint.as_ref().map(|(_, c)| paths::history(c.size));
    let newer = store
        .list_after(paths::HISTORY_PREFIX, offset.as_deref())
        .await?;
    let mut to_check: Vec<Checkpoint> = checkpoint.iter().map(|(_, c)| c.clone()).collect();
    let mut adopt = None;
    for name in newer {
        let Some(hsize) = paths::parse_history(&name) else {
            continue;
        };
        if hsize > size {
            return Err(SequencerError::StorageBehind {
                signed: hsize,
                stored: size,
            });
        }
        let Some(bytes) = store.get(&name).await? else {
            continue;
        };
        let cp = opened(&bytes, origin, verifier)?;
        if cp.size != hsize {
            return Err(SequencerError::Inconsistent {
                size: hsize,
                what: format!("history entry {name} holds size {}", cp.size),
            });
        }
        to_check.push(cp.clone());
        adopt = Some((note_text(&bytes)?, cp));
    }

    let public = match store.get(paths::CHECKPOINT).await? {
        Some(bytes) => Some(opened(&bytes, origin, verifier)?),
        None => None,
    };
    if let Some(p) = &public {
        if p.size > size {
            return Err(SequencerError::StorageBehind {
                signed: p.size,
                stored: size,
            });
        }
        to_check.push(p.clone());
    }

    // The stored tiles must give the state's root and every signed root.
    let root = root_from_storage(store, size).await?;
    if size > 0 && root != frontier.root() {
        return Err(SequencerError::Inconsistent {
            size,
            what: "state frontier root differs from the stored tiles".into(),
        });
    }
    for cp in &to_check {
        if cp.size > 0 && root_from_storage(store, cp.size).await? != cp.root {
            return Err(SequencerError::Inconsistent {
                size: cp.size,
                what: "signed root differs from the stored tiles".into(),
            });
        }
    }

    let tree = load_edge(store, frontier).await?;

    let mut version = version;
    if let Some(newer) = adopt {
        let state = StateFile::new(origin, &tree.frontier, Some(newer.0.clone()));
        version = store
            .put_cas(paths::STATE, state.encode().into(), &version)
            .await?;
        checkpoint = Some(newer);
    }
    Ok(Loaded {
        tree,
        version,
        checkpoint,
        public_size: public.map(|p| p.size),
    })
}

/// A store with no state may only be empty: anything else is a log whose
/// state was lost, and starting over it would fork that log.
async fn start_fresh(store: &LedgerStore, origin: &str) -> Result<Loaded, SequencerError> {
    for prefix in [paths::HISTORY_PREFIX, "tile"] {
        if let Some(name) = store.list_after(prefix, None).await?.into_iter().next() {
            return Err(SequencerError::StateMissing(name));
        }
    }
    if store.get(paths::CHECKPOINT).await?.is_some() {
        return Err(SequencerError::StateMissing(paths::CHECKPOINT.into()));
    }
    let tree = Tree::default();
    let state = StateFile::new(origin, &tree.frontier, None);
    let version = store
        .put_cas(
            paths::STATE,
            state.encode().into(),
            &ObjectVersion::absent(),
        )
        .await?;
    Ok(Loaded {
        tree,
        version,
        checkpoint: None,
        public_size: None,
    })
}

/// Reads the partial tiles and the partial entry bundle of `size` and
/// checks that the bundle's entries hash to the level-0 partial tile.
async fn load_edge(store: &LedgerStore, frontier: Frontier) -> Result<Tree, SequencerError> {
    let size = frontier.size();
    let mut partial = Vec::new();
    for level in 0..8u8 {
        let count = size.checked_shr(8 * u32::from(level)).unwrap_or(0);
        if count == 0 {
            break;
        }
        if count.is_multiple_of(256) {
            partial.push(Vec::new());
            continue;
        }
        let (_, bytes) = crate::storage::fetch_tile(store, size, level, count / 256).await?;
        let hashes: Vec<Hash> = bytes
            .chunks_exact(32)
            .filter_map(|c| Hash::from_slice(c).ok())
            .collect();
        partial.push(hashes);
    }
    let edge = TileEdge::from_partials(size, partial.clone())?;
    let mut bundle = Vec::new();
    let tail = size % 256;
    if tail > 0 {
        let id = crate::storage::bundle_for(size, size - tail);
        let raw = store
            .get(&id.path())
            .await?
            .ok_or_else(|| SequencerError::Inconsistent {
                size,
                what: format!("entry bundle {} is missing", id.path()),
            })?;
        let entries = decode_entry_bundle_of_width(&raw, id.width)?;
        let level0 = partial.first().cloned().unwrap_or_default();
        let hashes: Vec<Hash> = entries.iter().map(|e| leaf_hash(e)).collect();
        if hashes != level0 {
            return Err(SequencerError::Inconsistent {
                size,
                what: "partial entry bundle does not hash to the partial tile".into(),
            });
        }
        bundle = entries.into_iter().map(Bytes::from).collect();
    }
    Ok(Tree {
        frontier,
        edge,
        bundle,
    })
}
