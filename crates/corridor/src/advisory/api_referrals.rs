//! The advisory team over JSON: firms matched to a project, referrals and the firm's answer
//! ([`super::referrals`] decides who may do what).

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::referrals::{
    self, AcceptReferral, DeclineReferral, NewReferral, Referral, ReferralList, ReferralQuery,
};
use super::team::TeamMatch;
use crate::Result;
use crate::auth::CurrentUser;
use crate::ids::{ProjectId, ReferralId};
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(team))
        .routes(routes!(refer))
        .routes(routes!(list))
        .routes(routes!(accept))
        .routes(routes!(decline))
        .routes(routes!(withdraw))
}

/// Local law firms with a partner firm in the project's country, ranked by the practice areas
/// its plan needs, each explained; firms that declined it for a conflict are set aside.
#[utoipa::path(get, path = "/api/v1/projects/{id}/team", tag = "advisory", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = TeamMatch), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn team(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<TeamMatch>> {
    let id = ProjectId::from_path(&id)?;
    let project = super::projects::detail(&state.store, &actor, &id).await?;
    Ok(Json(referrals::team(&state.store, &project).await?))
}

/// Ask a law firm to work the project's plan (the enterprise's members). The firm sees the
/// project's outline and the counterparty until it accepts.
#[utoipa::path(post, path = "/api/v1/projects/{id}/referrals", tag = "advisory", params(("id" = String, Path)),
    request_body = NewReferral, security(("bearer" = [])),
    responses((status = 201, body = Referral), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn refer(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewReferral>,
) -> Result<(StatusCode, Json<Referral>)> {
    let id = ProjectId::from_path(&id)?;
    let referral = referrals::refer(&state.store, &actor, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(referral)))
}

/// Referrals my enterprises sent and my firms received (a bureau officer: all), newest first.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "advisory", params(ReferralQuery), security(("bearer" = [])),
    responses((status = 200, body = ReferralList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<ReferralQuery>,
) -> Result<Json<ReferralList>> {
    Ok(Json(referrals::list(&state, &actor, &q).await?))
}

/// Accept, after the firm's conflict check: opens the engagement (a matter of kind
/// `advisory_engagement`) with the plan's items as tasks.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/accept", tag = "advisory", params(("id" = String, Path)),
    request_body = AcceptReferral, security(("bearer" = [])),
    responses((status = 200, body = Referral), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn accept(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<AcceptReferral>,
) -> Result<Json<Referral>> {
    let id = ReferralId::from_path(&id)?;
    Ok(Json(referrals::accept(&state, &actor, &id, &input).await?))
}

/// Decline, with the reason (`conflict` sets the firm aside in the project's team match).
#[utoipa::path(post, path = "/api/v1/referrals/{id}/decline", tag = "advisory", params(("id" = String, Path)),
    request_body = DeclineReferral, security(("bearer" = [])),
    responses((status = 200, body = Referral), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decline(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<DeclineReferral>,
) -> Result<Json<Referral>> {
    let id = ReferralId::from_path(&id)?;
    Ok(Json(referrals::decline(&state, &actor, &id, &input).await?))
}

/// Withdraw a pending referral (the enterprise's members).
#[utoipa::path(post, path = "/api/v1/referrals/{id}/withdraw", tag = "advisory", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Referral), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn withdraw(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Referral>> {
    let id = ReferralId::from_path(&id)?;
    Ok(Json(referrals::withdraw(&state, &actor, &id).await?))
}
