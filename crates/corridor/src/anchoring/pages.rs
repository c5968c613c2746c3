//! The verification page: a person uploads a receipt and the record (and optionally the files)
//! and reads the verdict in words. Nothing is stored.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Html;
use axum::routing::get;

use super::verify::{Failure, Verified, check};
use crate::state::AppState;
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new()
        .route("/verify", get(form).post(submit))
        .route("/ledger/{*path}", get(super::public_files::public_file))
}

#[derive(Template)]
#[template(path = "ledger/verify.html")]
struct VerifyPage {
    ctx: PageCtx,
    /// This server's log key, offered as the default.
    vkey: String,
    origin: String,
    outcome: Option<Result<Verified, Failure>>,
}

impl VerifyPage {
    fn witness_names(&self, v: &Verified) -> String {
        v.receipt
            .witnesses
            .iter()
            .map(|w| w.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

async fn form(State(state): State<AppState>, ctx: PageCtx) -> Result<Html<String>> {
    let (vkey, origin) = state
        .ledger
        .as_ref()
        .map(|l| (l.vkey(), l.origin().to_string()))
        .unwrap_or_default();
    render(VerifyPage {
        ctx,
        vkey,
        origin,
        outcome: None,
    })
}

/// Each upload is small; the global body limit bounds the whole form.
async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    mut form: Multipart,
) -> Result<Html<String>> {
    let mut vkey = String::new();
    let mut proof = String::new();
    let mut record = Vec::new();
    let mut files = Vec::new();
    let mut witnesses = Vec::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?;
        match name.as_str() {
            "vkey" => vkey = String::from_utf8_lossy(&bytes).trim().to_string(),
            "witness" if !bytes.is_empty() => {
                witnesses.push(String::from_utf8_lossy(&bytes).trim().to_string())
            }
            "receipt" | "receipt_file" if !bytes.is_empty() => {
                proof = String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
            }
            // The record is verified byte for byte; a pasted record loses only a final newline.
            "record" if !bytes.is_empty() => record = bytes.to_vec(),
            "record_file" if !bytes.is_empty() => record = bytes.to_vec(),
            "files" if !bytes.is_empty() => {
                files.push((file_name.unwrap_or_else(|| "file".into()), bytes.to_vec()))
            }
            _ => {}
        }
    }
    while record.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        record.pop();
    }
    let (default_vkey, origin) = state
        .ledger
        .as_ref()
        .map(|l| (l.vkey(), l.origin().to_string()))
        .unwrap_or_default();
    // Without a key of their own, receipts are checked against this log's key history, so a
    // receipt issued before a key rotation verifies under the key that signed it.
    let keys = match (&state.ledger, vkey.is_empty()) {
        (Some(ledger), true) => ledger.key_history().await?.encode(),
        _ => vkey.clone(),
    };
    if vkey.is_empty() {
        vkey = default_vkey;
    }
    let quorum = witnesses.len();
    let outcome = check(&keys, &witnesses, quorum, &proof, &record, &files);
    render(VerifyPage {
        ctx,
        vkey,
        origin,
        outcome: Some(outcome),
    })
}
