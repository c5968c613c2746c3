//! The ledger's outbox: records waiting to be appended, written by whichever node took the
//! request, drained by whichever node holds the writer lock.
//!
//! A record enters the log only through this table, and its row is written in the same
//! transaction as its audit event (and, for a filed document, its document row). So an entry
//! in the log always has its audit record, and a failed transaction leaves nothing in the log.
//! The one gap left — the sequencer appended but died before writing the index back — is
//! closed by [`recover`], which the next sequencer runs before draining: every entry past the
//! last recorded index must come from a pending row, found by its digest.

use corridor_ledger::sequencer::Sequencer;
use corridor_ledger::storage::read_entry;
use sha2::{Digest, Sha256};

use crate::db::Store;
use crate::db::{dispatch, transaction};

/// A record about to be queued: build it, then write it with [`enqueue!`](crate::anchoring::outbox::ledger_enqueue!)
/// inside the transaction that carries its audit event.
#[derive(Clone, Debug)]
pub struct Queued {
    pub id: String,
    /// `"<user id>:<Idempotency-Key>"`, so a retry finds the first attempt's row.
    pub request_key: Option<String>,
    pub entry: String,
    pub entry_sha256: String,
}

impl Queued {
    pub fn new(entry: String, request_key: Option<String>) -> Self {
        Self {
            id: crate::ids::new_id(),
            request_key,
            entry_sha256: hex::encode(Sha256::digest(entry.as_bytes())),
            entry,
        }
    }

    /// The statement that queues it ([`INSERT_SQL`]); it changes no row for a reused
    /// `request_key`.
    pub fn insert(&self) -> crate::db::sql::Sql {
        crate::db::sql::Sql::statement(
            INSERT_SQL,
            vec![
                (&self.id).into(),
                self.request_key.clone().into(),
                (&self.entry).into(),
                (&self.entry_sha256).into(),
                crate::ids::now().into(),
            ],
        )
    }
}

pub const INSERT_SQL: &str = "INSERT INTO ledger_outbox (id, request_key, entry, entry_sha256, created_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";

/// Queues a [`Queued`] record inside a transaction (`transaction!`'s `tx`). Evaluates to
/// `true` when the row was written, `false` when a row with the same `request_key` already
/// exists (a retry: read that row with [`by_request_key`] and wait for it instead).
macro_rules! ledger_enqueue {
    ($tx:expr, $queued:expr) => {{
        let queued: &$crate::anchoring::outbox::Queued = $queued;
        $crate::db::execute_sql!($tx, queued.insert()) == 1
    }};
}
pub(crate) use ledger_enqueue;

/// Queues `queued` in a transaction of its own (when nothing else is written with it).
pub async fn enqueue(db: &Store, queued: &Queued) -> anyhow::Result<bool> {
    Ok(transaction!(db, |tx| { ledger_enqueue!(tx, queued) }))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Row {
    pub id: String,
    pub entry: String,
    pub leaf_index: Option<i64>,
}

pub async fn by_request_key(db: &Store, key: &str) -> anyhow::Result<Option<Row>> {
    Ok(dispatch!(db, |pool| {
        sqlx::query_as::<_, Row>(
            "SELECT id, entry, leaf_index FROM ledger_outbox WHERE request_key = $1",
        )
        .bind(key)
        .fetch_optional(pool)
        .await?
    }))
}

pub async fn index_of(db: &Store, id: &str) -> anyhow::Result<Option<u64>> {
    let index: Option<Option<i64>> = dispatch!(db, |pool| {
        sqlx::query_scalar("SELECT leaf_index FROM ledger_outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    Ok(index.flatten().map(|i| i as u64))
}

/// The oldest pending rows.
pub async fn pending(db: &Store, limit: i64) -> anyhow::Result<Vec<Row>> {
    Ok(dispatch!(db, |pool| {
        sqlx::query_as::<_, Row>(
            "SELECT id, entry, leaf_index FROM ledger_outbox WHERE leaf_index IS NULL \
             ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?
    }))
}

/// Records the indices the sequencer acknowledged: one statement per batch (a row-by-row
/// write-back was a round trip per record on PostgreSQL, and the sequencer waits for it).
pub async fn mark_appended(db: &Store, done: &[(String, u64)]) -> anyhow::Result<()> {
    let now = crate::ids::now();
    // A transaction, so that on SQLite the write waits for its turn in this process instead of
    // in SQLite's busy handler (see `Store::sqlite_write_turn`): the sequencer waits for it.
    transaction!(db, |tx| {
        for chunk in done.chunks(500) {
            // `UPDATE … FROM (VALUES …)` works on both backends (SQLite ≥ 3.33); the VALUES
            // columns are `column1`, `column2` on both.
            let mut sql = String::from(
                "UPDATE ledger_outbox SET leaf_index = v.column2, appended_at = $1 FROM (VALUES ",
            );
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("(${}, ${})", 2 * i + 2, 2 * i + 3));
            }
            sql.push_str(
                ") AS v WHERE ledger_outbox.id = v.column1 AND ledger_outbox.leaf_index IS NULL",
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now);
            for (id, index) in chunk {
                query = query.bind(id).bind(*index as i64);
            }
            query.execute(&mut *tx).await?;
        }
    });
    Ok(())
}

/// Indices this node's sequencer appended lately, so a request waiting on this node finds its
/// index without asking the database after every batch. Bounded: the oldest are forgotten,
/// and a waiter that misses falls back to the outbox row.
#[derive(Debug, Default)]
pub struct Recent {
    index: std::collections::HashMap<String, u64>,
    order: std::collections::VecDeque<String>,
}

impl Recent {
    const KEEP: usize = 16_384;

    pub fn record(&mut self, done: &[(String, u64)]) {
        for (id, index) in done {
            if self.index.insert(id.clone(), *index).is_none() {
                self.order.push_back(id.clone());
            }
        }
        while self.order.len() > Self::KEEP {
            if let Some(old) = self.order.pop_front() {
                self.index.remove(&old);
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<u64> {
        self.index.get(id).copied()
    }
}

/// Run by a new sequencer before it drains: records the index of every entry the previous one
/// appended but did not write back, so no pending row is appended twice. Also remembers where
/// the outbox began, for logs older than it.
pub async fn recover(db: &Store, sequencer: &Sequencer) -> anyhow::Result<usize> {
    let size = sequencer.published().size;
    dispatch!(db, |pool| {
        sqlx::query("UPDATE ledger_log SET outbox_from = $1 WHERE id = 1 AND outbox_from < 0")
            .bind(size as i64)
            .execute(pool)
            .await?;
    });
    let (from, last): (i64, Option<i64>) = dispatch!(db, |pool| {
        sqlx::query_as(
            "SELECT COALESCE((SELECT outbox_from FROM ledger_log WHERE id = 1), 0), \
                    (SELECT MAX(leaf_index) FROM ledger_outbox)",
        )
        .fetch_one(pool)
        .await?
    });
    let start = last.map(|l| l + 1).unwrap_or(0).max(from.max(0)) as u64;
    let mut found = Vec::new();
    for index in start..size {
        let entry = read_entry(sequencer.store(), size, index).await?;
        let digest = hex::encode(Sha256::digest(&entry));
        let id: Option<String> = dispatch!(db, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM ledger_outbox WHERE entry_sha256 = $1 AND leaf_index IS NULL",
            )
            .bind(&digest)
            .fetch_optional(pool)
            .await?
        });
        match id {
            Some(id) => found.push((id, index)),
            None => tracing::error!(index, "a ledger entry matches no outbox row"),
        }
    }
    mark_appended(db, &found).await?;
    if !found.is_empty() {
        tracing::warn!(
            entries = found.len(),
            "recovered ledger entries appended before the last sequencer stopped"
        );
    }
    Ok(found.len())
}
