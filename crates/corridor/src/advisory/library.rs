//! The obligations library (`data/advisory/obligations.json`, embedded at build time): each
//! obligation keeps the file's URN, texts, legal basis, key numbers, dates, status, sources and
//! verified flags; its `applies_when` is parsed into a [`Cond`] once, at load.
//!
//! Loading checks what a plan relies on: every obligation has a source; conditions use only the
//! library's own `flags` and `metrics` vocabularies, entry modes, ownership types and valid ISIC
//! codes; every human-readable `logic` refinement has an explicit encoding here ([`COMBINE`]);
//! every flag and metric has a plain-language question. A library that fails a check is not used.

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::condition::{Atom, Cond, Test};
use super::vocab::{EntryMode, Isic, Ownership, Questions};

const OBLIGATIONS: &str = include_str!("../../../../data/advisory/obligations.json");
const QUESTIONS: &str = include_str!("../../../../data/advisory/questions.json");

/// China plus the ten ASEAN member States: the jurisdictions the library covers.
pub const JURISDICTIONS: [&str; 11] = [
    "CN", "BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN",
];

/// How thresholds and flags combine where the data's `logic` says it in words. Absent an entry,
/// every part must hold and thresholds are any-of (the file's `applies_when_semantics`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    /// "if any flag is true OR any threshold is met": `flags_any ∨ thresholds`.
    FlagsOrThresholds,
    /// "if BOTH thresholds exceeded": thresholds are all-of.
    AllThresholds,
    /// The words add nothing the default does not already say (kept visible as a note).
    Default,
}

/// The encoding of every `logic` text in the library, by URN. Loading fails if an obligation
/// has `logic` without an entry, so a new refinement cannot be silently ignored.
pub const COMBINE: [(&str, Combine); 8] = [
    (
        "urn:corridor:obl:cn:cbdt:cac-2024-provisions:security-assessment",
        Combine::FlagsOrThresholds,
    ),
    (
        "urn:corridor:obl:cn:cbdt:cac-2024-provisions:standard-contract-or-certification",
        Combine::Default,
    ),
    (
        "urn:corridor:obl:vn:competition:decree-35-2020:merger-notification",
        Combine::Default,
    ),
    (
        "urn:corridor:obl:id:competition:kppu-reg-3-2023:post-merger-notification",
        Combine::Default,
    ),
    (
        "urn:corridor:obl:my:data:pdpa-amendment-2024:dpo",
        Combine::FlagsOrThresholds,
    ),
    (
        "urn:corridor:obl:my:licensing:ica-1975:manufacturing-licence",
        Combine::Default,
    ),
    (
        "urn:corridor:obl:ph:competition:pcc-2025-thresholds:merger-notification",
        Combine::AllThresholds,
    ),
    (
        "urn:corridor:obl:sg:data:pdpa:breach-notification",
        Combine::FlagsOrThresholds,
    ),
];

#[derive(Debug, Deserialize)]
struct RawFile {
    library_version: String,
    disclaimer: String,
    flag_vocabulary: Vec<String>,
    metric_vocabulary: Vec<String>,
    vocabularies: RawVocabularies,
    obligations: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct RawVocabularies {
    areas: Vec<String>,
    status: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RawObligation {
    id: String,
    jurisdiction: String,
    area: String,
    applies_when: RawConditions,
    title_en: String,
    title_zh: String,
    summary_en: String,
    key_numbers: Vec<Value>,
    legal_basis: Vec<LegalBasis>,
    effective_from: String,
    effective_to: Option<String>,
    status: String,
    sources: Vec<String>,
    verified: bool,
    verification_note: String,
    effective_from_verified: bool,
    last_reviewed: String,
    #[serde(default)]
    supersedes: Option<String>,
    #[serde(default)]
    superseded_by: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConditions {
    sectors_isic: Vec<String>,
    entry_modes: Vec<String>,
    ownership_types: Vec<String>,
    #[serde(default)]
    flags_all: Vec<String>,
    #[serde(default)]
    flags_any: Vec<String>,
    #[serde(default)]
    flags_none: Vec<String>,
    #[serde(default)]
    thresholds: Vec<RawThreshold>,
    #[serde(default)]
    logic: Option<String>,
    #[serde(default)]
    flags_note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreshold {
    metric: String,
    op: String,
    value: Value,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// One instrument an obligation rests on, as the data gives it.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    pub instrument: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
}

/// An obligation of the library, with its condition parsed.
#[derive(Clone, Debug)]
pub struct Obligation {
    pub urn: String,
    pub jurisdiction: String,
    /// The data's area (`outbound_approval`, `data_protection`, ...): the plan calls it `topic`.
    pub topic: String,
    pub condition: Cond,
    /// The data's human-readable refinements (`flags_note`, `logic`, threshold notes), shown as
    /// they are: they are not evaluated beyond what [`COMBINE`] encodes.
    pub notes: Vec<String>,
    pub title_en: String,
    pub title_zh: String,
    pub summary_en: String,
    pub key_numbers: Vec<Value>,
    pub legal_basis: Vec<LegalBasis>,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub effective_from_verified: bool,
    pub status: String,
    pub sources: Vec<String>,
    pub verified: bool,
    pub verification_note: String,
    pub last_reviewed: String,
    pub supersedes: Option<String>,
    pub superseded_by: Option<String>,
    /// The entry as the file (or the revision that replaced it) has it: what an edit starts
    /// from and what a new version is compared with.
    pub entry: Value,
}

impl Obligation {
    /// In force on `date`: from `effective_from`, through `effective_to` inclusive. Dates decide,
    /// not the status word (a `superseded` entry still governs the days before it ended).
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|to| date <= to)
    }
}

/// The parsed library and its question wording.
#[derive(Clone, Debug)]
pub struct Library {
    pub version: String,
    pub disclaimer: String,
    pub obligations: Vec<Obligation>,
    pub flags: BTreeSet<String>,
    pub metrics: BTreeSet<String>,
    pub questions: Questions,
    /// The file's vocabularies of areas and statuses, for editing an entry.
    pub areas: Vec<String>,
    pub statuses: Vec<String>,
}

/// Why a library was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("obligations library: {0}")]
pub struct LibraryError(pub String);

impl Library {
    /// The embedded library, parsed and checked once.
    pub fn get() -> Result<&'static Library, LibraryError> {
        static LIBRARY: OnceLock<Result<Library, LibraryError>> = OnceLock::new();
        LIBRARY
            .get_or_init(|| Library::parse(OBLIGATIONS))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and checks a library file (the embedded one, or a changed version to compare).
    pub fn parse(json: &str) -> Result<Library, LibraryError> {
        let file: Value =
            serde_json::from_str(json).map_err(|e| LibraryError(format!("malformed: {e}")))?;
        Library::from_file(file)
    }

    /// The embedded file with `revisions` (whole entries in the file's format) in place of the
    /// file's entries of the same URN, or added after them when new; `version` names the result.
    /// A deployment's library is made this way from its published revisions.
    pub fn revised(revisions: &[Value], version: &str) -> Result<Library, LibraryError> {
        let mut file: Value = serde_json::from_str(OBLIGATIONS)
            .map_err(|e| LibraryError(format!("malformed: {e}")))?;
        let entries = file["obligations"]
            .as_array_mut()
            .ok_or_else(|| LibraryError("no obligations".into()))?;
        for r in revisions {
            let urn = r["id"].as_str().unwrap_or_default();
            match entries.iter_mut().find(|o| o["id"].as_str() == Some(urn)) {
                Some(entry) => *entry = r.clone(),
                None => entries.push(r.clone()),
            }
        }
        file["library_version"] = Value::from(version);
        Library::from_file(file)
    }

    fn from_file(file: Value) -> Result<Library, LibraryError> {
        let raw: RawFile =
            serde_json::from_value(file).map_err(|e| LibraryError(format!("malformed: {e}")))?;
        let questions: Questions = serde_json::from_str(QUESTIONS)
            .map_err(|e| LibraryError(format!("questions.json: {e}")))?;
        let flags: BTreeSet<String> = raw.flag_vocabulary.iter().cloned().collect();
        let metrics: BTreeSet<String> = raw.metric_vocabulary.iter().cloned().collect();
        for f in &flags {
            if !questions.flags.contains_key(f) {
                return Err(LibraryError(format!("flag {f} has no question")));
            }
        }
        for m in &metrics {
            if !questions.metrics.contains_key(m) {
                return Err(LibraryError(format!("metric {m} has no question")));
            }
        }
        let mut seen = HashSet::new();
        let mut obligations = Vec::with_capacity(raw.obligations.len());
        for entry in raw.obligations {
            let id = entry["id"].as_str().unwrap_or("(no id)").to_owned();
            let o: RawObligation = serde_json::from_value(entry.clone())
                .map_err(|e| LibraryError(format!("{id}: malformed entry: {e}")))?;
            let urn = o.id.clone();
            let err = |msg: String| LibraryError(format!("{urn}: {msg}"));
            if !seen.insert(urn.clone()) {
                return Err(err("duplicate URN".into()));
            }
            if !urn.starts_with("urn:corridor:obl:") {
                return Err(err("URN must start with urn:corridor:obl:".into()));
            }
            if o.sources.iter().all(|s| s.trim().is_empty()) {
                return Err(err("no source".into()));
            }
            if !JURISDICTIONS.contains(&o.jurisdiction.as_str()) {
                return Err(err(format!("unknown jurisdiction {}", o.jurisdiction)));
            }
            if !raw.vocabularies.areas.contains(&o.area)
                || super::guidance::area_of(&o.area).is_none()
            {
                return Err(err(format!("unknown area {}", o.area)));
            }
            if !raw.vocabularies.status.contains(&o.status) {
                return Err(err(format!("unknown status {}", o.status)));
            }
            let date = |s: &str| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| err(format!("bad date {s}")))
            };
            let effective_from = date(&o.effective_from)?;
            let effective_to = o.effective_to.as_deref().map(date).transpose()?;
            if effective_to.is_some_and(|to| to < effective_from) {
                return Err(err("effective_to before effective_from".into()));
            }
            let (condition, notes) =
                parse_conditions(&urn, &o.applies_when, &flags, &metrics).map_err(err)?;
            obligations.push(Obligation {
                urn,
                jurisdiction: o.jurisdiction,
                topic: o.area,
                condition,
                notes,
                title_en: o.title_en,
                title_zh: o.title_zh,
                summary_en: o.summary_en,
                key_numbers: o.key_numbers,
                legal_basis: o.legal_basis,
                effective_from,
                effective_to,
                effective_from_verified: o.effective_from_verified,
                status: o.status,
                sources: o.sources,
                verified: o.verified,
                verification_note: o.verification_note,
                last_reviewed: o.last_reviewed,
                supersedes: o.supersedes,
                superseded_by: o.superseded_by,
                entry,
            });
        }
        for (urn, _) in COMBINE {
            if !seen.contains(urn) {
                return Err(LibraryError(format!(
                    "logic encoding for {urn}, which is not in the library"
                )));
            }
        }
        Ok(Library {
            version: raw.library_version,
            disclaimer: raw.disclaimer,
            obligations,
            flags,
            metrics,
            questions,
            areas: raw.vocabularies.areas,
            statuses: raw.vocabularies.status,
        })
    }

    pub fn obligation(&self, urn: &str) -> Option<&Obligation> {
        self.obligations.iter().find(|o| o.urn == urn)
    }
}

/// `applies_when` → a condition: sector ∧ entry mode ∧ ownership ∧ flags_all ∧ flags_any ∧
/// ¬flags_none ∧ thresholds (any-of), refined by [`COMBINE`].
fn parse_conditions(
    urn: &str,
    w: &RawConditions,
    flags: &BTreeSet<String>,
    metrics: &BTreeSet<String>,
) -> Result<(Cond, Vec<String>), String> {
    let mut parts = Vec::new();
    let mut notes = Vec::new();
    if !w.sectors_isic.iter().any(|s| s == "*") {
        let mut any_of = Vec::new();
        for s in &w.sectors_isic {
            any_of.push(Isic::parse(s).ok_or_else(|| format!("bad ISIC code {s}"))?);
        }
        if any_of.is_empty() {
            return Err("empty sectors_isic".into());
        }
        parts.push(Cond::Atom(Atom::Sector { any_of }));
    }
    let mut modes = Vec::new();
    for m in &w.entry_modes {
        modes.push(EntryMode::parse(m).ok_or_else(|| format!("unknown entry mode {m}"))?);
    }
    if modes.len() < EntryMode::ALL.len() {
        parts.push(Cond::Atom(Atom::EntryMode { any_of: modes }));
    }
    let mut owners = Vec::new();
    for o in &w.ownership_types {
        owners.push(Ownership::parse(o).ok_or_else(|| format!("unknown ownership {o}"))?);
    }
    if owners.len() < 2 {
        parts.push(Cond::Atom(Atom::Ownership { any_of: owners }));
    }
    let flag = |f: &String| -> Result<Cond, String> {
        if flags.contains(f) {
            Ok(Cond::Atom(Atom::Flag { code: f.clone() }))
        } else {
            Err(format!("flag {f} is not in flag_vocabulary"))
        }
    };
    for f in &w.flags_all {
        parts.push(flag(f)?);
    }
    let flags_any: Vec<Cond> = w.flags_any.iter().map(flag).collect::<Result<_, _>>()?;
    if !w.flags_none.is_empty() {
        let none: Vec<Cond> = w.flags_none.iter().map(flag).collect::<Result<_, _>>()?;
        parts.push(Cond::Not(Box::new(Cond::Any(none))));
    }
    let mut thresholds = Vec::new();
    for t in &w.thresholds {
        if !metrics.contains(&t.metric) {
            return Err(format!("metric {} is not in metric_vocabulary", t.metric));
        }
        thresholds.push(Cond::Atom(Atom::Metric {
            code: t.metric.clone(),
            test: parse_test(&t.op, &t.value)?,
            unit: t.unit.clone().unwrap_or_default(),
        }));
        if let Some(n) = &t.note {
            notes.push(format!("{}: {n}", t.metric));
        }
    }
    let combine = COMBINE.iter().find(|(u, _)| *u == urn).map(|(_, c)| *c);
    match (&w.logic, combine) {
        (Some(_), None) => {
            return Err("its `logic` has no encoding in advisory::library::COMBINE".into());
        }
        (None, Some(_)) => return Err("COMBINE has an encoding but the data has no `logic`".into()),
        _ => {}
    }
    let combine = combine.unwrap_or(Combine::Default);
    let group = |c: Vec<Cond>, all: bool| match (c.len(), all) {
        (0, _) => None,
        (1, _) => c.into_iter().next(),
        (_, true) => Some(Cond::All(c)),
        (_, false) => Some(Cond::Any(c)),
    };
    match combine {
        Combine::FlagsOrThresholds => {
            if flags_any.is_empty() || thresholds.is_empty() {
                return Err("FlagsOrThresholds needs flags_any and thresholds".into());
            }
            let mut either = flags_any;
            either.extend(thresholds);
            parts.push(Cond::Any(either));
        }
        Combine::AllThresholds => {
            parts.extend(group(flags_any, false));
            parts.extend(group(thresholds, true));
        }
        Combine::Default => {
            parts.extend(group(flags_any, false));
            parts.extend(group(thresholds, false));
        }
    }
    notes.extend(w.flags_note.iter().cloned());
    notes.extend(w.logic.iter().cloned());
    Ok((Cond::All(parts), notes))
}

fn parse_test(op: &str, value: &Value) -> Result<Test, String> {
    let num = |v: &Value| {
        v.as_f64()
            .ok_or_else(|| format!("threshold {v} is not a number"))
    };
    match (op, value) {
        (">", v) => Ok(Test::Gt(num(v)?)),
        (">=", v) => Ok(Test::Ge(num(v)?)),
        ("between", Value::Array(vs)) if vs.len() == 2 => {
            let (lo, hi) = (num(&vs[0])?, num(&vs[1])?);
            if lo < hi {
                Ok(Test::Between(lo, hi))
            } else {
                Err("between needs low < high".into())
            }
        }
        ("in", Value::Array(vs)) if !vs.is_empty() => {
            Ok(Test::In(vs.iter().map(num).collect::<Result<_, _>>()?))
        }
        _ => Err(format!("unknown threshold op {op} with value {value}")),
    }
}
