//! The ledger's single writer across nodes: a PostgreSQL session advisory lock.
//!
//! Every node of a deployment runs the same server; exactly one of them sequences the log. The
//! lock lives on a dedicated connection (not the pool's: a pooled connection is returned and
//! reused, and a session lock would go with it). While the connection lives the lock is held;
//! when the node dies, PostgreSQL ends the session and frees the lock, and a standby takes it.
//! A task pings the connection; when a ping fails the lock is marked lost, so
//! [`WriterLock::check`] fails and the sequencer stops committing at its next state write.
//!
//! The lock is also a lease: [`WriterLock::check`] fails once no ping has succeeded for
//! [`LEASE`], so a node cut off from PostgreSQL stops committing within that time even if it
//! cannot learn that its session ended. A node that takes the lock over waits [`TAKEOVER_GRACE`]
//! (longer than the lease) before it opens the log, so the two never commit at the same time.
//! The state object's compare-and-swap in the shared store is the last line: should a write
//! still overlap, the older writer's commit fails; it never overwrites the newer one's state.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use corridor_ledger::sequencer::WriterLock;
use sqlx::{Connection, PgConnection};
use tokio::sync::{oneshot, watch};

/// The advisory lock key: `"corridor"` in ASCII, one per database (one database = one log).
pub const LEDGER_LOCK_KEY: i64 = 0x636f_7272_6964_6f72;

/// How often the holder checks that its connection, and so its lock, is still there.
const PING_EVERY: Duration = Duration::from_millis(500);
const PING_TIMEOUT: Duration = Duration::from_secs(2);
/// A holder whose last good ping is older than this stops committing.
pub const LEASE: Duration = Duration::from_secs(3);
/// How long a node that took the lock over waits before it writes: the previous holder's lease
/// has run out by then, wherever it is.
pub const TAKEOVER_GRACE: Duration = Duration::from_secs(4);

/// Holds `pg_try_advisory_lock(LEDGER_LOCK_KEY)` on its own connection until dropped or lost.
#[derive(Debug)]
pub struct PgAdvisoryWriterLock {
    held: Arc<AtomicBool>,
    /// Milliseconds after `since` of the last good ping.
    last_ok: Arc<AtomicU64>,
    since: Instant,
    lost: watch::Receiver<bool>,
    backend_pid: i32,
    stop: std::sync::Mutex<Option<oneshot::Sender<()>>>,
}

impl PgAdvisoryWriterLock {
    /// Takes the lock without waiting: `None` when another session holds it.
    pub async fn try_acquire(database_url: &str) -> anyhow::Result<Option<Self>> {
        let mut conn = PgConnection::connect(database_url).await?;
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(LEDGER_LOCK_KEY)
            .fetch_one(&mut conn)
            .await?;
        if !got {
            conn.close().await.ok();
            return Ok(None);
        }
        let backend_pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut conn)
            .await?;
        let held = Arc::new(AtomicBool::new(true));
        let (lost_tx, lost) = watch::channel(false);
        let (stop, mut stopped) = oneshot::channel::<()>();
        let flag = held.clone();
        let since = Instant::now();
        let last_ok = Arc::new(AtomicU64::new(0));
        let seen = last_ok.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut stopped => {
                        // Closing the session frees the lock at once for a standby.
                        flag.store(false, Ordering::SeqCst);
                        conn.close().await.ok();
                        break;
                    }
                    _ = tokio::time::sleep(PING_EVERY) => {
                        let ping = tokio::time::timeout(PING_TIMEOUT, sqlx::query("SELECT 1").execute(&mut conn)).await;
                        if matches!(ping, Ok(Ok(_))) {
                            seen.store(since.elapsed().as_millis() as u64, Ordering::SeqCst);
                        } else {
                            flag.store(false, Ordering::SeqCst);
                            tracing::error!("lost the ledger writer lock (PostgreSQL session ended); this node stops sequencing");
                            break;
                        }
                    }
                }
            }
            lost_tx.send_replace(true);
        });
        Ok(Some(Self {
            held,
            last_ok,
            since,
            lost,
            backend_pid,
            stop: std::sync::Mutex::new(Some(stop)),
        }))
    }

    /// The PostgreSQL backend holding the lock (operators and tests can end it).
    pub fn backend_pid(&self) -> i32 {
        self.backend_pid
    }

    /// Resolves once the lock is no longer held (lost or released).
    pub async fn lost(&self) {
        let mut rx = self.lost.clone();
        let _ = rx.wait_for(|lost| *lost).await;
    }

    /// Gives the lock up now (closes its session) and waits until it is closed.
    pub async fn release(&self) {
        let stop = self.stop.lock().expect("lock").take();
        if let Some(stop) = stop {
            let _ = stop.send(());
        }
        self.lost().await;
    }
}

impl WriterLock for PgAdvisoryWriterLock {
    fn check(&self) -> Result<(), String> {
        if !self.held.load(Ordering::SeqCst) {
            return Err("the PostgreSQL advisory lock of the ledger writer was lost".into());
        }
        let quiet = self.since.elapsed().as_millis() as u64 - self.last_ok.load(Ordering::SeqCst);
        if quiet > LEASE.as_millis() as u64 {
            return Err(format!(
                "no word from PostgreSQL for {quiet} ms: the writer lock may have passed to another node"
            ));
        }
        Ok(())
    }
}

impl Drop for PgAdvisoryWriterLock {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.get_mut().ok().and_then(Option::take) {
            let _ = stop.send(());
        }
    }
}
