//! The audit log: every state change writes who did what to which object, and when, in the
//! same transaction as the change itself.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::Result;
use crate::auth::Actor;
use crate::db::Store;
use crate::db::dispatch;

pub const INSERT_SQL: &str = "INSERT INTO audit_events \
     (id, at, actor_user_id, actor, action, object_type, object_id, organization_id, detail) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// One state change, as it will be written.
#[derive(Clone, Debug)]
pub struct AuditEvent {
    pub actor_user_id: Option<String>,
    pub actor: String,
    /// `domain.verb`, e.g. `organization.update`.
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: String,
    /// The organization the object belongs to, so org admins can be shown their own trail.
    pub organization_id: Option<String>,
    /// Ids before/after or the fields changed; never secrets or personal documents.
    pub detail: String,
}

impl AuditEvent {
    /// The statement that writes this event (with a new id, at this moment).
    pub fn insert(self) -> crate::db::sql::Sql {
        crate::db::sql::Sql::statement(
            INSERT_SQL,
            vec![
                crate::ids::new_id().into(),
                crate::ids::now().into(),
                self.actor_user_id.into(),
                self.actor.into(),
                self.action.into(),
                self.object_type.into(),
                self.object_id.into(),
                self.organization_id.into(),
                self.detail.into(),
            ],
        )
    }

    pub fn by(actor: &Who, action: &'static str, object_type: &'static str, id: &str) -> Self {
        Self {
            actor_user_id: actor.user_id.clone(),
            actor: actor.label.clone(),
            action,
            object_type,
            object_id: id.to_string(),
            organization_id: None,
            detail: String::new(),
        }
    }

    pub fn in_org(mut self, organization_id: Option<&str>) -> Self {
        self.organization_id = organization_id.map(str::to_string);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// Who made a change: a signed-in user, or an operator at the command line.
#[derive(Clone, Debug)]
pub struct Who {
    pub user_id: Option<String>,
    pub label: String,
}

impl Who {
    pub fn cli() -> Self {
        Self {
            user_id: None,
            label: "cli".into(),
        }
    }
}

impl From<&Actor> for Who {
    fn from(actor: &Actor) -> Self {
        Self {
            user_id: Some(actor.user_id.clone()),
            label: actor.email.clone(),
        }
    }
}

/// Writes an [`AuditEvent`] on an open transaction (`&mut Transaction` of either backend).
macro_rules! audit {
    ($tx:expr, $event:expr) => {{
        let event: $crate::auth::audit::AuditEvent = $event;
        $crate::db::execute_sql!($tx, event.insert());
    }};
}
pub(crate) use audit;

#[derive(Clone, Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub organization_id: Option<String>,
    pub detail: String,
}

impl Store {
    /// Newest first; `organizations` limits the trail to those organizations' records (`None`
    /// is everything); `before` is the id of the last event of the previous page.
    pub async fn audit_page(
        &self,
        organizations: Option<&[String]>,
        before: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>> {
        let mut sql = crate::db::sql::Sql::new(
            "SELECT id, at, actor, action, object_type, object_id, organization_id, detail \
             FROM audit_events WHERE 1 = 1",
        );
        if let Some(orgs) = organizations {
            if orgs.is_empty() {
                return Ok(Vec::new());
            }
            sql.push(" AND organization_id IN ").bind_list(orgs);
        }
        if let Some(before) = before {
            sql.push(" AND id < ").bind_text(before);
        }
        sql.push(" ORDER BY id DESC LIMIT ")
            .bind(crate::db::sql::Param::Int(limit));
        Ok(dispatch!(self, |pool| {
            let q = sqlx::query_as::<_, AuditRecord>(sqlx::AssertSqlSafe(sql.text.clone()));
            crate::db::bind_params!(q, &sql.params)
                .fetch_all(pool)
                .await?
        }))
    }
}
