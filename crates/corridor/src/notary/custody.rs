//! The chain of custody of an evidence item (pure): who held it, from when, under which seal,
//! through which courier. Each event is checked against the chain so far: the chain starts
//! with the item collected (or captured), goes forward in time, names who holds the item, and
//! an event that finds the item sealed says whether the seal is the one last applied. A
//! mismatched seal is recorded as it was found, and the chain shows the break.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Kinds of evidence item.
pub const ITEM_KINDS: &[&str] = &[
    // A witnessed test purchase (the goods, the receipt).
    "test_purchase",
    // Found or seized at an on-site enforcement action.
    "on_site",
    // A web page captured by the server's browser.
    "web_capture",
    "other",
];

/// What can happen to an item, in the order it usually does.
pub const EVENTS: &[&str] = &[
    "collected",
    "captured",
    "sealed",
    "handed_over",
    "couriered",
    "received",
    "opened",
    "returned",
];

/// One event as recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Event {
    pub event: String,
    /// Who holds the item after the event (a person, an office, a courier company).
    pub holder: String,
    pub happened_at: DateTime<Utc>,
    pub place: String,
    /// The seal applied (`sealed`) or found (`received`, `opened`).
    pub seal_number: String,
    /// The courier's waybill number (`couriered`).
    pub courier_id: String,
    pub note: String,
}

/// Why an event does not fit the chain; each is an `errors.invalid` reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub reason: &'static str,
}

fn refuse(field: &'static str, reason: &'static str) -> Refusal {
    Refusal { field, reason }
}

/// The seal the item is under after `chain`, if any (`opened` breaks it).
pub fn current_seal(chain: &[Event]) -> Option<&str> {
    let mut seal = None;
    for e in chain {
        match e.event.as_str() {
            "sealed" => seal = Some(e.seal_number.as_str()),
            "opened" => seal = None,
            _ => {}
        }
    }
    seal
}

/// Checks `next` against the chain so far.
pub fn check(chain: &[Event], next: &Event) -> Result<(), Refusal> {
    if !EVENTS.contains(&next.event.as_str()) {
        return Err(refuse("event", "unknown_custody_event"));
    }
    let first = matches!(next.event.as_str(), "collected" | "captured");
    match chain.last() {
        None if !first => return Err(refuse("event", "custody_must_start_collected")),
        Some(_) if first => return Err(refuse("event", "custody_already_started")),
        Some(last) if next.happened_at < last.happened_at => {
            return Err(refuse("happened_at", "before_previous_event"));
        }
        _ => {}
    }
    if next.holder.trim().is_empty() {
        return Err(refuse("holder", "required"));
    }
    let needs_seal = matches!(next.event.as_str(), "sealed" | "received" | "opened");
    if needs_seal && next.seal_number.trim().is_empty() {
        return Err(refuse("seal_number", "required"));
    }
    if next.event == "couriered" && next.courier_id.trim().is_empty() {
        return Err(refuse("courier_id", "required"));
    }
    if next.event == "sealed" && current_seal(chain).is_some() {
        return Err(refuse("event", "already_sealed"));
    }
    Ok(())
}

/// Whether an event found a seal other than the one last applied (or a seal where none was):
/// the break in the chain the record keeps.
pub fn seal_broken(chain_before: &[Event], event: &Event) -> bool {
    matches!(event.event.as_str(), "received" | "opened")
        && current_seal(chain_before) != Some(event.seal_number.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        "2026-12-04T02:00:00Z".parse::<DateTime<Utc>>().unwrap()
            + chrono::Duration::minutes(minutes)
    }

    fn event(kind: &str, minutes: i64, seal: &str) -> Event {
        Event {
            event: kind.into(),
            holder: "Notary Xu".into(),
            happened_at: at(minutes),
            place: "Shop 12, Jiefangbei, Chongqing".into(),
            seal_number: seal.into(),
            courier_id: if kind == "couriered" {
                "SF1234567890".into()
            } else {
                String::new()
            },
            note: String::new(),
        }
    }

    #[test]
    fn a_test_purchase_goes_from_collection_to_hong_kong_under_one_seal() {
        let mut chain = Vec::new();
        for e in [
            event("collected", 0, ""),
            event("sealed", 5, "CQ-0042"),
            event("couriered", 60, ""),
            event("received", 2000, "CQ-0042"),
        ] {
            assert_eq!(check(&chain, &e), Ok(()), "{}", e.event);
            assert!(!seal_broken(&chain, &e), "{}", e.event);
            chain.push(e);
        }
        assert_eq!(current_seal(&chain), Some("CQ-0042"));
    }

    #[test]
    fn the_chain_starts_once_goes_forward_and_names_its_seals_and_couriers() {
        let start = vec![event("collected", 0, "")];
        assert_eq!(
            check(&[], &event("sealed", 0, "S1")).unwrap_err().reason,
            "custody_must_start_collected"
        );
        assert_eq!(
            check(&start, &event("captured", 1, "")).unwrap_err().reason,
            "custody_already_started"
        );
        assert_eq!(
            check(&start, &event("handed_over", -1, ""))
                .unwrap_err()
                .field,
            "happened_at"
        );
        assert_eq!(
            check(&start, &event("sealed", 1, " ")).unwrap_err().field,
            "seal_number"
        );
        let mut courier = event("couriered", 1, "");
        courier.courier_id.clear();
        assert_eq!(check(&start, &courier).unwrap_err().field, "courier_id");
        let mut nobody = event("handed_over", 1, "");
        nobody.holder = " ".into();
        assert_eq!(check(&start, &nobody).unwrap_err().field, "holder");
        assert_eq!(
            check(&start, &event("lost", 1, "")).unwrap_err().reason,
            "unknown_custody_event"
        );
        let sealed = vec![event("collected", 0, ""), event("sealed", 1, "S1")];
        assert_eq!(
            check(&sealed, &event("sealed", 2, "S2"))
                .unwrap_err()
                .reason,
            "already_sealed"
        );
    }

    #[test]
    fn a_different_seal_on_arrival_is_recorded_as_a_break() {
        let chain = vec![event("collected", 0, ""), event("sealed", 1, "S1")];
        let arrived = event("received", 10, "S9");
        assert_eq!(check(&chain, &arrived), Ok(()));
        assert!(seal_broken(&chain, &arrived));
        assert!(!seal_broken(&chain, &event("received", 10, "S1")));
        // Opened, the item is under no seal until sealed again.
        let opened = [chain.clone(), vec![event("opened", 11, "S1")]].concat();
        assert_eq!(current_seal(&opened), None);
        assert_eq!(check(&opened, &event("sealed", 12, "S2")), Ok(()));
    }
}
