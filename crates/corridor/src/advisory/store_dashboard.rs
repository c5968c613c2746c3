//! The counts behind the bureau's view (`dashboard.rs`): one grouped query per chart.

use chrono::{DateTime, Utc};

use super::dashboard::{Count, ReferralTimes};
use crate::db::{Store, dispatch};
use crate::{AppError, Result};

impl Store {
    /// Projects, and those whose plan a newer library changes.
    pub async fn project_totals(&self) -> Result<(i64, i64)> {
        let sql = "SELECT COUNT(*), COUNT(changes) FROM advisory_projects";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, (i64, i64)>(sql)
            .fetch_one(pool)
            .await?))
    }

    /// Projects counted by one of their columns, largest first.
    pub async fn projects_by(&self, column: &str) -> Result<Vec<Count>> {
        // A closed list: the column is part of the SQL text, never a caller's input.
        let column = match column {
            "country" => "country",
            "sector" => "sector",
            "stage" => "stage",
            _ => return Err(AppError::Internal(anyhow::anyhow!("no count by {column}"))),
        };
        let sql = format!(
            "SELECT {column}, COUNT(*) FROM advisory_projects GROUP BY {column} ORDER BY 2 DESC, 1"
        );
        let rows: Vec<(String, i64)> = dispatch!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(key, count)| Count { key, count })
            .collect())
    }

    pub async fn referral_times(&self) -> Result<Vec<ReferralTimes>> {
        let sql = "SELECT status, requested_at, responded_at FROM advisory_referrals";
        let rows: Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>)> =
            dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(status, requested_at, responded_at)| ReferralTimes {
                status,
                requested_at,
                responded_at,
            })
            .collect())
    }

    /// Open engagements, and every engagement task's status and due time.
    pub async fn engagement_tasks(&self) -> Result<(i64, Vec<(String, Option<DateTime<Utc>>)>)> {
        let open =
            "SELECT COUNT(*) FROM matters WHERE kind = 'advisory_engagement' AND status = 'open'";
        let tasks = "SELECT t.status, t.due_at FROM matter_tasks t JOIN matters m ON m.id = t.matter_id \
                     WHERE m.kind = 'advisory_engagement'";
        let open: i64 = dispatch!(self, |pool| sqlx::query_scalar(open)
            .fetch_one(pool)
            .await?);
        let tasks = dispatch!(self, |pool| sqlx::query_as(tasks).fetch_all(pool).await?);
        Ok((open, tasks))
    }
}
