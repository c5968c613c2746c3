//! SQL for the deployment's obligations library: proposed revisions of its entries and their
//! publications (`library_revisions`, `library_publications`). Every change writes its audit
//! event in the same transaction.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::{LibraryRevisionId, now};

const REVISION_COLUMNS: &str = "r.id, r.urn, r.body, r.base_revision, r.note, r.state, \
     r.author_id, u.name AS author_name, r.author_org_id, o.slug AS org_slug, \
     o.name_en AS org_name_en, o.name_zh AS org_name_zh, r.created_at, r.decided_by, \
     r.decided_at, r.decision_note, r.publication";
const REVISION_FROM: &str = "library_revisions r JOIN users u ON u.id = r.author_id \
     LEFT JOIN organizations o ON o.id = r.author_org_id";

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RevisionRow {
    pub id: String,
    pub urn: String,
    /// The whole entry, JSON.
    pub body: String,
    pub base_revision: Option<String>,
    pub note: String,
    pub state: String,
    pub author_id: String,
    pub author_name: String,
    pub author_org_id: Option<String>,
    pub org_slug: Option<String>,
    pub org_name_en: Option<String>,
    pub org_name_zh: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub publication: Option<i64>,
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct PublicationRow {
    pub number: i64,
    pub revision_id: String,
    pub urn: String,
    /// The published entry, JSON.
    pub body: String,
    pub digest: String,
    /// `[{field, before, after}]`, JSON.
    pub changes: String,
    pub published_by: String,
    pub publisher_name: String,
    pub published_at: DateTime<Utc>,
    pub plans_checked: Option<i64>,
    pub plans_changed: Option<i64>,
}

const PUBLICATION_SELECT: &str = "SELECT p.number, p.revision_id, r.urn, r.body, p.digest, \
     p.changes, p.published_by, u.name AS publisher_name, p.published_at, p.plans_checked, \
     p.plans_changed FROM library_publications p JOIN library_revisions r ON r.id = p.revision_id \
     JOIN users u ON u.id = p.published_by";

/// A proposal as written.
pub struct NewRevision<'a> {
    pub urn: &'a str,
    pub body: &'a str,
    pub base_revision: Option<&'a str>,
    pub note: &'a str,
    pub author_org_id: Option<&'a str>,
}

/// Why a publication did not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Published {
    /// Published as this number.
    As(i64),
    /// The entry was revised since this revision was drafted.
    Stale,
    /// The revision is no longer a draft.
    NotDraft,
}

/// The SHA-256 of the published entries, URN order: what a publication leaves current.
fn digest(bodies: &[String]) -> String {
    let mut h = Sha256::new();
    for b in bodies {
        h.update(b.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

impl Store {
    pub async fn insert_library_revision(
        &self,
        who: &Who,
        new: &NewRevision<'_>,
    ) -> Result<LibraryRevisionId> {
        let id = LibraryRevisionId::generate();
        let at = now();
        let author = who.user_id.clone().unwrap_or_default();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO library_revisions (id, urn, body, base_revision, note, state, \
                 author_id, author_org_id, created_at) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8)",
            )
            .bind(&id)
            .bind(new.urn)
            .bind(new.body)
            .bind(new.base_revision)
            .bind(new.note)
            .bind(&author)
            .bind(new.author_org_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "library.propose", "library_revision", id.as_str())
                    .in_org(new.author_org_id)
                    .detail(new.urn.to_owned())
            );
        });
        Ok(id)
    }

    pub async fn library_revision(&self, id: &LibraryRevisionId) -> Result<Option<RevisionRow>> {
        let sql = format!("SELECT {REVISION_COLUMNS} FROM {REVISION_FROM} WHERE r.id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, RevisionRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(id)
        .fetch_optional(pool)
        .await?))
    }

    /// Revisions, newest first: of one entry, or in one state, or all; at most `limit`.
    pub async fn library_revisions(
        &self,
        urn: Option<&str>,
        state: Option<&str>,
        limit: i64,
    ) -> Result<Vec<RevisionRow>> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM {REVISION_FROM} \
             WHERE ($1 IS NULL OR r.urn = $1) AND ($2 IS NULL OR r.state = $2) \
             ORDER BY r.created_at DESC, r.id DESC LIMIT $3"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, RevisionRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(urn)
        .bind(state)
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }

    /// The current revision of each revised entry: (id, URN, body), URN order.
    pub async fn published_library_entries(&self) -> Result<Vec<(String, String, String)>> {
        let sql =
            "SELECT id, urn, body FROM library_revisions WHERE state = 'published' ORDER BY urn";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .fetch_all(pool)
            .await?))
    }

    /// The newest publication's number and digest, if the library was ever revised here.
    pub async fn latest_library_publication(&self) -> Result<Option<(i64, String)>> {
        let sql = "SELECT number, digest FROM library_publications ORDER BY number DESC LIMIT 1";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .fetch_optional(pool)
            .await?))
    }

    /// Makes a draft the entry's current revision, as the next publication, if the entry's
    /// current revision is still the one it was drafted over.
    pub async fn publish_library_revision(
        &self,
        who: &Who,
        row: &RevisionRow,
        changes: &str,
    ) -> Result<Published> {
        let at = now();
        let by = who.user_id.clone().unwrap_or_default();
        let outcome = transaction!(self, |tx| {
            let current: Option<(String,)> = sqlx::query_as(
                "SELECT id FROM library_revisions WHERE urn = $1 AND state = 'published'",
            )
            .bind(&row.urn)
            .fetch_optional(&mut *tx)
            .await?;
            if current.map(|c| c.0) != row.base_revision {
                return Ok(Published::Stale);
            }
            let (number,): (i64,) =
                sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM library_publications")
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query(
                "UPDATE library_revisions SET state = 'superseded' WHERE urn = $1 AND state = 'published'",
            )
            .bind(&row.urn)
            .execute(&mut *tx)
            .await?;
            let moved = sqlx::query(
                "UPDATE library_revisions SET state = 'published', decided_by = $1, decided_at = $2, \
                 publication = $3 WHERE id = $4 AND state = 'draft'",
            )
            .bind(&by)
            .bind(at)
            .bind(number)
            .bind(&row.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved != 1 {
                return Ok(Published::NotDraft);
            }
            let bodies: Vec<(String,)> = sqlx::query_as(
                "SELECT body FROM library_revisions WHERE state = 'published' ORDER BY urn",
            )
            .fetch_all(&mut *tx)
            .await?;
            let bodies: Vec<String> = bodies.into_iter().map(|b| b.0).collect();
            // The number is the key: a publication racing this one fails here (409).
            sqlx::query(
                "INSERT INTO library_publications (number, revision_id, digest, changes, \
                 published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(number)
            .bind(&row.id)
            .bind(digest(&bodies))
            .bind(changes)
            .bind(&by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "library.publish", "library_revision", &row.id)
                    .in_org(row.author_org_id.as_deref())
                    .detail(format!("publication {number}: {}", row.urn))
            );
            Published::As(number)
        });
        Ok(outcome)
    }

    /// Rejects (or, by its author, withdraws) a draft. `false` when it is no longer one.
    pub async fn reject_library_revision(
        &self,
        who: &Who,
        row: &RevisionRow,
        note: &str,
    ) -> Result<bool> {
        let at = now();
        let by = who.user_id.clone().unwrap_or_default();
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE library_revisions SET state = 'rejected', decided_by = $1, decided_at = $2, \
                 decision_note = $3 WHERE id = $4 AND state = 'draft'",
            )
            .bind(&by)
            .bind(at)
            .bind(note)
            .bind(&row.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "library.reject", "library_revision", &row.id)
                        .in_org(row.author_org_id.as_deref())
                        .detail(row.urn.clone())
                );
            }
            done
        });
        Ok(done)
    }

    pub async fn library_publication(&self, number: i64) -> Result<Option<PublicationRow>> {
        let sql = format!("{PUBLICATION_SELECT} WHERE p.number = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, PublicationRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(number)
        .fetch_optional(pool)
        .await?))
    }

    /// Publications, newest first, at most `limit`.
    pub async fn library_publications(&self, limit: i64) -> Result<Vec<PublicationRow>> {
        let sql = format!("{PUBLICATION_SELECT} ORDER BY p.number DESC LIMIT $1");
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, PublicationRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }

    /// What the check of stored plans against a publication found.
    pub async fn record_publication_check(
        &self,
        number: i64,
        checked: usize,
        changed: usize,
    ) -> Result<()> {
        transaction!(self, |tx| {
            sqlx::query(
                "UPDATE library_publications SET plans_checked = COALESCE(plans_checked, 0) + $1, \
                 plans_changed = COALESCE(plans_changed, 0) + $2 WHERE number = $3",
            )
            .bind(checked as i64)
            .bind(changed as i64)
            .bind(number)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }
}
