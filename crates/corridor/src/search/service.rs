//! Keeping the index in step with the database.
//!
//! The database is the source of truth; the index is derived and lives in each node's data
//! directory. After every commit of this process (and every few seconds, for commits made by
//! other nodes on a shared PostgreSQL) the follower reads the rows changed since its watermark
//! and replaces their documents. The watermark is saved in the same tantivy commit as the
//! documents, so a restart resumes exactly where the index stands.
//!
//! Rows are read back `OVERLAP` before the watermark: a transaction that stamped its rows
//! earlier but committed later than another is still seen. Rows already indexed at the same
//! timestamp are skipped, so the overlap does not cause a commit every sweep. What the overlap
//! cannot cover (clock skew between nodes beyond it) the hourly rebuild does; a commit-ordered
//! change number assigned by the database would close that gap for good.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Mutex;

use super::doc::SearchDoc;
use super::engine::{IndexState, SearchIndex};
use super::query::SearchRequest;
use super::rank::SearchResults;
use super::sources;
use crate::db::Store;

const OVERLAP: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// Rows are stamped with the writing node's clock before their transaction commits, so a node
/// whose clock lags by more than `OVERLAP`, or a transaction held open longer, can slip under
/// the watermark. A periodic rebuild bounds how long such a change stays unsearchable.
const RECONCILE_EVERY: Duration = Duration::from_secs(3600);
/// Searches running at once on this node: twice the two cores, so one slow query does not
/// hold up the rest, while a flood cannot take every blocking thread.
const MAX_CONCURRENT_SEARCHES: usize = 4;
/// How long a search waits for its turn before the node answers 503.
const QUEUE_WAIT: Duration = Duration::from_secs(5);
/// Changes arriving together (an import, a form with several rows) make one commit.
const DEBOUNCE: Duration = Duration::from_millis(50);

pub struct SearchService {
    index: Arc<SearchIndex>,
    store: Store,
    follow: Mutex<FollowState>,
    permits: Arc<tokio::sync::Semaphore>,
}

#[derive(Default)]
struct FollowState {
    watermark: Option<DateTime<Utc>>,
    /// Documents indexed at their row's timestamp, within the overlap window.
    recent: HashMap<String, DateTime<Utc>>,
}

impl SearchService {
    /// Opens the index in `dir`, building it from the database if it is new or was built by
    /// another version, and otherwise catching up with what changed since it last ran.
    pub async fn open(store: Store, dir: &Path) -> anyhow::Result<Arc<Self>> {
        let dir = dir.to_path_buf();
        let index = tokio::task::spawn_blocking(move || SearchIndex::open(&dir, true)).await??;
        let state = index.state();
        let service = Arc::new(Self {
            index: Arc::new(index),
            store,
            permits: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_SEARCHES)),
            follow: Mutex::new(FollowState {
                watermark: state.watermark,
                recent: HashMap::new(),
            }),
        });
        if state.complete {
            // Country profiles come with the build, not the database: refresh them in case
            // this binary carries newer data.
            service.apply_static().await?;
            service.catch_up().await?;
        } else {
            service.rebuild(|_| {}).await?;
        }
        Ok(service)
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Runs a search off the async threads (scoring and snippets are CPU work), at most
    /// `MAX_CONCURRENT_SEARCHES` at once: a burst of searches (htmx asks on every pause in
    /// typing) queues for a moment, then is refused with 503 rather than starving the node.
    pub async fn search(&self, req: SearchRequest) -> crate::Result<SearchResults> {
        let permit = tokio::time::timeout(QUEUE_WAIT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| crate::AppError::Unavailable("search"))?
            .map_err(|e| crate::AppError::Internal(e.into()))?;
        let index = self.index.clone();
        let results = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            index.search(&req)
        })
        .await
        .map_err(|e| crate::AppError::Internal(e.into()))??;
        Ok(results)
    }

    /// Rebuilds the whole index from the database and the jurisdiction data.
    pub async fn rebuild(&self, progress: impl FnMut(u64) + Send + 'static) -> anyhow::Result<u64> {
        let mut follow = self.follow.lock().await;
        let changed = sources::changed_since(&self.store, None).await?;
        let watermark = changed.iter().map(|c| c.updated_at).max();
        let mut docs: Vec<SearchDoc> = changed.into_iter().map(|c| c.doc).collect();
        docs.extend(sources::country_docs());
        let state = IndexState {
            watermark,
            complete: true,
            ..Default::default()
        };
        let index = self.index.clone();
        let n =
            tokio::task::spawn_blocking(move || index.rebuild(docs, &state, progress)).await??;
        follow.watermark = watermark;
        follow.recent.clear();
        Ok(n)
    }

    async fn apply_static(&self) -> anyhow::Result<()> {
        let follow = self.follow.lock().await;
        let state = IndexState {
            watermark: follow.watermark,
            complete: true,
            ..Default::default()
        };
        let index = self.index.clone();
        let docs = sources::country_docs();
        tokio::task::spawn_blocking(move || index.apply(&docs, &[], &state)).await??;
        Ok(())
    }

    /// Indexes the rows changed since the watermark; returns how many documents it replaced.
    pub async fn catch_up(&self) -> anyhow::Result<usize> {
        let mut follow = self.follow.lock().await;
        let since = follow.watermark.map(|w| w - OVERLAP);
        let changed = sources::changed_since(&self.store, since).await?;
        let fresh: Vec<sources::Changed> = changed
            .into_iter()
            .filter(|c| follow.recent.get(&c.doc.id) != Some(&c.updated_at))
            .collect();
        if fresh.is_empty() {
            return Ok(0);
        }
        let watermark = fresh
            .iter()
            .map(|c| c.updated_at)
            .chain(follow.watermark)
            .max();
        let state = IndexState {
            watermark,
            complete: true,
            ..Default::default()
        };
        let seen: Vec<(String, DateTime<Utc>)> = fresh
            .iter()
            .map(|c| (c.doc.id.clone(), c.updated_at))
            .collect();
        let docs: Vec<SearchDoc> = fresh.into_iter().map(|c| c.doc).collect();
        let n = docs.len();
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.apply(&docs, &[], &state)).await??;
        follow.watermark = watermark;
        follow.recent.extend(seen);
        if let Some(w) = watermark {
            follow.recent.retain(|_, at| *at >= w - OVERLAP);
        }
        Ok(n)
    }

    /// Follows the database: after each commit of this process, and every `sweep` for other
    /// nodes' commits. Stops when the service is dropped.
    pub fn spawn_follower(self: &Arc<Self>, sweep: Duration) -> tokio::task::JoinHandle<()> {
        let me = Arc::downgrade(self);
        let store = self.store.clone();
        tokio::spawn(async move {
            let mut reconciled = std::time::Instant::now();
            loop {
                tokio::select! {
                    _ = store.next_change() => tokio::time::sleep(DEBOUNCE).await,
                    _ = tokio::time::sleep(sweep) => {}
                }
                let Some(me) = me.upgrade() else { break };
                if reconciled.elapsed() >= RECONCILE_EVERY {
                    reconciled = std::time::Instant::now();
                    if let Err(e) = me.rebuild(|_| {}).await {
                        tracing::warn!(error = %e, "search index could not be rebuilt");
                    }
                    continue;
                }
                if let Err(e) = me.catch_up().await {
                    // The index is derived data: log, keep serving, retry on the next change.
                    tracing::warn!(error = %e, "search index could not follow the database");
                }
            }
        })
    }
}
