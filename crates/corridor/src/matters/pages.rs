//! Matter pages: my matters, one matter with everything in it, invitations, notifications,
//! and the public calendar feed. Each form calls the same action as the API.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::actions;
use super::http::{content_response, ics_response, pdf_response, read_upload};
use super::kind::MatterKind;
use super::model::*;
use crate::auth::CurrentUser;
use crate::ids::{DocumentId, MatterId, MeetingId, TaskId};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new()
        .route("/matters", get(list).post(open))
        .route("/matters/{id}", get(show))
        .route("/matters/{id}/status", post(status))
        .route("/matters/{id}/summary.pdf", get(summary_pdf))
        .route("/matters/{id}/participants", post(add_participant))
        // As in the API: the upload limit, not axum's 2 MB Multipart default (see api.rs).
        .route(
            "/matters/{id}/documents",
            post(upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/matters/{id}/documents/{doc}", get(download))
        .route("/matters/{id}/documents/{doc}/receipt", get(receipt))
        .route("/matters/{id}/messages", post(message))
        .route("/matters/{id}/tasks", post(new_task))
        .route("/matters/{id}/tasks/{task}", post(edit_task))
        .route("/matters/{id}/meetings", post(new_meeting))
        .route("/matters/{id}/meetings/{meeting}/ics", get(meeting_ics))
        .route("/calendar/feed", post(renew_feed))
        .route("/calendar/feed/revoke", post(revoke_feed))
        .route("/calendar/{file}", get(feed))
        .route("/account/preferences", post(preferences))
}

#[derive(Deserialize)]
struct PreferencesForm {
    time_zone: String,
    locale: String,
}

async fn preferences(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Form(form): Form<PreferencesForm>,
) -> Result<Redirect> {
    let input = Preferences {
        time_zone: form.time_zone,
        locale: form.locale,
    };
    actions::set_preferences(&state, &actor, &input).await?;
    Ok(Redirect::to("/matters#preferences"))
}

/// Pages that need a signed-in user send others to sign in and come back.
pub(super) fn sign_in(ctx: &PageCtx) -> Response {
    Redirect::to(&ctx.login_url()).into_response()
}

#[derive(Template)]
#[template(path = "matters/list.html")]
struct ListPage {
    ctx: PageCtx,
    page: MatterPage,
    query: MatterQuery,
    kinds: &'static [MatterKind],
    due_soon: Vec<(Task, String)>,
    overdue: Vec<(Task, String)>,
    organizations: Vec<(String, String)>,
    feed_url: Option<String>,
    has_feed: bool,
    preferences: super::store::Preferences,
}

impl ListPage {
    fn kind_label(&self, kind: &MatterKind) -> String {
        self.ctx.t(&format!("matters.kind.{}", kind.as_str()))
    }
    fn selected(&self, field: &Option<String>, value: &str) -> bool {
        field.as_deref() == Some(value)
    }
}

async fn list_page(
    state: &AppState,
    ctx: PageCtx,
    query: MatterQuery,
    feed_url: Option<String>,
) -> Result<Response> {
    let Some(actor) = ctx.actor.clone() else {
        return Ok(sign_in(&ctx));
    };
    let page = actions::my_matters(state, &actor, &query).await?;
    let due_soon = actions::tasks_due(state, &actor, "due_soon").await?;
    let overdue = actions::tasks_due(state, &actor, "overdue").await?;
    let organizations = actor
        .memberships
        .iter()
        .map(|m| {
            (
                m.organization_id.clone(),
                ctx.pick(&m.name_zh, &m.name_en).to_string(),
            )
        })
        .collect();
    let has_feed = state.store.has_calendar_feed(&actor.user_id).await?;
    let preferences = state.store.preferences(&actor.user_id).await?;
    Ok(render(ListPage {
        preferences,
        ctx,
        page,
        query,
        kinds: MatterKind::ALL,
        due_soon,
        overdue,
        organizations,
        feed_url,
        has_feed,
    })?
    .into_response())
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(query): Query<MatterQuery>,
) -> Result<Response> {
    list_page(&state, ctx, query, None).await
}

#[derive(Deserialize)]
struct OpenForm {
    title: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    kind: String,
}

async fn open(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Form(form): Form<OpenForm>,
) -> Result<Redirect> {
    let kind = if form.kind.is_empty() {
        "general".into()
    } else {
        form.kind
    };
    let matter = actions::open_matter(
        &state,
        &actor,
        &NewMatter {
            kind,
            title: form.title,
            organization: Some(form.organization).filter(|o| !o.is_empty()),
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/matters/{}", matter.id)))
}

#[derive(Template)]
#[template(path = "matters/show.html")]
struct ShowPage {
    ctx: PageCtx,
    d: MatterDetail,
    messages: Vec<Message>,
    timeline: Vec<TimelineEvent>,
    roles: &'static [&'static str],
    /// The roles the invitation form offers: not those only the workflow gives.
    /// Open and closed are set by the kind's workflow (an evidence file's close button is on
    /// its own page), so the matter page offers no close or reopen.
    status_by_workflow: bool,
    invite_roles: Vec<&'static str>,
    document_roles: &'static [&'static str],
    meeting_kinds: &'static [&'static str],
    can_lead: bool,
    /// Tasks are submitted for review and signed off by whoever leads (the kind's rule).
    review: bool,
    invitation_link: Option<String>,
    time_zone: String,
    has_pdf: bool,
}

impl ShowPage {
    fn role(&self, code: &str) -> String {
        self.ctx.t(&format!("matters.roles.{code}"))
    }
    fn doc_role(&self, code: &str) -> String {
        self.ctx.t(&format!("matters.document_roles.{code}"))
    }
    fn meeting_kind(&self, code: &str) -> String {
        self.ctx.t(&format!("matters.meeting_kinds.{code}"))
    }
    fn task_status(&self, code: &str) -> String {
        self.ctx.t(&format!("matters.task_status.{code}"))
    }

    /// The buttons a task offers the reader: (new status, label). Where work is reviewed, an
    /// open task is submitted for review and only those who lead sign it off or send it back.
    fn task_moves(&self, status: &str) -> Vec<(&'static str, String)> {
        let t = |key: &str| self.ctx.t(key);
        match (status, self.review, self.can_lead) {
            ("open", false, _) | ("open", true, true) => vec![("done", t("matters.mark_done"))],
            ("open", true, false) => vec![("in_review", t("matters.submit_review"))],
            ("in_review", _, true) => vec![
                ("done", t("matters.approve")),
                ("open", t("matters.send_back")),
            ],
            _ => Vec::new(),
        }
    }
    fn upload_action(&self) -> String {
        format!(
            "/matters/{}/documents?csrf={}",
            self.d.matter.id, self.ctx.csrf
        )
    }
    fn roles_text(&self, roles: &[String]) -> String {
        roles
            .iter()
            .map(|r| self.role(r))
            .collect::<Vec<_>>()
            .join(", ")
    }
    fn short(&self, sha: &str) -> String {
        sha.chars().take(12).collect()
    }
    /// An instant in the reader's own zone.
    fn local(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        super::when::in_zone(*at, super::when::stored_zone(&self.time_zone))
    }
    fn kind_label(&self) -> String {
        self.ctx
            .t(&format!("matters.kind.{}", self.d.matter.kind.as_str()))
    }
    fn status_label(&self) -> String {
        self.ctx
            .t(&format!("matters.status.{}", self.d.matter.status))
    }
    fn owner_name(&self) -> String {
        self.ctx
            .pick(&self.d.matter.owner.name_zh, &self.d.matter.owner.name_en)
            .to_string()
    }
}

async fn show_page(
    state: &AppState,
    ctx: PageCtx,
    id: &MatterId,
    invitation_link: Option<String>,
) -> Result<Response> {
    let Some(actor) = ctx.actor.clone() else {
        return Ok(sign_in(&ctx));
    };
    let d = actions::detail(state, &actor, id).await?;
    let messages = actions::messages(state, &actor, id, true).await?;
    let timeline = actions::timeline(state, &actor, id, ctx.lang()).await?;
    let rules = d.matter.kind.rules();
    let standing = actions::load(state, &actor, id).await?.standing;
    let time_zone = state.store.preferences(&actor.user_id).await?.time_zone;
    Ok(render(ShowPage {
        ctx,
        roles: rules.roles,
        invite_roles: rules
            .roles
            .iter()
            .copied()
            .filter(|r| !rules.workflow_roles.contains(r))
            .collect(),
        document_roles: rules.document_roles,
        meeting_kinds: rules.meeting_kinds,
        can_lead: standing.can_lead(),
        status_by_workflow: rules.status_by_workflow,
        review: rules.review_before_done,
        d,
        messages,
        timeline,
        invitation_link,
        time_zone,
        has_pdf: super::summary::available(state),
    })?
    .into_response())
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    show_page(&state, ctx, &id, None).await
}

async fn summary_pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let bytes = super::summary::render(&state, &actor, &id, ctx.lang()).await?;
    Ok(pdf_response(bytes, &id))
}

fn back(id: &MatterId, anchor: &str) -> Redirect {
    Redirect::to(&format!("/matters/{id}#{anchor}"))
}

#[derive(Deserialize)]
struct StatusForm {
    status: String,
}

async fn status(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    actions::change_matter(
        &state,
        &actor,
        &id,
        &MatterChange {
            title: None,
            status: Some(form.status),
        },
    )
    .await?;
    Ok(back(&id, "top"))
}

#[derive(Deserialize)]
struct ParticipantForm {
    email: String,
    role: String,
}

async fn add_participant(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ParticipantForm>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let added = actions::add_participant(
        &state,
        &actor,
        &id,
        &NewParticipant {
            email: form.email,
            role: form.role,
        },
    )
    .await?;
    match added.link {
        // The link is shown once, on this answer, never put in a URL.
        Some(link) => show_page(&state, ctx, &id, Some(link)).await,
        None => Ok(back(&id, "participants").into_response()),
    }
}

async fn upload(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    read_upload(&state, &actor, &id, multipart).await?;
    Ok(back(&id, "documents"))
}

async fn download(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let doc = DocumentId::from_path(&doc)?;
    content_response(&state, &actor, &id, &doc).await
}

/// The receipt as a file to keep beside the document: `{record, receipt, vkey}`.
async fn receipt(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let doc = DocumentId::from_path(&doc)?;
    let r = actions::document_receipt(&state, &actor, &id, &doc).await?;
    let body = serde_json::to_string_pretty(&r).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"receipt-{}.json\"", r.index),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
struct MessageForm {
    body: String,
    #[serde(default)]
    to_roles: Vec<String>,
}

async fn message(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<MessageForm>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    actions::post_message(
        &state,
        &actor,
        &id,
        &NewMessage {
            body: form.body,
            to_roles: form.to_roles,
        },
    )
    .await?;
    Ok(back(&id, "messages"))
}

#[derive(Deserialize)]
struct TaskForm {
    title: String,
    #[serde(default)]
    assignee_email: String,
    #[serde(default)]
    assignee_role: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    time_zone: String,
}

fn some(text: String) -> Option<String> {
    Some(text).filter(|t| !t.trim().is_empty())
}

async fn new_task(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<TaskForm>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = NewTask {
        title: form.title,
        notes: String::new(),
        assignee_email: some(form.assignee_email),
        assignee_role: some(form.assignee_role),
        due: some(form.due),
        time_zone: some(form.time_zone),
    };
    actions::create_task(&state, &actor, &id, &input).await?;
    Ok(back(&id, "tasks"))
}

#[derive(Deserialize)]
struct TaskStatusForm {
    version: i32,
    status: String,
}

async fn edit_task(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, task)): Path<(String, String)>,
    Form(form): Form<TaskStatusForm>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let task = TaskId::from_path(&task)?;
    let edit = TaskEdit {
        version: form.version,
        status: Some(form.status),
        title: None,
        notes: None,
        due: None,
        time_zone: None,
        assignee_email: None,
        assignee_role: None,
    };
    actions::update_task(&state, &actor, &id, &task, &edit).await?;
    Ok(back(&id, "tasks"))
}

#[derive(Deserialize)]
struct MeetingForm {
    kind: String,
    title: String,
    starts: String,
    #[serde(default)]
    duration_minutes: String,
    time_zone: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    online_url: String,
}

async fn new_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<MeetingForm>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let duration_minutes = match form.duration_minutes.trim() {
        "" => None,
        n => Some(
            n.parse()
                .map_err(|_| AppError::invalid("duration_minutes", "out_of_range"))?,
        ),
    };
    let input = NewMeeting {
        kind: form.kind,
        title: form.title,
        starts: form.starts,
        duration_minutes,
        time_zone: form.time_zone,
        location: form.location,
        online_url: form.online_url,
    };
    actions::create_meeting(&state, &actor, &id, &input).await?;
    Ok(back(&id, "meetings"))
}

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

async fn renew_feed(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
) -> Result<Response> {
    let url = actions::renew_calendar_feed(&state, &actor).await?;
    list_page(&state, ctx, MatterQuery::default(), Some(url)).await
}

async fn revoke_feed(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Redirect> {
    actions::revoke_calendar_feed(&state, &actor).await?;
    Ok(Redirect::to("/matters"))
}

/// The private feed: the token in the address is the credential.
async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response> {
    Ok(ics_response(
        actions::calendar_feed(&state, &file).await?,
        "corridor",
    ))
}
