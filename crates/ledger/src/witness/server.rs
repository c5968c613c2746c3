//! The witness: verify, check consistency, persist, cosign.

use std::collections::HashMap;

use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::checkpoint::{Checkpoint, open_checkpoint};
use crate::cosignature::CosignatureV1Signer;
use crate::merkle::{EMPTY_ROOT, VerifyError, verify_consistency};
use crate::note::{Ed25519NoteVerifier, Note, NoteVerifier};
use crate::storage::{LedgerStore, ObjectVersion, StorageError};
use crate::witness_request::AddCheckpointRequest;

/// Why a checkpoint was not cosigned, with the tlog-witness status code.
#[derive(Debug, thiserror::Error)]
pub enum WitnessError {
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error("unknown log origin {0:?}")]
    UnknownOrigin(String),
    #[error("checkpoint has no valid signature from the log: {0}")]
    NotSignedByLog(String),
    #[error("old size {old} is larger than the checkpoint size {new}")]
    OldSizeTooLarge { old: u64, new: u64 },
    #[error("old size does not match the witness, which is at size {witness_size}")]
    Conflict { witness_size: u64 },
    #[error("consistency proof refused: {0}")]
    BadProof(VerifyError),
    #[error("witness storage: {0}")]
    Storage(#[from] StorageError),
}

impl WitnessError {
    /// The HTTP status tlog-witness assigns to this outcome. For 409 the
    /// response body is the witness size (`text/x.tlog.size`).
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Malformed(_) | Self::OldSizeTooLarge { .. } => 400,
            Self::NotSignedByLog(_) => 403,
            Self::UnknownOrigin(_) => 404,
            Self::Conflict { .. } => 409,
            Self::BadProof(_) => 422,
            Self::Storage(_) => 500,
        }
    }
}

/// A witness over one store, for a fixed set of logs.
#[derive(Debug)]
pub struct Witness {
    store: LedgerStore,
    prefix: String,
    signer: CosignatureV1Signer,
    logs: HashMap<String, Vec<Ed25519NoteVerifier>>,
}

fn log_dir(prefix: &str, origin: &str) -> String {
    format!(
        "{prefix}/logs/{}",
        hex::encode(Sha256::digest(origin.as_bytes()))
    )
}

impl Witness {
    /// `prefix` is the object-name prefix of this witness's data (e.g.
    /// `witness`), so a witness can share a store with a log.
    pub fn new(store: LedgerStore, prefix: &str, signer: CosignatureV1Signer) -> Self {
        Self {
            store,
            prefix: prefix.trim_end_matches('/').to_owned(),
            signer,
            logs: HashMap::new(),
        }
    }

    /// Trusts `verifier` for checkpoints of `origin`. Several keys per
    /// origin are allowed (key rotation); any one of them suffices.
    pub fn add_log(&mut self, origin: &str, verifier: Ed25519NoteVerifier) {
        self.logs
            .entry(origin.to_owned())
            .or_default()
            .push(verifier);
    }

    pub fn signer(&self) -> &CosignatureV1Signer {
        &self.signer
    }

    /// The latest checkpoint this witness cosigned for `origin`.
    pub async fn latest(&self, origin: &str) -> Result<Option<String>, WitnessError> {
        let path = format!("{}/latest", log_dir(&self.prefix, origin));
        Ok(self
            .store
            .get(&path)
            .await?
            .map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// Every log-signed checkpoint this witness was shown for `origin`,
    /// in size order.
    pub async fn seen(&self, origin: &str) -> Result<Vec<String>, WitnessError> {
        let dir = format!("{}/seen", log_dir(&self.prefix, origin));
        let mut out = Vec::new();
        for name in self.store.list_after(&dir, None).await? {
            if let Some(b) = self.store.get(&name).await? {
                out.push(String::from_utf8_lossy(&b).into_owned());
            }
        }
        Ok(out)
    }

    /// Handles an `add-checkpoint` request body; on success returns the
    /// response body: the cosignature line(s) to attach to the checkpoint.
    pub async fn add_checkpoint(&self, body: &str, now_unix: u64) -> Result<String, WitnessError> {
        let req = AddCheckpointRequest::parse(body)
            .map_err(|e| WitnessError::Malformed(e.to_string()))?;
        self.add_checkpoint_request(&req, now_unix).await
    }

    pub async fn add_checkpoint_request(
        &self,
        req: &AddCheckpointRequest,
        now_unix: u64,
    ) -> Result<String, WitnessError> {
        let note = Note::parse(req.checkpoint.as_bytes())
            .map_err(|e| WitnessError::Malformed(e.to_string()))?;
        let unverified = Checkpoint::parse_body(note.text())
            .map_err(|e| WitnessError::Malformed(e.to_string()))?;
        let origin = unverified.origin;
        let verifiers = self
            .logs
            .get(&origin)
            .ok_or_else(|| WitnessError::UnknownOrigin(origin.clone()))?;
        let known: Vec<&dyn NoteVerifier> =
            verifiers.iter().map(|v| v as &dyn NoteVerifier).collect();
        let cp = open_checkpoint(req.checkpoint.as_bytes(), &origin, &known)
            .map_err(|e| WitnessError::NotSignedByLog(e.to_string()))?
            .checkpoint;

        // Evidence first: whatever happens next, the log signed this.
        let dir = log_dir(&self.prefix, &origin);
        self.store
            .put_once(&format!("{dir}/origin"), Bytes::from(origin.clone()))
            .await?;
        let id = hex::encode(&Sha256::digest(req.checkpoint.as_bytes())[..8]);
        self.store
            .put_once(
                &format!("{dir}/seen/{:020}-{id}", cp.size),
                Bytes::from(req.checkpoint.clone()),
            )
            .await?;

        if req.old_size > cp.size {
            return Err(WitnessError::OldSizeTooLarge {
                old: req.old_size,
                new: cp.size,
            });
        }
        let latest_path = format!("{dir}/latest");
        let (current, version) = match self.store.get_versioned(&latest_path).await? {
            Some((bytes, version)) => (Some(self.parse_stored(&bytes)?), version),
            None => (None, ObjectVersion::absent()),
        };
        let (witness_size, witness_root) = current
            .as_ref()
            .map_or((0, EMPTY_ROOT), |c| (c.size, c.root));
        if req.old_size != witness_size {
            return Err(WitnessError::Conflict { witness_size });
        }
        if witness_size == 0 {
            // Trust on first use: nothing to be consistent with.
            if !req.consistency_proof.is_empty() {
                return Err(WitnessError::BadProof(VerifyError::ProofTooLong));
            }
        } else {
            verify_consistency(
                witness_size,
                cp.size,
                &witness_root.0,
                &cp.root.0,
                &req.consistency_proof,
            )
            .map_err(WitnessError::BadProof)?;
        }
        if current.is_none() || cp.size > witness_size {
            let written = self
                .store
                .put_cas(&latest_path, Bytes::from(req.checkpoint.clone()), &version)
                .await;
            match written {
                Ok(_) => {}
                Err(StorageError::CasFailed(_)) => {
                    // Someone else advanced this log meanwhile: the log
                    // must retry from the witness's new size.
                    let now = match self.store.get(&latest_path).await? {
                        Some(b) => self.parse_stored(&b)?.size,
                        None => 0,
                    };
                    return Err(WitnessError::Conflict { witness_size: now });
                }
                Err(e) => return Err(e.into()),
            }
        }
        let sig = self
            .signer
            .cosign(&cp, now_unix)
            .map_err(|e| WitnessError::Malformed(e.to_string()))?;
        Ok(sig.line())
    }

    /// The stored latest checkpoint; it was verified before it was stored,
    /// so only its body is parsed again.
    fn parse_stored(&self, bytes: &[u8]) -> Result<Checkpoint, WitnessError> {
        let note =
            Note::parse(bytes).map_err(|e| WitnessError::Malformed(format!("stored: {e}")))?;
        Checkpoint::parse_body(note.text())
            .map_err(|e| WitnessError::Malformed(format!("stored: {e}")))
    }
}
