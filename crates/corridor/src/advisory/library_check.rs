//! After an upgrade brings a new obligations library, every stored plan is checked against it
//! once (from `housekeeping` at start): re-evaluated, compared with the plan its enterprise
//! accepted, and what changed recorded, so project lists can flag the plans it changes without
//! making every plan on every read.

use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::Value;

use super::diff::{PlanDiff, diff_stored};
use super::library::Library;
use super::projects::known_answers;
use super::store::Checked;
use super::{PlanError, ScheduleFees};
use crate::auth::audit::Who;
use crate::db::Store;
use crate::{AppError, Result};

/// What a library check did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LibraryCheck {
    pub checked: usize,
    pub changed: usize,
}

/// How many plans one transaction records.
const CHECK_BATCH: i64 = 500;

/// Re-evaluates every stored plan not yet checked against the current library and records
/// what changed for each. Safe to run twice and on several nodes at once: a plan checked by
/// one run is not selected by the next. The plans of a batch are re-evaluated on every core.
pub async fn check_against_library(store: &Store, today: NaiveDate) -> Result<LibraryCheck> {
    let lib = super::library_revisions::current(store).await?;
    check_against_library_of(store, &lib, today).await
}

/// [`check_against_library`] with a library in hand (the one a publication just made).
pub async fn check_against_library_of(
    store: &Store,
    lib: &Arc<Library>,
    today: NaiveDate,
) -> Result<LibraryCheck> {
    let who = Who {
        user_id: None,
        label: "library-check".into(),
    };
    let mut done = LibraryCheck::default();
    let mut after = String::new();
    loop {
        let batch = store
            .unchecked_projects(&lib.version, &after, CHECK_BATCH)
            .await?;
        let Some((last, _, _)) = batch.last() else {
            return Ok(done);
        };
        after = last.clone();
        let for_batch = lib.clone();
        let checked = tokio::task::spawn_blocking(move || recheck_all(&batch, &for_batch, today))
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
        done.checked += checked.len();
        done.changed += checked.iter().filter(|c| c.changes.is_some()).count();
        store.record_checks(&who, &lib.version, &checked).await?;
    }
}

/// [`recheck`] for each (id, answers, accepted plan), split over the machine's cores.
fn recheck_all(
    batch: &[(String, String, String)],
    lib: &Library,
    today: NaiveDate,
) -> Result<Vec<Checked>> {
    let one = |(id, answers, accepted): &(String, String, String)| {
        let changes = match recheck(answers, accepted, lib, today) {
            Ok(d) if d.is_empty() => None,
            Ok(d) => Some(serde_json::json!({
                "library_version": lib.version, "date": today.to_string(), "diff": d,
            })),
            // A stored plan this build cannot read again is flagged, not skipped: someone
            // should look at it.
            Err(e) => Some(serde_json::json!({
                "library_version": lib.version, "error": e.to_string(),
            })),
        };
        Checked {
            id: id.clone(),
            changes: changes.map(|c| c.to_string()),
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = batch.len().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = batch
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        let mut all = Vec::with_capacity(batch.len());
        for w in workers {
            let part = w.join().map_err(|_| {
                AppError::Internal(anyhow::anyhow!("a library check worker panicked"))
            })?;
            all.extend(part);
        }
        Ok(all)
    })
}

fn recheck(answers: &str, accepted: &str, lib: &Library, today: NaiveDate) -> Result<PlanDiff> {
    let request = known_answers(answers, lib)?;
    let project = request.check(lib, today).map_err(PlanError::from)?;
    let fresh = serde_json::to_value(super::generate(&project, lib, &ScheduleFees))
        .map_err(anyhow::Error::from)?;
    let accepted: Value = serde_json::from_str(accepted).map_err(anyhow::Error::from)?;
    Ok(diff_stored(&accepted, &fresh))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::PlanRequest;
    use crate::advisory::projects::make_plan;

    #[test]
    fn a_plan_rechecked_against_the_same_library_has_no_changes() {
        let lib = Library::get().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let request = PlanRequest {
            country: "VN".into(),
            entry_mode: "greenfield".into(),
            ..PlanRequest::default()
        };
        let (_, stored) = make_plan(
            lib,
            &PlanRequest {
                date: Some("2026-12-01".into()),
                ..request.clone()
            },
            day,
        )
        .unwrap();
        let answers = serde_json::to_string(&request).unwrap();
        assert!(
            recheck(&answers, &stored.json, lib, day)
                .unwrap()
                .is_empty()
        );
        // An accepted plan without one of today's items: the recheck names it as new.
        let mut older: Value = serde_json::from_str(&stored.json).unwrap();
        let items = older["sections"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .map(|s| s["items"].as_array_mut().unwrap())
            .find(|items| !items.is_empty())
            .unwrap();
        let dropped = items.remove(0)["obligation"].as_str().unwrap().to_owned();
        let d = recheck(&answers, &older.to_string(), lib, day).unwrap();
        assert_eq!(d.new.len(), 1);
        assert_eq!(d.new[0].obligation, dropped);
    }
}
