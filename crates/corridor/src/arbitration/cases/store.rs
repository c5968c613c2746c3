//! SQL for arbitration cases (`arbitration_cases`), their procedural events and the
//! enforcement of their awards abroad. Every change writes its audit event in the same
//! transaction; the matter itself is the matters store's.

use chrono::{DateTime, Utc};

use super::filing::{Enforcement, Filing};
use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::{new_id, now};

const CASE_COLUMNS: &str = "c.matter_id, c.institution_id, c.status, c.claimant, \
     c.claimant_nationality, c.respondent, c.respondent_nationality, c.claims, c.amount, \
     c.currency, c.agreement, c.seat, c.language, c.rules, c.arbitrators, c.expedited, \
     c.filed_by, c.filed_at, c.decided_at, c.decision_note, m.reference, m.title, \
     o.slug AS institution_slug, o.name_en AS institution_name_en, \
     o.name_zh AS institution_name_zh";
const CASE_FROM: &str = "arbitration_cases c JOIN matters m ON m.id = c.matter_id \
     JOIN organizations o ON o.id = c.institution_id";

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct CaseRow {
    pub matter_id: String,
    pub institution_id: String,
    pub status: String,
    pub claimant: String,
    pub claimant_nationality: String,
    pub respondent: String,
    pub respondent_nationality: String,
    pub claims: String,
    pub amount: String,
    pub currency: String,
    pub agreement: String,
    pub seat: String,
    pub language: String,
    pub rules: String,
    pub arbitrators: i64,
    pub expedited: bool,
    pub filed_by: String,
    pub filed_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub reference: String,
    pub title: String,
    pub institution_slug: String,
    pub institution_name_en: String,
    pub institution_name_zh: String,
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct EventRow {
    pub id: String,
    pub event: String,
    pub happened_on: String,
    pub place: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct EnforcementRow {
    pub id: String,
    pub matter_id: String,
    pub country: String,
    pub court: String,
    pub filed_on: String,
    /// JSON list of Art. V codes.
    pub grounds: String,
    pub decision: String,
    pub decided_on: Option<String>,
    pub prior_report: String,
    pub note: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

const ENFORCEMENT_COLUMNS: &str = "id, matter_id, country, court, filed_on, grounds, decision, \
     decided_on, prior_report, note, version, updated_at";

impl Store {
    /// Records a filing for a matter just opened. `false` when the same dispute is already
    /// live at the institution (the caller closes the matter it opened).
    pub async fn insert_case(
        &self,
        who: &Who,
        matter_id: &str,
        institution_id: &str,
        f: &Filing,
    ) -> Result<bool> {
        let at = now();
        let by = who.user_id.clone().unwrap_or_default();
        let key = f.key(institution_id);
        let done = transaction!(self, |tx| {
            let taken: Option<(String,)> = sqlx::query_as(
                "SELECT matter_id FROM arbitration_cases WHERE filing_key = $1 \
                 AND status IN ('filed', 'accepted')",
            )
            .bind(&key)
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_some() {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO arbitration_cases (matter_id, institution_id, status, claimant, \
                 claimant_nationality, respondent, respondent_nationality, claims, amount, currency, \
                 agreement, seat, language, rules, arbitrators, expedited, filing_key, filed_by, filed_at) \
                 VALUES ($1, $2, 'filed', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
            )
            .bind(matter_id)
            .bind(institution_id)
            .bind(&f.claimant.0)
            .bind(&f.claimant.1)
            .bind(&f.respondent.0)
            .bind(&f.respondent.1)
            .bind(&f.claims)
            .bind(f.amount.amount_text())
            .bind(f.amount.currency().to_string())
            .bind(&f.agreement)
            .bind(&f.seat)
            .bind(&f.language)
            .bind(&f.rules)
            .bind(f.arbitrators)
            .bind(f.expedited)
            .bind(&key)
            .bind(&by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "case.file", "matter", matter_id)
                    .in_org(Some(institution_id))
                    .detail(format!(
                        "{} {}",
                        f.amount.currency(),
                        f.amount.amount_text()
                    ))
            );
            true
        });
        Ok(done)
    }

    /// Whether the same dispute is live (filed or accepted) already.
    pub async fn live_case_with_key(&self, key: &str) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM arbitration_cases WHERE filing_key = $1 \
                   AND status IN ('filed', 'accepted')";
        let n: i64 = dispatch!(self, |pool| sqlx::query_scalar(sql)
            .bind(key)
            .fetch_one(pool)
            .await?);
        Ok(n > 0)
    }

    pub async fn arbitration_case(&self, matter_id: &str) -> Result<Option<CaseRow>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.matter_id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, CaseRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(matter_id)
        .fetch_optional(pool)
        .await?))
    }

    /// The cases whose matters are among `matters`, or at `institutions` (the secretariat's
    /// view), newest first; at most 200.
    pub async fn cases_for(&self, user_id: &str, institutions: &[String]) -> Result<Vec<CaseRow>> {
        let mut sql = format!(
            "SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.matter_id IN \
             (SELECT matter_id FROM matter_participants WHERE user_id = $1)"
        );
        for i in 0..institutions.len() {
            sql.push_str(&format!(" OR c.institution_id = ${}", i + 2));
        }
        sql.push_str(" ORDER BY c.filed_at DESC LIMIT 200");
        Ok(dispatch!(self, |pool| {
            let mut q =
                sqlx::query_as::<_, CaseRow>(sqlx::AssertSqlSafe(sql.clone())).bind(user_id);
            for i in institutions {
                q = q.bind(i);
            }
            q.fetch_all(pool).await?
        }))
    }

    /// Accepts or rejects a filed case. `false` when it is no longer `filed`.
    pub async fn decide_case(
        &self,
        who: &Who,
        row: &CaseRow,
        status: &str,
        note: &str,
    ) -> Result<bool> {
        let at = now();
        let by = who.user_id.clone().unwrap_or_default();
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE arbitration_cases SET status = $1, decided_by = $2, decided_at = $3, \
                 decision_note = $4 WHERE matter_id = $5 AND status = 'filed'",
            )
            .bind(status)
            .bind(&by)
            .bind(at)
            .bind(note)
            .bind(&row.matter_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "case.decide", "matter", &row.matter_id)
                        .in_org(Some(&row.institution_id))
                        .detail(status.to_owned())
                );
            }
            done
        });
        Ok(done)
    }

    pub async fn record_case_event(
        &self,
        who: &Who,
        row: &CaseRow,
        event: &str,
        on: &str,
        place: Option<&str>,
    ) -> Result<String> {
        let id = new_id();
        let by = who.user_id.clone().unwrap_or_default();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO arbitration_case_events (id, matter_id, event, happened_on, place, \
                 recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(&row.matter_id)
            .bind(event)
            .bind(on)
            .bind(place)
            .bind(&by)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "case.event", "matter", &row.matter_id)
                    .in_org(Some(&row.institution_id))
                    .detail(format!("{event} {on}"))
            );
        });
        Ok(id)
    }

    pub async fn case_events(&self, matter_id: &str) -> Result<Vec<EventRow>> {
        let sql = "SELECT id, event, happened_on, place, recorded_at FROM arbitration_case_events \
                   WHERE matter_id = $1 ORDER BY happened_on, recorded_at";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, EventRow>(sql)
            .bind(matter_id)
            .fetch_all(pool)
            .await?))
    }

    pub async fn insert_enforcement(
        &self,
        who: &Who,
        row: &CaseRow,
        e: &Enforcement,
    ) -> Result<String> {
        let id = new_id();
        let at = now();
        let by = who.user_id.clone().unwrap_or_default();
        let grounds = serde_json::to_string(&e.grounds).map_err(anyhow::Error::from)?;
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO award_enforcements (id, matter_id, country, court, filed_on, grounds, \
                 decision, decided_on, prior_report, note, version, recorded_by, recorded_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12)",
            )
            .bind(&id)
            .bind(&row.matter_id)
            .bind(&e.country)
            .bind(&e.court)
            .bind(e.filed_on.to_string())
            .bind(&grounds)
            .bind(&e.decision)
            .bind(e.decided_on.map(|d| d.to_string()))
            .bind(&e.prior_report)
            .bind(&e.note)
            .bind(&by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "case.enforcement", "matter", &row.matter_id)
                    .in_org(Some(&row.institution_id))
                    .detail(format!("{} {}", e.country, e.decision))
            );
        });
        Ok(id)
    }

    /// Replaces what a proceeding says, if `version` is still its version.
    pub async fn update_enforcement(
        &self,
        who: &Who,
        row: &CaseRow,
        id: &str,
        version: i64,
        e: &Enforcement,
    ) -> Result<bool> {
        let grounds = serde_json::to_string(&e.grounds).map_err(anyhow::Error::from)?;
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE award_enforcements SET country = $1, court = $2, filed_on = $3, grounds = $4, \
                 decision = $5, decided_on = $6, prior_report = $7, note = $8, version = version + 1, \
                 updated_at = $9 WHERE id = $10 AND matter_id = $11 AND version = $12",
            )
            .bind(&e.country)
            .bind(&e.court)
            .bind(e.filed_on.to_string())
            .bind(&grounds)
            .bind(&e.decision)
            .bind(e.decided_on.map(|d| d.to_string()))
            .bind(&e.prior_report)
            .bind(&e.note)
            .bind(now())
            .bind(id)
            .bind(&row.matter_id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "case.enforcement", "matter", &row.matter_id)
                        .in_org(Some(&row.institution_id))
                        .detail(format!("{} {}", e.country, e.decision))
                );
            }
            done
        });
        Ok(done)
    }

    pub async fn enforcements(&self, matter_id: &str) -> Result<Vec<EnforcementRow>> {
        let sql = format!(
            "SELECT {ENFORCEMENT_COLUMNS} FROM award_enforcements WHERE matter_id = $1 \
             ORDER BY filed_on, id"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, EnforcementRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(matter_id)
        .fetch_all(pool)
        .await?))
    }

    /// The countries where a decision recognised an award (wholly or in part): the
    /// programme's published figure, computed from the records.
    pub async fn countries_with_recognised_awards(&self) -> Result<Vec<String>> {
        let sql = "SELECT DISTINCT country FROM award_enforcements \
                   WHERE decision IN ('recognised', 'partly_recognised') ORDER BY country";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(sql)
            .fetch_all(pool)
            .await?))
    }
}
