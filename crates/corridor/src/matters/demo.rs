//! A demo matter for `corridor serve --demo`, so the workspace is not empty on first look.
//! Times are relative to the day the demo is loaded: a task due soon, one overdue, a meeting.

use chrono::{Duration, TimeZone, Timelike};
use serde::Deserialize;

use super::kind::MatterKind;
use super::store::{Change, MatterRow};
use super::store_work::{MeetingFields, TaskFields};
use crate::auth::audit::Who;
use crate::db::Store;

#[derive(Deserialize)]
struct DemoMatter {
    opener: String,
    organization: String,
    title: String,
    participants: Vec<DemoParticipant>,
    messages: Vec<DemoMessage>,
    tasks: Vec<DemoTask>,
    meetings: Vec<DemoMeeting>,
}

#[derive(Deserialize)]
struct DemoParticipant {
    email: String,
    role: String,
}

#[derive(Deserialize)]
struct DemoMessage {
    author: String,
    body: String,
}

#[derive(Deserialize)]
struct DemoTask {
    title: String,
    assignee: String,
    due_in_days: i64,
    time_zone: String,
}

#[derive(Deserialize)]
struct DemoMeeting {
    kind: String,
    title: String,
    in_days: i64,
    hour: u32,
    minutes: i64,
    time_zone: String,
    online_url: String,
}

async fn user(store: &Store, email: &str) -> anyhow::Result<(String, String)> {
    let id = store
        .user_id_by_email(email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo matter: unknown user {email}"))?;
    let actor = store
        .actor_for_user(&id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo matter: inactive user {email}"))?;
    Ok((id, actor.name))
}

pub async fn load(store: &Store, who: &Who, json: &str) -> anyhow::Result<usize> {
    let matters: Vec<DemoMatter> = serde_json::from_str(json)?;
    for m in &matters {
        let (opener, _) = user(store, &m.opener).await?;
        let (org, _) = store
            .resolve_organization(&m.organization)
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!("demo matter: unknown organization {}", m.organization)
            })?;
        let id = store
            .create_matter(
                who,
                &opener,
                MatterKind::General,
                &org.id,
                &org.slug,
                &m.title,
            )
            .await?;
        let row = store
            .matter_row(&id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo matter vanished"))?;
        for p in &m.participants {
            let (uid, name) = user(store, &p.email).await?;
            store
                .add_participant(&change(who, &opener, &row), &uid, &name, &p.role)
                .await?;
        }
        let members = store.members(&id).await?;
        for msg in &m.messages {
            let (uid, name) = user(store, &msg.author).await?;
            store
                .post_message(&change(who, &uid, &row), &name, &msg.body, &[], &members)
                .await?;
        }
        let now = crate::ids::now();
        for t in &m.tasks {
            let (uid, _) = user(store, &t.assignee).await?;
            let fields = TaskFields {
                title: t.title.clone(),
                notes: String::new(),
                assignee_user_id: Some(uid),
                assignee_role: None,
                due_at: Some(now + Duration::days(t.due_in_days)),
                time_zone: t.time_zone.clone(),
                status: "open".into(),
            };
            store
                .create_task(&change(who, &opener, &row), &fields, &members)
                .await?;
        }
        for mt in &m.meetings {
            let zone = super::when::stored_zone(&mt.time_zone);
            let day = (now + Duration::days(mt.in_days))
                .with_timezone(&zone)
                .date_naive();
            let local = day
                .and_hms_opt(mt.hour, 0, 0)
                .ok_or_else(|| anyhow::anyhow!("demo meeting hour"))?;
            let starts = zone
                .from_local_datetime(&local)
                .earliest()
                .ok_or_else(|| anyhow::anyhow!("demo meeting time"))?
                .with_timezone(&chrono::Utc)
                .with_nanosecond(0)
                .unwrap_or(now);
            store
                .create_meeting(
                    &change(who, &opener, &row),
                    &MeetingFields {
                        kind: &mt.kind,
                        title: &mt.title,
                        starts_at: starts,
                        ends_at: starts + Duration::minutes(mt.minutes),
                        time_zone: &mt.time_zone,
                        location: "",
                        online_url: &mt.online_url,
                    },
                    &members,
                )
                .await?;
        }
    }
    Ok(matters.len())
}

/// Demo changes carry no base URL: their notifications link to paths.
fn change<'a>(who: &'a Who, actor_id: &'a str, matter: &'a MatterRow) -> Change<'a> {
    Change {
        who,
        actor_id,
        matter,
        base: "",
    }
}
