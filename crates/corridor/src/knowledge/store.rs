//! SQL for guides and their revisions, and the types the knowledge base shares (cases are in
//! `store_cases.rs`).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::case::CaseRecord;
use super::guide::{GuideText, Source};
use crate::auth::audit::audit;
use crate::auth::audit::{AuditEvent, Who};
use crate::db::Store;
use crate::db::{dispatch, transaction};
use crate::ids::{new_id, now};
use crate::{AppError, Result};

/// A guide as the pages and the API show it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Guide {
    pub country: String,
    pub lang: String,
    pub title: String,
    pub summary: String,
    /// When the content was last checked against its sources (YYYY-MM-DD).
    pub reviewed: String,
    pub revision: i64,
    pub sources: Vec<Source>,
    /// Markdown: seven `## Heading {#id}` sections.
    pub body: String,
    /// The revision was made in the UI (not imported from the shipped file).
    pub edited: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GuideRevision {
    pub revision: i64,
    pub title: String,
    pub summary: String,
    pub reviewed: String,
    pub sources: Vec<Source>,
    pub body: String,
    /// `import`, or the editor's name (never their email).
    pub edited_by: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// A case with the time it last changed.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StoredCase {
    #[serde(flatten)]
    pub case: CaseRecord,
    /// Changed on the platform since it was imported from the shipped file.
    pub edited: bool,
    pub updated_at: DateTime<Utc>,
}

/// Filters for the case library.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub sector: Option<String>,
    /// Touches this country (parties, seat, enforcement).
    pub country: Option<String>,
    /// Enforcement was sought in this country.
    pub enforced_in: Option<String>,
    /// With `enforced_in`: only this result.
    pub result: Option<String>,
    pub demo: Option<bool>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Imported {
    Added,
    Updated,
    Unchanged,
    /// The file changed but the guide was edited in the UI since; the edit is kept.
    KeptEdits,
}

#[derive(sqlx::FromRow)]
struct GuideRow {
    id: String,
    country: String,
    lang: String,
    title: String,
    summary: String,
    reviewed: String,
    revision: i64,
    sources: String,
    body: String,
    import_digest: Option<String>,
    edited_by: Option<String>,
    updated_at: DateTime<Utc>,
}

impl GuideRow {
    fn into_guide(self) -> Result<Guide> {
        Ok(Guide {
            sources: parse_json(&self.sources)?,
            edited: self.edited_by.is_some(),
            country: self.country,
            lang: self.lang,
            title: self.title,
            summary: self.summary,
            reviewed: self.reviewed,
            revision: self.revision,
            body: self.body,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    revision: i64,
    title: String,
    summary: String,
    reviewed: String,
    sources: String,
    body: String,
    edited_by_name: String,
    note: String,
    created_at: DateTime<Utc>,
}

impl RevisionRow {
    fn into_revision(self) -> Result<GuideRevision> {
        Ok(GuideRevision {
            sources: parse_json(&self.sources)?,
            revision: self.revision,
            title: self.title,
            summary: self.summary,
            reviewed: self.reviewed,
            body: self.body,
            edited_by: self.edited_by_name,
            note: self.note,
            created_at: self.created_at,
        })
    }
}

pub(super) fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| AppError::Internal(e.into()))
}

pub(super) fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.into()))
}

const GUIDE_COLUMNS: &str = "id, country, lang, title, summary, reviewed, revision, sources, body, \
                             import_digest, edited_by, updated_at";

impl Store {
    async fn guide_row(&self, country: &str, lang: &str) -> Result<Option<GuideRow>> {
        let sql = format!("SELECT {GUIDE_COLUMNS} FROM guides WHERE country = $1 AND lang = $2");
        Ok(dispatch!(self, |pool| {
            sqlx::query_as::<_, GuideRow>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(country)
                .bind(lang)
                .fetch_optional(pool)
                .await?
        }))
    }

    pub async fn guide(&self, country: &str, lang: &str) -> Result<Option<Guide>> {
        self.guide_row(country, lang)
            .await?
            .map(GuideRow::into_guide)
            .transpose()
    }

    /// Every guide, by country then language.
    pub async fn guides(&self) -> Result<Vec<Guide>> {
        self.guides_where("1 = 1", None).await
    }

    /// Guides changed after `since`, for the search index.
    pub async fn guides_changed_since(&self, since: Option<DateTime<Utc>>) -> Result<Vec<Guide>> {
        match since {
            Some(t) => self.guides_where("updated_at > $1", Some(t)).await,
            None => self.guides().await,
        }
    }

    async fn guides_where(&self, filter: &str, at: Option<DateTime<Utc>>) -> Result<Vec<Guide>> {
        let sql =
            format!("SELECT {GUIDE_COLUMNS} FROM guides WHERE {filter} ORDER BY country, lang");
        let rows: Vec<GuideRow> = dispatch!(self, |pool| {
            let q = sqlx::query_as::<_, GuideRow>(sqlx::AssertSqlSafe(sql.clone()));
            match at {
                Some(t) => q.bind(t).fetch_all(pool).await?,
                None => q.fetch_all(pool).await?,
            }
        });
        rows.into_iter().map(GuideRow::into_guide).collect()
    }

    /// Brings a shipped guide file into the database (see `data/knowledge/README.md` for when
    /// a changed file replaces the stored text).
    pub async fn import_guide(&self, g: &GuideText, digest: &str, file: &str) -> Result<Imported> {
        super::guide::validate(g)?;
        let existing = self.guide_row(&g.country, &g.lang).await?;
        let (id, revision) = match &existing {
            None => (new_id(), 1),
            Some(row) if row.import_digest.as_deref() == Some(digest) => {
                return Ok(Imported::Unchanged);
            }
            Some(row) if row.edited_by.is_some() => return Ok(Imported::KeptEdits),
            Some(row) => (row.id.clone(), row.revision + 1),
        };
        let who = Who {
            user_id: None,
            label: "import".into(),
        };
        let note = format!("imported from data/knowledge/guides/{file}");
        let written = self
            .write_guide(
                &id,
                g,
                revision,
                Some(digest),
                &who,
                "import",
                &note,
                existing.is_none(),
            )
            .await?;
        if !written {
            // Another node imported this file at the same moment.
            return Ok(Imported::Unchanged);
        }
        Ok(if existing.is_none() {
            Imported::Added
        } else {
            Imported::Updated
        })
    }

    /// Saves an edit made in the UI or the API as a new revision. `base_revision` is the
    /// revision the editor started from: if someone saved in between, nothing is written and
    /// the caller gets a conflict, so no one's work is silently overwritten.
    /// `editor_name` is what the public revision history shows (a person's name, never their
    /// email, which stays in the audit log).
    pub async fn save_guide(
        &self,
        who: &Who,
        editor_name: &str,
        g: &GuideText,
        base_revision: i64,
        note: &str,
    ) -> Result<i64> {
        super::guide::validate(g)?;
        if note.chars().count() > 500 {
            return Err(AppError::invalid("note", "too_long"));
        }
        let row = self
            .guide_row(&g.country, &g.lang)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.revision != base_revision {
            return Err(AppError::Conflict("guide_changed"));
        }
        let revision = row.revision + 1;
        // The update only applies on top of `base_revision`: two editors saving at once cannot
        // both win.
        if !self
            .write_guide(&row.id, g, revision, None, who, editor_name, note, false)
            .await?
        {
            return Err(AppError::Conflict("guide_changed"));
        }
        Ok(revision)
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_guide(
        &self,
        id: &str,
        g: &GuideText,
        revision: i64,
        import_digest: Option<&str>,
        who: &Who,
        editor_name: &str,
        note: &str,
        insert: bool,
    ) -> Result<bool> {
        let at = now();
        let sources = to_json(&g.sources)?;
        let edited_by = if import_digest.is_some() {
            None
        } else {
            who.user_id.clone()
        };
        let main_sql = if insert {
            "INSERT INTO guides (id, country, lang, title, summary, body, sources, reviewed, revision, \
             import_digest, edited_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
             ON CONFLICT (country, lang) DO NOTHING"
        } else {
            // An edit keeps the digest of the last import, so a later unchanged file is not
            // mistaken for a change.
            "UPDATE guides SET title = $4, summary = $5, body = $6, sources = $7, reviewed = $8, \
             revision = $9, import_digest = COALESCE($10, import_digest), edited_by = $11, \
             updated_at = $12 WHERE id = $1 AND country = $2 AND lang = $3 AND revision = $9 - 1"
        };
        let action = if import_digest.is_some() {
            "guide.import"
        } else {
            "guide.update"
        };
        transaction!(self, |tx| {
            let written = sqlx::query(main_sql)
                .bind(id)
                .bind(&g.country)
                .bind(&g.lang)
                .bind(&g.title)
                .bind(&g.summary)
                .bind(&g.body)
                .bind(&sources)
                .bind(&g.reviewed)
                .bind(revision)
                .bind(import_digest)
                .bind(edited_by.as_deref())
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if written == 0 {
                // Another node imported it, or another editor saved first: the revision this
                // write was based on is gone. Dropping the transaction writes nothing.
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO guide_revisions (guide_id, revision, title, summary, body, sources, \
                 reviewed, edited_by, edited_by_name, note, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(revision)
            .bind(&g.title)
            .bind(&g.summary)
            .bind(&g.body)
            .bind(&sources)
            .bind(&g.reviewed)
            .bind(edited_by.as_deref())
            .bind(editor_name)
            .bind(note)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, action, "guide", id)
                    .detail(format!("{}/{} revision {revision}", g.country, g.lang))
            );
        });
        Ok(true)
    }

    /// One revision of a guide.
    pub async fn guide_revision(
        &self,
        country: &str,
        lang: &str,
        revision: i64,
    ) -> Result<Option<GuideRevision>> {
        let row: Option<RevisionRow> = dispatch!(self, |pool| {
            sqlx::query_as::<_, RevisionRow>(
                "SELECT r.revision, r.title, r.summary, r.reviewed, r.sources, r.body, \
                 r.edited_by_name, r.note, r.created_at FROM guide_revisions r \
                 JOIN guides g ON g.id = r.guide_id \
                 WHERE g.country = $1 AND g.lang = $2 AND r.revision = $3",
            )
            .bind(country)
            .bind(lang)
            .bind(revision)
            .fetch_optional(pool)
            .await?
        });
        row.map(RevisionRow::into_revision).transpose()
    }

    /// Newest first.
    pub async fn guide_revisions(&self, country: &str, lang: &str) -> Result<Vec<GuideRevision>> {
        let rows: Vec<RevisionRow> = dispatch!(self, |pool| {
            sqlx::query_as::<_, RevisionRow>(
                "SELECT r.revision, r.title, r.summary, r.reviewed, r.sources, r.body, \
                 r.edited_by_name, r.note, r.created_at FROM guide_revisions r \
                 JOIN guides g ON g.id = r.guide_id WHERE g.country = $1 AND g.lang = $2 \
                 ORDER BY r.revision DESC",
            )
            .bind(country)
            .bind(lang)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(RevisionRow::into_revision).collect()
    }
}
