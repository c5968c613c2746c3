//! SQL for the work inside a matter: tasks and calendar feeds (meetings: `store_meetings.rs`).

use chrono::{DateTime, Utc};

use super::model::*;
use super::store::{Change, Member};
pub use super::store_meetings::{MeetingFields, MeetingRow};
use crate::auth::audit::audit;
use crate::auth::audit::{AuditEvent, Who};
use crate::db::Store;
use crate::db::{dispatch, transaction};
use crate::ids::{MatterId, TaskId, new_id, now, secret_digest};
use crate::{AppError, Result};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct TaskRow {
    pub id: String,
    pub matter_id: String,
    pub title: String,
    pub notes: String,
    pub assignee_user_id: Option<String>,
    pub assignee_name: Option<String>,
    pub assignee_role: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub time_zone: String,
    pub status: String,
    pub version: i32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const TASK_COLUMNS: &str = "t.id, t.matter_id, t.title, t.notes, t.assignee_user_id, \
     u.name AS assignee_name, t.assignee_role, t.due_at, t.time_zone, t.status, t.version, \
     t.created_by, t.created_at, t.updated_at";

/// A task's fields after a change, written only over the version it was made on.
pub struct TaskFields {
    pub title: String,
    pub notes: String,
    pub assignee_user_id: Option<String>,
    pub assignee_role: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub time_zone: String,
    pub status: String,
}

impl Store {
    pub async fn tasks(&self, matter_id: &MatterId) -> Result<Vec<TaskRow>> {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM matter_tasks t LEFT JOIN users u ON u.id = t.assignee_user_id \
             WHERE t.matter_id = $1 ORDER BY t.due_at IS NULL, t.due_at, t.created_at"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, TaskRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(matter_id)
        .fetch_all(pool)
        .await?))
    }

    pub async fn task(&self, matter_id: &MatterId, id: &TaskId) -> Result<Option<TaskRow>> {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM matter_tasks t LEFT JOIN users u ON u.id = t.assignee_user_id \
             WHERE t.matter_id = $1 AND t.id = $2"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, TaskRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(matter_id)
        .bind(id)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn task_history(&self, task_id: &str) -> Result<Vec<TaskChange>> {
        let sql = "SELECT h.at, u.name, h.version, h.change FROM matter_task_history h \
                   JOIN users u ON u.id = h.actor_id WHERE h.task_id = $1 ORDER BY h.version";
        let rows: Vec<(DateTime<Utc>, String, i32, String)> =
            dispatch!(self, |pool| sqlx::query_as(sql)
                .bind(task_id)
                .fetch_all(pool)
                .await?);
        Ok(rows
            .into_iter()
            .map(|(at, actor_name, version, change)| TaskChange {
                at,
                actor_name,
                version,
                change,
            })
            .collect())
    }

    /// Open tasks due before `until` in the matters the user is in (or runs as staff):
    /// `overdue` when `until` is now, `due soon` when it is a week ahead.
    /// Open tasks due before `until` (and from `from`) in the open matters `actor` sees: one
    /// query, the matters joined as a subquery rather than their ids bound as a list (a staff
    /// user at a large institution may see tens of thousands).
    pub async fn tasks_due(
        &self,
        actor: &crate::auth::Actor,
        from: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(TaskRow, String)>> {
        let ids = crate::matters::store::mine_ids(actor, None, Some("open"), None);
        let mut sql = crate::db::sql::Sql::new(&format!(
            "SELECT {TASK_COLUMNS}, m.reference FROM matter_tasks t JOIN matters m ON m.id = t.matter_id \
             LEFT JOIN users u ON u.id = t.assignee_user_id WHERE t.matter_id IN ("
        ));
        sql.params = ids.params;
        sql.push(&ids.text)
            .push(
                ") AND t.status IN ('open', 'in_review') AND t.due_at IS NOT NULL AND t.due_at < ",
            )
            .bind(crate::db::sql::Param::Time(until));
        if let Some(from) = from {
            sql.push(" AND t.due_at >= ")
                .bind(crate::db::sql::Param::Time(from));
        }
        sql.push(" ORDER BY t.due_at LIMIT 200");
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            task: TaskRow,
            reference: String,
        }
        let text = sql.text.clone();
        let rows: Vec<Row> = dispatch!(self, |pool| crate::db::bind_params!(
            sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(text.clone())),
            &sql.params
        )
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(|r| (r.task, r.reference)).collect())
    }

    pub async fn create_task(
        &self,
        change: &Change<'_>,
        fields: &TaskFields,
        members: &[Member],
    ) -> Result<TaskId> {
        let Change {
            who,
            actor_id,
            matter,
            base,
        } = *change;
        let id = new_id();
        let at = now();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO matter_tasks (id, matter_id, title, notes, assignee_user_id, assignee_role, due_at, \
                 time_zone, status, version, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11)",
            )
            .bind(&id)
            .bind(&matter.id)
            .bind(&fields.title)
            .bind(&fields.notes)
            .bind(&fields.assignee_user_id)
            .bind(&fields.assignee_role)
            .bind(fields.due_at)
            .bind(&fields.time_zone)
            .bind(&fields.status)
            .bind(actor_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO matter_task_history (id, task_id, at, actor_id, version, change) VALUES ($1, $2, $3, $4, 1, $5)",
            )
            .bind(new_id())
            .bind(&id)
            .bind(at)
            .bind(actor_id)
            .bind(describe_task(None, fields))
            .execute(&mut *tx)
            .await?;
            let args =
                super::text::args(&[("title", &fields.title), ("reference", &matter.reference)]);
            crate::matters::store::matter_event!(
                tx,
                &matter.id,
                Some(actor_id),
                "task_set",
                Some(&id),
                args.clone(),
                String::new()
            );
            crate::matters::store::notify_each!(
                tx,
                task_recipients(members, fields, actor_id),
                &matter.id,
                "task_assigned",
                args.clone(),
                format!("/matters/{}#tasks", matter.id),
                base
            );
            audit!(
                tx,
                AuditEvent::by(who, "matter.task_create", "matter_task", &id)
                    .in_org(Some(&matter.owner_org_id))
                    .detail(format!("matter={}", matter.id))
            );
        });
        Ok(TaskId::from_stored(id))
    }

    /// Writes a change made on `version`; a task changed since gets 409 and nothing is written.
    pub async fn update_task(
        &self,
        change: &Change<'_>,
        old: &TaskRow,
        version: i32,
        fields: &TaskFields,
        members: &[Member],
    ) -> Result<()> {
        let Change {
            who,
            actor_id,
            matter,
            base,
        } = *change;
        let at = now();
        let completed = (fields.status == "done" && old.status != "done").then_some(at);
        transaction!(self, |tx| {
            let n = sqlx::query(
                "UPDATE matter_tasks SET title = $1, notes = $2, assignee_user_id = $3, assignee_role = $4, \
                 due_at = $5, time_zone = $6, status = $7, version = version + 1, updated_at = $8, \
                 completed_at = COALESCE($9, completed_at) WHERE id = $10 AND version = $11",
            )
            .bind(&fields.title)
            .bind(&fields.notes)
            .bind(&fields.assignee_user_id)
            .bind(&fields.assignee_role)
            .bind(fields.due_at)
            .bind(&fields.time_zone)
            .bind(&fields.status)
            .bind(at)
            .bind(completed)
            .bind(&old.id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(AppError::Conflict("task_changed"));
            }
            sqlx::query(
                "INSERT INTO matter_task_history (id, task_id, at, actor_id, version, change) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id())
            .bind(&old.id)
            .bind(at)
            .bind(actor_id)
            .bind(version + 1)
            .bind(describe_task(Some(old), fields))
            .execute(&mut *tx)
            .await?;
            let kind = if completed.is_some() {
                "task_done"
            } else {
                "task_changed"
            };
            let args =
                super::text::args(&[("title", &fields.title), ("reference", &matter.reference)]);
            crate::matters::store::matter_event!(
                tx,
                &matter.id,
                Some(actor_id),
                kind,
                Some(&old.id),
                args.clone(),
                String::new()
            );
            let assignee_changed = fields.assignee_user_id != old.assignee_user_id
                || fields.assignee_role != old.assignee_role;
            if assignee_changed {
                crate::matters::store::notify_each!(
                    tx,
                    task_recipients(members, fields, actor_id),
                    &matter.id,
                    "task_assigned",
                    args.clone(),
                    format!("/matters/{}#tasks", matter.id),
                    base
                );
            }
            audit!(
                tx,
                AuditEvent::by(who, "matter.task_update", "matter_task", &old.id)
                    .in_org(Some(&matter.owner_org_id))
                    .detail(format!("version={}", version + 1))
            );
        });
        Ok(())
    }

    /// A new private feed token for the user; the old URL stops working.
    pub async fn renew_calendar_feed(&self, who: &Who, user_id: &str, token: &str) -> Result<()> {
        transaction!(self, |tx| {
            sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)",
            )
            .bind(user_id)
            .bind(secret_digest(token))
            .bind(now())
            .execute(&mut *tx)
            .await?;
            audit!(tx, AuditEvent::by(who, "calendar.renew", "user", user_id));
        });
        Ok(())
    }

    pub async fn revoke_calendar_feed(&self, who: &Who, user_id: &str) -> Result<()> {
        transaction!(self, |tx| {
            sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            audit!(tx, AuditEvent::by(who, "calendar.revoke", "user", user_id));
        });
        Ok(())
    }

    pub async fn calendar_feed_user(&self, token: &str) -> Result<Option<String>> {
        let sql = "SELECT user_id FROM calendar_feeds WHERE token_hash = $1";
        Ok(dispatch!(self, |pool| sqlx::query_scalar::<_, String>(sql)
            .bind(secret_digest(token))
            .fetch_optional(pool)
            .await?))
    }

    pub async fn has_calendar_feed(&self, user_id: &str) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM calendar_feeds WHERE user_id = $1";
        Ok(dispatch!(self, |pool| sqlx::query_scalar::<_, i64>(sql)
            .bind(user_id)
            .fetch_one(pool)
            .await?)
            > 0)
    }
}

fn task_recipients<'a>(
    members: &'a [Member],
    fields: &TaskFields,
    actor_id: &str,
) -> Vec<&'a Member> {
    members
        .iter()
        .filter(|m| m.user_id != actor_id)
        .filter(|m| {
            fields.assignee_user_id.as_deref() == Some(m.user_id.as_str())
                || fields.assignee_role.as_deref() == Some(m.role.as_str())
        })
        .collect()
}

/// One line of task history: what changed, in field names (shown as is in both languages).
fn describe_task(old: Option<&TaskRow>, new: &TaskFields) -> String {
    let Some(old) = old else {
        return format!("created: status={}", new.status);
    };
    let mut parts = Vec::new();
    if old.title != new.title {
        parts.push("title".to_string());
    }
    if old.notes != new.notes {
        parts.push("notes".to_string());
    }
    if old.status != new.status {
        parts.push(format!("status {} → {}", old.status, new.status));
    }
    if old.due_at != new.due_at || old.time_zone != new.time_zone {
        parts.push("due".to_string());
    }
    if old.assignee_user_id != new.assignee_user_id || old.assignee_role != new.assignee_role {
        parts.push("assignee".to_string());
    }
    if parts.is_empty() {
        "no change".into()
    } else {
        parts.join(", ")
    }
}
