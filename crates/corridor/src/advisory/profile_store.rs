//! SQL for enterprise profiles (`enterprise_profiles`). A change writes its audit event in the
//! same transaction.

use chrono::{DateTime, Utc};

use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::now;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ProfileRow {
    pub org_id: String,
    /// JSON, the API's shape.
    pub facts: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    pub async fn enterprise_profile(&self, org_id: &str) -> Result<Option<ProfileRow>> {
        let sql =
            "SELECT org_id, facts, version, updated_at FROM enterprise_profiles WHERE org_id = $1";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, ProfileRow>(sql)
            .bind(org_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Writes the profile if its version is still `version` (0: there is none yet). `false`
    /// when someone saved it meanwhile.
    pub async fn save_enterprise_profile(
        &self,
        who: &Who,
        org_id: &str,
        facts: &str,
        version: i64,
    ) -> Result<bool> {
        let at = now();
        let by = who.user_id.clone().unwrap_or_default();
        let done = transaction!(self, |tx| {
            let done = if version == 0 {
                sqlx::query(
                    "INSERT INTO enterprise_profiles (org_id, facts, version, updated_by, updated_at) \
                     VALUES ($1, $2, 1, $3, $4) ON CONFLICT (org_id) DO NOTHING",
                )
                .bind(org_id)
                .bind(facts)
                .bind(&by)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } else {
                sqlx::query(
                    "UPDATE enterprise_profiles SET facts = $1, version = version + 1, \
                     updated_by = $2, updated_at = $3 WHERE org_id = $4 AND version = $5",
                )
                .bind(facts)
                .bind(&by)
                .bind(at)
                .bind(org_id)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "enterprise.profile", "organization", org_id)
                        .in_org(Some(org_id))
                        .detail(format!("version {}", version + 1))
                );
            }
            done
        });
        Ok(done)
    }
}
