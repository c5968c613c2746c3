//! Checking a receipt, the record it covers and the files the record names — the one
//! implementation behind `corridor verify receipt` and the verification page.

use corridor_ledger::cosignature::CosignatureV1Verifier;
use corridor_ledger::keyring::KeyHistory;
use corridor_ledger::note::{Ed25519NoteVerifier, NoteVerifier};
use corridor_ledger::receipt::{
    ReceiptError, ReceiptVerdict, verify_receipt, verify_receipt_with_history,
};
use serde::Serialize;

use super::record::LedgerRecord;

#[derive(Debug, Serialize)]
pub struct Verified {
    pub receipt: ReceiptVerdict,
    /// The record, when it parses as a Corridor record.
    pub kind: Option<String>,
    pub at: Option<String>,
    /// Each checked file and the role the record gives it.
    pub files: Vec<(String, String)>,
}

/// Why a check failed; `code` is stable (and a message key), `detail` is for experts.
#[derive(Debug)]
pub struct Failure {
    pub code: &'static str,
    pub detail: String,
    /// The input itself could not be read (exit code 2 on the CLI).
    pub unreadable: bool,
}

impl Failure {
    fn invalid(code: &'static str, detail: impl ToString) -> Self {
        Self {
            code,
            detail: detail.to_string(),
            unreadable: false,
        }
    }

    fn unreadable(code: &'static str, detail: impl ToString) -> Self {
        Self {
            code,
            detail: detail.to_string(),
            unreadable: true,
        }
    }
}

/// The log's keys as given: one vkey, or the key history (`/ledger/keys`, one `VKEY FROM_SIZE`
/// per line) of a log that rotated its key.
enum LogKeys {
    One(Ed25519NoteVerifier),
    History(KeyHistory),
}

fn log_keys(text: &str) -> Result<LogKeys, Failure> {
    let text = text.trim();
    if text.contains(char::is_whitespace) {
        KeyHistory::parse(text)
            .map(LogKeys::History)
            .map_err(|e| Failure::unreadable("bad_vkey", e))
    } else {
        Ed25519NoteVerifier::from_vkey(text)
            .map(LogKeys::One)
            .map_err(|e| Failure::unreadable("bad_vkey", e))
    }
}

/// Checks a receipt; `vkey` is the log's vkey or its key history (see [`LogKeys`]).
pub fn check(
    vkey: &str,
    witnesses: &[String],
    quorum: usize,
    proof_text: &str,
    record: &[u8],
    files: &[(String, Vec<u8>)],
) -> Result<Verified, Failure> {
    let log = log_keys(vkey)?;
    let witness_keys = witnesses
        .iter()
        .map(|w| CosignatureV1Verifier::from_vkey(w.trim()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::unreadable("bad_witness_key", e))?;
    let refs: Vec<&dyn NoteVerifier> = witness_keys
        .iter()
        .map(|w| w as &dyn NoteVerifier)
        .collect();
    let verdict = match &log {
        LogKeys::One(key) => verify_receipt(record, proof_text, key, &refs, quorum),
        LogKeys::History(keys) => {
            verify_receipt_with_history(record, proof_text, keys, &refs, quorum)
        }
    };
    let receipt = verdict.map_err(|e| match e {
        ReceiptError::Malformed(_) => Failure::unreadable("malformed_receipt", e),
        ReceiptError::Checkpoint(_) => Failure::invalid("bad_checkpoint", e),
        ReceiptError::LogSignatureMissing => Failure::invalid("not_signed_by_log", e),
        ReceiptError::QuorumNotMet { .. } | ReceiptError::QuorumUnreachable { .. } => {
            Failure::invalid("witness_quorum", e)
        }
        ReceiptError::Inclusion(_) => Failure::invalid("not_included", e),
    })?;
    let parsed = LedgerRecord::parse(record).ok();
    let mut checked = Vec::new();
    if !files.is_empty() {
        let parsed = parsed.as_ref().ok_or_else(|| {
            Failure::invalid("record_unreadable", "the record is not a Corridor record")
        })?;
        for (name, bytes) in files {
            match parsed.role_of(bytes) {
                Some(role) => checked.push((name.clone(), role.to_string())),
                None => {
                    return Err(Failure::invalid(
                        "file_not_in_record",
                        format!("{name}: its SHA-256 is not named in the record"),
                    ));
                }
            }
        }
    }
    Ok(Verified {
        receipt,
        kind: parsed.as_ref().map(|r| r.kind.clone()),
        at: parsed.as_ref().map(|r| r.at.clone()),
        files: checked,
    })
}
