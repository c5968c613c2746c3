//! One Store over SQLite and PostgreSQL, chosen by the URL scheme.
//!
//! Both backends go through sqlx's typed drivers (not `Any`, which cannot decode timestamps or
//! booleans portably). SQL text is shared where the dialects agree — `$1` placeholders work on
//! both — and [`dispatch!`] runs the same code against whichever pool is open. Migrations are
//! kept per backend under `migrations/{sqlite,postgres}` and embedded in the binary.

pub mod read_row;
pub mod sql;
pub(crate) use sql::{bind_params, execute_sql};
pub mod sqlite_reads;
pub mod testing;
pub mod writes;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

/// How long a SQLite writer waits for the write lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!(
                "unsupported database URL {:?}: use sqlite://PATH or postgres://USER@HOST/DB",
                redact_url(url)
            )
        }
    }
}

#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the open backend's typed pool. The body is compiled once
/// per backend, so sqlx checks the row types against each driver.
macro_rules! dispatch {
    ($store:expr, |$pool:ident| $body:expr) => {
        match $store.pool() {
            $crate::db::Pool::Sqlite($pool) => $body,
            $crate::db::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use dispatch;

/// Runs `$body` inside a transaction on the open backend and commits it when the body returns
/// `Ok`. Dropping the transaction on `Err` rolls it back, so a failed change leaves nothing.
///
/// On SQLite the transaction waits for this process's write turn ([`Store::sqlite_write_turn`])
/// and then takes the database's write lock at once (`BEGIN IMMEDIATE`).
macro_rules! transaction {
    ($store:expr, |$tx:ident| $body:expr) => {
        match $store.pool() {
            $crate::db::Pool::Sqlite(pool) => {
                let _writing = $store.sqlite_write_turn().await?;
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                $store.changed();
                out
            }
            $crate::db::Pool::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                $store.changed();
                out
            }
        }
    };
}
pub(crate) use transaction;

#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    /// Counts committed transactions of this process, so read caches can tell that what they
    /// hold may be stale. Writes by other processes are bounded by the caches' time limit.
    version: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Wakes whoever follows the database (the search index) after a commit.
    changes: std::sync::Arc<tokio::sync::Notify>,
    /// The same signal for any number of followers (the mail sender): each receiver sees
    /// that a commit happened since it last looked, even if it was busy at the time.
    commits: std::sync::Arc<tokio::sync::watch::Sender<u64>>,
    /// SQLite has one writer at a time. Connections that find the write lock taken wait in
    /// SQLite's busy handler, which sleeps in steps of up to 100 ms; with a few concurrent
    /// writers that sleeping, not the writing, was most of an upload's time (347 documents/s
    /// on two cores). Writers of this process queue here instead, in order, and are woken as
    /// soon as the previous one commits. Other processes still meet the busy timeout.
    sqlite_writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Blocking readers of the SQLite file, for the hot lists ([`Store::fetch_rows`]).
    sqlite_reads: Option<std::sync::Arc<sqlite_reads::SqliteReads>>,
    /// The blocking writer of the SQLite file, for [`Store::write`].
    sqlite_writes: Option<std::sync::Arc<writes::SqliteWrites>>,
}

impl Store {
    /// Opens the database (creating a SQLite file and its folder if needed) and applies any
    /// pending migrations.
    pub async fn open(url: &str) -> anyhow::Result<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the database without migrating.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let mut sqlite_reads = None;
        let mut sqlite_writes = None;
        let pool = match Backend::from_url(url)? {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // WAL lets readers run beside one writer; the busy timeout makes a second
                    // process (a CLI command beside a running server) wait instead of failing.
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                    // A shredded matter key is overwritten with zeros in the file, not left in
                    // a free page (crypto-shredding, `matters::store_keys`).
                    .pragma("secure_delete", "ON")
                    .foreign_keys(true);
                if let Some(parent) = std::path::Path::new(options.get_filename()).parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent)?;
                }
                // An in-memory database lives in the pool's connections alone; its reads stay
                // on sqlx.
                if !url.contains(":memory:") && !url.contains("mode=memory") {
                    sqlite_reads = Some(std::sync::Arc::new(sqlite_reads::SqliteReads::new(
                        options.get_filename().to_path_buf(),
                        SQLITE_BUSY_TIMEOUT,
                    )));
                    sqlite_writes = Some(std::sync::Arc::new(writes::SqliteWrites::new(
                        options.get_filename().to_path_buf(),
                        SQLITE_BUSY_TIMEOUT,
                    )));
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    // An embedded file cannot go stale between uses; the ping sqlx would send on
                    // every acquire costs a round trip to the connection's worker thread.
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await?;
                Pool::Sqlite(pool)
            }
            Backend::Postgres => {
                let options = PgConnectOptions::from_str(url)?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    // sqlx pings every connection it hands out by default: a second round trip
                    // per query, as costly as a cheap list itself. A connection the server has
                    // dropped fails its next query instead, and sqlx closes it.
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await?;
                Pool::Postgres(pool)
            }
        };
        Ok(Self {
            pool,
            version: Default::default(),
            changes: Default::default(),
            commits: std::sync::Arc::new(tokio::sync::watch::Sender::new(0)),
            sqlite_writer: Default::default(),
            sqlite_reads,
            sqlite_writes,
        })
    }

    /// This process's turn to write to SQLite (see the field): held until dropped. Waits at
    /// most as long as SQLite's busy timeout would have, then answers "database busy".
    pub async fn sqlite_write_turn(&self) -> Result<tokio::sync::MutexGuard<'_, ()>, sqlx::Error> {
        tokio::time::timeout(SQLITE_BUSY_TIMEOUT, self.sqlite_writer.lock())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)
    }

    /// [`Store::sqlite_write_turn`] for a blocking task to carry.
    pub async fn sqlite_write_turn_owned(
        &self,
    ) -> Result<tokio::sync::OwnedMutexGuard<()>, sqlx::Error> {
        tokio::time::timeout(SQLITE_BUSY_TIMEOUT, self.sqlite_writer.clone().lock_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)
    }

    /// Called after every committed transaction.
    pub fn changed(&self) {
        self.version
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        // A stored permit means a change made while the follower was busy is not lost.
        self.changes.notify_one();
        self.commits.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver whose `changed()` resolves after the next commit of this process.
    pub fn commits(&self) -> tokio::sync::watch::Receiver<u64> {
        self.commits.subscribe()
    }

    /// Resolves after the next commit of this process (or at once if one happened unseen).
    pub async fn next_change(&self) {
        self.changes.notified().await
    }

    pub fn version(&self) -> u64 {
        self.version.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Every row of a read built with [`sql::Sql`]. On SQLite the statement runs on a blocking
    /// reader (see [`sqlite_reads`]); on PostgreSQL through the pool as usual.
    pub async fn fetch_rows<R>(&self, sql: &sql::Sql) -> crate::Result<Vec<R>>
    where
        R: sqlite_reads::ReadRow
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Unpin,
    {
        if let Some(reads) = &self.sqlite_reads {
            return reads.fetch_all(sql).await;
        }
        Ok(dispatch!(self, |pool| {
            let q = sqlx::query_as::<_, R>(sqlx::AssertSqlSafe(sql.text.clone()));
            bind_params!(q, &sql.params).fetch_all(pool).await?
        }))
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Pool::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> anyhow::Result<()> {
        dispatch!(self, |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(reads) = &self.sqlite_reads {
            reads.close();
        }
        if let Some(writes) = &self.sqlite_writes {
            writes.close();
        }
        dispatch!(self, |pool| pool.close().await)
    }
}

/// Replaces the password of a URL with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_scheme_chooses_the_backend() {
        assert_eq!(Backend::from_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::from_url("sqlite::memory:").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/d").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::from_url("mysql://u:secret@h/d").is_err());
        let msg = Backend::from_url("mysql://u:secret@h/d")
            .unwrap_err()
            .to_string();
        assert!(!msg.contains("secret"), "{msg}");
    }
}
