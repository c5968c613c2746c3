//! SQL for a matter's documents and messages.

use chrono::{DateTime, Utc};

use super::kind::{join_roles, split_roles};
use super::model::*;
use super::store::{Change, Event, MatterRow, Member, notice, recipients};
use crate::Result;
use crate::auth::audit::audit;
use crate::auth::audit::{AuditEvent, Who};
use crate::db::Store;
use crate::db::sql::Sql;
use crate::db::writes::Writes;
use crate::db::{dispatch, transaction};
use crate::ids::{MatterId, new_id, now};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct DocumentRow {
    pub id: String,
    pub matter_id: String,
    pub role: String,
    pub name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub version: i32,
    pub previous_id: Option<String>,
    pub superseded_by: Option<String>,
    pub visible_to: String,
    pub filed_by: String,
    pub filed_by_name: String,
    pub filed_at: DateTime<Utc>,
    pub ledger_index: Option<i64>,
    pub ledger_record: Option<String>,
    pub ledger_entry_id: Option<String>,
}

impl DocumentRow {
    pub fn view(&self) -> Document {
        Document {
            id: self.id.clone(),
            role: self.role.clone(),
            name: self.name.clone(),
            content_type: self.content_type.clone(),
            sha256: self.sha256.clone(),
            size: self.size,
            version: self.version,
            previous_id: self.previous_id.clone(),
            superseded_by: self.superseded_by.clone(),
            visible_to: split_roles(&self.visible_to),
            filed_by: self.filed_by.clone(),
            filed_by_name: self.filed_by_name.clone(),
            filed_at: self.filed_at,
            ledger_index: self.ledger_index,
        }
    }
}

pub(super) const DOC_COLUMNS: &str = "d.id, d.matter_id, d.role, d.name, d.content_type, d.sha256, d.size, \
     d.version, d.previous_id, d.superseded_by, d.visible_to, d.filed_by, u.name AS filed_by_name, \
     d.filed_at, COALESCE(d.ledger_index, o.leaf_index) AS ledger_index, d.ledger_record, \
     d.ledger_entry_id";

/// Documents with their filer, and the index of their ledger record from the outbox: the
/// sequencer writes indices there in one statement per batch, so filing does not write the
/// document row a second time. (`d.ledger_index` holds indices recorded before the outbox.)
pub(super) const DOC_FROM: &str = "matter_documents d JOIN users u ON u.id = d.filed_by \
     LEFT JOIN ledger_outbox o ON o.id = d.ledger_entry_id";

/// A document about to be filed, its bytes already stored under its hash.
pub struct Filing<'a> {
    pub id: &'a str,
    /// When it is filed: the row's `filed_at` and the time in its ledger record.
    pub at: DateTime<Utc>,
    /// Its ledger record, queued in the same transaction (none when the ledger is off).
    pub anchor: Option<&'a crate::anchoring::outbox::Queued>,
    /// The upload's idempotency token: a retry of a filed upload finds the first document.
    pub request_key: Option<&'a str>,
    pub matter: &'a MatterRow,
    pub actor_id: &'a str,
    pub role: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub size: i64,
    pub visible_to: &'a [String],
    pub replaces: Option<&'a DocumentRow>,
}

impl Filing<'_> {
    fn version(&self) -> i32 {
        self.replaces.map(|d| d.version + 1).unwrap_or(1)
    }

    /// The row this filing writes, as [`Store::document`] reads it back before anchoring.
    pub fn row(&self, filed_by_name: &str) -> DocumentRow {
        DocumentRow {
            id: self.id.to_string(),
            matter_id: self.matter.id.clone(),
            role: self.role.to_string(),
            name: self.name.to_string(),
            content_type: self.content_type.to_string(),
            sha256: self.sha256.to_string(),
            size: self.size,
            version: self.version(),
            previous_id: self.replaces.map(|d| d.id.clone()),
            superseded_by: None,
            visible_to: join_roles(self.visible_to),
            filed_by: self.actor_id.to_string(),
            filed_by_name: filed_by_name.to_string(),
            filed_at: self.at,
            ledger_index: None,
            ledger_record: self.anchor.map(|q| q.entry.clone()),
            ledger_entry_id: self.anchor.map(|q| q.id.clone()),
        }
    }
}

impl Store {
    pub async fn documents(&self, matter_id: &MatterId) -> Result<Vec<DocumentRow>> {
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM {DOC_FROM} \
             WHERE d.matter_id = $1 ORDER BY d.filed_at, d.id"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, DocumentRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(matter_id)
        .fetch_all(pool)
        .await?))
    }

    /// Whether the content with this hash is already stored.
    pub async fn blob_exists(&self, sha256: &str) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM file_blobs WHERE sha256 = $1";
        Ok(dispatch!(self, |pool| sqlx::query_scalar::<_, i64>(sql)
            .bind(sha256)
            .fetch_one(pool)
            .await?)
            > 0)
    }

    /// Files a document: its blob row (once per hash), the document row, its ledger record in
    /// the outbox, the timeline event, notifications to those who may see it, the audit
    /// event — all or nothing. Answers the
    /// id of the document filed earlier under the same request key instead, if there is one.
    pub async fn file_document(
        &self,
        who: &Who,
        f: &Filing<'_>,
        members: &[Member],
        base: &str,
    ) -> Result<Option<String>> {
        if let Some(key) = f.request_key
            && let Some(existing) = self.document_by_request(key).await?
        {
            return Ok(Some(existing));
        }
        let id = f.id;
        let at = f.at;
        let version = f.version();
        let visible = join_roles(f.visible_to);
        let mut writes = Writes::new();
        writes.push(Sql::statement(
            "INSERT INTO file_blobs (sha256, size, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (sha256) DO NOTHING",
            vec![f.sha256.into(), f.size.into(), at.into()],
        ));
        if let Some(old) = f.replaces {
            // Only the newest version can be corrected: a second correction of the same
            // version loses this race and is told so.
            writes.push_changing(
                Sql::statement(
                    "UPDATE matter_documents SET superseded_by = $1 \
                     WHERE id = $2 AND superseded_by IS NULL",
                    vec![id.into(), (&old.id).into()],
                ),
                "document_superseded",
            );
        }
        writes.push(Sql::statement(
            "INSERT INTO matter_documents (id, matter_id, role, name, content_type, sha256, size, \
             version, previous_id, visible_to, filed_by, filed_at, ledger_record, ledger_entry_id, \
             request_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            vec![
                id.into(),
                (&f.matter.id).into(),
                f.role.into(),
                f.name.into(),
                f.content_type.into(),
                f.sha256.into(),
                f.size.into(),
                i64::from(version).into(),
                f.replaces.map(|d| d.id.clone()).into(),
                (&visible).into(),
                f.actor_id.into(),
                at.into(),
                f.anchor.map(|q| q.entry.clone()).into(),
                f.anchor.map(|q| q.id.clone()).into(),
                f.request_key.into(),
            ],
        ));
        // The id is new, so the outbox row is always written (none only for a reused key).
        if let Some(queued) = f.anchor {
            writes.push(queued.insert());
        }
        let args = super::text::args(&[
            ("name", f.name),
            ("role", f.role),
            ("version", &version.to_string()),
            ("reference", &f.matter.reference),
        ]);
        writes.extend(
            Event {
                matter: &f.matter.id,
                actor: Some(f.actor_id),
                kind: "filed",
                object: Some(id),
                args: args.clone(),
                visible_to: visible,
            }
            .statements(),
        );
        let link = format!("/matters/{}", f.matter.id);
        for member in recipients(members, f.visible_to, f.actor_id) {
            writes.extend(notice(member, &f.matter.id, "filed", &args, &link, base));
        }
        writes.push(
            AuditEvent::by(who, "matter.document_file", "matter_document", id)
                .in_org(Some(&f.matter.owner_org_id))
                .detail(format!(
                    "matter={} sha256={} size={}",
                    f.matter.id, f.sha256, f.size
                ))
                .insert(),
        );
        // One blocking hop on SQLite (see `db::writes`): filing is the hottest write.
        self.write(writes).await?;
        Ok(None)
    }

    async fn document_by_request(&self, key: &str) -> Result<Option<String>> {
        let sql = "SELECT id FROM matter_documents WHERE request_key = $1";
        Ok(dispatch!(self, |pool| sqlx::query_scalar::<_, String>(sql)
            .bind(key)
            .fetch_optional(pool)
            .await?))
    }

    /// Messages with the reader's read state, oldest first.
    pub async fn messages(
        &self,
        matter_id: &MatterId,
        reader: &str,
    ) -> Result<Vec<(String, String, String, String, String, DateTime<Utc>, bool)>> {
        let sql = "SELECT m.id, m.author_id, u.name, m.body, m.to_roles, m.created_at, r.user_id IS NOT NULL \
                   FROM matter_messages m JOIN users u ON u.id = m.author_id \
                   LEFT JOIN matter_message_reads r ON r.message_id = m.id AND r.user_id = $2 \
                   WHERE m.matter_id = $1 ORDER BY m.created_at, m.id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(matter_id)
            .bind(reader)
            .fetch_all(pool)
            .await?))
    }

    pub async fn post_message(
        &self,
        change: &Change<'_>,
        author_name: &str,
        body: &str,
        to_roles: &[String],
        members: &[Member],
    ) -> Result<String> {
        let Change {
            who,
            actor_id,
            matter,
            base,
        } = *change;
        let id = new_id();
        let at = now();
        let roles = join_roles(to_roles);
        let reach = recipients(members, to_roles, actor_id);
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO matter_messages (id, matter_id, author_id, body, to_roles, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(&matter.id)
            .bind(actor_id)
            .bind(body)
            .bind(&roles)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            // The author has read their own message.
            sqlx::query("INSERT INTO matter_message_reads (message_id, user_id, read_at) VALUES ($1, $2, $3)")
                .bind(&id)
                .bind(actor_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            let args =
                super::text::args(&[("name", author_name), ("reference", &matter.reference)]);
            crate::matters::store::matter_event!(
                tx,
                &matter.id,
                Some(actor_id),
                "message",
                Some(&id),
                args.clone(),
                roles.clone()
            );
            crate::matters::store::notify_each!(
                tx,
                &reach,
                &matter.id,
                "message",
                args.clone(),
                format!("/matters/{}#messages", matter.id),
                base
            );
            audit!(
                tx,
                AuditEvent::by(who, "matter.message", "matter", &matter.id)
                    .in_org(Some(&matter.owner_org_id))
                    .detail(format!("message={id}"))
            );
        });
        Ok(id)
    }

    /// Marks the given messages read for `user_id` (those already read stay as they were).
    pub async fn mark_messages_read(&self, user_id: &str, message_ids: &[String]) -> Result<()> {
        let at = now();
        transaction!(self, |tx| {
            for id in message_ids {
                sqlx::query(
                    "INSERT INTO matter_message_reads (message_id, user_id, read_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (message_id, user_id) DO NOTHING",
                )
                .bind(id)
                .bind(user_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }
}
