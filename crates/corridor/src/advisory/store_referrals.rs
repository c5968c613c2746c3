//! SQL for referrals (`advisory_referrals`): an enterprise asking a law firm to work a
//! project's plan, and the firm's answer. Every change writes its audit event in the same
//! transaction.

use chrono::{DateTime, Utc};

use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::Store;
use crate::db::sql::Sql;
use crate::db::{bind_params, dispatch, transaction};
use crate::ids::{ReferralId, now};

const COLUMNS: &str = "r.id, r.project_id, r.firm_org_id, r.counterparty, r.note, r.status, \
     r.decline_reason, r.requested_by, r.requested_at, r.responded_by, r.responded_at, \
     r.matter_id, r.engagement_ready, \
     p.title AS project_title, p.country, p.entry_mode, p.stage, p.org_id AS enterprise_id, \
     e.slug AS enterprise_slug, e.name_en AS enterprise_name_en, e.name_zh AS enterprise_name_zh, \
     f.slug AS firm_slug, f.name_en AS firm_name_en, f.name_zh AS firm_name_zh";

const FROM: &str = " FROM advisory_referrals r JOIN advisory_projects p ON p.id = r.project_id \
     JOIN organizations e ON e.id = p.org_id JOIN organizations f ON f.id = r.firm_org_id";

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ReferralRow {
    pub id: String,
    pub project_id: String,
    pub firm_org_id: String,
    pub counterparty: String,
    pub note: String,
    pub status: String,
    pub decline_reason: Option<String>,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub responded_by: Option<String>,
    pub responded_at: Option<DateTime<Utc>>,
    pub matter_id: Option<String>,
    /// The engagement's matter, client and tasks are all in place.
    pub engagement_ready: bool,
    pub project_title: String,
    pub country: String,
    pub entry_mode: String,
    pub stage: String,
    pub enterprise_id: String,
    pub enterprise_slug: String,
    pub enterprise_name_en: String,
    pub enterprise_name_zh: String,
    pub firm_slug: String,
    pub firm_name_en: String,
    pub firm_name_zh: String,
}

/// Which referrals a list shows: those of these enterprises' projects or to these firms (or
/// all, for the bureau), optionally of one project and one status.
#[derive(Clone, Debug, Default)]
pub struct ReferralFilter {
    pub orgs: Option<Vec<String>>,
    pub project: Option<String>,
    pub status: Option<String>,
}

impl Store {
    pub async fn insert_referral(
        &self,
        who: &Who,
        project_id: &str,
        enterprise_id: &str,
        firm_org_id: &str,
        counterparty: &str,
        note: &str,
    ) -> Result<ReferralId> {
        let id = ReferralId::generate();
        let actor = who.user_id.clone().unwrap_or_default();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO advisory_referrals (id, project_id, firm_org_id, counterparty, note, status, \
                 requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)",
            )
            .bind(&id)
            .bind(project_id)
            .bind(firm_org_id)
            .bind(counterparty)
            .bind(note)
            .bind(&actor)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "referral.create", "referral", id.as_str())
                    .in_org(Some(enterprise_id))
                    .detail(format!("project={project_id} firm={firm_org_id}"))
            );
        });
        Ok(id)
    }

    pub async fn referral(&self, id: &ReferralId) -> Result<Option<ReferralRow>> {
        let sql = format!("SELECT {COLUMNS}{FROM} WHERE r.id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, ReferralRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(id)
        .fetch_optional(pool)
        .await?))
    }

    /// Newest first; at most 500 (a project has a handful, a firm some hundreds a year).
    pub async fn referrals(&self, filter: &ReferralFilter) -> Result<Vec<ReferralRow>> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE 1 = 1"));
        if let Some(orgs) = &filter.orgs {
            if orgs.is_empty() {
                return Ok(Vec::new());
            }
            sql.push(" AND (p.org_id IN ")
                .bind_list(orgs)
                .push(" OR r.firm_org_id IN ")
                .bind_list(orgs)
                .push(")");
        }
        if let Some(project) = &filter.project {
            sql.push(" AND r.project_id = ").bind_text(project.clone());
        }
        if let Some(status) = &filter.status {
            sql.push(" AND r.status = ").bind_text(status.clone());
        }
        sql.push(" ORDER BY r.requested_at DESC, r.id DESC LIMIT 500");
        Ok(dispatch!(self, |pool| bind_params!(
            sqlx::query_as::<_, ReferralRow>(sqlx::AssertSqlSafe(sql.text.clone())),
            &sql.params
        )
        .fetch_all(pool)
        .await?))
    }

    /// Records the answer to a pending referral; `false` if it was answered meanwhile.
    pub async fn answer_referral(
        &self,
        who: &Who,
        row: &ReferralRow,
        status: &str,
        decline_reason: Option<&str>,
    ) -> Result<bool> {
        let actor = who.user_id.clone();
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE advisory_referrals SET status = $1, decline_reason = $2, responded_by = $3, \
                 responded_at = $4 WHERE id = $5 AND status = 'pending'",
            )
            .bind(status)
            .bind(decline_reason)
            .bind(&actor)
            .bind(now())
            .bind(&row.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "referral.answer", "referral", &row.id)
                        .in_org(Some(&row.firm_org_id))
                        .detail(match decline_reason {
                            Some(reason) => format!("{status}: {reason}"),
                            None => status.to_owned(),
                        })
                );
            }
            done
        });
        Ok(done)
    }

    /// Links the engagement's matter to an accepted referral, unless one is linked already:
    /// `false` then (the caller uses that one).
    pub async fn link_referral_matter(&self, id: &str, matter_id: &str) -> Result<bool> {
        let linked = dispatch!(self, |pool| sqlx::query(
            "UPDATE advisory_referrals SET matter_id = $1 WHERE id = $2 AND matter_id IS NULL"
        )
        .bind(matter_id)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(linked == 1)
    }

    /// The engagement's matter, client and tasks are all in place.
    pub async fn mark_engagement_ready(&self, id: &str) -> Result<()> {
        dispatch!(self, |pool| sqlx::query(
            "UPDATE advisory_referrals SET engagement_ready = TRUE WHERE id = $1"
        )
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Accepted referrals whose engagement was not finished (a server stopped mid-way).
    pub async fn unfinished_engagements(&self) -> Result<Vec<ReferralRow>> {
        let sql = format!(
            "SELECT {COLUMNS}{FROM} WHERE r.status = 'accepted' AND r.engagement_ready = FALSE \
             ORDER BY r.responded_at LIMIT 500"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, ReferralRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .fetch_all(pool)
        .await?))
    }

    /// Whether one of `orgs` has accepted a referral of the project (it may then read it).
    pub async fn engaged_on(&self, project_id: &str, orgs: &[String]) -> Result<bool> {
        if orgs.is_empty() {
            return Ok(false);
        }
        let mut sql = Sql::new(
            "SELECT COUNT(*) FROM advisory_referrals WHERE status = 'accepted' AND project_id = ",
        );
        sql.bind_text(project_id)
            .push(" AND firm_org_id IN ")
            .bind_list(orgs);
        let n: i64 = dispatch!(self, |pool| bind_params!(
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.text.clone())),
            &sql.params
        )
        .fetch_one(pool)
        .await?);
        Ok(n > 0)
    }
}
