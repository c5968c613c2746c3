//! The embedded `data/arbitration/rule_timelines.json`: rule sets (ids kept) with how each counts
//! time, and their time limits, each with the `event` code that starts it (Corridor's annotation).

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::arbitration::Error;

const TIMELINES: &str = include_str!("../../../../../data/arbitration/rule_timelines.json");

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct RuleSet {
    pub id: String,
    pub name: String,
    pub effective: String,
    pub official_source: String,
    /// The data's counting entry as given (article, start, whose holidays, verified …).
    pub counting: Option<serde_json::Value>,
    pub corridor_counting: CorridorCounting,
    pub note: Option<String>,
}

impl RuleSet {
    /// The counting entry's own `verified` flag (false when there is none).
    pub fn counting_verified(&self) -> bool {
        self.counting
            .as_ref()
            .and_then(|c| c.get("verified"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }

    pub fn counting_text(&self, key: &str) -> Option<String> {
        self.counting
            .as_ref()
            .and_then(|c| c.get(key))
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
    }
}

/// Corridor's reading of a rule set's counting entry (see the file's `corridor_annotations`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CorridorCounting {
    /// A last day that is not a business day at the place moves to the next business day.
    pub roll_forward: bool,
    /// Whose holidays apply when the question names no place.
    pub default_place: Option<String>,
    pub basis: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Days,
    Months,
    Hours,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    After,
    Before,
}

#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Period {
    pub value: u32,
    pub unit: Unit,
    pub day_type: String,
    pub direction: Direction,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct TimeLimit {
    pub rule_set: String,
    pub article: String,
    pub procedure: String,
    pub trigger_event: String,
    pub action: String,
    pub actor: Option<String>,
    pub period: Option<Period>,
    pub extendable_by: Option<String>,
    pub source_url: String,
    pub evidence: String,
    pub verified: bool,
    pub notes: Option<String>,
    /// The event code that starts the period (`null`: a definition or convention, not a limit).
    pub event: Option<String>,
}

#[derive(Deserialize)]
struct RawFile {
    rule_sets: Vec<RuleSet>,
    time_limits: Vec<TimeLimit>,
}

pub struct Dataset {
    pub rule_sets: Vec<RuleSet>,
    pub limits: Vec<TimeLimit>,
    /// Every event code some limit starts from.
    pub events: BTreeSet<String>,
    /// Limits by (rule set, event), in file order.
    by_trigger: HashMap<(String, String), Vec<usize>>,
}

/// The events the issue names, answered (with an empty list) even where a rule set has no limit.
pub const CORE_EVENTS: [&str; 4] = [
    "notice_of_arbitration_received",
    "appointment_notified",
    "tribunal_constituted",
    "award_received",
];

impl Dataset {
    pub fn get() -> Result<&'static Dataset, Error> {
        static DATA: OnceLock<Result<Dataset, Error>> = OnceLock::new();
        DATA.get_or_init(|| Dataset::parse(TIMELINES))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn parse(text: &str) -> Result<Dataset, Error> {
        let raw: RawFile = serde_json::from_str(text)
            .map_err(|e| Error::Data(format!("rule_timelines.json: {e}")))?;
        let mut events: BTreeSet<String> = CORE_EVENTS.iter().map(|e| e.to_string()).collect();
        let mut by_trigger: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, l) in raw.time_limits.iter().enumerate() {
            if let (Some(e), Some(_)) = (&l.event, &l.period) {
                events.insert(e.clone());
                by_trigger
                    .entry((l.rule_set.clone(), e.clone()))
                    .or_default()
                    .push(i);
            }
        }
        Ok(Dataset {
            rule_sets: raw.rule_sets,
            limits: raw.time_limits,
            events,
            by_trigger,
        })
    }

    /// The rule set by id (case-insensitive). Sub-rule-sets that only appear on time limits
    /// (`CQAC-Liangjiang`, `CQAC-domestic`) resolve to their parent's counting (`CQAC`).
    pub fn rule_set(&self, id: &str) -> Option<&RuleSet> {
        let found = |want: &str| {
            self.rule_sets
                .iter()
                .find(|r| r.id.eq_ignore_ascii_case(want))
        };
        found(id).or_else(|| {
            let known = self
                .limits
                .iter()
                .any(|l| l.rule_set.eq_ignore_ascii_case(id));
            let parent = id.split('-').next()?;
            known.then(|| found(parent)).flatten()
        })
    }

    /// The canonical spelling of a rule-set id as the data writes it.
    pub fn canonical_id<'a>(&'a self, id: &str) -> Option<&'a str> {
        self.rule_sets
            .iter()
            .map(|r| r.id.as_str())
            .chain(self.limits.iter().map(|l| l.rule_set.as_str()))
            .find(|r| r.eq_ignore_ascii_case(id))
    }

    pub fn limits_for(&self, rule_set: &str, event: &str) -> impl Iterator<Item = &TimeLimit> {
        self.by_trigger
            .get(&(rule_set.to_owned(), event.to_owned()))
            .into_iter()
            .flatten()
            .map(|&i| &self.limits[i])
    }

    /// Every rule-set id a question may name.
    pub fn rule_set_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.rule_sets.iter().map(|r| r.id.as_str()).collect();
        for l in &self.limits {
            if !ids.contains(&l.rule_set.as_str()) {
                ids.push(&l.rule_set);
            }
        }
        ids
    }
}
