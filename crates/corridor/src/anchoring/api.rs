//! The ledger over HTTP: append a record and get its receipt (`/api/v1/ledger/...`). The log's
//! public tlog-tiles files under `/ledger/` are served by `public_files.rs`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::record::{FileDigest, LedgerRecord, VERSION, new_salt};
use super::service::Ledger;
use crate::auth::CurrentUser;
use crate::auth::audit::Who;
use crate::state::AppState;
use crate::web::extract::{Json, Path};
use crate::web::idempotency::{self, IdempotencyKey};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(info))
        .routes(routes!(append))
        .routes(routes!(receipt))
}

fn ledger(state: &AppState) -> Result<&Arc<Ledger>> {
    state.ledger.as_ref().ok_or(AppError::NotFound)
}

#[derive(Serialize, ToSchema)]
pub struct LedgerInfo {
    /// The log's name; also its key's name.
    pub origin: String,
    /// The verifier key for `corridor verify receipt --vkey`: the log's current key.
    pub vkey: String,
    /// Every key the log has signed with, oldest first, each from the tree size it signs:
    /// receipts issued before a key rotation verify under the key for their size. The same list
    /// is served as text at `/ledger/keys` (for `corridor verify receipt --keys`).
    pub keys: Vec<LedgerKey>,
    /// Entries durably in the log.
    pub size: u64,
    /// The latest signed checkpoint note.
    pub checkpoint: Option<String>,
    /// Where the C2SP tlog-tiles files are served.
    pub tiles_prefix: String,
}

/// One key of the log's key history.
#[derive(Serialize, ToSchema)]
pub struct LedgerKey {
    pub vkey: String,
    /// The smallest tree size this key signs; it signs until the next key's `from_size`.
    pub from_size: u64,
}

/// The log's public key and current state.
#[utoipa::path(get, path = "/api/v1/ledger", tag = "ledger",
    responses((status = 200, body = LedgerInfo), (status = 404, body = crate::openapi::ErrorBody)))]
async fn info(State(state): State<AppState>) -> Result<Json<LedgerInfo>> {
    let ledger = ledger(&state)?;
    let checkpoint = ledger.latest_checkpoint().await?;
    let keys = ledger
        .key_history()
        .await?
        .entries()
        .iter()
        .map(|e| LedgerKey {
            vkey: e.vkey(),
            from_size: e.from_size,
        })
        .collect();
    Ok(Json(LedgerInfo {
        origin: ledger.origin().to_string(),
        vkey: ledger.vkey(),
        keys,
        size: ledger.size().await?,
        checkpoint,
        tiles_prefix: "/ledger/".into(),
    }))
}

/// What to anchor: hashes and non-personal metadata only.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordInput {
    /// e.g. `notarial_certificate`, `evidence_item`, `arbitral_award`.
    pub kind: String,
    /// The platform's opaque id of the anchored object.
    pub subject: String,
    /// When the act took place; default now.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    pub files: Vec<FileInput>,
    #[serde(default)]
    pub meta: BTreeMap<String, String>,
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileInput {
    /// A role such as `certificate`; never a file name.
    pub role: String,
    /// Lowercase hex SHA-256.
    pub sha256: String,
}

pub use super::service::Anchored;

fn token(field: &str, value: &str, max: usize) -> Result<String> {
    let ok = !value.is_empty()
        && value.len() <= max
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
    if ok {
        Ok(value.to_string())
    } else {
        Err(AppError::invalid(field, "token"))
    }
}

/// Checks a record input; the ledger is public forever, so only short codes and hashes pass.
pub fn build_record(input: &RecordInput) -> Result<LedgerRecord> {
    if input.files.len() > 50 {
        return Err(AppError::invalid("files", "too_many"));
    }
    if input.meta.len() > 20 {
        return Err(AppError::invalid("meta", "too_many"));
    }
    let mut files = Vec::new();
    for f in &input.files {
        let sha = f.sha256.trim();
        if sha.len() != 64 || !sha.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
            return Err(AppError::invalid("files.sha256", "sha256"));
        }
        files.push(FileDigest {
            role: token("files.role", &f.role, 40)?,
            sha256: sha.to_string(),
        });
    }
    let mut meta = BTreeMap::new();
    for (k, v) in &input.meta {
        meta.insert(token("meta", k, 40)?, token("meta", v, 80)?);
    }
    Ok(LedgerRecord {
        at: input
            .at
            .unwrap_or_else(crate::ids::now)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        files,
        kind: token("kind", &input.kind, 50)?,
        meta,
        salt: new_salt(),
        subject: token("subject", &input.subject, 100)?,
        v: VERSION,
    })
}

/// Anchor a record; answers once it is durable, with its receipt when a checkpoint covers it.
/// For platform admins (the modules that anchor acts call the same code in-process). Any node
/// takes the request; the node that sequences appends it. With an `Idempotency-Key` header, a
/// retry of the same request gets the same record and index back (never a second entry).
#[utoipa::path(post, path = "/api/v1/ledger/records", tag = "ledger", request_body = RecordInput,
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Makes retries safe: the same key and body give the first answer again")),
    responses((status = 201, body = Anchored), (status = 401, body = crate::openapi::ErrorBody),
              (status = 403, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody), (status = 503, body = crate::openapi::ErrorBody)))]
async fn append(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    headers: HeaderMap,
    Json(input): Json<RecordInput>,
) -> Result<Response> {
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let ledger = ledger(&state)?.clone();
    let record = build_record(&input)?;
    let key = IdempotencyKey::from_headers(&headers)?;
    // The input, not the record: the record carries a fresh salt and time on every attempt.
    let body = serde_json::to_vec(&input).map_err(|e| AppError::Internal(e.into()))?;
    let digest = idempotency::request_digest(&[&body]);
    let who = Who::from(&*actor);
    idempotency::once(
        &state.store,
        &actor.user_id,
        "ledger.records",
        key.as_ref(),
        &digest,
        |token| async move {
            let anchored = ledger.anchor(&who, &record, token).await?;
            Ok((StatusCode::CREATED, anchored))
        },
    )
    .await
}

/// The receipt (C2SP tlog-proof) for an entry against the latest checkpoint.
#[utoipa::path(get, path = "/api/v1/ledger/receipts/{index}", tag = "ledger", params(("index" = u64, Path)),
    responses((status = 200, description = "tlog-proof text", content_type = "text/plain"),
              (status = 404, body = crate::openapi::ErrorBody)))]
async fn receipt(State(state): State<AppState>, Path(index): Path<u64>) -> Result<Response> {
    let ledger = ledger(&state)?;
    match ledger.receipt(index).await {
        Ok(proof) => Ok((
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            proof.encode(),
        )
            .into_response()),
        Err(corridor_ledger::storage::StoredProofError::NotCovered { .. }) => {
            Err(AppError::NotFound)
        }
        Err(e) => Err(AppError::Internal(anyhow::anyhow!("receipt: {e}"))),
    }
}
