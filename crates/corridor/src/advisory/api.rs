//! Plans over JSON. `POST /api/v1/plans/preview`: nothing is stored and no sign-in is needed
//! (the library is public; the plan is [`super::plan_for`]'s, as `corridor plan --json` prints
//! it). `/api/v1/projects`: an enterprise's projects, kept with the plan it accepted
//! ([`super::projects`] decides who may do what).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::profiles::{self, ProfileInput, ProfileView};
use super::projects::{self, ProjectDetail, ProjectInput, ProjectPage, ProjectQuery};
use super::{Plan, PlanRequest, ScheduleFees, plan_with};
use crate::Result;
use crate::auth::CurrentUser;
use crate::ids::ProjectId;
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(preview))
        .routes(routes!(list_projects, open_project))
        .routes(routes!(get_project, change_project))
        .routes(routes!(accept_plan))
        .routes(routes!(plan_pdf))
        .routes(routes!(programme))
        .merge(super::api_referrals::router())
        .merge(super::api_library::router())
        .routes(routes!(profile, save_profile))
}

/// The legal-service plan for an outbound project described in the body (the format of
/// `corridor plan`, in `docs/advisory.md`): four sections of items, each with why it applies,
/// its legal basis and sources; the questions still open; the China side; a dispute clause.
/// An unknown code is a 422 naming the field and every unknown value.
#[utoipa::path(post, path = "/api/v1/plans/preview", tag = "advisory", request_body = PlanRequest,
    responses((status = 200, body = Plan), (status = 400, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn preview(
    State(state): State<AppState>,
    Json(request): Json<PlanRequest>,
) -> Result<Json<Plan>> {
    let today = crate::jurisdiction::today();
    let lib = super::library_revisions::current(&state.store).await?;
    Ok(Json(plan_with(&lib, &request, today, &ScheduleFees)?))
}

/// The projects I may read: my enterprises' (a bureau officer: every enterprise's), most
/// recently changed first, 50 a page.
#[utoipa::path(get, path = "/api/v1/projects", tag = "advisory", params(ProjectQuery), security(("bearer" = [])),
    responses((status = 200, body = ProjectPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_projects(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<ProjectQuery>,
) -> Result<Json<ProjectPage>> {
    Ok(Json(projects::list(&state.store, &actor, &q).await?))
}

/// Open an outbound project for my enterprise; its plan is made and accepted at once.
#[utoipa::path(post, path = "/api/v1/projects", tag = "advisory", request_body = ProjectInput, security(("bearer" = [])),
    responses((status = 201, body = ProjectDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn open_project(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<ProjectInput>,
) -> Result<(StatusCode, Json<ProjectDetail>)> {
    let project = projects::open_project(&state.store, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(project)))
}

/// A project with its plan as made today and what differs from the plan last accepted (404 to
/// anyone outside its enterprise but the bureau).
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "advisory", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ProjectDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_project(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ProjectDetail>> {
    let id = ProjectId::from_path(&id)?;
    Ok(Json(projects::detail(&state.store, &actor, &id).await?))
}

/// Replace what the project says (title, stage, value, answers); the new plan is accepted.
#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "advisory", params(("id" = String, Path)), request_body = ProjectInput,
    security(("bearer" = [])),
    responses((status = 200, body = ProjectDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_project(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<ProjectInput>,
) -> Result<Json<ProjectDetail>> {
    let id = ProjectId::from_path(&id)?;
    Ok(Json(
        projects::change_project(&state.store, &actor, &id, &input).await?,
    ))
}

/// Accept the plan as it is made today (after a library change): `changes` count from it.
#[utoipa::path(post, path = "/api/v1/projects/{id}/plan/accept", tag = "advisory", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ProjectDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn accept_plan(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ProjectDetail>> {
    let id = ProjectId::from_path(&id)?;
    Ok(Json(
        projects::accept_plan(&state.store, &actor, &id).await?,
    ))
}

/// The project's plan as a PDF in my language (`Accept-Language`), as made today.
#[utoipa::path(get, path = "/api/v1/projects/{id}/plan.pdf", tag = "advisory", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, description = "the plan", content_type = "application/pdf"), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn plan_pdf(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = ProjectId::from_path(&id)?;
    let locale = crate::web::Locale::from_headers(&headers);
    super::plan_pdf::render(&state, &actor, &id, locale.tag()).await
}

/// The programme live (programme staff): the directory's published figures, plans by country,
/// sector and stage, referrals and response times, engagements and overdue tasks.
#[utoipa::path(get, path = "/api/v1/programme", tag = "advisory", security(("bearer" = [])),
    responses((status = 200, body = super::dashboard::Programme), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn programme(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<super::dashboard::Programme>> {
    Ok(Json(
        super::dashboard::programme(&state.store, &actor).await?,
    ))
}

/// An enterprise's profile: what is true of it whatever the project (sectors, size, ownership,
/// SASAC supervision, CIIO and important-data status, personal-information volumes, group
/// revenue). Its members and the bureau read it; to others it does not exist (404).
#[utoipa::path(get, path = "/api/v1/enterprises/{key}/profile", tag = "advisory", params(("key" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ProfileView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn profile(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
) -> Result<Json<ProfileView>> {
    Ok(Json(profiles::read(&state.store, &actor, &key).await?))
}

/// Save the profile (the enterprise's members), with the `version` it was read at (0 for the
/// first save): 409 when someone saved it since. New projects' answers take from it what they
/// do not say themselves.
#[utoipa::path(put, path = "/api/v1/enterprises/{key}/profile", tag = "advisory", params(("key" = String, Path)),
    request_body = ProfileInput, security(("bearer" = [])),
    responses((status = 200, body = ProfileView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_profile(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
    Json(input): Json<ProfileInput>,
) -> Result<Json<ProfileView>> {
    Ok(Json(
        profiles::save(&state.store, &actor, &key, &input).await?,
    ))
}
