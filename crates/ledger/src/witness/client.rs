//! The log's side of witnessing: build the `add-checkpoint` request from
//! storage, and attach the cosignatures witnesses return.

use crate::checkpoint::{Checkpoint, CheckpointError};
use crate::merkle::Hash;
use crate::note::{Note, NoteError, NoteVerifier};
use crate::storage::{LedgerStore, StoredTilesError, consistency_proof_from_storage};
use crate::witness_request::AddCheckpointRequest;

#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("note: {0}")]
    Note(#[from] NoteError),
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    #[error("cosignature from unknown witness {0}")]
    UnknownWitness(String),
    #[error("cosignature from {0} does not verify")]
    BadCosignature(String),
    #[error("consistency proof: {0}")]
    Proof(#[from] StoredTilesError),
}

/// The request to send a witness that is at `witness_size` (0 if it never
/// saw this log), with a consistency proof read from storage.
pub async fn add_checkpoint_request(
    store: &LedgerStore,
    witness_size: u64,
    checkpoint_note: &str,
) -> Result<AddCheckpointRequest, AttachError> {
    let note = Note::parse(checkpoint_note.as_bytes())?;
    let cp = Checkpoint::parse_body(note.text())?;
    let proof: Vec<Hash> = if witness_size == 0 || witness_size >= cp.size {
        Vec::new()
    } else {
        consistency_proof_from_storage(store, witness_size, cp.size).await?
    };
    Ok(AddCheckpointRequest {
        old_size: witness_size,
        consistency_proof: proof,
        checkpoint: checkpoint_note.to_owned(),
    })
}

/// Adds the cosignature lines a witness returned (`— name base64` lines)
/// to `checkpoint_note`. Every line must come from one of `witnesses` and
/// verify over the note's text, so a faulty witness cannot make the
/// published checkpoint unverifiable.
pub fn attach_cosignatures(
    checkpoint_note: &str,
    cosignature_lines: &str,
    witnesses: &[&dyn NoteVerifier],
) -> Result<String, AttachError> {
    let mut note = Note::parse(checkpoint_note.as_bytes())?;
    if cosignature_lines.trim().is_empty() {
        return Ok(note.encode());
    }
    // Parse the lines with the note parser: append them to the note.
    let combined = Note::parse(format!("{checkpoint_note}{cosignature_lines}").as_bytes())?;
    let new: Vec<_> = combined.signatures()[note.signatures().len()..].to_vec();
    for sig in new {
        let who = format!("{}+{:08x}", sig.name, sig.key_id);
        let verifier = witnesses
            .iter()
            .find(|w| w.name() == sig.name && w.key_id() == sig.key_id)
            .ok_or_else(|| AttachError::UnknownWitness(who.clone()))?;
        if !verifier.verify(note.text().as_bytes(), &sig.signature) {
            return Err(AttachError::BadCosignature(who));
        }
        note.add_signature(sig);
    }
    Ok(note.encode())
}
