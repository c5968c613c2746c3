//! The log's single writer: group commit, checkpoint signing and receipts.
//!
//! ```text
//! append(entry) ─┐                    ┌─ one batch (≤ max_batch entries or max_wait)
//! append(entry) ─┼─► queue ─► actor ──┤  1. hash, extend frontier and tile edge
//! append(entry) ─┘                    │  2. write bundles + tiles, concurrently, each durable
//!                                     │  3. CAS the state object (size, frontier)
//!                                     └  4. only now resolve every caller's index
//! ```
//!
//! An index is never returned before the entry and every hash that commits
//! to it are durable and the state that counts it is written (Tessera's
//! `AddFn` contract). A crash anywhere before step 3 leaves unacknowledged
//! data beyond the state's size, which the next batch overwrites.
//!
//! Checkpoints are signed by the same actor, on a fixed cadence
//! ([`SequencerConfig::checkpoint_interval`], default 2 s, only when the
//! tree grew) or on demand ([`Sequencer::checkpoint`]): history first
//! (`state/checkpoints/<size>`, write-once), then the state, then the public
//! `checkpoint`. [`Sequencer::open`] refuses to start when storage is
//! behind, or disagrees with, any checkpoint the log signed, so a restored
//! backup can never make the log sign a fork.
//!
//! One writer at a time: see [`WriterLock`].
//!
//! Key rotation ([`Sequencer::rotate_key`]) happens in the same actor, between two checkpoints:
//! the key history ([`crate::keyring`]) gains the new key from the next unsigned tree size,
//! durably, before the new key signs anything, and the old key is never used again.
//! [`Sequencer::open`] refuses a retired key.

mod actor;
mod lock;
mod recover;
mod state;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot, watch};

pub use lock::{FileWriterLock, LockError, WriterLock};
pub use state::{STATE_FORMAT, StateError, StateFile};

use crate::checkpoint::{Checkpoint, CheckpointError};
use crate::keyring::{KeyHistory, KeyHistoryError};
use crate::note::{Ed25519NoteSigner, NoteError, NoteSigner as _};
use crate::receipt::TlogProof;
use crate::storage::{LedgerStore, StorageError, StoredProofError, StoredTilesError, WarmUp};
use crate::tiles::{BundleError, EdgeError, MAX_ENTRY_LEN};

/// Index of an entry in the log.
pub type Index = u64;

/// Tuning of the sequencer. The defaults favour latency for interactive
/// notaries: under load batches still fill up, because entries queue while
/// the previous batch is being made durable.
#[derive(Debug, Clone)]
pub struct SequencerConfig {
    /// Most entries per commit (Tessera default: 256).
    pub max_batch: usize,
    /// How long the first entry of a batch waits for company.
    pub max_wait: Duration,
    /// Checkpoint cadence; `None` signs only on demand.
    pub checkpoint_interval: Option<Duration>,
    /// Submissions that may wait in the queue before `append` pushes back.
    pub queue_capacity: usize,
    /// Checked before every state write; see [`WriterLock`].
    pub writer_lock: Option<Arc<dyn WriterLock>>,
}

impl Default for SequencerConfig {
    fn default() -> Self {
        Self {
            max_batch: 256,
            max_wait: Duration::from_millis(10),
            checkpoint_interval: Some(Duration::from_secs(2)),
            queue_capacity: 65_536,
            writer_lock: None,
        }
    }
}

/// Why the sequencer could not open or commit.
#[derive(Debug, thiserror::Error)]
pub enum SequencerError {
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    #[error("tiles in storage: {0}")]
    Tiles(#[from] StoredTilesError),
    #[error("state object: {0}")]
    State(#[from] StateError),
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    #[error("note: {0}")]
    Note(#[from] NoteError),
    #[error("entry bundle: {0}")]
    Bundle(#[from] BundleError),
    #[error("partial tiles: {0}")]
    Edge(#[from] EdgeError),
    #[error("signer key name {key:?} must equal the origin {origin:?}")]
    KeyNameIsNotOrigin { key: String, origin: String },
    #[error("storage is behind the signed checkpoint: signed size {signed}, stored size {stored}")]
    StorageBehind { signed: u64, stored: u64 },
    #[error("storage disagrees with signed checkpoint of size {size}: {what}")]
    Inconsistent { size: u64, what: String },
    #[error("no state object, but log data exists ({0}): refusing to start a new log over it")]
    StateMissing(String),
    #[error("the writer lock was lost: {0}")]
    LockLost(String),
    #[error("the tree is full")]
    TreeFull,
    #[error("nothing to sign: the log is empty")]
    EmptyLog,
    #[error("the sequencer stopped after an uncertain state write; reopen it")]
    Poisoned,
    #[error("the sequencer has stopped")]
    Stopped,
    #[error("another sequencer committed to this log (found at {0}); stopped")]
    AnotherWriter(String),
    #[error("not the latest signed checkpoint")]
    NotLatest,
    #[error(
        "the key {vkey} was retired: it signed this log up to tree size {until}, and \
         the log's key is now {current}"
    )]
    KeyRetired {
        vkey: String,
        until: u64,
        current: String,
    },
    #[error("the key {vkey} is not in this log's key history (its key is {current})")]
    UnknownKey { vkey: String, current: String },
    #[error("key history: {0}")]
    KeyHistory(#[from] KeyHistoryError),
}

/// Why an append was not acknowledged. The entry is *not* in the log
/// (or, for [`AppendError::Poisoned`], its fate is unknown until reopen).
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppendError {
    #[error("entry is {0} bytes, more than 65535")]
    TooLarge(usize),
    #[error("the sequencer has stopped")]
    Stopped,
    #[error("commit failed, entry not logged: {0}")]
    CommitFailed(Arc<SequencerError>),
    #[error("sequencer poisoned, reopen it: {0}")]
    Poisoned(Arc<SequencerError>),
}

/// What callers can see without asking the actor.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// Committed (durable) tree size.
    pub size: u64,
    /// The last signed checkpoint note and its parsed body.
    pub checkpoint: Option<(String, Checkpoint)>,
}

pub(crate) enum Command {
    Append {
        entry: Bytes,
        reply: oneshot::Sender<Result<Index, AppendError>>,
    },
    Checkpoint {
        reply: oneshot::Sender<Result<String, Arc<SequencerError>>>,
    },
    Shutdown {
        reply: oneshot::Sender<()>,
    },
    PublishCosigned {
        note: String,
        reply: oneshot::Sender<Result<(), Arc<SequencerError>>>,
    },
    RotateKey {
        signer: Box<Ed25519NoteSigner>,
        reply: oneshot::Sender<Result<KeyHistory, Arc<SequencerError>>>,
    },
}

/// Handle to a running sequencer. Cheap to clone; the actor stops when the
/// last handle is dropped (after finishing the batch in hand).
#[derive(Debug, Clone)]
pub struct Sequencer {
    tx: mpsc::Sender<Command>,
    published: watch::Receiver<Published>,
    store: LedgerStore,
    origin: Arc<str>,
    /// `None` until the warm-up of tile summaries begun by `open` ends.
    warm_up: watch::Receiver<Option<WarmUpResult>>,
    /// The key history, as the actor last changed it.
    keys: watch::Receiver<KeyHistory>,
}

/// How the background warm-up of tile summaries ended.
pub type WarmUpResult = Result<WarmUp, Arc<StoredTilesError>>;

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Command::Append { entry, .. } => write!(f, "Append({} bytes)", entry.len()),
            Command::Checkpoint { .. } => f.write_str("Checkpoint"),
            Command::Shutdown { .. } => f.write_str("Shutdown"),
            Command::PublishCosigned { .. } => f.write_str("PublishCosigned"),
            Command::RotateKey { .. } => f.write_str("RotateKey"),
        }
    }
}

impl Sequencer {
    /// Recovers the log from `store` (or starts a new one if the store is
    /// empty) and spawns the actor on the current tokio runtime.
    ///
    /// Refuses to start if storage is behind or inconsistent with any
    /// checkpoint the log signed, if the state belongs to another origin,
    /// or if `signer`'s key name is not `origin`.
    pub async fn open(
        store: LedgerStore,
        signer: Ed25519NoteSigner,
        origin: &str,
        config: SequencerConfig,
    ) -> Result<Self, SequencerError> {
        if signer.name() != origin {
            return Err(SequencerError::KeyNameIsNotOrigin {
                key: signer.name().to_owned(),
                origin: origin.to_owned(),
            });
        }
        let (history, stored) = recover::key_history(&store, &signer.verifier()).await?;
        let loaded = recover::load(&store, origin, &history).await?;
        if !stored {
            // A new log, or one from before key rotation: its key has signed from size 0.
            store
                .put(crate::storage::paths::KEYS, history.encode().into())
                .await?;
        }
        let (keys_tx, keys) = watch::channel(history);
        let published = Published {
            size: loaded.tree.frontier.size(),
            checkpoint: loaded.checkpoint.clone(),
        };
        let (pub_tx, pub_rx) = watch::channel(published);
        let (tx, rx) = mpsc::channel(config.queue_capacity.max(1));
        let size = loaded.tree.frontier.size();
        let actor = actor::Actor::new(
            store.clone(),
            signer,
            origin,
            config,
            loaded,
            pub_tx,
            keys_tx,
        );
        tokio::spawn(actor.run(rx));
        // After the restart the summary cache is empty: fill it without
        // making open (or anything else) wait for it.
        let (warm_tx, warm_up) = watch::channel(None);
        let warming = store.clone();
        tokio::spawn(async move {
            let done = warming.warm_tile_summaries(size).await.map_err(Arc::new);
            warm_tx.send_replace(Some(done));
        });
        Ok(Self {
            tx,
            published: pub_rx,
            store,
            origin: origin.into(),
            warm_up,
            keys,
        })
    }

    /// The log's keys, the current one last.
    pub fn key_history(&self) -> KeyHistory {
        self.keys.borrow().clone()
    }

    /// Makes `signer` the log's key from the next tree size not yet signed; returns the new
    /// history. The history is durable before the new key signs anything, and the old key
    /// signs nothing more. Rotating to the current key changes nothing.
    pub async fn rotate_key(
        &self,
        signer: Ed25519NoteSigner,
    ) -> Result<KeyHistory, Arc<SequencerError>> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Command::RotateKey {
                signer: Box::new(signer),
                reply,
            })
            .await
            .map_err(|_| Arc::new(SequencerError::Stopped))?;
        rx.await.map_err(|_| Arc::new(SequencerError::Stopped))?
    }

    /// Submits an entry. The future resolves to its index once the entry is
    /// durable (see the module docs); concurrent calls are batched.
    ///
    /// The entry is queued by this call itself when the queue has room, so
    /// entries submitted one after another from one task get increasing
    /// indices even if their futures are awaited together; when the queue
    /// is full, the future waits for room (backpressure).
    pub fn append(
        &self,
        entry: impl Into<Bytes>,
    ) -> impl Future<Output = Result<Index, AppendError>> + Send + 'static {
        let entry: Bytes = entry.into();
        let tx = self.tx.clone();
        let (reply, rx) = oneshot::channel();
        let queued: Result<Option<Command>, AppendError> = if entry.len() > MAX_ENTRY_LEN {
            Err(AppendError::TooLarge(entry.len()))
        } else {
            match tx.try_send(Command::Append { entry, reply }) {
                Ok(()) => Ok(None),
                Err(mpsc::error::TrySendError::Full(cmd)) => Ok(Some(cmd)),
                Err(mpsc::error::TrySendError::Closed(_)) => Err(AppendError::Stopped),
            }
        };
        async move {
            if let Some(cmd) = queued? {
                tx.send(cmd).await.map_err(|_| AppendError::Stopped)?;
            }
            rx.await.map_err(|_| AppendError::Stopped)?
        }
    }

    /// Signs a checkpoint of the committed tree now (or returns the current
    /// one if the tree has not grown) and returns the note.
    pub async fn checkpoint(&self) -> Result<String, Arc<SequencerError>> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Command::Checkpoint { reply })
            .await
            .map_err(|_| Arc::new(SequencerError::Stopped))?;
        rx.await.map_err(|_| Arc::new(SequencerError::Stopped))?
    }

    /// Publishes `note` (the latest checkpoint with witness cosignatures
    /// attached, see [`crate::witness::attach_cosignatures`]) as the public
    /// `checkpoint`. Goes through the actor so it can never overwrite a
    /// newer checkpoint; refused unless its log signature verifies and its
    /// body is exactly the latest signed checkpoint.
    pub async fn publish_cosigned(&self, note: String) -> Result<(), Arc<SequencerError>> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Command::PublishCosigned { note, reply })
            .await
            .map_err(|_| Arc::new(SequencerError::Stopped))?;
        rx.await.map_err(|_| Arc::new(SequencerError::Stopped))?
    }

    /// Stops the actor after the batch in hand and waits until it has
    /// stopped; later calls on any handle fail with `Stopped`. Queued but
    /// uncommitted appends fail with `Stopped` (they were never acknowledged).
    pub async fn shutdown(&self) {
        let (reply, rx) = oneshot::channel();
        if self.tx.send(Command::Shutdown { reply }).await.is_ok() {
            let _ = rx.await;
        }
    }

    /// Committed size and last signed checkpoint.
    pub fn published(&self) -> Published {
        self.published.borrow().clone()
    }

    /// A receiver that changes whenever a batch commits or a checkpoint is
    /// signed: wait on it to serve receipts as soon as an index is covered.
    pub fn subscribe(&self) -> watch::Receiver<Published> {
        self.published.clone()
    }

    /// The latest signed checkpoint note, if any.
    pub fn latest_checkpoint(&self) -> Option<String> {
        self.published
            .borrow()
            .checkpoint
            .as_ref()
            .map(|(n, _)| n.clone())
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn store(&self) -> &LedgerStore {
        &self.store
    }

    /// Waits for the warm-up of tile summaries that [`Self::open`] started
    /// in the background (see [`LedgerStore::warm_tile_summaries`]).
    /// Nothing needs to wait for it; proofs are only faster after it.
    pub async fn tile_summaries_warmed(&self) -> WarmUpResult {
        let mut rx = self.warm_up.clone();
        match rx.wait_for(Option::is_some).await {
            Ok(done) => done.clone().unwrap_or_else(|| Ok(WarmUp::default())),
            // The task ended without a word: only if the runtime stops.
            Err(_) => Ok(WarmUp::default()),
        }
    }

    /// A tlog-proof receipt for `index` against the latest checkpoint,
    /// read from tiles in storage. Fails with `NotCovered` until a
    /// checkpoint covers the index (call [`Self::checkpoint`] or wait for
    /// the cadence).
    pub async fn receipt(&self, index: Index) -> Result<TlogProof, StoredProofError> {
        let Some(note) = self.latest_checkpoint() else {
            return Err(StoredProofError::NotCovered { index, size: 0 });
        };
        crate::storage::receipt_from_storage(&self.store, &note, index).await
    }

    /// Waits until a signed checkpoint covers `index`, then returns its
    /// receipt. Times out after `timeout`.
    pub async fn receipt_when_covered(
        &self,
        index: Index,
        timeout: Duration,
    ) -> Result<TlogProof, StoredProofError> {
        let mut rx = self.subscribe();
        let covered = |p: &Published| p.checkpoint.as_ref().is_some_and(|(_, c)| c.size > index);
        let _ = tokio::time::timeout(timeout, rx.wait_for(covered)).await;
        self.receipt(index).await
    }
}
