//! The sequencer actor: the only code that writes log data or state.
//! Owning everything in one task makes "one writer" trivially true inside
//! the process and keeps batches and checkpoint signing strictly ordered.

use std::collections::HashSet;
use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::{Instant, MissedTickBehavior};

use super::recover::{Loaded, Tree};
use super::state::StateFile;
use super::{AppendError, Command, Index, Published, SequencerConfig, SequencerError};
use crate::checkpoint::{Checkpoint, open_checkpoint};
use crate::keyring::KeyHistory;
use crate::merkle::{Hash, leaf_hash};
use crate::note::{Ed25519NoteSigner, NoteSigner as _, NoteVerifier};
use crate::storage::{LedgerStore, ObjectVersion, PreparedPut, StorageError, paths};
use crate::tiles::{EntryBundleId, TILE_WIDTH, TileId, encode_entry_bundle, tile_bytes};

type Reply = oneshot::Sender<Result<Index, AppendError>>;

pub(crate) struct Actor {
    store: LedgerStore,
    signer: Ed25519NoteSigner,
    origin: String,
    config: SequencerConfig,
    tree: Tree,
    version: ObjectVersion,
    checkpoint: Option<(String, Checkpoint)>,
    public_size: Option<u64>,
    published: watch::Sender<Published>,
    /// The key history; its current key is `signer`'s.
    keys: watch::Sender<KeyHistory>,
    /// Set after a state write whose outcome is unknown: nothing more may
    /// be written until the log is reopened and recovered from storage.
    poisoned: Option<Arc<SequencerError>>,
}

impl Actor {
    pub(crate) fn new(
        store: LedgerStore,
        signer: Ed25519NoteSigner,
        origin: &str,
        config: SequencerConfig,
        loaded: Loaded,
        published: watch::Sender<Published>,
        keys: watch::Sender<KeyHistory>,
    ) -> Self {
        Self {
            store,
            signer,
            origin: origin.to_owned(),
            config,
            tree: loaded.tree,
            version: loaded.version,
            checkpoint: loaded.checkpoint,
            public_size: loaded.public_size,
            published,
            keys,
            poisoned: None,
        }
    }

    pub(crate) async fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        let mut ticker = self.config.checkpoint_interval.map(|every| {
            let mut t = tokio::time::interval_at(Instant::now() + every, every);
            t.set_missed_tick_behavior(MissedTickBehavior::Delay);
            t
        });
        loop {
            let cmd = tokio::select! {
                cmd = rx.recv() => cmd,
                _ = async { if let Some(t) = ticker.as_mut() { t.tick().await; } else { std::future::pending::<()>().await } } => {
                    let _ = self.sign().await;
                    continue;
                }
            };
            let Some(cmd) = cmd else {
                break;
            };
            match cmd {
                Command::Checkpoint { reply } => {
                    let _ = reply.send(self.sign().await);
                }
                Command::PublishCosigned { note, reply } => {
                    let _ = reply.send(self.publish_cosigned(&note).await.map_err(Arc::new));
                }
                Command::RotateKey { signer, reply } => {
                    let _ = reply.send(self.rotate_key(*signer).await.map_err(Arc::new));
                }
                Command::Shutdown { reply } => {
                    rx.close();
                    drop(rx);
                    let _ = reply.send(());
                    return;
                }
                Command::Append { entry, reply } => {
                    let mut deferred = Vec::new();
                    let (batch, shutdown) =
                        self.collect(&mut rx, (entry, reply), &mut deferred).await;
                    self.commit(batch).await;
                    for reply in deferred {
                        let _ = reply.send(self.sign().await);
                    }
                    if let Some(reply) = shutdown {
                        drop(rx);
                        let _ = reply.send(());
                        return;
                    }
                }
            }
        }
    }

    /// Gathers a batch: everything already queued, then waits up to
    /// `max_wait` for more, up to `max_batch`. Checkpoint requests that
    /// arrive meanwhile run after the commit, so they include the batch.
    async fn collect(
        &mut self,
        rx: &mut mpsc::Receiver<Command>,
        first: (Bytes, Reply),
        deferred: &mut Vec<oneshot::Sender<Result<String, Arc<SequencerError>>>>,
    ) -> (Vec<(Bytes, Reply)>, Option<oneshot::Sender<()>>) {
        let max = self.config.max_batch.max(1);
        let deadline = Instant::now() + self.config.max_wait;
        let mut batch = vec![first];
        let mut shutdown = None;
        while batch.len() < max {
            let next = match rx.try_recv() {
                Ok(cmd) => Some(cmd),
                Err(mpsc::error::TryRecvError::Disconnected) => None,
                Err(mpsc::error::TryRecvError::Empty) => {
                    // A timeout ends the batch like a closed queue does.
                    tokio::time::timeout_at(deadline, rx.recv())
                        .await
                        .unwrap_or_default()
                }
            };
            match next {
                Some(Command::Append { entry, reply }) => batch.push((entry, reply)),
                Some(Command::Checkpoint { reply }) => deferred.push(reply),
                Some(Command::PublishCosigned { note, reply }) => {
                    // Publishing does not touch the tree: do it right away.
                    let _ = reply.send(self.publish_cosigned(&note).await.map_err(Arc::new));
                }
                Some(Command::RotateKey { signer, reply }) => {
                    // Only the next signature changes: do it right away.
                    let _ = reply.send(self.rotate_key(*signer).await.map_err(Arc::new));
                }
                Some(Command::Shutdown { reply }) => {
                    shutdown = Some(reply);
                    break;
                }
                None => break,
            }
        }
        (batch, shutdown)
    }

    fn publish(&self) {
        self.published.send_replace(Published {
            size: self.tree.frontier.size(),
            checkpoint: self.checkpoint.clone(),
        });
    }

    async fn commit(&mut self, batch: Vec<(Bytes, Reply)>) {
        let first = self.tree.frontier.size();
        match self.try_commit(&batch).await {
            Ok(level0) => {
                self.publish();
                for (i, (_, reply)) in batch.into_iter().enumerate() {
                    let _ = reply.send(Ok(first + i as u64));
                }
                // After the replies: committed now, and off the ack path.
                self.store.remember_committed_tiles(&level0);
            }
            Err(e) => {
                let e = Arc::new(e);
                for (_, reply) in batch {
                    let err = match &self.poisoned {
                        Some(p) => AppendError::Poisoned(p.clone()),
                        None => AppendError::CommitFailed(e.clone()),
                    };
                    let _ = reply.send(Err(err));
                }
            }
        }
    }

    fn check_writable(&self) -> Result<(), SequencerError> {
        if self.poisoned.is_some() {
            return Err(SequencerError::Poisoned);
        }
        if let Some(lock) = &self.config.writer_lock {
            lock.check().map_err(SequencerError::LockLost)?;
        }
        Ok(())
    }

    /// Builds the next tree on a copy, writes its data, then the state.
    /// `self.tree` only changes once the state write succeeded.
    /// Returns the full level-0 tiles the batch completed.
    async fn try_commit(
        &mut self,
        batch: &[(Bytes, Reply)],
    ) -> Result<Vec<(u64, Vec<Hash>)>, SequencerError> {
        self.check_writable()?;
        let mut next = self.tree.clone();
        let before: HashSet<TileId> = next
            .edge
            .partial_tiles()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut writes: Vec<(String, Bytes)> = Vec::new();
        let mut full_tiles = Vec::new();
        for (entry, _) in batch {
            let leaf = leaf_hash(entry);
            next.frontier
                .append(leaf)
                .map_err(|_| SequencerError::TreeFull)?;
            next.edge.push(leaf, &mut full_tiles);
            next.bundle.push(entry.clone());
            if next.bundle.len() == usize::from(TILE_WIDTH) {
                let id = EntryBundleId {
                    index: next.frontier.size() / 256 - 1,
                    width: TILE_WIDTH,
                };
                writes.push((id.path(), encode_entry_bundle(&next.bundle)?.into()));
                next.bundle.clear();
            }
        }
        if !next.bundle.is_empty() {
            let id = EntryBundleId {
                index: next.frontier.size() / 256,
                width: next.bundle.len() as u16,
            };
            writes.push((id.path(), encode_entry_bundle(&next.bundle)?.into()));
        }
        let mut level0 = Vec::new();
        for (id, hashes) in full_tiles {
            writes.push((id.path(), tile_bytes(&hashes).into()));
            if id.level == 0 {
                level0.push((id.index, hashes));
            }
        }
        for (id, hashes) in next.edge.partial_tiles() {
            if !before.contains(&id) {
                writes.push((id.path(), tile_bytes(&hashes).into()));
            }
        }
        // One durable batch: the store shares the flushes of all the
        // objects (see storage), which is what bounds appends per second.
        // The new state is written and flushed in the same round, under a
        // name nothing reads; only once every object above is durable does
        // the compare-and-swap put it in place.
        let checkpoint = self.checkpoint.as_ref().map(|(n, _)| n.clone());
        let state: Bytes = StateFile::new(&self.origin, &next.frontier, checkpoint)
            .encode()
            .into();
        let written = self.write_data(&writes, state.clone()).await;
        let prepared = match written {
            Ok(prepared) => prepared,
            Err(e) => {
                if let SequencerError::AnotherWriter(path) = &e {
                    self.poisoned = Some(Arc::new(SequencerError::AnotherWriter(path.clone())));
                }
                return Err(e);
            }
        };
        self.cas_state(state, prepared).await?;
        self.tree = next;
        Ok(level0)
    }

    /// Writes the data objects of a batch without ever overwriting
    /// committed data.
    ///
    /// Objects are created write-once. One that already exists with other
    /// content is either left over from a batch that never committed (a
    /// crash, or a failed write) or was committed by another writer. Only
    /// if the state object is still the version we last wrote is it ours
    /// to replace; otherwise another sequencer is running on this log and
    /// overwriting would corrupt its committed tiles.
    ///
    /// `state` is staged for [`Self::cas_state`] along the way.
    async fn write_data(
        &self,
        writes: &[(String, Bytes)],
        state: Bytes,
    ) -> Result<PreparedPut, SequencerError> {
        let (conflicts, prepared) = self
            .store
            .put_once_all_preparing(writes, Some((paths::STATE, state)))
            .await?;
        if conflicts.is_empty() {
            return Ok(prepared);
        }
        let current = self.store.get_versioned(paths::STATE).await?;
        if !current.is_some_and(|(_, v)| v.same_as(&self.version)) {
            return Err(SequencerError::AnotherWriter(conflicts[0].clone()));
        }
        // Rare (only after a failed batch), so one at a time.
        for (path, bytes) in writes.iter().filter(|(p, _)| conflicts.contains(p)) {
            self.store.put(path, bytes.clone()).await?;
        }
        Ok(prepared)
    }

    /// CAS-writes the state. Any failure other than a clean "not written"
    /// poisons the actor: we no longer know which version is current.
    async fn write_state(
        &mut self,
        tree: &Tree,
        checkpoint: Option<String>,
    ) -> Result<(), SequencerError> {
        let state = StateFile::new(&self.origin, &tree.frontier, checkpoint);
        self.cas_state(state.encode().into(), PreparedPut::none())
            .await
    }

    /// CAS-writes the encoded state, from its staged copy if `prepared`
    /// holds one; poisons the actor as [`Self::write_state`] says.
    async fn cas_state(
        &mut self,
        state: Bytes,
        prepared: PreparedPut,
    ) -> Result<(), SequencerError> {
        self.check_writable()?;
        match self
            .store
            .put_cas_prepared(paths::STATE, state, prepared, &self.version)
            .await
        {
            Ok(v) => {
                self.version = v;
                Ok(())
            }
            Err(e) => {
                let e = Arc::new(SequencerError::Storage(e));
                self.poisoned = Some(e.clone());
                Err(SequencerError::Poisoned)
            }
        }
    }

    async fn publish_cosigned(&mut self, note: &str) -> Result<(), SequencerError> {
        let cp = {
            // The latest checkpoint may predate a rotation: take the key for its size.
            let size = self.checkpoint.as_ref().map_or(0, |(_, c)| c.size);
            let verifier = self.keys.borrow().verifier_for(size).clone();
            let known: [&dyn NoteVerifier; 1] = [&verifier];
            open_checkpoint(note.as_bytes(), &self.origin, &known)?.checkpoint
        };
        match &self.checkpoint {
            Some((_, latest)) if *latest == cp => {}
            _ => return Err(SequencerError::NotLatest),
        }
        self.store
            .put(paths::CHECKPOINT, note.to_owned().into())
            .await?;
        self.public_size = Some(cp.size);
        // Receipts are built on the latest note: from now on it carries the cosignatures.
        self.checkpoint = Some((note.to_owned(), cp));
        self.publish();
        Ok(())
    }

    /// Makes `next` the signing key from the first tree size not signed yet (and past the
    /// current key's first size). The history is written before the key is swapped; if that
    /// write's outcome is unknown, nothing more is signed until the log is reopened, when the
    /// stored history decides which key may sign.
    async fn rotate_key(&mut self, next: Ed25519NoteSigner) -> Result<KeyHistory, SequencerError> {
        self.check_writable()?;
        if next.name() != self.origin {
            return Err(SequencerError::KeyNameIsNotOrigin {
                key: next.name().to_owned(),
                origin: self.origin.clone(),
            });
        }
        let verifier = next.verifier();
        let mut history = self.keys.borrow().clone();
        if history.current() == &verifier {
            return Ok(history);
        }
        let signed = self.checkpoint.as_ref().map_or(0, |(_, c)| c.size);
        let current_from = history.entries().last().map_or(0, |e| e.from_size);
        let from = signed.max(current_from).saturating_add(1);
        history.rotate(verifier, from)?;
        if let Err(e) = self.store.put(paths::KEYS, history.encode().into()).await {
            self.poisoned = Some(Arc::new(SequencerError::Storage(e)));
            return Err(SequencerError::Poisoned);
        }
        self.signer = next;
        self.keys.send_replace(history.clone());
        Ok(history)
    }

    /// Signs the committed tree if it grew since the last checkpoint, and
    /// republishes the public checkpoint if an earlier publish failed.
    async fn sign(&mut self) -> Result<String, Arc<SequencerError>> {
        self.sign_inner().await.map_err(Arc::new)
    }

    async fn sign_inner(&mut self) -> Result<String, SequencerError> {
        let size = self.tree.frontier.size();
        let current = self
            .checkpoint
            .as_ref()
            .filter(|(_, c)| c.size == size)
            .map(|(n, _)| n.clone());
        let note = match current {
            Some(note) => note,
            None => {
                if size == 0 {
                    return Err(SequencerError::EmptyLog);
                }
                self.check_writable()?;
                let cp = Checkpoint::new(&self.origin, size, self.tree.frontier.root());
                let note = cp.sign(&[&self.signer])?;
                // History first: a crash after this is repaired on open by
                // adopting the newer history entry.
                match self
                    .store
                    .put_once(&paths::history(size), note.clone().into())
                    .await
                {
                    Ok(()) => {}
                    Err(StorageError::Conflict(p)) => {
                        let e = SequencerError::Inconsistent {
                            size,
                            what: format!("{p} already holds a different checkpoint"),
                        };
                        self.poisoned = Some(Arc::new(SequencerError::Inconsistent {
                            size,
                            what: "conflicting history".into(),
                        }));
                        return Err(e);
                    }
                    Err(e) => return Err(e.into()),
                }
                let tree = self.tree.clone();
                self.write_state(&tree, Some(note.clone())).await?;
                self.checkpoint = Some((note.clone(), cp));
                self.publish();
                note
            }
        };
        if self.public_size != Some(size) {
            self.store
                .put(paths::CHECKPOINT, note.clone().into())
                .await?;
            self.public_size = Some(size);
        }
        Ok(note)
    }
}
