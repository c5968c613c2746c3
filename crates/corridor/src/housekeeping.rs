//! Forgetting what may be forgotten, on a timer on every serving node. Each step is safe to
//! run twice and on several nodes at once.
//!
//! - Idempotency answers older than [`KEEP_ANSWERS`]: kept for retries, not for ever.
//! - Temporary upload objects (`tmp/`) older than [`KEEP_STAGED`]: a live upload is moved
//!   under its hash or removed within its request, so an older one was left by a node that
//!   died mid-upload.
//!
//! - At start, stored plans are checked against the obligations library this build carries
//!   (`advisory::library_check::check_against_library`).
//!
//! The ledger outbox is not pruned: its rows are the records that documents' receipts and
//! ledger indices are read from.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::db::Store;
use crate::matters::files::Files;
use crate::state::AppState;
pub use crate::web::idempotency::KEEP_ANSWERS;

/// Far longer than any request may run (the request timeout is seconds to minutes).
pub const KEEP_STAGED: chrono::Duration = chrono::Duration::hours(24);
/// How often a node sweeps. Nothing depends on it being prompt.
const EVERY: Duration = Duration::from_secs(3600);

/// What one sweep removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub idempotency_answers: u64,
    pub staged_uploads: u64,
}

/// One sweep, as of `now`.
pub async fn sweep(
    store: &Store,
    files: Option<&Files>,
    now: DateTime<Utc>,
) -> anyhow::Result<Swept> {
    let idempotency_answers =
        crate::web::idempotency::forget_before(store, now - KEEP_ANSWERS).await?;
    let staged_uploads = match files {
        Some(files) => files.sweep_staged(now - KEEP_STAGED).await?,
        None => 0,
    };
    Ok(Swept {
        idempotency_answers,
        staged_uploads,
    })
}

/// Sweeps every [`EVERY`] until the returned task is aborted (the server stops). The first
/// sweep waits a while, so a burst of restarts does not sweep a burst of times.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        check_plans(&state.store).await;
        finish_engagements(&state).await;
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + EVERY, EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match sweep(&state.store, state.files.as_ref(), crate::ids::now()).await {
                Ok(swept) if swept != Swept::default() => {
                    tracing::info!(?swept, "housekeeping removed expired data")
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "housekeeping sweep failed"),
            }
        }
    })
}

/// Accepted referrals whose engagement a stopped server left half-opened are finished.
async fn finish_engagements(state: &AppState) {
    match crate::advisory::referrals::finish_engagements(state).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(engagements = n, "half-opened engagements finished"),
        Err(error) => tracing::warn!(%error, "finishing half-opened engagements failed"),
    }
}

/// A new build may bring a new obligations library: every stored plan is checked against it
/// once, so project lists can show which plans it changes. A no-op when all are checked.
async fn check_plans(store: &Store) {
    let today = crate::jurisdiction::today();
    match crate::advisory::library_check::check_against_library(store, today).await {
        Ok(c) if c.checked > 0 => tracing::info!(
            checked = c.checked,
            changed = c.changed,
            "plans checked against the obligations library"
        ),
        Ok(_) => {}
        Err(error) => {
            tracing::warn!(%error, "checking plans against the obligations library failed")
        }
    }
}
