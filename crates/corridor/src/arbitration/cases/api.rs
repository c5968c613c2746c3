//! Arbitration cases over JSON ([`super::actions`] decides who may do what).

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::actions::{self, CaseDecision, CaseView, NewEvent};
use super::award::{self, AwardDraft, AwardStep};
use super::disclosure::{self, DisclosureStatement};
use super::extensions::{self, NewExtension};
use super::filing::{EnforcementInput, FilingInput};
use super::tribunal::{self, NewNominationInput, NominationStep};
use super::typical::{self, PublishInput};
use crate::Result;
use crate::auth::CurrentUser;
use crate::ids::MatterId;
use crate::knowledge::case::CaseRecord;
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::extract::{Json, Path};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, file))
        .routes(routes!(case))
        .routes(routes!(accept))
        .routes(routes!(reject))
        .routes(routes!(event))
        .routes(routes!(add_enforcement))
        .routes(routes!(edit_enforcement))
        .routes(routes!(nominate))
        .routes(routes!(nomination_step))
        .routes(routes!(disclose))
        .routes(routes!(publish))
        .routes(routes!(draft_award, award_step))
        .routes(routes!(grant_extension))
}

/// File a request for arbitration (a party, or its counsel): the case opens at the institution
/// as a matter of kind `arbitration_case`, with the filer in it. The same dispute filed again
/// while the first is live is a 409 (`duplicate_filing`).
#[utoipa::path(post, path = "/api/v1/arbitration/cases", tag = "arbitration", request_body = FilingInput,
    security(("bearer" = [])),
    responses((status = 201, body = CaseView), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn file(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<FilingInput>,
) -> Result<(StatusCode, Json<CaseView>)> {
    let c = actions::file(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// The cases I am in, and (for a case secretary) every case at my institution; newest first,
/// at most 200.
#[utoipa::path(get, path = "/api/v1/arbitration/cases", tag = "arbitration", security(("bearer" = [])),
    responses((status = 200, body = [CaseView]), (status = 401, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<CaseView>>> {
    Ok(Json(actions::list(&state, &actor).await?))
}

/// One case: what was filed, the fee estimate across institutions, the recorded events and
/// every time limit they start (counted with today's holiday tables), the award's enforcement.
#[utoipa::path(get, path = "/api/v1/arbitration/cases/{id}", tag = "arbitration", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn case(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(actions::view(&state, &actor, &id).await?))
}

/// Accept a filed case (the institution's case secretaries).
#[utoipa::path(post, path = "/api/v1/arbitration/cases/{id}/accept", tag = "arbitration", params(("id" = String, Path)),
    request_body = CaseDecision, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn accept(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<CaseDecision>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        actions::decide(&state, &actor, &id, "accepted", &input).await?,
    ))
}

/// Reject a filed case, with a note (the case secretaries); its matter closes.
#[utoipa::path(post, path = "/api/v1/arbitration/cases/{id}/reject", tag = "arbitration", params(("id" = String, Path)),
    request_body = CaseDecision, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn reject(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<CaseDecision>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        actions::decide(&state, &actor, &id, "rejected", &input).await?,
    ))
}

/// Record a procedural event of an accepted case (the case secretaries): its time limits
/// become the case's deadlines and reminder tasks.
#[utoipa::path(post, path = "/api/v1/arbitration/cases/{id}/events", tag = "arbitration", params(("id" = String, Path)),
    request_body = NewEvent, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn event(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewEvent>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        actions::record_event(&state, &actor, &id, &input).await?,
    ))
}

/// Record a proceeding for the recognition and enforcement of the case's award abroad (the
/// case secretaries and counsel); the award must be in the case file (409 `no_award`).
#[utoipa::path(post, path = "/api/v1/arbitration/cases/{id}/enforcements", tag = "arbitration", params(("id" = String, Path)),
    request_body = EnforcementInput, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_enforcement(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<EnforcementInput>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        actions::add_enforcement(&state, &actor, &id, &input).await?,
    ))
}

/// Change a proceeding (its decision, most often), with the `version` it was read at.
#[utoipa::path(put, path = "/api/v1/arbitration/cases/{id}/enforcements/{enforcement}", tag = "arbitration",
    params(("id" = String, Path), ("enforcement" = String, Path)),
    request_body = EnforcementInput, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn edit_enforcement(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, enforcement)): Path<(String, String)>,
    Json(input): Json<EnforcementInput>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        actions::edit_enforcement(&state, &actor, &id, &enforcement, &input).await?,
    ))
}

/// Nominate an arbitrator from the directory for a seat (counsel for their side; the
/// secretariat for the institution): both screens run at once and are kept with the nomination.
#[utoipa::path(post, path = "/api/v1/arbitration/cases/{id}/nominations", tag = "arbitration", params(("id" = String, Path)),
    request_body = NewNominationInput, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn nominate(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewNominationInput>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(tribunal::nominate(&state, &actor, &id, &input).await?))
}

/// Confirm or reject a nomination (the secretariat), challenge a confirmed arbitrator (counsel,
/// with grounds), uphold or dismiss a challenge (the secretariat).
#[utoipa::path(post, path = "/api/v1/arbitration/cases/{id}/nominations/{nomination}", tag = "arbitration",
    params(("id" = String, Path), ("nomination" = String, Path)),
    request_body = NominationStep, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn nomination_step(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, nomination)): Path<(String, String)>,
    Json(input): Json<NominationStep>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        tribunal::step(&state, &actor, &id, &nomination, &input).await?,
    ))
}

/// Draft (or redraft, after a return) the award: the presiding or sole arbitrator, with the
/// `version` read (0 for the first draft).
#[utoipa::path(put, path = "/api/v1/arbitration/cases/{id}/award", tag = "arbitration", params(("id" = String, Path)),
    request_body = AwardDraft, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn draft_award(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<AwardDraft>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(award::draft(&state, &actor, &id, &input).await?))
}

/// The award's next step: `submit` (the drafter), `approve` or `return` with a note (the
/// institution), `sign` (each member of the tribunal; the last signature renders the award to
/// PDF and files it in the case, anchored, with its receipt).
#[utoipa::path(post, path = "/api/v1/arbitration/cases/{id}/award", tag = "arbitration", params(("id" = String, Path)),
    request_body = AwardStep, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 503, body = ErrorBody)))]
async fn award_step(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<AwardStep>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(award::step(&state, &actor, &id, &input).await?))
}

/// Grant an extension of one of the case's time limits (the secretariat): the event that starts
/// it, the rule's article, days more or a new due date, and why. Checked by the deadline engine;
/// audited; every later read counts it.
#[utoipa::path(post, path = "/api/v1/arbitration/cases/{id}/extensions", tag = "arbitration", params(("id" = String, Path)),
    request_body = NewExtension, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn grant_extension(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewExtension>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(extensions::grant(&state, &actor, &id, &input).await?))
}

/// Record the arbitrator's disclosure on a nomination (the draft confirmed, or corrected): the
/// secretariat, as received from the nominee, or the seated arbitrator. Every participant sees
/// it; it joins the arbitrator's disclosure history on the roster.
#[utoipa::path(post, path = "/api/v1/arbitration/cases/{id}/nominations/{nomination}/disclosure", tag = "arbitration",
    params(("id" = String, Path), ("nomination" = String, Path)),
    request_body = DisclosureStatement, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn disclose(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, nomination)): Path<(String, String)>,
    Json(input): Json<DisclosureStatement>,
) -> Result<Json<CaseView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        disclosure::record(&state, &actor, &id, &nomination, &input).await?,
    ))
}

/// Publish the closed case (its award filed, or its matter closed) as a typical case of the
/// knowledge base, anonymised: the parties by their countries, the amount as a band (US dollars
/// only), no agreement text; the secretariat's summary, outcome and lessons may not name a party
/// (422 `names_a_party`). The case's secretariat, if it may edit the knowledge base; once.
#[utoipa::path(post, path = "/api/v1/arbitration/cases/{id}/publish", tag = "arbitration",
    params(("id" = String, Path)), request_body = PublishInput, security(("bearer" = [])),
    responses((status = 201, body = CaseRecord), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn publish(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<PublishInput>,
) -> Result<(StatusCode, Json<CaseRecord>)> {
    let id = MatterId::from_path(&id)?;
    let record = typical::publish(&state, &actor, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(record)))
}
