//! The ledger inside the server: opens (or starts) the log in the data directory with its key,
//! and runs the sequencer, which batches appends, makes them durable and signs checkpoints.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use corridor_ledger::keys::{generate_keypair, read_secret_key_file, write_secret_key_file};
use corridor_ledger::note::NoteSigner;
use corridor_ledger::sequencer::{FileWriterLock, Sequencer, SequencerConfig};
use corridor_ledger::storage::LedgerStore;

use crate::config::Settings;

/// A running log: the sequencer and the public key anyone needs to verify its receipts.
#[derive(Clone, Debug)]
pub struct Ledger {
    pub sequencer: Sequencer,
    /// The log's verifier key (`vkey`), published so receipts can be checked offline.
    pub vkey: String,
    pub checkpoint_interval: Duration,
}

impl Ledger {
    pub fn origin(&self) -> &str {
        self.sequencer.origin()
    }

    /// How long an append waits for the checkpoint that covers it.
    pub fn receipt_wait(&self) -> Duration {
        self.checkpoint_interval * 2 + Duration::from_secs(1)
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

pub async fn open(settings: &Settings) -> anyhow::Result<Arc<Ledger>> {
    let key_file = settings.ledger_key_file();
    ensure_key(&key_file, &settings.ledger_origin)?;
    let signer = read_secret_key_file(&key_file)?;
    let origin = signer.name().to_string();
    let vkey = signer.verifier().vkey();
    let dir = settings.ledger_dir();
    std::fs::create_dir_all(&dir)?;
    // One writer per log: a second server on the same data directory must not sequence.
    let lock = FileWriterLock::acquire(settings.data_dir.join("ledger").join("writer.lock"))
        .map_err(|e| {
            anyhow::anyhow!(
                "the ledger in {} is in use by another process: {e}",
                dir.display()
            )
        })?;
    let store = LedgerStore::local(&dir)?;
    let checkpoint_interval = Duration::from_secs(settings.ledger_checkpoint_secs.max(1));
    let config = SequencerConfig {
        checkpoint_interval: Some(checkpoint_interval),
        writer_lock: Some(Arc::new(lock)),
        ..Default::default()
    };
    let sequencer = Sequencer::open(store, signer, &origin, config)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the ledger in {}: {e}", dir.display()))?;
    let peers = settings
        .ledger_witnesses
        .iter()
        .map(|w| super::witnessing::parse_peer(w))
        .collect::<anyhow::Result<Vec<_>>>()?;
    tracing::info!(%origin, %vkey, witnesses = peers.len(), "ledger open");
    let ledger = Arc::new(Ledger {
        sequencer,
        vkey,
        checkpoint_interval,
    });
    super::witnessing::spawn(ledger.clone(), peers);
    Ok(ledger)
}
