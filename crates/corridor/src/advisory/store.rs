//! SQL for outbound projects and their plans (`advisory_projects`). Every change writes its
//! audit event in the same transaction.

use chrono::{DateTime, Utc};

use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::Store;
use crate::db::sql::{Param, Sql};
use crate::db::{bind_params, dispatch, transaction};
use crate::ids::{ProjectId, now};

const COLUMNS: &str = "p.id, p.org_id, p.title, p.country, p.entry_mode, p.stage, p.value_amount, \
     p.value_currency, p.answers, p.library_version, p.plan, p.plan_date, p.checked_library, \
     p.changes, p.version, p.created_at, p.updated_at, o.slug AS org_slug, \
     o.name_en AS org_name_en, o.name_zh AS org_name_zh";

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ProjectRow {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub country: String,
    pub entry_mode: String,
    pub stage: String,
    pub value_amount: Option<String>,
    pub value_currency: Option<String>,
    /// The contract's request, JSON.
    pub answers: String,
    pub library_version: String,
    /// The plan last accepted, JSON.
    pub plan: String,
    pub plan_date: String,
    pub checked_library: String,
    pub changes: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub org_slug: String,
    pub org_name_en: String,
    pub org_name_zh: String,
}

#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    project: ProjectRow,
    total: i64,
}

/// What a project says about itself, as written.
#[derive(Clone, Debug)]
pub struct ProjectFields {
    pub title: String,
    pub country: String,
    pub entry_mode: String,
    pub stage: String,
    /// The ISIC section of the first sector, or empty.
    pub sector: String,
    pub value_amount: Option<String>,
    pub value_currency: Option<String>,
    pub answers: String,
}

/// A plan as written: its JSON, the library that made it and the day it is for.
#[derive(Clone, Debug)]
pub struct StoredPlan {
    pub json: String,
    pub library_version: String,
    pub date: String,
}

/// Which projects a list shows.
#[derive(Clone, Debug, Default)]
pub struct ProjectFilter {
    /// Only the projects of these enterprises and those these firms were engaged on; `None` is
    /// every project (the bureau's view).
    pub orgs: Option<Vec<String>>,
    pub country: Option<String>,
    pub stage: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// A plan re-evaluated against a newer library: the project, and what changed (JSON), if anything.
pub struct Checked {
    pub id: String,
    pub changes: Option<String>,
}

impl Store {
    pub async fn insert_project(
        &self,
        who: &Who,
        org_id: &str,
        fields: &ProjectFields,
        plan: &StoredPlan,
    ) -> Result<ProjectId> {
        let id = ProjectId::generate();
        let at = now();
        let actor = who.user_id.clone().unwrap_or_default();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO advisory_projects (id, org_id, title, country, entry_mode, stage, \
                 value_amount, value_currency, answers, library_version, plan, plan_date, \
                 checked_library, changes, version, created_by, created_at, updated_at, sector) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $10, NULL, 1, $13, $14, $14, $15)",
            )
            .bind(&id)
            .bind(org_id)
            .bind(&fields.title)
            .bind(&fields.country)
            .bind(&fields.entry_mode)
            .bind(&fields.stage)
            .bind(&fields.value_amount)
            .bind(&fields.value_currency)
            .bind(&fields.answers)
            .bind(&plan.library_version)
            .bind(&plan.json)
            .bind(&plan.date)
            .bind(&actor)
            .bind(at)
            .bind(&fields.sector)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "project.create", "project", id.as_str())
                    .in_org(Some(org_id))
                    .detail(format!("{} {}", fields.country, fields.entry_mode))
            );
        });
        Ok(id)
    }

    pub async fn project(&self, id: &ProjectId) -> Result<Option<ProjectRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM advisory_projects p JOIN organizations o ON o.id = p.org_id \
             WHERE p.id = $1"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, ProjectRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(id)
        .fetch_optional(pool)
        .await?))
    }

    /// A page of projects, most recently changed first, and how many match in all.
    pub async fn projects(&self, filter: &ProjectFilter) -> Result<(Vec<ProjectRow>, i64)> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS}, COUNT(*) OVER () AS total FROM advisory_projects p \
             JOIN organizations o ON o.id = p.org_id WHERE 1 = 1"
        ));
        if let Some(orgs) = &filter.orgs {
            if orgs.is_empty() {
                return Ok((Vec::new(), 0));
            }
            // Their enterprises' projects, and those their firms accepted a referral of.
            sql.push(" AND (p.org_id IN ")
                .bind_list(orgs)
                .push(
                    " OR p.id IN (SELECT r.project_id FROM advisory_referrals r \
                     WHERE r.status = 'accepted' AND r.firm_org_id IN ",
                )
                .bind_list(orgs)
                .push("))");
        }
        if let Some(country) = &filter.country {
            sql.push(" AND p.country = ").bind_text(country.clone());
        }
        if let Some(stage) = &filter.stage {
            sql.push(" AND p.stage = ").bind_text(stage.clone());
        }
        sql.push(" ORDER BY p.updated_at DESC, p.id DESC LIMIT ")
            .bind(Param::Int(filter.limit))
            .push(" OFFSET ")
            .bind(Param::Int(filter.offset));
        let rows: Vec<ListedRow> = dispatch!(self, |pool| bind_params!(
            sqlx::query_as::<_, ListedRow>(sqlx::AssertSqlSafe(sql.text.clone())),
            &sql.params
        )
        .fetch_all(pool)
        .await?);
        let total = rows.first().map_or(0, |r| r.total);
        Ok((rows.into_iter().map(|r| r.project).collect(), total))
    }

    /// Replaces what the project says and its plan (the enterprise's own change: the new plan
    /// is accepted as it is made). `false` when `version` is no longer the project's.
    pub async fn update_project(
        &self,
        who: &Who,
        row: &ProjectRow,
        fields: &ProjectFields,
        plan: &StoredPlan,
    ) -> Result<bool> {
        let at = now();
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE advisory_projects SET title = $1, country = $2, entry_mode = $3, stage = $4, \
                 value_amount = $5, value_currency = $6, answers = $7, library_version = $8, plan = $9, \
                 plan_date = $10, checked_library = $8, changes = NULL, version = version + 1, \
                 updated_at = $11, sector = $14 WHERE id = $12 AND version = $13",
            )
            .bind(&fields.title)
            .bind(&fields.country)
            .bind(&fields.entry_mode)
            .bind(&fields.stage)
            .bind(&fields.value_amount)
            .bind(&fields.value_currency)
            .bind(&fields.answers)
            .bind(&plan.library_version)
            .bind(&plan.json)
            .bind(&plan.date)
            .bind(at)
            .bind(&row.id)
            .bind(row.version)
            .bind(&fields.sector)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "project.update", "project", &row.id)
                        .in_org(Some(&row.org_id))
                        .detail(format!("version {}", row.version + 1))
                );
            }
            done
        });
        Ok(done)
    }

    /// Accepts the plan as the current library makes it: what the project shows as changed is
    /// measured from this one on.
    pub async fn accept_plan(
        &self,
        who: &Who,
        row: &ProjectRow,
        plan: &StoredPlan,
    ) -> Result<bool> {
        let at = now();
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE advisory_projects SET library_version = $1, plan = $2, plan_date = $3, \
                 checked_library = $1, changes = NULL, version = version + 1, updated_at = $4 \
                 WHERE id = $5 AND version = $6",
            )
            .bind(&plan.library_version)
            .bind(&plan.json)
            .bind(&plan.date)
            .bind(at)
            .bind(&row.id)
            .bind(row.version)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "project.accept_plan", "project", &row.id)
                        .in_org(Some(&row.org_id))
                        .detail(format!("library {}", plan.library_version))
                );
            }
            done
        });
        Ok(done)
    }

    /// Projects whose plan has not been checked against `library` yet, in id order after
    /// `after`, `limit` at a time: (id, answers, plan).
    pub async fn unchecked_projects(
        &self,
        library: &str,
        after: &str,
        limit: i64,
    ) -> Result<Vec<(String, String, String)>> {
        let sql = "SELECT id, answers, plan FROM advisory_projects \
                   WHERE checked_library <> $1 AND id > $2 ORDER BY id LIMIT $3";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(library)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// Records, in one transaction, that these plans were checked against `library`, and what
    /// that changed; one audit event names the library and how many plans it changed.
    pub async fn record_checks(&self, who: &Who, library: &str, checked: &[Checked]) -> Result<()> {
        if checked.is_empty() {
            return Ok(());
        }
        let changed = checked.iter().filter(|c| c.changes.is_some()).count();
        transaction!(self, |tx| {
            for c in checked {
                sqlx::query(
                    "UPDATE advisory_projects SET checked_library = $1, changes = $2 WHERE id = $3",
                )
                .bind(library)
                .bind(&c.changes)
                .bind(&c.id)
                .execute(&mut *tx)
                .await?;
            }
            audit!(
                tx,
                AuditEvent::by(who, "project.library_check", "library", library).detail(format!(
                    "{} plans checked, {changed} changed",
                    checked.len()
                ))
            );
        });
        Ok(())
    }
}
