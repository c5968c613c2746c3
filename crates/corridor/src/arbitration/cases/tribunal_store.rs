//! SQL for a case's tribunal (`case_nominations`). Every change writes its audit event in the
//! same transaction.

use chrono::{DateTime, Utc};

use super::store::CaseRow;
use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::{new_id, now};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct NominationRow {
    pub id: String,
    pub matter_id: String,
    pub person_id: String,
    pub person_slug: String,
    pub person_name_en: String,
    pub person_name_zh: String,
    pub seat_role: String,
    pub side: String,
    pub appointed_by: String,
    pub counsel_firm: Option<String>,
    pub email: Option<String>,
    pub status: String,
    pub screen: String,
    pub challenge: Option<String>,
    pub challenge_learned_on: Option<String>,
    pub nominated_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub version: i64,
}

const COLUMNS: &str = "n.id, n.matter_id, n.person_id, p.slug AS person_slug, \
     p.name_en AS person_name_en, p.name_zh AS person_name_zh, n.seat_role, n.side, \
     n.appointed_by, n.counsel_firm, n.email, n.status, n.screen, n.challenge, n.challenge_learned_on, n.nominated_at, \
     n.decided_at, n.version";
const FROM: &str = "case_nominations n JOIN people p ON p.id = n.person_id";

/// A nomination as written.
pub struct NewNomination<'a> {
    pub person_id: &'a str,
    pub seat_role: &'a str,
    pub side: &'a str,
    pub appointed_by: &'a str,
    pub counsel_firm: Option<&'a str>,
    pub email: Option<&'a str>,
    pub screen: &'a str,
}

impl Store {
    pub async fn insert_nomination(
        &self,
        who: &Who,
        case: &CaseRow,
        n: &NewNomination<'_>,
    ) -> Result<String> {
        let id = new_id();
        let by = who.user_id.clone().unwrap_or_default();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO case_nominations (id, matter_id, person_id, seat_role, side, appointed_by, \
                 counsel_firm, email, status, screen, nominated_by, nominated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'proposed', $9, $10, $11, 1)",
            )
            .bind(&id)
            .bind(&case.matter_id)
            .bind(n.person_id)
            .bind(n.seat_role)
            .bind(n.side)
            .bind(n.appointed_by)
            .bind(n.counsel_firm)
            .bind(n.email)
            .bind(n.screen)
            .bind(&by)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "case.nominate", "matter", &case.matter_id)
                    .in_org(Some(&case.institution_id))
                    .detail(format!("{} {}", n.seat_role, n.person_id))
            );
        });
        Ok(id)
    }

    pub async fn nominations(&self, matter_id: &str) -> Result<Vec<NominationRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE n.matter_id = $1 ORDER BY n.nominated_at, n.id"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, NominationRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(matter_id)
        .fetch_all(pool)
        .await?))
    }

    /// Moves a nomination from `from` to `to` (with a challenge's grounds), if it is still in
    /// `from` at `version`.
    #[allow(clippy::too_many_arguments)]
    pub async fn move_nomination(
        &self,
        who: &Who,
        case: &CaseRow,
        id: &str,
        version: i64,
        from: &str,
        to: &str,
        challenge: Option<(&str, Option<&str>)>,
    ) -> Result<bool> {
        let by = who.user_id.clone().unwrap_or_default();
        let decides = matches!(to, "confirmed" | "rejected" | "removed");
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE case_nominations SET status = $1, \
                 challenge = COALESCE($2, challenge), \
                 challenge_learned_on = CASE WHEN $2 IS NULL THEN challenge_learned_on ELSE $10 END, \
                 decided_by = CASE WHEN $3 THEN $4 ELSE decided_by END, \
                 decided_at = CASE WHEN $3 AND decided_at IS NULL THEN $5 ELSE decided_at END, \
                 version = version + 1 \
                 WHERE id = $6 AND matter_id = $7 AND status = $8 AND version = $9",
            )
            .bind(to)
            .bind(challenge.map(|c| c.0))
            .bind(decides)
            .bind(&by)
            .bind(now())
            .bind(id)
            .bind(&case.matter_id)
            .bind(from)
            .bind(version)
            .bind(challenge.and_then(|c| c.1))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "case.tribunal", "matter", &case.matter_id)
                        .in_org(Some(&case.institution_id))
                        .detail(format!("{id}: {from} -> {to}"))
                );
            }
            done
        });
        Ok(done)
    }
}
