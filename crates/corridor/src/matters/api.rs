//! Matters over JSON: `/api/v1/matters/…`, `/api/v1/invitations/…`, `/api/v1/tasks`,
//! `/api/v1/calendar/feed`, `/api/v1/notifications`. Handlers translate HTTP; `actions` decides.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::actions::{self};
use super::http::{NotificationList, ics_response, notifications, pdf_response};
use super::model::*;
use crate::Result;
use crate::auth::CurrentUser;
use crate::ids::{MatterId, MeetingId, TaskId};
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::Locale;
use crate::web::extract::{Json, Path, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_matters, create_matter))
        .routes(routes!(get_matter, change_matter))
        .routes(routes!(add_participant))
        .routes(routes!(remove_participant))
        .routes(routes!(accept_invitation))
        .routes(routes!(register_by_invitation))
        .merge(super::api_documents::router())
        .routes(routes!(list_messages, post_message))
        .routes(routes!(timeline))
        .routes(routes!(summary_pdf))
        .routes(routes!(create_task))
        .routes(routes!(get_task, update_task))
        .routes(routes!(tasks_due))
        .routes(routes!(create_meeting))
        .routes(routes!(meeting_ics))
        .routes(routes!(renew_feed, revoke_feed))
        .routes(routes!(list_notifications))
        .routes(routes!(read_notifications))
        .routes(routes!(get_preferences, set_preferences))
}

/// My time zone and the language of my email.
#[utoipa::path(get, path = "/api/v1/me/preferences", tag = "matters", security(("bearer" = [])),
    responses((status = 200, body = Preferences), (status = 401, body = ErrorBody)))]
async fn get_preferences(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Preferences>> {
    let p = state.store.preferences(&actor.user_id).await?;
    Ok(Json(Preferences {
        locale: p.locale,
        time_zone: p.time_zone,
    }))
}

/// Set my time zone and the language of my email.
#[utoipa::path(put, path = "/api/v1/me/preferences", tag = "matters", request_body = Preferences, security(("bearer" = [])),
    responses((status = 200, body = Preferences), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_preferences(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<Preferences>,
) -> Result<Json<Preferences>> {
    Ok(Json(
        actions::set_preferences(&state, &actor, &input).await?,
    ))
}

/// My matters: those I take part in, and those I run as staff of their organization.
#[utoipa::path(get, path = "/api/v1/matters", tag = "matters", params(MatterQuery), security(("bearer" = [])),
    responses((status = 200, body = MatterPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_matters(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<MatterQuery>,
) -> Result<Json<MatterPage>> {
    Ok(Json(actions::my_matters(&state, &actor, &q).await?))
}

/// Open a matter; the opener becomes its first participant.
#[utoipa::path(post, path = "/api/v1/matters", tag = "matters", request_body = NewMatter, security(("bearer" = [])),
    responses((status = 201, body = Matter), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_matter(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<NewMatter>,
) -> Result<(StatusCode, Json<Matter>)> {
    Ok((
        StatusCode::CREATED,
        Json(actions::open_matter(&state, &actor, &input).await?),
    ))
}

/// A matter with its participants, documents, tasks and meetings (404 to anyone outside it).
#[utoipa::path(get, path = "/api/v1/matters/{id}", tag = "matters", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = MatterDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_matter(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<MatterDetail>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(actions::detail(&state, &actor, &id).await?))
}

/// Rename, close or reopen a matter (those who lead it).
#[utoipa::path(patch, path = "/api/v1/matters/{id}", tag = "matters", params(("id" = String, Path)), request_body = MatterChange,
    security(("bearer" = [])),
    responses((status = 200, body = Matter), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_matter(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<MatterChange>,
) -> Result<Json<Matter>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        actions::change_matter(&state, &actor, &id, &input).await?,
    ))
}

/// Add a participant by email; an unknown email gets a one-time invitation link.
#[utoipa::path(post, path = "/api/v1/matters/{id}/participants", tag = "matters", params(("id" = String, Path)),
    request_body = NewParticipant, security(("bearer" = [])),
    responses((status = 201, body = ParticipantAdded), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_participant(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewParticipant>,
) -> Result<(StatusCode, Json<ParticipantAdded>)> {
    let id = MatterId::from_path(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(actions::add_participant(&state, &actor, &id, &input).await?),
    ))
}

/// Remove a participant (those who lead), or leave (anyone).
#[utoipa::path(delete, path = "/api/v1/matters/{id}/participants/{user_id}", tag = "matters",
    params(("id" = String, Path), ("user_id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn remove_participant(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let id = MatterId::from_path(&id)?;
    actions::remove_participant(&state, &actor, &id, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accept an invitation with its token, as the signed-in user.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "matters", params(("token" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Matter), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn accept_invitation(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(token): Path<String>,
) -> Result<Json<Matter>> {
    Ok(Json(
        actions::accept_invitation(&state, &actor, &token).await?,
    ))
}

/// Make an account from an invitation link (for an address without one) and join the matter.
/// Sign in afterwards with the invited address and this password.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/register", tag = "matters", params(("token" = String, Path)),
    request_body = Registration,
    responses((status = 201, body = Matter), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register_by_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(input): Json<Registration>,
) -> Result<(StatusCode, Json<Matter>)> {
    let (_, matter) = actions::register_by_invitation(&state, &token, &input).await?;
    Ok((StatusCode::CREATED, Json(matter)))
}

/// Messages I may read in a matter, oldest first; reading marks them read.
#[utoipa::path(get, path = "/api/v1/matters/{id}/messages", tag = "matters", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<Message>), (status = 404, body = ErrorBody)))]
async fn list_messages(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Message>>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(actions::messages(&state, &actor, &id, true).await?))
}

/// Post a message to the matter, or to some of its roles.
#[utoipa::path(post, path = "/api/v1/matters/{id}/messages", tag = "matters", params(("id" = String, Path)), request_body = NewMessage,
    security(("bearer" = [])),
    responses((status = 201, body = Message), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_message(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewMessage>,
) -> Result<(StatusCode, Json<Message>)> {
    let id = MatterId::from_path(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(actions::post_message(&state, &actor, &id, &input).await?),
    ))
}

/// Every event of the matter I may see, oldest first, in my language.
#[utoipa::path(get, path = "/api/v1/matters/{id}/timeline", tag = "matters", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<TimelineEvent>), (status = 404, body = ErrorBody)))]
async fn timeline(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Vec<TimelineEvent>>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        actions::timeline(&state, &actor, &id, Locale::from_headers(&headers).tag()).await?,
    ))
}

/// The matter as a PDF summary, in my language and time zone (only what I may see in it).
#[utoipa::path(get, path = "/api/v1/matters/{id}/summary.pdf", tag = "matters", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "the summary", content_type = "application/pdf"), (status = 404, body = ErrorBody),
              (status = 503, body = ErrorBody)))]
async fn summary_pdf(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let bytes =
        super::summary::render(&state, &actor, &id, Locale::from_headers(&headers).tag()).await?;
    Ok(pdf_response(bytes, &id))
}

/// Set a task for a participant or a role, due at a time in a named zone.
#[utoipa::path(post, path = "/api/v1/matters/{id}/tasks", tag = "matters", params(("id" = String, Path)), request_body = NewTask,
    security(("bearer" = [])),
    responses((status = 201, body = Task), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_task(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewTask>,
) -> Result<(StatusCode, Json<Task>)> {
    let id = MatterId::from_path(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(actions::create_task(&state, &actor, &id, &input).await?),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct TaskWithHistory {
    pub task: Task,
    pub history: Vec<TaskChange>,
}

/// A task with its history.
#[utoipa::path(get, path = "/api/v1/matters/{id}/tasks/{task}", tag = "matters", params(("id" = String, Path), ("task" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = TaskWithHistory), (status = 404, body = ErrorBody)))]
async fn get_task(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, task)): Path<(String, String)>,
) -> Result<Json<TaskWithHistory>> {
    let id = MatterId::from_path(&id)?;
    let task = TaskId::from_path(&task)?;
    let t = actions::task(&state, &actor, &id, &task).await?;
    let history = state.store.task_history(&t.id).await?;
    Ok(Json(TaskWithHistory { task: t, history }))
}

/// Change a task; send the `version` you read. A task changed since answers 409.
#[utoipa::path(patch, path = "/api/v1/matters/{id}/tasks/{task}", tag = "matters", params(("id" = String, Path), ("task" = String, Path)),
    request_body = TaskEdit, security(("bearer" = [])),
    responses((status = 200, body = Task), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_task(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, task)): Path<(String, String)>,
    Json(input): Json<TaskEdit>,
) -> Result<Json<Task>> {
    let id = MatterId::from_path(&id)?;
    let task = TaskId::from_path(&task)?;
    Ok(Json(
        actions::update_task(&state, &actor, &id, &task, &input).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct DueTask {
    pub task: Task,
    pub reference: String,
}

/// Open tasks due in the next 7 days, or overdue, across my matters.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "matters", params(TaskViewQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<DueTask>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn tasks_due(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<TaskViewQuery>,
) -> Result<Json<Vec<DueTask>>> {
    let view = q.view.as_deref().unwrap_or("due_soon");
    Ok(Json(
        actions::tasks_due(&state, &actor, view)
            .await?
            .into_iter()
            .map(|(task, reference)| DueTask { task, reference })
            .collect(),
    ))
}

/// Set a hearing, a notarization session or a meeting, in a named time zone.
#[utoipa::path(post, path = "/api/v1/matters/{id}/meetings", tag = "matters", params(("id" = String, Path)), request_body = NewMeeting,
    security(("bearer" = [])),
    responses((status = 201, body = Meeting), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewMeeting>,
) -> Result<(StatusCode, Json<Meeting>)> {
    let id = MatterId::from_path(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(actions::create_meeting(&state, &actor, &id, &input).await?),
    ))
}

/// The meeting as an iCalendar file.
#[utoipa::path(get, path = "/api/v1/matters/{id}/meetings/{meeting}/ics", tag = "matters",
    params(("id" = String, Path), ("meeting" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "iCalendar", content_type = "text/calendar"), (status = 404, body = ErrorBody)))]
async fn meeting_ics(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, meeting)): Path<(String, String)>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let meeting = MeetingId::from_path(&meeting)?;
    Ok(ics_response(
        actions::meeting_ics(&state, &actor, &id, &meeting).await?,
        "meeting",
    ))
}

#[derive(Serialize, ToSchema)]
pub struct FeedUrl {
    /// Private: anyone with it reads your meetings. Renew or revoke it at any time.
    pub url: String,
}

/// A new private calendar feed URL; the previous one stops working.
#[utoipa::path(post, path = "/api/v1/calendar/feed", tag = "matters", security(("bearer" = [])),
    responses((status = 201, body = FeedUrl), (status = 401, body = ErrorBody)))]
async fn renew_feed(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<(StatusCode, Json<FeedUrl>)> {
    Ok((
        StatusCode::CREATED,
        Json(FeedUrl {
            url: actions::renew_calendar_feed(&state, &actor).await?,
        }),
    ))
}

/// Revoke my calendar feed URL.
#[utoipa::path(delete, path = "/api/v1/calendar/feed", tag = "matters", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn revoke_feed(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<StatusCode> {
    actions::revoke_calendar_feed(&state, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// My notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "matters", security(("bearer" = [])),
    responses((status = 200, body = NotificationList), (status = 401, body = ErrorBody)))]
async fn list_notifications(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    headers: HeaderMap,
) -> Result<Json<NotificationList>> {
    Ok(Json(
        notifications(&state, &actor, Locale::from_headers(&headers).tag()).await?,
    ))
}

/// Mark all my notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "matters", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn read_notifications(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<StatusCode> {
    state.store.mark_notifications_read(&actor.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
