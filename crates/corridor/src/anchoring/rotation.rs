//! Rotating the log's signing key without a second log.
//!
//! 1. `corridor ledger rotate-key` writes the new key beside the current one, as
//!    `<ledger_key_file>.next` (mode 0600), and prints its vkey. Nothing is signed yet.
//! 2. The node that sequences the log finds the file (within a second, or when it next takes
//!    the writer lock), and its sequencer makes the new key current from the next tree size not
//!    signed yet: the public key history (`/ledger/keys`) records it before the new key signs
//!    anything (see [`corridor_ledger::keyring`]).
//! 3. The deployment's registered key (`ledger_log.vkey`) becomes the new one, and the new key
//!    file replaces the old one, so the old secret is gone from that node.
//!
//! Other nodes see the new key in the database within a second. Each needs the new key file
//! (copy `<ledger_key_file>.next` there before the rotation, or the rotated key file after);
//! a node with only the retired key never sequences — its sequencer refuses to open — so a
//! rotation can never fork the log. Each step is safe to repeat after a crash: a node that
//! finds `.next` already current in the history only finishes step 3.

use std::path::{Path, PathBuf};

use corridor_ledger::keyring::KeyHistory;
use corridor_ledger::keys::{generate_keypair, read_secret_key_file, write_secret_key_file};
use corridor_ledger::note::{Ed25519NoteSigner, NoteSigner as _};
use corridor_ledger::sequencer::Sequencer;
use corridor_ledger::storage::{LedgerStore, paths};

use crate::db::Store;

/// Where a rotation's new key waits: `<key_file>.next`.
pub fn next_key_file(key_file: &Path) -> PathBuf {
    let mut name = key_file.as_os_str().to_owned();
    name.push(".next");
    PathBuf::from(name)
}

/// Step 1: writes a new key for the log of `key_file` to `<key_file>.next` and returns its
/// vkey. Refuses when a rotation is already waiting.
pub fn request(key_file: &Path) -> anyhow::Result<String> {
    let current = read_secret_key_file(key_file)
        .map_err(|e| anyhow::anyhow!("cannot read the current log key: {e}"))?;
    let next = next_key_file(key_file);
    if next.exists() {
        let waiting = read_secret_key_file(&next)?.vkey();
        anyhow::bail!(
            "{} already holds a new key ({waiting}) that the sequencing node has not taken up \
             yet; a rotation is under way",
            next.display()
        );
    }
    let (skey, vkey) = generate_keypair(current.name())?;
    write_secret_key_file(&next, &skey)?;
    Ok(vkey)
}

/// The log's key history as stored, if the log has one yet.
pub async fn stored_history(store: &LedgerStore) -> anyhow::Result<Option<KeyHistory>> {
    let Some(bytes) = store.get(paths::KEYS).await? else {
        return Ok(None);
    };
    Ok(Some(KeyHistory::parse(&String::from_utf8_lossy(&bytes))?))
}

/// Replaces the key file with the waiting new key when the history already made it current
/// (step 3 after a crash, or on a node whose copy of the new key waited as `.next`).
pub async fn settle(key_file: &Path, store: &LedgerStore) -> anyhow::Result<()> {
    let next = next_key_file(key_file);
    if !next.exists() {
        return Ok(());
    }
    let waiting = read_secret_key_file(&next)?.verifier();
    if stored_history(store)
        .await?
        .is_some_and(|h| h.current() == &waiting)
    {
        promote(key_file)?;
    }
    Ok(())
}

/// Moves `<key_file>.next` over `key_file` (atomic rename, then fsync of the directory).
fn promote(key_file: &Path) -> anyhow::Result<()> {
    std::fs::rename(next_key_file(key_file), key_file)?;
    #[cfg(unix)]
    if let Some(dir) = key_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    tracing::info!(path = %key_file.display(), "the rotated ledger key replaced the old key file");
    Ok(())
}

/// Steps 2 and 3 on the sequencing node, when a new key waits: returns it once current.
pub async fn take_up(
    key_file: &Path,
    db: &Store,
    sequencer: &Sequencer,
) -> anyhow::Result<Option<Ed25519NoteSigner>> {
    let next = next_key_file(key_file);
    if !next.exists() {
        return Ok(None);
    }
    let signer = read_secret_key_file(&next)?;
    let history = sequencer
        .rotate_key(signer.clone())
        .await
        .map_err(|e| anyhow::anyhow!("the ledger key was not rotated: {e}"))?;
    let vkey = signer.verifier().vkey();
    super::deployment::set_vkey(db, &vkey).await?;
    promote(key_file)?;
    let from = history.entries().last().map_or(0, |e| e.from_size);
    tracing::info!(%vkey, from_size = from, "the ledger key was rotated");
    Ok(Some(signer))
}
