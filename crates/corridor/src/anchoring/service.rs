//! The ledger inside the server. Every node opens the deployment's one log (its key, its
//! storage) and serves receipts from the shared tiles; one node at a time holds the writer lock
//! and runs the sequencer, which drains the outbox (see [`super::outbox`]).
//!
//! - SQLite (one node): the lock is a file lock beside the log, taken at start.
//! - PostgreSQL (one or more nodes): the lock is a PostgreSQL advisory lock
//!   ([`super::writer_lock`]). A node that does not get it stands by and tries again every
//!   [`TAKEOVER_EVERY`]; when the holder dies, its session ends and a standby takes over.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use corridor_ledger::keyring::KeyHistory;
use corridor_ledger::keys::{generate_keypair, read_secret_key_file, write_secret_key_file};
use corridor_ledger::note::{Ed25519NoteVerifier, NoteSigner};
use corridor_ledger::receipt::TlogProof;
use corridor_ledger::sequencer::{FileWriterLock, Sequencer, SequencerConfig, WriterLock};
use corridor_ledger::storage::{LedgerStore, StoredProofError, receipt_from_storage};
use tokio::sync::{Notify, watch};

use super::deployment::{self, Identity};
use super::outbox;
use super::witnessing::WitnessPeer;
use super::writer_lock::PgAdvisoryWriterLock;
use crate::config::Settings;
use crate::db::{Backend, Store};
use crate::objects::Location;

/// How often a standby node asks for the writer lock.
pub const TAKEOVER_EVERY: Duration = Duration::from_secs(1);
/// How often the sequencer looks for rows queued by other nodes (its own wake it at once).
const DRAIN_POLL: Duration = Duration::from_millis(100);
/// How often a request on a node that does not sequence looks for its index.
const WAIT_POLL: Duration = Duration::from_millis(50);
/// How often the sequencing node looks for a key rotation (`<ledger_key_file>.next`), and a
/// standby node for the deployment's current key.
const ROTATION_POLL: Duration = Duration::from_secs(1);
/// How long a request waits for its record's index before answering 503 (the record stays
/// queued and is appended once a sequencer runs; a retry with the same Idempotency-Key finds it).
pub const APPEND_WAIT: Duration = Duration::from_secs(15);

/// The deployment's log as this node sees it.
#[derive(Debug)]
pub struct Ledger {
    /// The log's current verifier key (`vkey`), published so receipts can be checked offline;
    /// it changes when the key is rotated (see [`super::rotation`]).
    vkey: std::sync::RwLock<String>,
    pub(super) origin: String,
    /// The log's secret key; read again each time this node starts sequencing, since a
    /// rotation may have replaced it.
    key_file: PathBuf,
    /// The log's storage, read by every node (tiles, checkpoint, receipts).
    pub store: LedgerStore,
    pub checkpoint_interval: Duration,
    pub(super) db: Store,
    writer: Writer,
    peers: Vec<WitnessPeer>,
    /// Talks to the witnesses, over TLS for `https://` ones.
    witness_client: reqwest::Client,
    /// The sequencer while this node holds the writer lock.
    sequencer: watch::Sender<Option<Sequencer>>,
    /// Wakes the drainer after this node queued a record.
    queued: Notify,
    /// Bumped after the drainer wrote indices back: wakes this node's waiting requests.
    appended: watch::Sender<u64>,
    /// What this node's sequencer appended lately (see [`outbox::Recent`]).
    recent: std::sync::Mutex<outbox::Recent>,
    stop: watch::Sender<bool>,
    task: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

#[derive(Debug)]
enum Writer {
    /// Held from start to stop (one node).
    File(Arc<FileWriterLock>),
    /// Taken and lost at run time (several nodes).
    Postgres(String),
}

/// The writer lock while held.
struct Held {
    lock: Arc<dyn WriterLock>,
    pg: Option<Arc<PgAdvisoryWriterLock>>,
}

impl Held {
    async fn lost(&self) {
        match &self.pg {
            Some(pg) => pg.lost().await,
            None => std::future::pending().await,
        }
    }

    async fn release(self) {
        if let Some(pg) = self.pg {
            pg.release().await;
        }
    }
}

/// Creates the key file if it does not exist yet (mode 0600); returns the verifier key.
pub fn ensure_key(path: &Path, origin: &str) -> anyhow::Result<String> {
    if path.exists() {
        return Ok(read_secret_key_file(path)?.verifier().vkey());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let (skey, vkey) = generate_keypair(origin)?;
    write_secret_key_file(path, &skey)?;
    tracing::info!(path = %path.display(), %vkey, "created a new ledger key");
    Ok(vkey)
}

/// The ledger's storage: `<data_dir>/ledger/log` with local files, `<files_url>/ledger` on S3.
pub fn open_storage(settings: &Settings) -> anyhow::Result<(LedgerStore, String, bool)> {
    let location = Location::from_settings(settings)?;
    match &location {
        Location::Local(_) => {
            let dir = settings.ledger_dir();
            std::fs::create_dir_all(&dir)?;
            let shown = format!("file://{}", std::path::absolute(&dir)?.display());
            Ok((LedgerStore::local(&dir)?, shown, false))
        }
        Location::S3 { bucket, prefix } => {
            let shown = if prefix.is_empty() {
                format!("s3://{bucket}/ledger")
            } else {
                format!("s3://{bucket}/{prefix}/ledger")
            };
            let store = LedgerStore::from_object_store(location.open("ledger")?);
            Ok((store, shown, true))
        }
    }
}

pub async fn open(settings: &Settings, db: &Store) -> anyhow::Result<Arc<Ledger>> {
    let (store, storage, shared) = open_storage(settings)?;
    let key_file = settings.ledger_key_file();
    if !key_file.exists()
        && let Some(row) = deployment::registered(db).await?
    {
        anyhow::bail!(
            "refusing to start: {} does not exist, and this deployment's log is signed by {}; \
             copy the key file from a node of this deployment (see docs/operations.md)",
            key_file.display(),
            row.vkey
        );
    }
    ensure_key(&key_file, &settings.ledger_origin)?;
    super::rotation::settle(&key_file, &store).await?;
    let signer = read_secret_key_file(&key_file)?;
    let origin = signer.name().to_string();
    let vkey = signer.verifier().vkey();
    deployment::claim(
        db,
        &store,
        &Identity {
            origin: origin.clone(),
            vkey: vkey.clone(),
            storage: storage.clone(),
            shared,
        },
    )
    .await?;
    let writer = match db.backend() {
        Backend::Sqlite => {
            // One writer per log: a second server on the same data directory must not sequence.
            let path = settings.data_dir.join("ledger").join("writer.lock");
            let lock = FileWriterLock::acquire(&path).map_err(|e| {
                anyhow::anyhow!("the ledger in {storage} is in use by another process: {e}")
            })?;
            Writer::File(Arc::new(lock))
        }
        Backend::Postgres => Writer::Postgres(settings.database_url()),
    };
    let peers = settings
        .ledger_witnesses
        .iter()
        .map(|w| super::witnessing::parse_peer(w))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let witness_client = super::witnessing::client(settings)?;
    let ledger = Arc::new(Ledger {
        vkey: std::sync::RwLock::new(vkey),
        origin,
        key_file,
        store,
        checkpoint_interval: Duration::from_secs(settings.ledger_checkpoint_secs.max(1)),
        db: db.clone(),
        writer,
        peers,
        witness_client,
        sequencer: watch::channel(None).0,
        queued: Notify::new(),
        appended: watch::channel(0).0,
        recent: Default::default(),
        stop: watch::channel(false).0,
        task: Default::default(),
    });
    // The first attempt runs before the server answers, so a log that cannot be opened
    // (storage behind its signed checkpoints, ...) stops the start with the reason.
    let first = match ledger.acquire().await? {
        Some(held) => {
            let sequencer = ledger
                .lead(&held)
                .await
                .map_err(|e| anyhow::anyhow!("cannot open the ledger in {storage}: {e}"))?;
            Some((held, sequencer))
        }
        None => {
            tracing::info!("another node sequences the ledger; this node stands by");
            None
        }
    };
    tracing::info!(origin = %ledger.origin, vkey = %ledger.vkey(), %storage,
        witnesses = ledger.peers.len(), sequencing = first.is_some(), "ledger open");
    let task = tokio::spawn(ledger.clone().run(first));
    *ledger.task.lock().expect("lock") = Some(task);
    Ok(ledger)
}

impl Ledger {
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The log's secret key file on this node.
    pub fn key_file(&self) -> &Path {
        &self.key_file
    }

    /// The log's current verifier key.
    pub fn vkey(&self) -> String {
        self.vkey.read().expect("lock").clone()
    }

    /// Every key the log has signed with, the current one last.
    pub async fn key_history(&self) -> anyhow::Result<KeyHistory> {
        if let Some(seq) = self.sequencer() {
            return Ok(seq.key_history());
        }
        match super::rotation::stored_history(&self.store).await? {
            Some(history) => Ok(history),
            None => Ok(KeyHistory::new(Ed25519NoteVerifier::from_vkey(
                &self.vkey(),
            )?)),
        }
    }

    /// The key that signed a checkpoint note: after a rotation, a receipt on a checkpoint
    /// signed just before it carries the old key.
    pub(crate) async fn signing_vkey(&self, checkpoint_note: &str) -> String {
        match self.key_history().await {
            Ok(history) => history
                .verifier_for(checkpoint_size(checkpoint_note))
                .vkey(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the ledger key history");
                self.vkey()
            }
        }
    }

    /// Takes up a waiting key rotation on the sequencing node; a failure is logged and the
    /// log goes on under its current key.
    async fn take_up_rotation(&self, sequencer: &Sequencer) {
        match super::rotation::take_up(&self.key_file, &self.db, sequencer).await {
            Ok(Some(signer)) => *self.vkey.write().expect("lock") = signer.verifier().vkey(),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "cannot take up the ledger key rotation"),
        }
    }

    /// A standby node follows the deployment's registered key (rotated by the sequencer).
    async fn follow_key(&self) {
        match deployment::registered(&self.db).await {
            Ok(Some(row)) => *self.vkey.write().expect("lock") = row.vkey,
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot read the ledger's registered key"),
        }
    }

    /// How long an append waits for the checkpoint that covers it: two checkpoint intervals,
    /// and with several nodes the time a takeover takes (the entry may have been appended by a
    /// sequencer that died before signing).
    pub fn receipt_wait(&self) -> Duration {
        let signing = self.checkpoint_interval * 2 + Duration::from_secs(1);
        match self.writer {
            Writer::File(_) => signing,
            Writer::Postgres(_) => signing + TAKEOVER_EVERY + super::writer_lock::TAKEOVER_GRACE,
        }
    }

    /// The sequencer, when this node holds the writer lock.
    pub fn sequencer(&self) -> Option<Sequencer> {
        self.sequencer.borrow().clone()
    }

    /// Whether this node sequences the log now.
    pub fn is_sequencing(&self) -> bool {
        self.sequencer.borrow().is_some()
    }

    /// Resolves once this node sequences (tests, and operators' health checks).
    pub async fn sequencing(&self) {
        let mut rx = self.sequencer.subscribe();
        let _ = rx.wait_for(Option::is_some).await;
    }

    /// The latest signed checkpoint: the sequencer's, or the one in storage on a standby.
    pub async fn latest_checkpoint(&self) -> anyhow::Result<Option<String>> {
        if let Some(seq) = self.sequencer() {
            return Ok(seq.latest_checkpoint());
        }
        let note = self.store.get_public("checkpoint").await?;
        Ok(note.map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// Committed size: the sequencer's, or the latest checkpoint's on a standby.
    pub async fn size(&self) -> anyhow::Result<u64> {
        if let Some(seq) = self.sequencer() {
            return Ok(seq.published().size);
        }
        Ok(self
            .latest_checkpoint()
            .await?
            .as_deref()
            .map(checkpoint_size)
            .unwrap_or(0))
    }

    /// A tlog-proof receipt for `index` against the latest checkpoint, on any node.
    pub async fn receipt(&self, index: u64) -> Result<TlogProof, StoredProofError> {
        let note = match self.latest_checkpoint().await {
            Ok(Some(note)) => note,
            Ok(None) => return Err(StoredProofError::NotCovered { index, size: 0 }),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the ledger checkpoint");
                return Err(StoredProofError::NotCovered { index, size: 0 });
            }
        };
        receipt_from_storage(&self.store, &note, index).await
    }

    /// Waits (at most `timeout`) until a signed checkpoint covers `index`, then its receipt.
    pub async fn receipt_when_covered(
        &self,
        index: u64,
        timeout: Duration,
    ) -> Result<TlogProof, StoredProofError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(seq) = self.sequencer() {
                let left = deadline.saturating_duration_since(Instant::now());
                return seq.receipt_when_covered(index, left).await;
            }
            let covered = matches!(self.latest_checkpoint().await,
                Ok(Some(note)) if checkpoint_size(&note) > index);
            if covered || Instant::now() >= deadline {
                return self.receipt(index).await;
            }
            tokio::time::sleep(WAIT_POLL).await;
        }
    }

    /// After the transaction that queued `id` committed: wakes the sequencer if it runs here.
    pub fn queued(&self) {
        self.queued.notify_one();
    }

    /// Waits until the record queued as `id` has its index (at most `timeout`).
    pub async fn wait_appended(&self, id: &str, timeout: Duration) -> anyhow::Result<Option<u64>> {
        self.queued();
        let deadline = tokio::time::Instant::now() + timeout;
        let mut appended = self.appended.subscribe();
        // While this node sequences, every append passes through `recent` before the wake-up,
        // so the database is asked at most every WAIT_POLL, for rows another node or a
        // recovery appended (a record just queued here is appended here, and a document read
        // back with its record appended long ago already carries its index).
        let mut asked = tokio::time::Instant::now();
        loop {
            if let Some(index) = self.recent.lock().expect("lock").get(id) {
                return Ok(Some(index));
            }
            let ask = !self.is_sequencing() || asked.elapsed() >= WAIT_POLL;
            if ask {
                asked = tokio::time::Instant::now();
                if let Some(index) = outbox::index_of(&self.db, id).await? {
                    return Ok(Some(index));
                }
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(None);
            }
            tokio::select! {
                _ = appended.changed() => {}
                _ = tokio::time::sleep(WAIT_POLL) => {}
                _ = tokio::time::sleep_until(deadline) => {}
            }
        }
    }

    /// Stops sequencing and standing by; the lock is released, so another node takes over.
    /// Every acknowledged entry is durable (the batch in hand finishes).
    pub async fn shutdown(&self) {
        self.stop.send_replace(true);
        let task = self.task.lock().expect("lock").take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }

    /// Asks the ledger to stop without waiting (from synchronous code, e.g. a `Drop`): the
    /// sequencer finishes its batch and the lock is given up in the background.
    pub fn stop_soon(&self) {
        self.stop.send_replace(true);
    }

    async fn acquire(&self) -> anyhow::Result<Option<Held>> {
        match &self.writer {
            Writer::File(lock) => Ok(Some(Held {
                lock: lock.clone(),
                pg: None,
            })),
            Writer::Postgres(url) => {
                Ok(PgAdvisoryWriterLock::try_acquire(url).await?.map(|lock| {
                    let lock = Arc::new(lock);
                    Held {
                        lock: lock.clone(),
                        pg: Some(lock),
                    }
                }))
            }
        }
    }

    /// Opens the sequencer under `held`, repairs the outbox, starts the witnesses.
    async fn lead(&self, held: &Held) -> anyhow::Result<Sequencer> {
        // A log some node has sequenced before may have a writer that does not know yet that it
        // lost the lock (see writer_lock): let its lease run out before writing.
        if held.pg.is_some()
            && deployment::registered(&self.db)
                .await?
                .is_some_and(|row| row.outbox_from >= 0)
        {
            tokio::time::sleep(super::writer_lock::TAKEOVER_GRACE).await;
            held.lock.check().map_err(|e| anyhow::anyhow!(e))?;
        }
        let config = SequencerConfig {
            checkpoint_interval: Some(self.checkpoint_interval),
            writer_lock: Some(held.lock.clone()),
            // The outbox drain is the only appender and hands over each batch whole, so
            // waiting for company only delayed every batch (by 10 ms, the default).
            max_wait: Duration::ZERO,
            ..Default::default()
        };
        // Another node may have rotated the key since this node last sequenced.
        super::rotation::settle(&self.key_file, &self.store).await?;
        let signer = read_secret_key_file(&self.key_file)?;
        let sequencer =
            Sequencer::open(self.store.clone(), signer.clone(), &self.origin, config).await?;
        *self.vkey.write().expect("lock") = signer.verifier().vkey();
        if let Err(e) = outbox::recover(&self.db, &sequencer).await {
            sequencer.shutdown().await;
            return Err(e);
        }
        // Entries the previous sequencer appended but did not sign yet get their receipts now,
        // not a checkpoint interval later.
        if sequencer.published().size > 0
            && let Err(e) = sequencer.checkpoint().await
        {
            sequencer.shutdown().await;
            return Err(anyhow::anyhow!("cannot sign a checkpoint: {e}"));
        }
        self.take_up_rotation(&sequencer).await;
        super::witnessing::spawn(
            sequencer.clone(),
            self.peers.clone(),
            self.witness_client.clone(),
        );
        self.sequencer.send_replace(Some(sequencer.clone()));
        tracing::info!(
            size = sequencer.published().size,
            "this node sequences the ledger"
        );
        Ok(sequencer)
    }

    /// Sequences while the lock holds, stands by while another node holds it, until stopped.
    async fn run(self: Arc<Self>, mut first: Option<(Held, Sequencer)>) {
        let mut stop = self.stop.subscribe();
        loop {
            if let Some((held, sequencer)) = first.take() {
                self.drain(&sequencer, &held, &mut stop).await;
                self.sequencer.send_replace(None);
                sequencer.shutdown().await;
                held.release().await;
                tracing::info!("this node no longer sequences the ledger");
            }
            if *stop.borrow() {
                return;
            }
            tokio::select! {
                _ = stop.wait_for(|s| *s) => return,
                _ = tokio::time::sleep(TAKEOVER_EVERY) => {}
            }
            self.follow_key().await;
            match self.acquire().await {
                Ok(Some(held)) => match self.lead(&held).await {
                    Ok(sequencer) => first = Some((held, sequencer)),
                    Err(e) => {
                        tracing::error!(error = %e, "cannot open the ledger to sequence it");
                        held.release().await;
                    }
                },
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "cannot ask for the ledger writer lock"),
            }
        }
    }

    /// Appends queued rows until the lock is lost, the sequencer fails, or the node stops.
    async fn drain(&self, sequencer: &Sequencer, held: &Held, stop: &mut watch::Receiver<bool>) {
        let mut rotation_checked = Instant::now();
        loop {
            if *stop.borrow() {
                return;
            }
            if rotation_checked.elapsed() >= ROTATION_POLL {
                rotation_checked = Instant::now();
                self.take_up_rotation(sequencer).await;
            }
            let batch = match outbox::pending(&self.db, 256).await {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the ledger outbox");
                    Vec::new()
                }
            };
            if batch.is_empty() {
                tokio::select! {
                    _ = self.queued.notified() => {}
                    _ = tokio::time::sleep(DRAIN_POLL) => {}
                    _ = held.lost() => return,
                    _ = stop.wait_for(|s| *s) => return,
                }
                continue;
            }
            // Queued in order by these calls; awaited together, so they share one commit.
            let appends: Vec<_> = batch
                .iter()
                .map(|row| sequencer.append(row.entry.clone().into_bytes()))
                .collect();
            let mut done = Vec::with_capacity(batch.len());
            let mut failed = None;
            for (row, append) in batch.iter().zip(appends) {
                match append.await {
                    Ok(index) => done.push((row.id.clone(), index)),
                    Err(e) => failed = Some(e),
                }
            }
            // The entries are durable in the log now, so their waiters may have their indices
            // before the outbox rows say so: a wait on this node reads `recent` first.
            self.recent.lock().expect("lock").record(&done);
            self.appended.send_modify(|n| *n += 1);
            if let Err(e) = outbox::mark_appended(&self.db, &done).await {
                // The entries are in the log; the next sequencer's recovery writes them back.
                tracing::error!(error = %e, "cannot record ledger indices; stepping down");
                return;
            }
            if let Some(e) = failed {
                tracing::error!(error = %e, "ledger append failed; stepping down");
                return;
            }
        }
    }
}

/// The tree size line of a checkpoint note.
fn checkpoint_size(note: &str) -> u64 {
    note.lines()
        .nth(1)
        .and_then(|l| l.parse().ok())
        .unwrap_or(0)
}

pub use super::anchor::Anchored;
