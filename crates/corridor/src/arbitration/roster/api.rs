//! The roster over JSON ([`super::actions`] decides who may do what), and the roster ranked
//! for a seat in a case.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::actions::{
    self, AppointmentInput, DisclosureInput, ProfileInput, RecommendationInput, RosterView,
};
use super::rank::Candidacy;
use super::search::{Entry, RosterQuery};
use crate::Result;
use crate::arbitration::cases::candidates::{self, CandidatesQuery};
use crate::auth::{Auth, CurrentUser};
use crate::directory::model::Page;
use crate::ids::MatterId;
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(read, save))
        .routes(routes!(recommend))
        .routes(routes!(withdraw))
        .routes(routes!(appointment))
        .routes(routes!(disclosure))
        .routes(routes!(ranked))
}

/// Search the roster: arbitrators by panel (or recommended to it), nationality (or not of the
/// parties' nationalities), residence, language, legal system, expertise, ASEAN experience,
/// overseas, availability on a day, fee basis, recommending institution; by name.
#[utoipa::path(get, path = "/api/v1/arbitration/roster", tag = "arbitration", params(RosterQuery),
    responses((status = 200, body = Page<Entry>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<RosterQuery>,
) -> Result<Json<Page<Entry>>> {
    Ok(Json(
        actions::find(&state.roster, &state.store, auth.actor.as_deref(), &q).await?,
    ))
}

/// One arbitrator's roster entry; the appointment history, disclosures and blocked days only
/// for the keepers of a panel that lists them.
#[utoipa::path(get, path = "/api/v1/arbitration/roster/{person}", tag = "arbitration",
    params(("person" = String, Path, description = "Person id or slug")),
    responses((status = 200, body = RosterView), (status = 404, body = ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    auth: Auth,
    Path(person): Path<String>,
) -> Result<Json<RosterView>> {
    Ok(Json(
        actions::read(&state.store, auth.actor.as_deref(), &person).await?,
    ))
}

/// Save the roster profile (the panel's keepers, or the arbitrator's own firm), with the version
/// read (0 for the first); 409 `profile_changed` when someone saved it since.
#[utoipa::path(put, path = "/api/v1/arbitration/roster/{person}", tag = "arbitration",
    params(("person" = String, Path)), request_body = ProfileInput, security(("bearer" = [])),
    responses((status = 200, body = RosterView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(person): Path<String>,
    Json(input): Json<ProfileInput>,
) -> Result<Json<RosterView>> {
    Ok(Json(
        actions::save(&state.store, &actor, &person, &input).await?,
    ))
}

/// Record that a partner institution recommends the arbitrator to an institution's panel under
/// their cooperation agreement (which must have the `mutual_roster_recommendation` term).
#[utoipa::path(post, path = "/api/v1/arbitration/roster/{person}/recommendations", tag = "arbitration",
    params(("person" = String, Path)), request_body = RecommendationInput, security(("bearer" = [])),
    responses((status = 201, body = RosterView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn recommend(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(person): Path<String>,
    Json(input): Json<RecommendationInput>,
) -> Result<(StatusCode, Json<RosterView>)> {
    let view = actions::recommend(&state.store, &actor, &person, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Withdraw a recommendation (either institution's secretariat).
#[utoipa::path(delete, path = "/api/v1/arbitration/roster/{person}/recommendations/{institution}/{recommended_by}",
    tag = "arbitration",
    params(("person" = String, Path), ("institution" = String, Path), ("recommended_by" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = RosterView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn withdraw(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((person, institution, by)): Path<(String, String, String)>,
) -> Result<Json<RosterView>> {
    Ok(Json(
        actions::withdraw(&state.store, &actor, &person, &institution, &by).await?,
    ))
}

/// Record an appointment outside this deployment (the panel's keepers); the conflict screen
/// counts it from then on.
#[utoipa::path(post, path = "/api/v1/arbitration/roster/{person}/appointments", tag = "arbitration",
    params(("person" = String, Path)), request_body = AppointmentInput, security(("bearer" = [])),
    responses((status = 201, body = RosterView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn appointment(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(person): Path<String>,
    Json(input): Json<AppointmentInput>,
) -> Result<(StatusCode, Json<RosterView>)> {
    let view = actions::record_appointment(&state.store, &actor, &person, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Record a disclosure the arbitrator made elsewhere (the panel's keepers).
#[utoipa::path(post, path = "/api/v1/arbitration/roster/{person}/disclosures", tag = "arbitration",
    params(("person" = String, Path)), request_body = DisclosureInput, security(("bearer" = [])),
    responses((status = 201, body = RosterView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn disclosure(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(person): Path<String>,
    Json(input): Json<DisclosureInput>,
) -> Result<(StatusCode, Json<RosterView>)> {
    let view = actions::record_disclosure(&state.store, &actor, &person, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The roster ranked for a seat in the case (its secretariat): the institution's panel and the
/// arbitrators recommended to it, each screened for conflicts and nationality, then ordered by
/// availability, the case's language and caseload. At most 50.
#[utoipa::path(get, path = "/api/v1/arbitration/cases/{id}/candidates", tag = "arbitration",
    params(("id" = String, Path), CandidatesQuery), security(("bearer" = [])),
    responses((status = 200, body = [Candidacy]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn ranked(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<CandidatesQuery>,
) -> Result<Json<Vec<Candidacy>>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        candidates::ranked(&state, &actor, &id, &q.seat_role).await?,
    ))
}
