//! Accounts over JSON: who am I, API tokens, the audit log.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit::{AuditRecord, Who};
use super::policy::audit_scope;
use super::store::ApiTokenInfo;
use super::{Actor, CurrentUser};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(audit_log))
}

/// The signed-in user and their memberships.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Actor), (status = 401, body = crate::openapi::ErrorBody)))]
async fn me(CurrentUser(actor): CurrentUser) -> Json<Actor> {
    Json((*actor).clone())
}

/// The caller's API tokens (never the secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<ApiTokenInfo>), (status = 401, body = crate::openapi::ErrorBody)))]
async fn list_tokens(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<ApiTokenInfo>>> {
    Ok(Json(state.store.list_tokens(&actor.user_id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for, e.g. "case-sync script".
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: String,
    /// Shown once; store it now. Send as `Authorization: Bearer <token>`.
    pub token: String,
}

/// Create an API token for the caller.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = NewToken, security(("bearer" = [])),
    responses((status = 201, body = CreatedToken), (status = 401, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>)> {
    let (id, token) = state
        .store
        .create_token(&Who::from(&*actor), &actor.user_id, &input.name)
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { id, token })))
}

/// Revoke one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::openapi::ErrorBody), (status = 404, body = crate::openapi::ErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    state
        .store
        .revoke_token(&Who::from(&*actor), &actor.user_id, &id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only events about this organization (id).
    pub organization: Option<String>,
    /// Id of the last event of the previous page.
    pub before: Option<String>,
    /// 1..=200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditRecord>), (status = 401, body = crate::openapi::ErrorBody),
              (status = 403, body = crate::openapi::ErrorBody)))]
async fn audit_log(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Vec<AuditRecord>>> {
    let scope = audit_scope(&actor, query.organization.as_deref())?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::invalid("limit", "out_of_range"));
    }
    Ok(Json(
        state
            .store
            .audit_page(scope.as_deref(), query.before.as_deref(), limit)
            .await?,
    ))
}
