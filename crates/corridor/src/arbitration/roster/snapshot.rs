//! The roster as the ranking reads it — every entry and the appointment history of the whole
//! roster, indexed — kept in memory: a roster of 10,000 with a million past appointments takes
//! seconds to read from the database, and ranking it for a seat must take milliseconds.
//!
//! A snapshot is rebuilt when this process changes the roster (profiles, recommendations,
//! appointments recorded, nominations decided: [`changed`]; people and panels in the directory)
//! and at the latest after [`MAX_AGE`], which bounds how long a change made by another node, or
//! an organization's rename, goes unseen.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::actions::entries;
use super::search::Entry;
use crate::Result;
use crate::arbitration::screens::AppointmentIndex;
use crate::db::Store;

/// The longest a snapshot is used.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// Bumped by every roster change this process makes.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Marks every snapshot of this process stale.
pub fn changed() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

pub struct Snapshot {
    pub entries: Vec<Entry>,
    pub index: AppointmentIndex,
    pub appointments: usize,
}

/// Parties are keyed as the cases here key them: names without case or spacing.
pub fn party_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

async fn build(store: &Store) -> Result<Snapshot> {
    let entries = entries(store).await?;
    let history = store.appointment_history(None).await?;
    let mut index = AppointmentIndex::new();
    for h in &history {
        if let Ok(day) = NaiveDate::parse_from_str(&h.appointed_on, "%Y-%m-%d") {
            index.add(
                &h.person_id,
                day,
                &party_key(&h.appointed_by),
                h.counsel_firm.as_deref(),
            );
        }
    }
    index.finish();
    Ok(Snapshot {
        entries,
        index,
        appointments: history.len(),
    })
}

/// One snapshot per state; concurrent readers wait for a single rebuild.
#[derive(Default)]
pub struct RosterCache {
    slot: tokio::sync::Mutex<Option<(Instant, u64, Arc<Snapshot>)>>,
}

impl RosterCache {
    pub async fn get(&self, store: &Store) -> Result<Arc<Snapshot>> {
        let mut slot = self.slot.lock().await;
        // Read under the lock: a waiter must not store an older generation than it finds.
        let generation = GENERATION
            .load(Ordering::SeqCst)
            .wrapping_add(crate::directory::people_generation());
        if let Some((at, g, snapshot)) = slot.as_ref()
            && *g == generation
            && at.elapsed() < MAX_AGE
        {
            return Ok(snapshot.clone());
        }
        let snapshot = Arc::new(build(store).await?);
        *slot = Some((Instant::now(), generation, snapshot.clone()));
        Ok(snapshot)
    }
}
