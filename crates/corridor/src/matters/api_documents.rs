//! The documents of a matter in `/api/v1`: streamed multipart uploads (with an
//! `Idempotency-Key`), downloads, and ledger receipts.

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::actions;
use super::http::{content_response, stage_upload};
use super::model::*;
use crate::Result;
use crate::auth::CurrentUser;
use crate::ids::{DocumentId, MatterId};
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::extract::{Json, Path};
use crate::web::idempotency::{self, IdempotencyKey};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // axum's Multipart stops at 2 MB by default (`DefaultBodyLimit`); uploads are bounded
        // by `web::body_limit` (upload_limit_mb) and by `Files::stage` as they stream instead.
        .routes(routes!(upload_document).layer(DefaultBodyLimit::disable()))
        .routes(routes!(document_content))
        .routes(routes!(document_receipt))
}

/// The multipart form of an upload, for the OpenAPI document.
#[derive(ToSchema)]
#[allow(dead_code)]
struct UploadForm {
    /// The file (streamed; at most `upload_limit_mb`).
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
    /// What the document is: `document`, `evidence`, `contract`, `correspondence`, `minutes`, `other`.
    role: String,
    /// Participant roles that may see it, space-separated; empty = everyone in the matter.
    visible_to: Option<String>,
    /// The id of the document this one corrects (a new version).
    replaces: Option<String>,
}

/// File a document (multipart `file`, `role`); it is stored once per SHA-256 and anchored. With
/// an `Idempotency-Key`, a retried upload answers with the first document instead of filing
/// it twice.
#[utoipa::path(post, path = "/api/v1/matters/{id}/documents", tag = "matters",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "1–200 visible ASCII characters")),
    request_body(content = UploadForm, content_type = "multipart/form-data"), security(("bearer" = [])),
    responses((status = 201, body = Document), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn upload_document(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let key = IdempotencyKey::from_headers(&headers)?;
    let (meta, staged) = stage_upload(&state, &actor, &id, multipart).await?;
    let digest = idempotency::request_digest(&[
        id.as_str().as_bytes(),
        meta.role.as_bytes(),
        meta.visible_to.as_bytes(),
        meta.replaces.as_deref().unwrap_or("").as_bytes(),
        meta.name.as_bytes(),
        staged.sha256.as_bytes(),
    ]);
    let scope = "matters.documents";
    let answer = idempotency::once(
        &state.store,
        &actor.user_id,
        scope,
        key.as_ref(),
        &digest,
        |token| async {
            let doc = actions::file_document(&state, &actor, &id, &meta, &staged, token).await?;
            Ok((StatusCode::CREATED, doc))
        },
    )
    .await;
    // A replayed or refused upload leaves its staged copy; a filed one has moved it already.
    if let Some(files) = &state.files {
        files.discard(&staged).await;
    }
    answer
}

/// The document's bytes.
#[utoipa::path(get, path = "/api/v1/matters/{id}/documents/{doc}/content", tag = "matters",
    params(("id" = String, Path), ("doc" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "the bytes", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
async fn document_content(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let doc = DocumentId::from_path(&doc)?;
    content_response(&state, &actor, &id, &doc).await
}

/// The ledger receipt of a filed document: the exact leaf text and a C2SP tlog-proof.
#[utoipa::path(get, path = "/api/v1/matters/{id}/documents/{doc}/receipt", tag = "matters",
    params(("id" = String, Path), ("doc" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = DocumentReceipt), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn document_receipt(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Json<DocumentReceipt>> {
    let id = MatterId::from_path(&id)?;
    let doc = DocumentId::from_path(&doc)?;
    Ok(Json(
        actions::document_receipt(&state, &actor, &id, &doc).await?,
    ))
}
