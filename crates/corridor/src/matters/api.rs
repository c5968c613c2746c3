//! Matters over JSON: `/api/v1/matters/…`, `/api/v1/invitations/…`, `/api/v1/tasks`,
//! `/api/v1/calendar/feed`, `/api/v1/notifications`. Handlers translate HTTP; `actions` decides.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::actions::{self, DocumentMeta};
use super::model::*;
use crate::app::AppState;
use crate::auth::{Actor, CurrentUser};
use crate::openapi::ErrorBody;
use crate::web::Locale;
use crate::web::extract::{Json, Path, Query};
use crate::web::idempotency::{self, IdempotencyKey};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_matters, create_matter))
        .routes(routes!(get_matter, change_matter))
        .routes(routes!(add_participant))
        .routes(routes!(remove_participant))
        .routes(routes!(accept_invitation))
        .routes(routes!(register_by_invitation))
        // axum's Multipart stops at 2 MB by default (`DefaultBodyLimit`); uploads are bounded
        // by `web::body_limit` (upload_limit_mb) and by `Files::stage` as they stream instead.
        .routes(routes!(upload_document).layer(DefaultBodyLimit::disable()))
        .routes(routes!(document_content))
        .routes(routes!(document_receipt))
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

/// Reads a multipart upload: the metadata fields and the file, streamed into staging. Fields
/// may come in any order.
pub async fn read_upload(
    state: &AppState,
    actor: &Actor,
    id: &str,
    multipart: Multipart,
) -> Result<Document> {
    let (meta, staged) = stage_upload(state, actor, id, multipart).await?;
    actions::file_document(state, actor, id, &meta, &staged, None).await
}

/// Reads a multipart upload: the metadata fields and the file, streamed into staging. Fields
/// may come in any order.
pub async fn stage_upload(
    state: &AppState,
    actor: &Actor,
    id: &str,
    mut multipart: Multipart,
) -> Result<(DocumentMeta, super::files::Staged)> {
    let files = state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    // An outsider's upload is not read at all.
    actions::check_filing(state, actor, id).await?;
    let mut meta = DocumentMeta::default();
    let mut staged = None;
    let bad = |e: axum::extract::multipart::MultipartError| AppError::Unreadable {
        status: e.status(),
        detail: e.body_text(),
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                if let Some(s) = &staged {
                    files.discard(s).await;
                }
                return Err(bad(e));
            }
        };
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" if staged.is_none() => {
                meta.name = field.file_name().unwrap_or("document").to_string();
                meta.content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_string();
                staged = Some(files.stage(field.map_err(|e| e.body_text())).await?);
            }
            "role" | "visible_to" | "replaces" => {
                let value = field.text().await.map_err(bad)?;
                if value.len() > 1000 {
                    return Err(AppError::invalid(name, "too_long"));
                }
                match name.as_str() {
                    "role" => meta.role = value,
                    "visible_to" => meta.visible_to = value,
                    _ => meta.replaces = Some(value),
                }
            }
            other => {
                if let Some(s) = &staged {
                    files.discard(s).await;
                }
                return Err(AppError::invalid(other.to_string(), "unknown_field"));
            }
        }
    }
    let staged = staged.ok_or_else(|| AppError::invalid("file", "required"))?;
    Ok((meta, staged))
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
    let key = IdempotencyKey::from_headers(&headers)?;
    let (meta, staged) = stage_upload(&state, &actor, &id, multipart).await?;
    let digest = idempotency::request_digest(&[
        id.as_bytes(),
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

/// Streams a document's bytes after checking access.
pub async fn content_response(
    state: &AppState,
    actor: &Actor,
    id: &str,
    doc_id: &str,
) -> Result<Response> {
    let (_, doc) = actions::readable_document(state, actor, id, doc_id).await?;
    let files = state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    let stream = files
        .open_blob(&doc.sha256)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("document content: {e}")))?;
    let disposition = format!(
        "attachment; filename=\"document\"; filename*=UTF-8''{}",
        crate::web::page::urlencode(&doc.name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, doc.content_type.clone()),
            (header::CONTENT_LENGTH, doc.size.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
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
    Ok(Json(
        actions::document_receipt(&state, &actor, &id, &doc).await?,
    ))
}

/// Messages I may read in a matter, oldest first; reading marks them read.
#[utoipa::path(get, path = "/api/v1/matters/{id}/messages", tag = "matters", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<Message>), (status = 404, body = ErrorBody)))]
async fn list_messages(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Message>>> {
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
    Ok(Json(
        actions::timeline(&state, &actor, &id, Locale::from_headers(&headers).tag()).await?,
    ))
}

pub fn pdf_response(bytes: Vec<u8>, id: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"matter-{id}.pdf\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
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
    Ok((
        StatusCode::CREATED,
        Json(actions::create_meeting(&state, &actor, &id, &input).await?),
    ))
}

pub fn ics_response(body: String, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.ics\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
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

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    pub unread: i64,
    pub items: Vec<Notification>,
}

pub async fn notifications(
    state: &AppState,
    actor: &Actor,
    locale: &str,
) -> Result<NotificationList> {
    let rows = state.store.notifications(&actor.user_id, 100).await?;
    Ok(NotificationList {
        unread: state.store.unread_notifications(&actor.user_id).await?,
        items: rows
            .into_iter()
            .map(
                |(id, matter_id, kind, args, link, created_at, read)| Notification {
                    text: super::text::render("notice", &kind, &args, locale),
                    id,
                    matter_id,
                    kind,
                    link,
                    created_at,
                    read,
                },
            )
            .collect(),
    })
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
