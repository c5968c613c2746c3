//! SQL for the keys that seal a matter's content. A key is made on the matter's first filing
//! and destroyed (set to NULL, with who and when) by crypto-shredding; a shredded matter takes
//! no new content.

use chrono::{DateTime, Utc};

use super::seal::MatterKey;
use super::store::matter_event;
use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::now;

/// The check a shredding makes inside its transaction: `sql` takes the matter's id as `$1` and
/// `version` as `$2`, and answers a row (one BIGINT column) only while destroying is still due.
pub struct ShredGuard<'a> {
    pub sql: &'a str,
    pub version: i64,
}

/// Where a matter's key stands.
#[derive(Debug)]
pub enum KeyState {
    /// Nothing sealed yet.
    Absent,
    Active(MatterKey),
    Shredded(DateTime<Utc>),
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    data_key: Option<Vec<u8>>,
    shredded_at: Option<DateTime<Utc>>,
}

impl KeyRow {
    fn state(self) -> Result<KeyState> {
        match (self.data_key, self.shredded_at) {
            (_, Some(at)) => Ok(KeyState::Shredded(at)),
            (Some(bytes), None) => MatterKey::from_bytes(&bytes)
                .map(KeyState::Active)
                .ok_or_else(|| {
                    crate::AppError::Internal(anyhow::anyhow!("a matter key is not 32 bytes"))
                }),
            (None, None) => Ok(KeyState::Absent),
        }
    }
}

impl Store {
    pub async fn matter_key(&self, matter_id: &str) -> Result<KeyState> {
        let sql = "SELECT data_key, shredded_at FROM matter_keys WHERE matter_id = $1";
        let row = dispatch!(self, |pool| sqlx::query_as::<_, KeyRow>(sql)
            .bind(matter_id)
            .fetch_optional(pool)
            .await?);
        row.map_or(Ok(KeyState::Absent), KeyRow::state)
    }

    /// The matter's key, made now if it has none. Two nodes filing the first document at once
    /// both read the one key that was inserted first.
    pub async fn ensure_matter_key(&self, matter_id: &str) -> Result<KeyState> {
        if let state @ (KeyState::Active(_) | KeyState::Shredded(_)) =
            self.matter_key(matter_id).await?
        {
            return Ok(state);
        }
        let key = MatterKey::generate();
        let sql = "INSERT INTO matter_keys (matter_id, data_key, created_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (matter_id) DO NOTHING";
        transaction!(self, |tx| {
            sqlx::query(sql)
                .bind(matter_id)
                .bind(key.bytes())
                .bind(now())
                .execute(&mut *tx)
                .await?;
        });
        self.matter_key(matter_id).await
    }

    /// Destroys the matter's key (or records that it has none, so nothing is sealed later), with
    /// the timeline and audit events, in one transaction, if `still_due` holds inside it: a
    /// query answering one row while the reason to destroy still stands (the purge passes its
    /// retention check, so a hold placed meanwhile wins). `false` if it was shredded already or
    /// is no longer due.
    pub async fn shred_matter_key(
        &self,
        who: &Who,
        matter_id: &str,
        office_id: &str,
        still_due: &ShredGuard<'_>,
        objects: u64,
    ) -> Result<bool> {
        let at = now();
        let by = who.user_id.clone().unwrap_or_else(|| who.label.clone());
        // PostgreSQL locks the guarding row, so a change to it waits for this transaction;
        // SQLite's transactions are already one at a time (BEGIN IMMEDIATE).
        let lock = match self.pool() {
            crate::db::Pool::Sqlite(_) => "",
            crate::db::Pool::Postgres(_) => " FOR UPDATE",
        };
        let guard = format!("{}{lock}", still_due.sql);
        let shredded = transaction!(self, |tx| {
            let due: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(guard.clone()))
                .bind(matter_id)
                .bind(still_due.version)
                .fetch_optional(&mut *tx)
                .await?;
            if due.is_none() {
                return Ok(false);
            }
            let done = sqlx::query(
                "INSERT INTO matter_keys (matter_id, data_key, created_at, shredded_at, shredded_by) \
                 VALUES ($1, NULL, $2, $3, $4) ON CONFLICT (matter_id) DO UPDATE \
                 SET data_key = NULL, shredded_at = excluded.shredded_at, \
                 shredded_by = excluded.shredded_by WHERE matter_keys.shredded_at IS NULL",
            )
            .bind(matter_id)
            .bind(at)
            .bind(at)
            .bind(&by)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                matter_event!(
                    tx,
                    matter_id,
                    who.user_id.as_deref(),
                    "content_shredded",
                    None::<&str>,
                    crate::matters::text::args(&[("objects", &objects.to_string())]),
                    String::new()
                );
                audit!(
                    tx,
                    AuditEvent::by(who, "matter.content_shredded", "matter", matter_id)
                        .in_org(Some(office_id))
                        .detail(format!("{objects} sealed objects removed; key destroyed"))
                );
            }
            done
        });
        Ok(shredded)
    }
}
