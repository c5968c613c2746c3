//! The retention of notarial files over JSON ([`super::keep`] decides who may do what).

use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::keep::{self, RetentionInput, RetentionView};
use crate::Result;
use crate::auth::CurrentUser;
use crate::ids::MatterId;
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::extract::{Json, Path};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(retention, change_retention))
        .routes(routes!(close_evidence))
}

/// A notarial file's retention (an application's or an evidence file's): its class, source and
/// verified flag, when it started and ends, the office's confirmation and hold, what a purge
/// would do today, and whether its content is sealed or already shredded.
#[utoipa::path(get, path = "/api/v1/notary/matters/{id}/retention", tag = "notary",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = RetentionView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn retention(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<RetentionView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(keep::view(&state, &actor, &id).await?))
}

/// The office confirms the file's class with the rule it relied on (a purge destroys content
/// only on a confirmed or sourced retention), or holds the file; its notaries and
/// administrators only. 409 `retention_not_started` before the act, `retention_changed` on an
/// old version.
#[utoipa::path(put, path = "/api/v1/notary/matters/{id}/retention", tag = "notary",
    params(("id" = String, Path)), request_body = RetentionInput, security(("bearer" = [])),
    responses((status = 200, body = RetentionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_retention(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<RetentionInput>,
) -> Result<Json<RetentionView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(keep::change(&state, &actor, &id, &input).await?))
}

/// The office closes an evidence file: the matter is closed and its retention starts today.
#[utoipa::path(post, path = "/api/v1/notary/evidence/{id}/close", tag = "notary",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = RetentionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn close_evidence(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<RetentionView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(keep::close_evidence(&state, &actor, &id).await?))
}
