//! SQL for the typical-case library.

use chrono::{DateTime, Utc};

use super::case::CaseRecord;
use super::store::{CaseFilter, Imported, StoredCase, parse_json, to_json};
use crate::auth::audit::audit;
use crate::auth::audit::{AuditEvent, Who};
use crate::db::Store;
use crate::db::sql::{Param, Sql};
use crate::db::{bind_params, dispatch, transaction};
use crate::ids::{new_id, now};
use crate::{AppError, Result};

#[derive(sqlx::FromRow)]
struct CaseRow {
    record: String,
    edited_by: Option<String>,
    updated_at: DateTime<Utc>,
}

impl Store {
    /// Brings a shipped case file into the database; a changed file replaces the record,
    /// unless the case was edited on the platform since (the edit is kept).
    pub async fn import_case(&self, case: &CaseRecord, digest: &str) -> Result<Imported> {
        case.validate()?;
        let existing: Option<(Option<String>, Option<String>)> = dispatch!(self, |pool| {
            sqlx::query_as("SELECT import_digest, edited_by FROM knowledge_cases WHERE slug = $1")
                .bind(&case.slug)
                .fetch_optional(pool)
                .await?
        });
        match &existing {
            Some((Some(d), _)) if d == digest => return Ok(Imported::Unchanged),
            Some((_, Some(_))) => return Ok(Imported::KeptEdits),
            _ => {}
        }
        let who = Who {
            user_id: None,
            label: "import".into(),
        };
        self.upsert_case(case, Some(digest), &who, "case.import")
            .await?;
        Ok(if existing.is_some() {
            Imported::Updated
        } else {
            Imported::Added
        })
    }

    /// Adds a case written on the platform; a slug already in the library is a conflict.
    pub async fn create_case(&self, who: &Who, case: &CaseRecord) -> Result<()> {
        case.validate()?;
        if self.case(&case.slug).await?.is_some() {
            return Err(AppError::Conflict("slug_taken"));
        }
        self.upsert_case(case, None, who, "case.create").await
    }

    /// Replaces a case from the platform's editor.
    pub async fn update_case(&self, who: &Who, slug: &str, case: &CaseRecord) -> Result<()> {
        case.validate()?;
        if case.slug != slug {
            return Err(AppError::invalid("slug", "case_slug_fixed"));
        }
        if self.case(slug).await?.is_none() {
            return Err(AppError::NotFound);
        }
        self.upsert_case(case, None, who, "case.update").await
    }

    /// One write for a new and a changed case, and for two nodes importing at once: the row
    /// keeps its id, which the filter rows hang from. An import (`import_digest`) clears the
    /// editor; an edit keeps the last imported digest.
    async fn upsert_case(
        &self,
        case: &CaseRecord,
        import_digest: Option<&str>,
        who: &Who,
        action: &'static str,
    ) -> Result<()> {
        let at = now();
        let record = to_json(case)?;
        let edited_by = if import_digest.is_some() {
            None
        } else {
            who.user_id.clone()
        };
        transaction!(self, |tx| {
            let (id,): (String,) = sqlx::query_as(
                "INSERT INTO knowledge_cases (id, slug, is_demo, year, sector, forum, seat, \
                 outcome, amount_band, record, import_digest, edited_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
                 ON CONFLICT (slug) DO UPDATE SET is_demo = excluded.is_demo, year = excluded.year, \
                 sector = excluded.sector, forum = excluded.forum, seat = excluded.seat, \
                 outcome = excluded.outcome, amount_band = excluded.amount_band, \
                 record = excluded.record, \
                 import_digest = COALESCE(excluded.import_digest, knowledge_cases.import_digest), \
                 edited_by = excluded.edited_by, updated_at = excluded.updated_at \
                 RETURNING id",
            )
            .bind(new_id())
            .bind(&case.slug)
            .bind(case.demo)
            .bind(i32::from(case.year))
            .bind(&case.sector)
            .bind(&case.forum)
            .bind(&case.seat)
            .bind(&case.outcome)
            .bind(&case.amount_band)
            .bind(&record)
            .bind(import_digest)
            .bind(edited_by.as_deref())
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            for table in ["knowledge_case_countries", "knowledge_case_enforcement"] {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM {table} WHERE case_id = $1"
                )))
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            }
            for country in case.all_countries() {
                sqlx::query(
                    "INSERT INTO knowledge_case_countries (case_id, country) VALUES ($1, $2)",
                )
                .bind(&id)
                .bind(&country)
                .execute(&mut *tx)
                .await?;
            }
            let mut seen = std::collections::HashSet::new();
            for e in &case.enforcement {
                if seen.insert((e.country.clone(), e.result.clone())) {
                    sqlx::query(
                        "INSERT INTO knowledge_case_enforcement (case_id, country, result) VALUES ($1, $2, $3)",
                    )
                    .bind(&id)
                    .bind(&e.country)
                    .bind(&e.result)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            audit!(
                tx,
                AuditEvent::by(who, action, "case", &id).detail(format!("slug={}", case.slug))
            );
        });
        Ok(())
    }

    /// The case library, newest first, filtered.
    pub async fn cases(&self, filter: &CaseFilter) -> Result<Vec<StoredCase>> {
        let mut sql = Sql::new(
            "SELECT c.record, c.edited_by, c.updated_at FROM knowledge_cases c WHERE 1 = 1",
        );
        if let Some(s) = &filter.sector {
            sql.push(" AND c.sector = ").bind(Param::Text(s.clone()));
        }
        if let Some(d) = filter.demo {
            sql.push(" AND c.is_demo = ").bind(Param::Bool(d));
        }
        if let Some(cc) = &filter.country {
            sql.push(" AND EXISTS (SELECT 1 FROM knowledge_case_countries k WHERE k.case_id = c.id AND k.country = ")
                .bind(Param::Text(cc.clone()))
                .push(")");
        }
        if let Some(cc) = &filter.enforced_in {
            sql.push(" AND EXISTS (SELECT 1 FROM knowledge_case_enforcement e WHERE e.case_id = c.id AND e.country = ")
                .bind(Param::Text(cc.clone()));
            match &filter.result {
                Some(r) => sql
                    .push(" AND e.result = ")
                    .bind(Param::Text(r.clone()))
                    .push(")"),
                None => sql.push(" AND e.result <> 'not_sought')"),
            };
        }
        sql.push(" ORDER BY c.year DESC, c.slug");
        let rows: Vec<CaseRow> = dispatch!(self, |pool| {
            let q = sqlx::query_as::<_, CaseRow>(sqlx::AssertSqlSafe(sql.text.clone()));
            bind_params!(q, &sql.params).fetch_all(pool).await?
        });
        rows.into_iter().map(stored_case).collect()
    }

    pub async fn case(&self, slug: &str) -> Result<Option<StoredCase>> {
        let row: Option<CaseRow> = dispatch!(self, |pool| {
            sqlx::query_as::<_, CaseRow>(
                "SELECT record, edited_by, updated_at FROM knowledge_cases WHERE slug = $1",
            )
            .bind(slug)
            .fetch_optional(pool)
            .await?
        });
        row.map(stored_case).transpose()
    }

    /// Cases changed after `since`, for the search index.
    pub async fn cases_changed_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<StoredCase>> {
        let rows: Vec<CaseRow> = dispatch!(self, |pool| {
            match since {
                Some(t) => {
                    sqlx::query_as::<_, CaseRow>(
                        "SELECT record, edited_by, updated_at FROM knowledge_cases WHERE updated_at > $1",
                    )
                    .bind(t)
                    .fetch_all(pool)
                    .await?
                }
                None => {
                    sqlx::query_as::<_, CaseRow>("SELECT record, edited_by, updated_at FROM knowledge_cases")
                        .fetch_all(pool)
                        .await?
                }
            }
        });
        // One unreadable row must not stop the rest from being indexed: it is reported and
        // left out (the follower would otherwise fail on it every sweep).
        Ok(rows
            .into_iter()
            .filter_map(|row| match stored_case(row) {
                Ok(case) => Some(case),
                Err(error) => {
                    tracing::error!(%error, "a stored case cannot be read; it is left out of search");
                    None
                }
            })
            .collect())
    }
}

fn stored_case(row: CaseRow) -> Result<StoredCase> {
    Ok(StoredCase {
        case: parse_json(&row.record)?,
        edited: row.edited_by.is_some(),
        updated_at: row.updated_at,
    })
}
