//! The `mail` table: enqueue, claim, record the outcome, page through the outbox.

use chrono::{DateTime, Utc};

use super::{Mail, MailRecord, MailStatus};
use crate::Result;
use crate::db::Store;
use crate::db::{dispatch, transaction};

/// New rows are `queued`; the sender of whichever node claims them decides between SMTP and
/// the outbox.
pub const INSERT_SQL: &str = "INSERT INTO mail \
     (id, to_address, to_name, locale, subject, body_text, body_html, created_at, status, \
      attempts, next_attempt_at, related_type, related_id) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', 0, $8, $9, $10)";

const COLUMNS: &str = "id, to_address, to_name, locale, subject, body_text, body_html, created_at, \
     status, attempts, last_error, sent_at, next_attempt_at, related_type, related_id";

impl Store {
    /// Queues one email in a transaction of its own, for callers that have none open; inside
    /// a transaction use [`enqueue_mail!`](crate::mail::enqueue_mail!).
    pub async fn enqueue_mail(&self, mail: Mail) -> Result<String> {
        Ok(transaction!(self, |tx| crate::mail::enqueue_mail!(
            tx, mail
        )))
    }

    /// Queues several emails in one transaction: all of them, or none if one cannot be
    /// written. They become due at the same moment.
    pub async fn enqueue_mails(&self, mails: Vec<Mail>) -> Result<Vec<String>> {
        Ok(transaction!(self, |tx| {
            let mut ids = Vec::with_capacity(mails.len());
            for mail in mails {
                ids.push(crate::mail::enqueue_mail!(tx, mail));
            }
            ids
        }))
    }

    /// Ids of rows a sender may claim now: queued and due, or claimed by a sender whose claim
    /// has lapsed. Oldest first.
    pub async fn due_mail(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<String>> {
        Ok(dispatch!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM mail WHERE status IN ('queued', 'sending') \
                 AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
            )
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The earliest time a queued row falls due or a claim lapses.
    pub async fn next_mail_due(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(dispatch!(self, |pool| {
            sqlx::query_scalar(
                "SELECT next_attempt_at FROM mail WHERE status IN ('queued', 'sending') \
                 ORDER BY next_attempt_at LIMIT 1",
            )
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Claims one row for sending until `lease_until`. The UPDATE only matches while the row
    /// is still due, so when two senders race for it, one gets the row and the other `None`:
    /// PostgreSQL re-checks the condition on the row the first one wrote.
    pub async fn claim_mail(
        &self,
        id: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<MailRecord>> {
        let sql = format!(
            "UPDATE mail SET status = 'sending', attempts = attempts + 1, next_attempt_at = $3 \
             WHERE id = $1 AND status IN ('queued', 'sending') AND next_attempt_at <= $2 \
             RETURNING {COLUMNS}"
        );
        Ok(dispatch!(self, |pool| {
            sqlx::query_as::<_, MailRecord>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .bind(now)
                .bind(lease_until)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Without SMTP every queued row goes to the outbox; several nodes may do this at once.
    /// The sender looks after every commit, so it reads first: an UPDATE that matches nothing
    /// would still take SQLite's write lock.
    pub async fn move_mail_to_outbox(&self) -> Result<u64> {
        Ok(dispatch!(self, |pool| {
            let queued: Option<i32> =
                sqlx::query_scalar("SELECT 1 FROM mail WHERE status = 'queued' LIMIT 1")
                    .fetch_optional(pool)
                    .await?;
            if queued.is_none() {
                return Ok(0);
            }
            sqlx::query("UPDATE mail SET status = 'outbox' WHERE status = 'queued'")
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    pub async fn mail_sent(&self, id: &str, at: DateTime<Utc>) -> Result<()> {
        dispatch!(self, |pool| {
            sqlx::query(
                "UPDATE mail SET status = 'sent', sent_at = $2, last_error = NULL \
                 WHERE id = $1 AND status = 'sending'",
            )
            .bind(id)
            .bind(at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Records a failed attempt: queued again at `retry_at`, or `failed` for good when `None`.
    pub async fn mail_attempt_failed(
        &self,
        id: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let (status, next) = match retry_at {
            Some(at) => (MailStatus::Queued, at),
            None => (MailStatus::Failed, crate::ids::now()),
        };
        dispatch!(self, |pool| {
            sqlx::query(
                "UPDATE mail SET status = $2, last_error = $3, next_attempt_at = $4 \
                 WHERE id = $1 AND status = 'sending'",
            )
            .bind(id)
            .bind(status.as_str())
            .bind(error)
            .bind(next)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    pub async fn mail_by_id(&self, id: &str) -> Result<Option<MailRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM mail WHERE id = $1");
        Ok(dispatch!(self, |pool| {
            sqlx::query_as::<_, MailRecord>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Every email, newest first; `status` narrows to one state; `before` is the id of the
    /// last row of the previous page.
    pub async fn outbox_page(
        &self,
        status: Option<MailStatus>,
        before: Option<&str>,
        limit: i64,
    ) -> Result<Vec<MailRecord>> {
        let mut sql = crate::db::sql::Sql::new(&format!("SELECT {COLUMNS} FROM mail WHERE 1 = 1"));
        if let Some(status) = status {
            sql.push(" AND status = ").bind_text(status.as_str());
        }
        if let Some(before) = before {
            sql.push(" AND id < ").bind_text(before);
        }
        sql.push(" ORDER BY id DESC LIMIT ")
            .bind(crate::db::sql::Param::Int(limit));
        Ok(dispatch!(self, |pool| {
            let q = sqlx::query_as::<_, MailRecord>(sqlx::AssertSqlSafe(sql.text.clone()));
            crate::db::bind_params!(q, &sql.params)
                .fetch_all(pool)
                .await?
        }))
    }
}

/// Queues `mail` in a change that then fails, as a change refused after its email was written
/// would: the email must go with it. (For the tests: no route does this on purpose.)
#[doc(hidden)]
pub async fn enqueue_mail_then_fail(store: &Store, mail: Mail) -> Result<String> {
    Ok(transaction!(store, |tx| {
        crate::mail::enqueue_mail!(tx, mail);
        Err::<String, crate::AppError>(crate::AppError::Conflict("test_rollback"))?
    }))
}
