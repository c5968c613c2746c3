//! Reads of SQLite that run a whole statement on one blocking thread.
//!
//! sqlx's SQLite driver gives every connection a worker thread and hands each statement and
//! each row across a channel: two thread hops per statement and one per row. On a 2-core
//! machine that traffic, not SQLite, was most of a list's cost (a country list of 20 rows:
//! ~0.14 ms in SQLite, ~0.4 ms of CPU through the driver). Hot lists run here instead: one
//! `spawn_blocking` per read, on connections of their own (WAL lets them read beside the
//! pool's writer), rows decoded on that thread and handed back at once.
//!
//! These connections never write: they are opened with `query_only`. Statements are the same
//! [`Sql`] text the PostgreSQL path runs (`$1` placeholders are named parameters to SQLite).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::sql::{Param, Sql};

/// Reads that run at once; more wait for a turn. Each holds a connection, opened on first
/// need and kept: opening one reads the schema, which costs more than a list.
const READERS: usize = 8;

/// A row type a blocking read can decode, column by column in the order of its SELECT.
pub trait ReadRow: Sized + Send + 'static {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

impl ReadRow for (i64,) {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok((row.get(0)?,))
    }
}

/// A timestamp column. sqlx's SQLite driver writes RFC 3339, read here by chrono's fast path;
/// anything else (SQLite's `CURRENT_TIMESTAMP` form, Unix seconds) through rusqlite's own
/// reading. rusqlite alone parses every value against a format string, which cost a list of
/// twenty organizations 40 slow parses.
pub struct Timestamp(pub chrono::DateTime<chrono::Utc>);

impl rusqlite::types::FromSql for Timestamp {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        if let Ok(text) = value.as_str()
            && let Ok(at) = chrono::DateTime::parse_from_rfc3339(text)
        {
            return Ok(Timestamp(at.to_utc()));
        }
        chrono::DateTime::column_result(value).map(Timestamp)
    }
}

/// The pool of reading connections of one SQLite file.
#[derive(Debug)]
pub struct SqliteReads {
    path: PathBuf,
    busy_timeout: Duration,
    turns: Arc<tokio::sync::Semaphore>,
    idle: Mutex<Vec<Connection>>,
}

impl SqliteReads {
    pub fn new(path: PathBuf, busy_timeout: Duration) -> Self {
        Self {
            path,
            busy_timeout,
            turns: Arc::new(tokio::sync::Semaphore::new(READERS)),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `sql` and decodes every row, on a blocking thread.
    pub async fn fetch_all<R: ReadRow>(self: &Arc<Self>, sql: &Sql) -> crate::Result<Vec<R>> {
        // The turn moves into the blocking task, so a request dropped while it reads does not
        // let another read start beside it. A turn is waited for as long as a writer would wait
        // for the write lock; after `close` none is given.
        let turn = tokio::time::timeout(self.busy_timeout, self.turns.clone().acquire_owned())
            .await
            .map_err(|_| crate::AppError::Internal(anyhow::anyhow!("no SQLite reader free")))?
            .map_err(|e| crate::AppError::Internal(e.into()))?;
        let this = self.clone();
        let sql = sql.clone();
        tokio::task::spawn_blocking(move || {
            let connection = this.take()?;
            let rows = run(&connection, &sql);
            this.give_back(connection);
            drop(turn);
            rows
        })
        .await
        .map_err(|e| crate::AppError::Internal(e.into()))?
        .map_err(|e| crate::AppError::Internal(e.into()))
    }

    /// Closes the idle connections and refuses further reads, as the pool does after `close`.
    pub fn close(&self) {
        self.turns.close();
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn take(&self) -> rusqlite::Result<Connection> {
        if let Some(connection) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(connection);
        }
        let connection = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.busy_timeout(self.busy_timeout)?;
        connection.pragma_update(None, "query_only", true)?;
        // Without the planner's stability guarantee, SQLite marks a statement for a fresh
        // prepare whenever a parameter its plan looked at is bound again (a LIMIT, a LIKE
        // pattern), so every list was parsed and planned anew: a fifth of a list's CPU.
        connection.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        // Each page size and offset is a statement of its own (`Sql::limit`).
        connection.set_prepared_statement_cache_capacity(64);
        Ok(connection)
    }

    /// Keeps the connection for the next read, unless the readers were closed while it read.
    fn give_back(&self, connection: Connection) {
        if !self.turns.is_closed() {
            self.idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(connection);
        }
    }
}

fn run<R: ReadRow>(connection: &Connection, sql: &Sql) -> rusqlite::Result<Vec<R>> {
    let mut statement = connection.prepare_cached(&sql.text)?;
    bind(&mut statement, sql)?;
    let mut rows = statement.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(R::read(row)?);
    }
    Ok(out)
}

/// Binds `sql`'s values to its prepared statement, as sqlx's SQLite driver would encode them.
pub(super) fn bind(
    statement: &mut rusqlite::CachedStatement<'_>,
    sql: &Sql,
) -> rusqlite::Result<()> {
    for (i, param) in sql.params.iter().enumerate() {
        // `$n` is a named parameter to SQLite; a name used twice is one parameter.
        let Some(index) = statement.parameter_index(&format!("${}", i + 1))? else {
            continue;
        };
        match param {
            Param::Text(v) => statement.raw_bind_parameter(index, v.as_str())?,
            Param::OptText(v) => statement.raw_bind_parameter(index, v.as_deref())?,
            Param::Int(v) => statement.raw_bind_parameter(index, *v)?,
            Param::Bool(v) => statement.raw_bind_parameter(index, *v)?,
            // As sqlx's SQLite driver encodes a `DateTime<Utc>`, so comparisons with stored
            // values agree.
            Param::Time(v) => statement.raw_bind_parameter(
                index,
                v.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
            )?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_in_both_stored_forms() {
        let connection = Connection::open_in_memory().unwrap();
        let read = |text: &str| {
            connection
                .query_row("SELECT ?1", [text], |row| row.get::<_, Timestamp>(0))
                .map(|t| t.0.to_rfc3339())
                .ok()
        };
        // As sqlx's SQLite driver writes them, and as SQLite's CURRENT_TIMESTAMP does.
        assert_eq!(
            read("2026-12-05T11:44:36.123456789+00:00").as_deref(),
            Some("2026-12-05T11:44:36.123456789+00:00")
        );
        assert_eq!(
            read("2026-12-05T19:44:36+08:00").as_deref(),
            Some("2026-12-05T11:44:36+00:00")
        );
        assert_eq!(
            read("2026-12-05 11:44:36").as_deref(),
            Some("2026-12-05T11:44:36+00:00")
        );
        assert_eq!(read("yesterday"), None);
        let seconds = connection
            .query_row("SELECT 1796470000", [], |row| row.get::<_, Timestamp>(0))
            .unwrap();
        assert_eq!(seconds.0.timestamp(), 1_796_470_000);
    }

    #[tokio::test]
    async fn reads_see_committed_rows_and_bind_repeated_parameters_once() {
        let dir = std::env::temp_dir().join(format!("corridor-reads-{}", crate::ids::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER, at TEXT); \
                 INSERT INTO t VALUES (1, '2026-01-01T00:00:00+00:00'), (2, '2026-06-01T00:00:00+00:00'), \
                 (3, '2026-12-01T00:00:00+00:00');",
            )
            .unwrap();
        let reads = Arc::new(SqliteReads::new(path, Duration::from_secs(1)));
        let mut sql = Sql::new("SELECT COUNT(*) FROM t WHERE n >= ");
        sql.bind(Param::Int(2))
            .push(" AND at >= ")
            .bind(Param::Time("2026-03-01T00:00:00Z".parse().unwrap()))
            .push(" AND n >= $1");
        assert_eq!(reads.fetch_all::<(i64,)>(&sql).await.unwrap(), [(2,)]);
        writer
            .execute("INSERT INTO t VALUES (4, '2027-01-01T00:00:00+00:00')", [])
            .unwrap();
        assert_eq!(reads.fetch_all::<(i64,)>(&sql).await.unwrap(), [(3,)]);
        let err = reads
            .fetch_all::<(i64,)>(&Sql::new("DELETE FROM t"))
            .await
            .unwrap_err();
        assert!(matches!(err, crate::AppError::Internal(_)), "{err:?}");
        reads.close();
        assert!(reads.fetch_all::<(i64,)>(&sql).await.is_err(), "closed");
        std::fs::remove_dir_all(&dir).ok();
    }
}
