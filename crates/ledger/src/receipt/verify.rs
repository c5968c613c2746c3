//! Offline verification of a tlog-proof receipt, in the order of the
//! reference notes §6.6: parse strictly, check the log signature and the
//! witness quorum, check the origin, hash the record, verify inclusion.
//! A Merkle path proves nothing without the signature that binds the size
//! to the root, so the signature comes first and is never optional.

use serde::Serialize;

use crate::checkpoint::{Checkpoint, CheckpointError, open_checkpoint};
use crate::keyring::KeyHistory;
use crate::merkle::{Hash, leaf_hash, verify_inclusion};
use crate::note::{Note, NoteVerifier};

use super::ReceiptError;
use super::format::TlogProof;

/// A key that signed the checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyRef {
    pub name: String,
    pub key_id: u32,
}

/// A trusted witness whose cosignature verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WitnessAttestation {
    pub name: String,
    pub key_id: u32,
    /// POSIX seconds from a timestamped cosignature.
    pub timestamp: Option<u64>,
}

/// What an accepted receipt establishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptVerdict {
    pub origin: String,
    pub tree_size: u64,
    pub root_hash: Hash,
    pub leaf_index: u64,
    pub leaf_hash: Hash,
    pub log_key: KeyRef,
    pub witnesses: Vec<WitnessAttestation>,
}

/// Verifies a receipt for a log whose origin equals its key name (our
/// convention, and the tlog-checkpoint recommendation).
pub fn verify_receipt(
    record_leaf_bytes: &[u8],
    proof_text: &str,
    log_verifier: &dyn NoteVerifier,
    witness_verifiers: &[&dyn NoteVerifier],
    quorum: usize,
) -> Result<ReceiptVerdict, ReceiptError> {
    let origin = log_verifier.name().to_owned();
    verify_receipt_for_origin(
        record_leaf_bytes,
        proof_text,
        &origin,
        log_verifier,
        witness_verifiers,
        quorum,
    )
}

/// Like [`verify_receipt`] for a log whose key was rotated: the checkpoint must be signed by
/// the key of `keys` that signs its tree size, so receipts issued before a rotation verify
/// under the old key, and a retired key's signature on a newer checkpoint is refused.
pub fn verify_receipt_with_history(
    record_leaf_bytes: &[u8],
    proof_text: &str,
    keys: &KeyHistory,
    witness_verifiers: &[&dyn NoteVerifier],
    quorum: usize,
) -> Result<ReceiptVerdict, ReceiptError> {
    let proof = TlogProof::parse(proof_text)?;
    let note = Note::parse(proof.checkpoint.as_bytes()).map_err(CheckpointError::from)?;
    let size = Checkpoint::parse_body(note.text())?.size;
    verify_receipt(
        record_leaf_bytes,
        proof_text,
        keys.verifier_for(size),
        witness_verifiers,
        quorum,
    )
}

/// Like [`verify_receipt`] for a log whose origin differs from its key
/// name (e.g. `go.sum database tree` signed by `sum.golang.org`).
pub fn verify_receipt_for_origin(
    record_leaf_bytes: &[u8],
    proof_text: &str,
    origin: &str,
    log_verifier: &dyn NoteVerifier,
    witness_verifiers: &[&dyn NoteVerifier],
    quorum: usize,
) -> Result<ReceiptVerdict, ReceiptError> {
    if quorum > witness_verifiers.len() {
        return Err(ReceiptError::QuorumUnreachable {
            quorum,
            witnesses: witness_verifiers.len(),
        });
    }
    let proof = TlogProof::parse(proof_text)?;

    let mut known: Vec<&dyn NoteVerifier> = vec![log_verifier];
    known.extend_from_slice(witness_verifiers);
    let signed = open_checkpoint(proof.checkpoint.as_bytes(), origin, &known)?;
    let is_key = |v: &dyn NoteVerifier, name: &str, id: u32| v.name() == name && v.key_id() == id;

    let log_signed = signed
        .note
        .verified
        .iter()
        .any(|s| is_key(log_verifier, &s.name, s.key_id));
    if !log_signed {
        return Err(ReceiptError::LogSignatureMissing);
    }

    // `open` keeps one verified signature per key, so each counts once.
    let witnesses: Vec<WitnessAttestation> = signed
        .note
        .verified
        .iter()
        .filter_map(|s| {
            let w = witness_verifiers
                .iter()
                .find(|w| is_key(**w, &s.name, s.key_id))?;
            Some(WitnessAttestation {
                name: s.name.clone(),
                key_id: s.key_id,
                timestamp: w.signature_timestamp(&s.signature),
            })
        })
        .collect();
    if witnesses.len() < quorum {
        return Err(ReceiptError::QuorumNotMet {
            have: witnesses.len(),
            need: quorum,
        });
    }

    let checkpoint = signed.checkpoint;
    let leaf = leaf_hash(record_leaf_bytes);
    verify_inclusion(
        proof.index,
        checkpoint.size,
        &leaf.0,
        &proof.inclusion_path,
        &checkpoint.root.0,
    )?;

    Ok(ReceiptVerdict {
        origin: checkpoint.origin,
        tree_size: checkpoint.size,
        root_hash: checkpoint.root,
        leaf_index: proof.index,
        leaf_hash: leaf,
        log_key: KeyRef {
            name: log_verifier.name().to_owned(),
            key_id: log_verifier.key_id(),
        },
        witnesses,
    })
}
