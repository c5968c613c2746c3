//! The embedded fee schedules: `data/arbitration/fee_schedules.json` (the institutions' published
//! tables, ids kept), `cqac_fee_schedule.json` (the commission's own, as configuration) and
//! `fee_schedule_versions.json` (which schedule replaced which). Parsed once.

use std::str::FromStr;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::arbitration::Error;
use crate::money::{Currency, Money};

const PUBLISHED: &str = include_str!("../../../../../data/arbitration/fee_schedules.json");
const CONFIGURED: &str = include_str!("../../../../../data/arbitration/cqac_fee_schedule.json");
const VERSIONS: &str = include_str!("../../../../../data/arbitration/fee_schedule_versions.json");

/// One bracket: `fee = base + rate_percent/100 × (amount − over)` for amounts up to `to`
/// ("up to X" includes X; an amount between two published integers belongs to the upper bracket).
#[derive(Clone, Debug, Serialize)]
pub struct Bracket {
    #[serde(with = "rust_decimal::serde::str")]
    pub from: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub to: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    pub base: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub rate_percent: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub over: Decimal,
    pub verified: bool,
    pub sources: Vec<String>,
}

impl Bracket {
    pub fn fee(&self, amount: Decimal) -> Decimal {
        self.base + self.rate_percent / Decimal::ONE_HUNDRED * (amount - self.over)
    }
}

/// A floor or a cap on the schedule's amount.
#[derive(Clone, Debug, Serialize)]
pub struct Limit {
    #[serde(with = "crate::money::amount_only")]
    pub amount: Money,
    pub verified: bool,
    pub note: Option<String>,
}

/// A flat fee charged beside the schedule's own amount (registration or filing fee).
#[derive(Clone, Debug, Serialize)]
pub struct FlatFee {
    pub code: &'static str,
    #[serde(with = "crate::money::amount_only")]
    pub amount: Money,
    pub per: Option<String>,
    pub note: Option<String>,
    pub verified: bool,
    pub sources: Vec<String>,
}

/// A fee schedule as the data gives it.
#[derive(Clone, Debug, Serialize)]
pub struct Schedule {
    pub id: String,
    pub institution: String,
    pub name: String,
    pub currency: Currency,
    /// The data's own words, e.g. "2015-01-01 (label …)".
    pub effective_date: String,
    /// The date read from `effective_date` when it starts with one; `None` when only a year is known.
    pub effective_from: Option<NaiveDate>,
    pub superseded_by: Option<(String, NaiveDate)>,
    pub fee_component: Option<String>,
    pub verification_level: Option<String>,
    pub minimum: Option<Limit>,
    pub maximum: Option<Limit>,
    pub brackets: Vec<Bracket>,
    /// The low end of the national band, for the commission's configured schedule.
    pub band_low: Vec<Bracket>,
    pub flat_fees: Vec<FlatFee>,
    /// Caveats copied from the data (applicability to newer rules, gaps, departures).
    pub notes: Vec<String>,
    /// `true` for the commission's own configured schedule (not a published table).
    pub configured: bool,
}

impl Schedule {
    /// The bracket an amount falls in, if the schedule's known brackets reach that far.
    pub fn bracket(&self, amount: Decimal) -> Option<&Bracket> {
        find_bracket(&self.brackets, amount)
    }
}

/// The first bracket whose upper end reaches the amount, or the open-ended last one.
pub fn find_bracket(brackets: &[Bracket], amount: Decimal) -> Option<&Bracket> {
    let last = brackets.last()?;
    brackets
        .iter()
        .find(|b| b.to.is_some_and(|to| amount <= to))
        .or_else(|| last.to.is_none().then_some(last))
}

pub struct Dataset {
    pub schedules: Vec<Schedule>,
}

impl Dataset {
    pub fn get() -> Result<&'static Dataset, Error> {
        static DATA: OnceLock<Result<Dataset, Error>> = OnceLock::new();
        DATA.get_or_init(load).as_ref().map_err(Clone::clone)
    }

    pub fn schedule(&self, id: &str) -> Option<&Schedule> {
        self.schedules.iter().find(|s| s.id == id)
    }
}

#[derive(Deserialize)]
struct RawFile {
    schedules: Vec<RawSchedule>,
}

#[derive(Deserialize)]
struct RawSchedule {
    id: String,
    institution: String,
    schedule: String,
    effective_date: String,
    currency: String,
    fee_component: Option<String>,
    verification_level: Option<String>,
    minimum: Option<RawLimit>,
    maximum: Option<RawLimit>,
    registration_fee: Option<RawRegistration>,
    filing_fee: Option<RawFiling>,
    #[serde(default)]
    brackets: Vec<RawBracket>,
    #[serde(default)]
    band_low_brackets: Vec<RawBracket>,
    #[serde(default)]
    configured: bool,
    applies_to_2024_rules: Option<String>,
    note: Option<String>,
    unverified_rows_from_earlier_file: Option<String>,
    departures: Option<String>,
    known_values: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawLimit {
    #[serde(deserialize_with = "decimal")]
    amount: Decimal,
    verified: bool,
    note: Option<String>,
    applies: Option<String>,
}

#[derive(Deserialize)]
struct RawRegistration {
    #[serde(deserialize_with = "decimal")]
    amount: Decimal,
    verified: bool,
    per: Option<String>,
    note: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Deserialize)]
struct RawFiling {
    #[serde(deserialize_with = "decimal")]
    overseas_parties: Decimal,
    singapore_parties: serde_json::Value,
    per: Option<String>,
    note: Option<String>,
    verified: bool,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Deserialize)]
struct RawBracket {
    #[serde(deserialize_with = "decimal")]
    from: Decimal,
    #[serde(deserialize_with = "opt_decimal")]
    to: Option<Decimal>,
    #[serde(deserialize_with = "decimal")]
    base: Decimal,
    #[serde(deserialize_with = "decimal")]
    rate_percent: Decimal,
    #[serde(deserialize_with = "decimal")]
    over: Decimal,
    verified: bool,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Deserialize)]
struct RawVersions {
    successions: Vec<RawSuccession>,
}

#[derive(Deserialize)]
struct RawSuccession {
    schedule: String,
    superseded_by: String,
    on: NaiveDate,
}

/// The data writes amounts as JSON numbers and rates as strings; both become exact decimals
/// through their text, never through a float.
fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    value_to_decimal(&v).ok_or_else(|| serde::de::Error::custom(format!("not a decimal: {v}")))
}

fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    value_to_decimal(&v)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("not a decimal: {v}")))
}

fn value_to_decimal(v: &serde_json::Value) -> Option<Decimal> {
    match v {
        serde_json::Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        serde_json::Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

fn bracket(b: RawBracket) -> Bracket {
    Bracket {
        from: b.from,
        to: b.to,
        base: b.base,
        rate_percent: b.rate_percent,
        over: b.over,
        verified: b.verified,
        sources: b.sources,
    }
}

/// An amount of the data in the schedule's currency, exactly: a table with fractions of a
/// minor unit is a data defect, not something to round away.
fn money(currency: Currency, amount: Decimal) -> Result<Money, Error> {
    Money::from_decimal(currency, amount).map_err(|e| Error::Data(format!("{amount}: {e}")))
}

fn limit(currency: Currency, l: RawLimit) -> Result<Limit, Error> {
    let note = match (l.note, l.applies) {
        (Some(n), Some(a)) => Some(format!("{n}; applies: {a}")),
        (Some(n), None) => Some(n),
        (None, Some(a)) => Some(format!("applies: {a}")),
        (None, None) => None,
    };
    Ok(Limit {
        amount: money(currency, l.amount)?,
        verified: l.verified,
        note,
    })
}

fn schedule(r: RawSchedule) -> Result<Schedule, Error> {
    let currency = Currency::parse(&r.currency)
        .map_err(|e| Error::Data(format!("{}: currency {:?}: {e}", r.id, r.currency)))?;
    let effective_from = r
        .effective_date
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let mut flat_fees = Vec::new();
    if let Some(reg) = r.registration_fee {
        flat_fees.push(FlatFee {
            code: "registration_fee",
            amount: money(currency, reg.amount)?,
            per: reg.per,
            note: reg.note,
            verified: reg.verified,
            sources: reg.sources,
        });
    }
    if let Some(f) = r.filing_fee {
        let singapore = match &f.singapore_parties {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut note = format!("for overseas parties; Singapore parties: {singapore}");
        if let Some(n) = f.note {
            note.push_str(&format!(" ({n})"));
        }
        flat_fees.push(FlatFee {
            code: "filing_fee",
            amount: money(currency, f.overseas_parties)?,
            per: f.per,
            note: Some(note),
            verified: f.verified,
            sources: f.sources,
        });
    }
    let mut notes = Vec::new();
    if let Some(a) = r.applies_to_2024_rules {
        notes.push(format!("applies to the 2024 Rules: {a}"));
    }
    notes.extend(r.note);
    notes.extend(r.unverified_rows_from_earlier_file);
    notes.extend(r.departures.map(|d| format!("departures: {d}")));
    notes.extend(r.known_values.map(|k| format!("known values: {k}")));
    Ok(Schedule {
        id: r.id,
        institution: r.institution,
        name: r.schedule,
        currency,
        effective_date: r.effective_date,
        effective_from,
        superseded_by: None,
        fee_component: r.fee_component,
        verification_level: r.verification_level,
        minimum: r.minimum.map(|l| limit(currency, l)).transpose()?,
        maximum: r.maximum.map(|l| limit(currency, l)).transpose()?,
        brackets: r.brackets.into_iter().map(bracket).collect(),
        band_low: r.band_low_brackets.into_iter().map(bracket).collect(),
        flat_fees,
        notes,
        configured: r.configured,
    })
}

fn load() -> Result<Dataset, Error> {
    let parse = |name: &str, text: &str| {
        serde_json::from_str::<RawFile>(text).map_err(|e| Error::Data(format!("{name}: {e}")))
    };
    let mut schedules: Vec<Schedule> = parse("fee_schedules.json", PUBLISHED)?
        .schedules
        .into_iter()
        .chain(parse("cqac_fee_schedule.json", CONFIGURED)?.schedules)
        .map(schedule)
        .collect::<Result<_, Error>>()?;
    let versions: RawVersions = serde_json::from_str(VERSIONS)
        .map_err(|e| Error::Data(format!("fee_schedule_versions.json: {e}")))?;
    for v in versions.successions {
        if !schedules.iter().any(|s| s.id == v.superseded_by) {
            return Err(Error::Data(format!(
                "unknown successor {}",
                v.superseded_by
            )));
        }
        let s = schedules
            .iter_mut()
            .find(|s| s.id == v.schedule)
            .ok_or_else(|| Error::Data(format!("unknown schedule {}", v.schedule)))?;
        s.superseded_by = Some((v.superseded_by, v.on));
    }
    Ok(Dataset { schedules })
}
