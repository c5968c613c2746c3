//! Evidence files over JSON ([`super::evidence`] decides who may do what).

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::evidence::{
    self, CaptureInput, EvidenceView, NewCustodyEvent, NewEvidenceFile, NewItemInput,
};
use crate::Result;
use crate::auth::CurrentUser;
use crate::ids::MatterId;
use crate::matters::model::Document;
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::extract::{Json, Path};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open))
        .routes(routes!(file))
        .routes(routes!(add_item))
        .routes(routes!(add_custody))
        .routes(routes!(capture))
        .routes(routes!(bundle))
}

/// A notary (or administrator) of a notary office opens an evidence file there: a matter of
/// kind `evidence`; add a client or a partner in Hong Kong (`hk_partner`) as participants.
#[utoipa::path(post, path = "/api/v1/notary/evidence", tag = "notary", request_body = NewEvidenceFile,
    security(("bearer" = [])),
    responses((status = 201, body = EvidenceView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn open(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<NewEvidenceFile>,
) -> Result<(StatusCode, Json<EvidenceView>)> {
    Ok((
        StatusCode::CREATED,
        Json(evidence::open(&state, &actor, &input).await?),
    ))
}

/// An evidence file: its items, each with its documents and chain of custody, and the bundles
/// exported.
#[utoipa::path(get, path = "/api/v1/notary/evidence/{id}", tag = "notary", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = EvidenceView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn file(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<EvidenceView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(evidence::view(&state, &actor, &id).await?))
}

/// Record an item (a witnessed test purchase, what an on-site action found) with its documents;
/// its chain of custody starts `collected`. 409 `evidence_file_closed` once the file is closed.
#[utoipa::path(post, path = "/api/v1/notary/evidence/{id}/items", tag = "notary", params(("id" = String, Path)),
    request_body = NewItemInput, security(("bearer" = [])),
    responses((status = 200, body = EvidenceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_item(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewItemInput>,
) -> Result<Json<EvidenceView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(evidence::add_item(&state, &actor, &id, &input).await?))
}

/// Append to an item's chain of custody (sealed, handed over, couriered, received, opened,
/// returned). A seal found different from the one applied is recorded and marked broken.
#[utoipa::path(post, path = "/api/v1/notary/evidence/{id}/items/{item}/custody", tag = "notary",
    params(("id" = String, Path), ("item" = String, Path)), request_body = NewCustodyEvent, security(("bearer" = [])),
    responses((status = 200, body = EvidenceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_custody(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, item)): Path<(String, String)>,
    Json(input): Json<NewCustodyEvent>,
) -> Result<Json<EvidenceView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        evidence::add_custody(&state, &actor, &id, &item, &input).await?,
    ))
}

/// Capture a web page with the server's own browser from an empty profile: screenshot, DOM,
/// HAR and an environment manifest, each filed and anchored, as an item of kind `web_capture`.
/// Private and loopback addresses are refused unless the deployment allows them.
#[utoipa::path(post, path = "/api/v1/notary/evidence/{id}/captures", tag = "notary", params(("id" = String, Path)),
    request_body = CaptureInput, security(("bearer" = [])),
    responses((status = 200, body = EvidenceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 503, body = ErrorBody)))]
async fn capture(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<CaptureInput>,
) -> Result<Json<EvidenceView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(evidence::capture(&state, &actor, &id, &input).await?))
}

/// Export the file as a portable evidence bundle (files, custody, manifest, ledger record and
/// receipt in one tar), filed in the matter as a document of role `bundle`; download it from
/// the document's content and check it offline with `corridor verify bundle`.
#[utoipa::path(post, path = "/api/v1/notary/evidence/{id}/bundle", tag = "notary", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 201, body = Document), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn bundle(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Document>)> {
    let id = MatterId::from_path(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(super::evidence_bundle::bundle(&state, &actor, &id).await?),
    ))
}
