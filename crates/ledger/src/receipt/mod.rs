//! tlog-proof receipts: the format, and verifying one against a policy of a
//! log key, witness keys and a witness quorum.

mod format;
#[cfg(test)]
mod tests;
mod verify;

pub use format::{TLOG_PROOF_HEADER, TlogProof};
pub use verify::{
    KeyRef, ReceiptVerdict, WitnessAttestation, verify_receipt, verify_receipt_for_origin,
    verify_receipt_with_history,
};

use crate::checkpoint::CheckpointError;
use crate::merkle::VerifyError;

/// Why a receipt was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("malformed tlog-proof: {0}")]
    Malformed(&'static str),
    #[error("checkpoint refused: {0}")]
    Checkpoint(#[from] CheckpointError),
    #[error("checkpoint is not signed by the log key")]
    LogSignatureMissing,
    #[error("{have} trusted witness cosignatures, policy needs {need}")]
    QuorumNotMet { have: usize, need: usize },
    #[error("quorum {quorum} can never be met with {witnesses} witness keys")]
    QuorumUnreachable { quorum: usize, witnesses: usize },
    #[error("inclusion proof refused: {0}")]
    Inclusion(#[from] VerifyError),
}
