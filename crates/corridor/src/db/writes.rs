//! A change written as a list of statements that need no reads between them, in one
//! transaction: [`Store::write`].
//!
//! On SQLite a transaction holds the database's only write lock from `BEGIN` to `COMMIT`, and
//! through sqlx every statement in between is two thread hops to the connection's worker and
//! back. On two busy cores each hop waits for a CPU, so filing a document (ten statements) held
//! the lock ~0.9 ms, of which SQLite's own work was a third: the lock, not the CPU, capped
//! uploads at ~850/s. Here the whole list runs on one blocking thread, on a connection kept for
//! it: one hop per change. On PostgreSQL the list becomes one statement (see [`combined`]): one
//! round trip instead of one per statement plus `BEGIN` and `COMMIT`. An in-memory SQLite (and
//! a PostgreSQL change too large for one statement) runs through `transaction!` as any change
//! does.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::sql::Sql;
use super::{Pool, Store, bind_params, execute_sql, transaction};
use crate::AppError;
use crate::Result;

/// PostgreSQL takes at most 65,535 values per statement; a larger change (a notice to thousands
/// of participants) runs statement by statement instead.
const POSTGRES_PARAMS: usize = 30_000;

/// The statements of one change, run in order, all or nothing.
#[derive(Debug, Default)]
pub struct Writes {
    steps: Vec<Step>,
}

#[derive(Debug)]
struct Step {
    sql: Sql,
    /// Refuse the whole change with 409 and this code when the statement changes no row (a
    /// guarded UPDATE that lost a race).
    unchanged: Option<&'static str>,
}

impl Writes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, sql: Sql) -> &mut Self {
        self.steps.push(Step {
            sql,
            unchanged: None,
        });
        self
    }

    /// A statement that must change a row, or the change is refused as `Conflict(code)`.
    pub fn push_changing(&mut self, sql: Sql, code: &'static str) -> &mut Self {
        self.steps.push(Step {
            sql,
            unchanged: Some(code),
        });
        self
    }

    /// Adds statements built elsewhere (the two of a timeline event, of a notice).
    pub fn extend(&mut self, sqls: impl IntoIterator<Item = Sql>) -> &mut Self {
        for sql in sqls {
            self.push(sql);
        }
        self
    }
}

/// Refuses the change when a statement that must change a row (`unchanged` names the refusal)
/// changed none.
fn check(unchanged: Option<&'static str>, changed: u64) -> Result<()> {
    match unchanged {
        Some(code) if changed == 0 => Err(AppError::Conflict(code)),
        _ => Ok(()),
    }
}

impl Store {
    /// Runs `writes` in one transaction and commits it, or leaves nothing.
    pub async fn write(&self, writes: Writes) -> Result<()> {
        if let Some(writer) = &self.sqlite_writes {
            // The turn moves into the blocking task: a request dropped while it writes does
            // not let this process's next writer start beside it.
            let turn = self.sqlite_write_turn_owned().await?;
            let writer = writer.clone();
            let store = self.clone();
            return tokio::task::spawn_blocking(move || {
                let out = writer.run(&writes);
                drop(turn);
                if out.is_ok() {
                    store.changed();
                }
                out
            })
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        }
        if let Pool::Postgres(pool) = self.pool()
            && writes
                .steps
                .iter()
                .map(|s| s.sql.params.len())
                .sum::<usize>()
                <= POSTGRES_PARAMS
        {
            return self.write_postgres(pool, writes).await;
        }
        transaction!(self, |tx| {
            for Step { sql, unchanged } in writes.steps {
                let changed = execute_sql!(tx, sql);
                check(unchanged, changed)?;
            }
        });
        Ok(())
    }

    /// The whole change as one statement (see [`combined`]): one round trip where nothing is
    /// checked, else three (`BEGIN`, it, `COMMIT`), so a refusal rolls it back.
    async fn write_postgres(&self, pool: &sqlx::PgPool, writes: Writes) -> Result<()> {
        let (sql, checked) = combined(&writes.steps);
        let query = bind_params!(sqlx::query(sqlx::AssertSqlSafe(sql.text)), &sql.params);
        if checked.is_empty() {
            query.execute(pool).await?;
            self.changed();
            return Ok(());
        }
        let mut tx = pool.begin().await?;
        let row = query.fetch_one(&mut *tx).await?;
        for (column, code) in checked.into_iter().enumerate() {
            let changed = sqlx::Row::try_get::<i64, _>(&row, column)?;
            check(Some(code), changed as u64)?;
        }
        tx.commit().await?;
        self.changed();
        Ok(())
    }
}

/// PostgreSQL runs the statements of a change as data-modifying `WITH` clauses of one
/// statement, each to completion whether or not it is read, all or nothing: a filing's ten
/// statements cost one round trip instead of twelve (with `BEGIN` and `COMMIT`). Each step's
/// placeholders are renumbered after the ones before it. A checked step returns a row per row
/// it changed, counted in the result's columns, in order: the codes returned name them.
/// (Only fixed SQL reaches here, so a `$` is always a placeholder.)
fn combined(steps: &[Step]) -> (Sql, Vec<&'static str>) {
    let mut sql = Sql::new("WITH ");
    let mut counted = Vec::new();
    let mut checked = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push(&format!("w{i} AS ("));
        sql.push(&renumber(&step.sql.text, sql.params.len()));
        sql.params.extend(step.sql.params.iter().cloned());
        if let Some(code) = step.unchanged {
            sql.push(" RETURNING 1");
            counted.push(format!("(SELECT COUNT(*) FROM w{i})"));
            checked.push(code);
        }
        sql.push(")");
    }
    if counted.is_empty() {
        sql.push(" SELECT 1");
    } else {
        sql.push(&format!(" SELECT {}", counted.join(", ")));
    }
    (sql, checked)
}

/// `text` with every placeholder `$n` written `$(n + offset)`.
fn renumber(text: &str, offset: usize) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut n = String::new();
        while let Some(&(_, d)) = chars.peek()
            && d.is_ascii_digit()
        {
            n.push(d);
            chars.next();
        }
        match n.parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&n),
        }
    }
    out
}

/// The connection SQLite changes of [`Store::write`] run on, opened on first need and kept.
#[derive(Debug)]
pub struct SqliteWrites {
    path: PathBuf,
    busy_timeout: Duration,
    connection: Mutex<Option<Connection>>,
}

impl SqliteWrites {
    pub fn new(path: PathBuf, busy_timeout: Duration) -> Self {
        Self {
            path,
            busy_timeout,
            connection: Mutex::new(None),
        }
    }

    /// Forgets the connection (the store is closing).
    pub fn close(&self) {
        self.connection
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
    }

    fn run(&self, writes: &Writes) -> Result<()> {
        let mut slot = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(self.open().map_err(refused)?);
        }
        let connection = slot.as_mut().expect("opened above");
        let out = apply(connection, writes);
        if let Err(AppError::Internal(_)) = &out {
            // Whatever went wrong, the next change starts on a fresh connection.
            slot.take();
        }
        out
    }

    /// As the pool's connections are set up (`Store::connect`): the file is already in WAL.
    fn open(&self) -> rusqlite::Result<Connection> {
        let connection = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.busy_timeout(self.busy_timeout)?;
        connection.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;",
        )?;
        connection.set_prepared_statement_cache_capacity(64);
        Ok(connection)
    }
}

fn apply(connection: &mut Connection, writes: &Writes) -> Result<()> {
    let tx = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(refused)?;
    for step in &writes.steps {
        let mut statement = tx.prepare_cached(&step.sql.text).map_err(refused)?;
        super::sqlite_reads::bind(&mut statement, &step.sql).map_err(refused)?;
        let changed = statement.raw_execute().map_err(refused)?;
        // On a refusal, dropping the transaction rolls it back.
        check(step.unchanged, changed as u64)?;
    }
    tx.commit().map_err(refused)
}

/// As `From<sqlx::Error>` answers the same failures through sqlx.
fn refused(err: rusqlite::Error) -> AppError {
    use rusqlite::ffi;
    if let rusqlite::Error::SqliteFailure(e, _) = &err {
        match e.extended_code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                return AppError::Conflict("already_exists");
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => return AppError::Conflict("reference_missing"),
            _ => {}
        }
    }
    AppError::Internal(err.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::sql::Param;

    async fn count(store: &Store) -> i64 {
        crate::db::dispatch!(store, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM t"
        )
        .fetch_one(pool)
        .await
        .unwrap())
    }

    #[test]
    fn placeholders_are_renumbered_after_the_steps_before() {
        assert_eq!(
            renumber("VALUES ($1, $2, $1, $10)", 3),
            "VALUES ($4, $5, $4, $13)"
        );
        let mut writes = Writes::new();
        writes
            .push(Sql::statement(
                "INSERT INTO a VALUES ($1, $2)",
                vec!["x".into(), "y".into()],
            ))
            .push_changing(
                Sql::statement(
                    "UPDATE b SET n = $1 WHERE id = $2",
                    vec![1.into(), "z".into()],
                ),
                "gone",
            );
        let (sql, checked) = combined(&writes.steps);
        assert_eq!(
            sql.text,
            "WITH w0 AS (INSERT INTO a VALUES ($1, $2)), \
             w1 AS (UPDATE b SET n = $3 WHERE id = $4 RETURNING 1) SELECT (SELECT COUNT(*) FROM w1)"
        );
        assert_eq!(sql.params.len(), 4);
        assert_eq!(checked, ["gone"]);
    }

    /// A file database (the blocking connection) and an in-memory one (through sqlx) agree:
    /// all statements or none, a guarded statement that changes nothing refuses the change,
    /// a duplicate key is a conflict.
    #[tokio::test]
    async fn a_change_is_written_whole_or_not_at_all() {
        let dir = std::env::temp_dir().join(format!("corridor-writes-{}", crate::ids::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = crate::config::sqlite_url_for(&dir.join("t.db"));
        let mut urls = vec![file.clone(), "sqlite::memory:".to_string()];
        let mut postgres = None;
        if let Ok(server) = std::env::var("CORRIDOR_TEST_POSTGRES_URL") {
            let (url, name) =
                crate::db::testing::create_postgres_database(&server, "corridor_writes")
                    .await
                    .unwrap();
            urls.push(url);
            postgres = Some((server, name));
        }
        for url in &urls {
            let url = url.as_str();
            let store = Store::connect(url).await.unwrap();
            assert_eq!(store.sqlite_writes.is_some(), url == file.as_str(), "{url}");
            let at_type = match store.backend() {
                crate::db::Backend::Sqlite => "TEXT",
                crate::db::Backend::Postgres => "TIMESTAMPTZ",
            };
            let create =
                format!("CREATE TABLE t (id TEXT PRIMARY KEY, note TEXT, at {at_type}, n INTEGER)");
            crate::db::dispatch!(&store, |pool| {
                sqlx::query(sqlx::AssertSqlSafe(create.clone()))
                    .execute(pool)
                    .await
                    .unwrap();
            });
            let insert = |id: &str, note: Option<&str>| {
                Sql::statement(
                    "INSERT INTO t (id, note, at, n) VALUES ($1, $2, $3, $4)",
                    vec![
                        id.into(),
                        note.into(),
                        Param::Time("2026-12-05T10:00:00Z".parse().unwrap()),
                        7.into(),
                    ],
                )
            };
            let mut writes = Writes::new();
            writes.push(insert("a", None)).push(insert("b", Some("x")));
            store.write(writes).await.unwrap();
            assert_eq!(count(&store).await, 2, "{url}");

            let mut writes = Writes::new();
            writes.push(insert("c", None)).push_changing(
                Sql::statement("UPDATE t SET note = 'y' WHERE id = $1", vec!["zz".into()]),
                "gone",
            );
            let err = store.write(writes).await.unwrap_err();
            assert!(matches!(err, AppError::Conflict("gone")), "{url}: {err:?}");
            let mut writes = Writes::new();
            writes.push(insert("d", None)).push(insert("a", None));
            let err = store.write(writes).await.unwrap_err();
            assert!(
                matches!(err, AppError::Conflict("already_exists")),
                "{url}: {err:?}"
            );
            assert_eq!(count(&store).await, 2, "{url}: nothing of a refused change");

            let note: Option<String> = crate::db::dispatch!(&store, |pool| {
                sqlx::query_scalar("SELECT note FROM t WHERE id = 'a'")
                    .fetch_one(pool)
                    .await
                    .unwrap()
            });
            assert_eq!(note, None, "{url}");
            if let Pool::Sqlite(pool) = store.pool() {
                // Stored as sqlx stores it, so reads through either path compare alike.
                let at: String = sqlx::query_scalar("SELECT at FROM t WHERE id = 'a'")
                    .fetch_one(pool)
                    .await
                    .unwrap();
                assert_eq!(at, "2026-12-05T10:00:00+00:00");
            }
            store.close().await;
        }
        if let Some((server, name)) = postgres {
            crate::db::testing::drop_postgres_database(&server, &name)
                .await
                .unwrap();
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
