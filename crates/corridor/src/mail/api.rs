//! The outbox over JSON, for platform admins.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{MailRecord, MailStatus};
use crate::auth::CurrentUser;
use crate::state::AppState;
use crate::web::extract::{Json, Query};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(outbox))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// Only emails in this state: `queued`, `sending`, `sent`, `failed` or `outbox`.
    pub status: Option<String>,
    /// Id of the last email of the previous page.
    pub before: Option<String>,
    /// 1..=200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Every email the platform has written, newest first, with its delivery state. Without SMTP
/// this is where the mail is read (status `outbox`). Platform admins only.
#[utoipa::path(get, path = "/api/v1/admin/outbox", tag = "admin", params(OutboxQuery),
    security(("bearer" = [])),
    responses((status = 200, body = Vec<MailRecord>), (status = 401, body = crate::openapi::ErrorBody),
              (status = 403, body = crate::openapi::ErrorBody), (status = 422, body = crate::openapi::ErrorBody)))]
async fn outbox(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(query): Query<OutboxQuery>,
) -> Result<Json<Vec<MailRecord>>> {
    super::require_outbox_reader(&actor)?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::invalid("limit", "out_of_range"));
    }
    let status = match query.status.as_deref() {
        None => None,
        Some(s) => Some(MailStatus::parse(s).ok_or(AppError::invalid("status", "unknown_value"))?),
    };
    Ok(Json(
        state
            .store
            .outbox_page(status, query.before.as_deref(), limit)
            .await?,
    ))
}
