//! The work in a matter: messages, the timeline, tasks and their deadlines, meetings and the
//! calendar feed.

use chrono::Duration;

use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::directory::validate::text;
use crate::ids::{MatterId, MeetingId, TaskId};
use crate::matters::kind::{MatterKind, parse_roles};
use crate::matters::model::*;
use crate::matters::store::{Change, Member};
use crate::matters::store_work::{MeetingFields, TaskFields};
use crate::matters::when;
use crate::state::AppState;
use crate::{AppError, Result};

use super::{load, require, role};

pub async fn post_message(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &NewMessage,
) -> Result<Message> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_work())?;
    let body = text("body", &input.body, true, 10_000)?;
    let to_roles = parse_roles(m.row.kind(), "to_roles", &input.to_roles.join(" "))?;
    let members = state.store.members(id).await?;
    let msg_id = state
        .store
        .post_message(
            &Change {
                who: &Who::from(actor),
                actor_id: &actor.user_id,
                matter: &m.row,
                base: &state.settings.public_url(),
            },
            &actor.name,
            &body,
            &to_roles,
            &members,
        )
        .await?;
    messages(state, actor, id, false)
        .await?
        .into_iter()
        .find(|msg| msg.id == msg_id)
        .ok_or(AppError::NotFound)
}

/// The messages the actor may read; with `mark_read`, they become read.
pub async fn messages(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    mark_read: bool,
) -> Result<Vec<Message>> {
    let m = load(state, actor, id).await?;
    let rows = state.store.messages(id, &actor.user_id).await?;
    let visible: Vec<Message> = rows
        .into_iter()
        .map(
            |(id, author_id, author_name, body, to_roles, created_at, read)| Message {
                to_roles: crate::matters::kind::split_roles(&to_roles),
                id,
                author_id,
                author_name,
                body,
                created_at,
                read,
            },
        )
        .filter(|msg| {
            m.standing
                .can_see(&msg.to_roles, msg.author_id == actor.user_id)
        })
        .collect();
    if mark_read {
        let unread: Vec<String> = visible
            .iter()
            .filter(|m| !m.read)
            .map(|m| m.id.clone())
            .collect();
        if !unread.is_empty() {
            state
                .store
                .mark_messages_read(&actor.user_id, &unread)
                .await?;
        }
    }
    Ok(visible)
}

pub async fn timeline(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    locale: &str,
) -> Result<Vec<TimelineEvent>> {
    let m = load(state, actor, id).await?;
    let rows = state.store.timeline(id).await?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, _, _, _, visible)| {
            m.standing
                .can_see(&crate::matters::kind::split_roles(visible), false)
        })
        .map(
            |(id, at, kind, actor_name, object_id, args, _)| TimelineEvent {
                text: crate::matters::text::render("event", &kind, &args, locale),
                id,
                at,
                kind,
                actor_name,
                object_id,
            },
        )
        .collect())
}

fn assignee(
    kind: MatterKind,
    members: &[Member],
    email: Option<&str>,
    role_text: Option<&str>,
) -> Result<(Option<String>, Option<String>)> {
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    let role_text = role_text.map(str::trim).filter(|r| !r.is_empty());
    let user = match email {
        Some(e) => {
            let e = e.to_lowercase();
            Some(
                members
                    .iter()
                    .find(|m| m.email == e)
                    .ok_or_else(|| AppError::invalid("assignee_email", "not_a_participant"))?
                    .user_id
                    .clone(),
            )
        }
        None => None,
    };
    let role = match role_text {
        Some(r) => Some(role(kind, "assignee_role", r)?),
        None => None,
    };
    Ok((user, role))
}

pub async fn create_task(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &NewTask,
) -> Result<Task> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_work())?;
    let members = state.store.members(id).await?;
    let prefs = state.store.preferences(&actor.user_id).await?;
    let zone_text = input.time_zone.clone().unwrap_or(prefs.time_zone.clone());
    let zone = when::parse_zone("time_zone", &zone_text)?;
    let due_at = match input
        .due
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(d) => Some(when::local_to_utc("due", d, zone)?),
        None => None,
    };
    let (assignee_user_id, assignee_role) = assignee(
        m.row.kind(),
        &members,
        input.assignee_email.as_deref(),
        input.assignee_role.as_deref(),
    )?;
    let fields = TaskFields {
        title: text("title", &input.title, true, 200)?,
        notes: text("notes", &input.notes, false, 5000)?,
        assignee_user_id,
        assignee_role,
        due_at,
        time_zone: zone.name().to_string(),
        status: "open".into(),
    };
    let task_id = state
        .store
        .create_task(
            &Change {
                who: &Who::from(actor),
                actor_id: &actor.user_id,
                matter: &m.row,
                base: &state.settings.public_url(),
            },
            &fields,
            &members,
        )
        .await?;
    task(state, actor, id, &task_id).await
}

pub async fn update_task(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    task_id: &TaskId,
    input: &TaskEdit,
) -> Result<Task> {
    let m = load(state, actor, id).await?;
    let old = state
        .store
        .task(id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    require(m.standing.can_edit_task(
        &actor.user_id,
        &old.created_by,
        old.assignee_user_id.as_deref(),
        old.assignee_role.as_deref(),
    ))?;
    if input.version != old.version {
        return Err(AppError::Conflict("task_changed"));
    }
    let members = state.store.members(id).await?;
    let zone_text = input.time_zone.clone().unwrap_or(old.time_zone.clone());
    let zone = when::parse_zone("time_zone", &zone_text)?;
    let due_at = match input.due.as_deref().map(str::trim) {
        Some("") => None,
        Some(d) => Some(when::local_to_utc("due", d, zone)?),
        None => old.due_at,
    };
    let (mut assignee_user_id, mut assignee_role) =
        (old.assignee_user_id.clone(), old.assignee_role.clone());
    if input.assignee_email.is_some() || input.assignee_role.is_some() {
        (assignee_user_id, assignee_role) = assignee(
            m.row.kind(),
            &members,
            input.assignee_email.as_deref(),
            input.assignee_role.as_deref(),
        )?;
    }
    let status = match input.status.as_deref().map(str::trim) {
        Some(s) if crate::matters::kind::TASK_STATUSES.contains(&s) => s.to_string(),
        Some(_) => return Err(AppError::invalid("status", "unknown_status")),
        None => old.status.clone(),
    };
    require(m.standing.can_set_task_status(&old.status, &status))?;
    let fields = TaskFields {
        title: match &input.title {
            Some(t) => text("title", t, true, 200)?,
            None => old.title.clone(),
        },
        notes: match &input.notes {
            Some(n) => text("notes", n, false, 5000)?,
            None => old.notes.clone(),
        },
        assignee_user_id,
        assignee_role,
        due_at,
        time_zone: zone.name().to_string(),
        status,
    };
    state
        .store
        .update_task(
            &Change {
                who: &Who::from(actor),
                actor_id: &actor.user_id,
                matter: &m.row,
                base: &state.settings.public_url(),
            },
            &old,
            input.version,
            &fields,
            &members,
        )
        .await?;
    task(state, actor, id, task_id).await
}

pub fn task_view(t: crate::matters::store_work::TaskRow) -> Task {
    let due_local = t
        .due_at
        .map(|d| when::in_zone(d, when::stored_zone(&t.time_zone)));
    Task {
        id: t.id,
        matter_id: t.matter_id,
        title: t.title,
        notes: t.notes,
        assignee_user_id: t.assignee_user_id,
        assignee_name: t.assignee_name,
        assignee_role: t.assignee_role,
        due_at: t.due_at,
        time_zone: t.time_zone,
        due_local,
        status: t.status,
        version: t.version,
        created_by: t.created_by,
        created_at: t.created_at,
        updated_at: t.updated_at,
    }
}

pub async fn task(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    task_id: &TaskId,
) -> Result<Task> {
    load(state, actor, id).await?;
    let t = state
        .store
        .task(id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(task_view(t))
}

/// Open tasks due in the next 7 days (`due_soon`) or already past (`overdue`) across the
/// actor's matters.
pub async fn tasks_due(state: &AppState, actor: &Actor, view: &str) -> Result<Vec<(Task, String)>> {
    let now = crate::ids::now();
    let (from, until) = match view {
        "due_soon" => (Some(now), now + Duration::days(7)),
        "overdue" => (None, now),
        _ => return Err(AppError::invalid("view", "unknown_view")),
    };
    Ok(state
        .store
        .tasks_due(actor, from, until)
        .await?
        .into_iter()
        .map(|(t, reference)| (task_view(t), reference))
        .collect())
}

pub fn meeting_view(
    m: crate::matters::store_work::MeetingRow,
    reader_zone: chrono_tz::Tz,
) -> Meeting {
    Meeting {
        starts_local: when::in_zone(m.starts_at, reader_zone),
        ends_local: when::in_zone(m.ends_at, reader_zone),
        reader_time_zone: reader_zone.name().to_string(),
        id: m.id,
        matter_id: m.matter_id,
        kind: m.kind,
        title: m.title,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        time_zone: m.time_zone,
        location: m.location,
        online_url: m.online_url,
    }
}

pub async fn create_meeting(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &NewMeeting,
) -> Result<Meeting> {
    set_meeting(state, actor, id, None, input).await
}

/// Moves a meeting to what `input` says (a session rebooked): the same meeting, its SEQUENCE
/// raised, so calendars update it; 404 for a meeting not of this matter.
pub async fn move_meeting(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    meeting_id: &MeetingId,
    input: &NewMeeting,
) -> Result<Meeting> {
    set_meeting(state, actor, id, Some(meeting_id), input).await
}

async fn set_meeting(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    moving: Option<&MeetingId>,
    input: &NewMeeting,
) -> Result<Meeting> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_work())?;
    let kind = input.kind.trim();
    if !m.row.kind().rules().meeting_kinds.contains(&kind) {
        return Err(AppError::invalid("kind", "unknown_meeting_kind"));
    }
    let zone = when::parse_zone("time_zone", &input.time_zone)?;
    let starts_at = when::local_to_utc("starts", &input.starts, zone)?;
    let minutes = input.duration_minutes.unwrap_or(60);
    if !(5..=24 * 60).contains(&minutes) {
        return Err(AppError::invalid("duration_minutes", "out_of_range"));
    }
    let online_url = input.online_url.trim();
    let linkable = online_url.is_empty()
        || online_url.starts_with("https://")
        || online_url.starts_with("http://");
    if !linkable {
        return Err(AppError::invalid("online_url", "url"));
    }
    let members = state.store.members(id).await?;
    let change = Change {
        who: &Who::from(actor),
        actor_id: &actor.user_id,
        matter: &m.row,
        base: &state.settings.public_url(),
    };
    let (title, location, online_url) = (
        text("title", &input.title, true, 200)?,
        text("location", &input.location, false, 300)?,
        text("online_url", online_url, false, 500)?,
    );
    let fields = MeetingFields {
        kind,
        title: &title,
        starts_at,
        ends_at: starts_at + Duration::minutes(minutes),
        time_zone: zone.name(),
        location: &location,
        online_url: &online_url,
    };
    let meeting_id = match moving {
        None => {
            state
                .store
                .create_meeting(&change, &fields, &members)
                .await?
        }
        Some(meeting_id) => {
            if !state
                .store
                .move_meeting(&change, meeting_id, &fields, &members)
                .await?
            {
                return Err(AppError::NotFound);
            }
            meeting_id.clone()
        }
    };
    let reader = when::stored_zone(&state.store.preferences(&actor.user_id).await?.time_zone);
    let row = state
        .store
        .meeting(id, &meeting_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(meeting_view(row, reader))
}

/// The `.ics` of one meeting of a matter the actor is in.
pub async fn meeting_ics(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    meeting_id: &MeetingId,
) -> Result<String> {
    let m = load(state, actor, id).await?;
    let row = state
        .store
        .meeting(id, meeting_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::matters::ics::calendar(
        &m.row.reference,
        &[ics_event(&row, &m.row.reference)],
    ))
}

pub fn ics_event<'a>(
    row: &'a crate::matters::store_work::MeetingRow,
    reference: &'a str,
) -> crate::matters::ics::Event<'a> {
    crate::matters::ics::Event {
        uid: &row.id,
        sequence: row.sequence,
        stamp: row.created_at,
        starts: row.starts_at,
        ends: row.ends_at,
        summary: &row.title,
        description: reference,
        location: &row.location,
        url: &row.online_url,
    }
}

/// A user's private feed of every meeting in their matters.
pub async fn calendar_feed(state: &AppState, token: &str) -> Result<String> {
    let user_id = state
        .store
        .calendar_feed_user(token.trim_end_matches(".ics"))
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = state.store.meetings_of_user(&user_id).await?;
    let events: Vec<_> = rows
        .iter()
        .map(|(row, reference)| ics_event(row, reference))
        .collect();
    Ok(crate::matters::ics::calendar("Corridor", &events))
}

/// A new private feed URL (the old one stops working).
pub async fn renew_calendar_feed(state: &AppState, actor: &Actor) -> Result<String> {
    let token = crate::ids::random_token();
    state
        .store
        .renew_calendar_feed(&Who::from(actor), &actor.user_id, &token)
        .await?;
    Ok(format!(
        "{}/calendar/{token}.ics",
        state.settings.public_url()
    ))
}

pub async fn revoke_calendar_feed(state: &AppState, actor: &Actor) -> Result<()> {
    state
        .store
        .revoke_calendar_feed(&Who::from(actor), &actor.user_id)
        .await
}
