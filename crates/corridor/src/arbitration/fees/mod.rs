//! Arbitration fees: every schedule is a piecewise-linear table (`base + rate × excess over a
//! threshold`) with an optional floor and cap, plus flat registration or filing fees. One engine
//! over versioned data (`data/arbitration/`), exact decimals, no floats.
//!
//! [`estimate`] answers for one schedule; [`compare`] runs every schedule in a currency (the
//! cross-institution estimate). A row whose numbers are not all confirmed is an `estimate`.

mod data;
#[cfg(test)]
mod tests;

pub use data::{Bracket, Dataset, FlatFee, Limit, Schedule};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Error, Text, parse_amount, parse_date};
use crate::money::{Currency, Money};

/// A question as typed (CLI flags, query string).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct FeeAsk {
    pub schedule: String,
    pub amount: String,
    /// The day the arbitration is commenced: answers with the schedule in force then.
    pub date: Option<String>,
}

/// A flat fee charged beside the schedule's own amount.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Component {
    pub code: &'static str,
    #[serde(with = "crate::money::amount_only")]
    #[schema(value_type = String)]
    pub amount: Money,
    pub per: Option<String>,
    pub note: Option<String>,
    pub verified: bool,
}

/// The bracket used, as the data gives it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BracketUsed {
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub from: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    #[schema(value_type = Option<String>)]
    pub to: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub base: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub rate_percent: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub over: Decimal,
    pub verified: bool,
}

/// The national band (low and high end) for the commission's configured schedule.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Band {
    #[serde(with = "crate::money::amount_only")]
    #[schema(value_type = String)]
    pub low: Money,
    #[serde(with = "crate::money::amount_only")]
    #[schema(value_type = String)]
    pub high: Money,
    pub verified: bool,
    pub source: String,
}

/// The fee of one schedule for one amount.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FeeAnswer {
    /// The schedule answered with (the one in force on `date` when a date was given).
    pub schedule: String,
    /// The schedule asked for, when a date led to another one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_schedule: Option<String>,
    pub institution: String,
    pub name: String,
    #[schema(value_type = String)]
    pub currency: Currency,
    /// The amount in dispute as asked (its decimal places as typed).
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub amount: Decimal,
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<NaiveDate>,
    /// The schedule's own amount after its minimum and maximum, two places; `null` when the
    /// data has no bracket for this amount (see `warnings`).
    #[serde(with = "crate::money::amount_only::option")]
    #[schema(value_type = Option<String>)]
    pub fee: Option<Money>,
    pub fee_component: Option<String>,
    /// Registration or filing fees, charged beside `fee`.
    pub components: Vec<Component>,
    /// `fee` plus the components; `null` when `fee` is.
    #[serde(with = "crate::money::amount_only::option")]
    #[schema(value_type = Option<String>)]
    pub total: Option<Money>,
    /// Every number used (bracket, floor or cap applied, components) is confirmed in a source.
    pub verified: bool,
    /// Shown as an estimate: not verified, configured rather than published, or not computable.
    pub estimate: bool,
    pub bracket: Option<BracketUsed>,
    pub minimum_applied: bool,
    pub maximum_applied: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<Band>,
    pub effective_date: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub effective_from: Option<NaiveDate>,
    pub configured: bool,
    pub sources: Vec<String>,
    pub warnings: Vec<Text>,
}

/// The cross-institution estimate: every schedule in one currency.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    #[schema(value_type = String)]
    pub currency: Currency,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub amount: Decimal,
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<NaiveDate>,
    pub rows: Vec<FeeAnswer>,
    pub warnings: Vec<Text>,
}

/// The fee of the schedule `ask.schedule` for `ask.amount`.
pub fn estimate(ask: &FeeAsk) -> Result<FeeAnswer, Error> {
    let data = Dataset::get()?;
    let amount = parse_amount("--amount", &ask.amount)?;
    let date = ask
        .date
        .as_deref()
        .map(|d| parse_date("--date", d))
        .transpose()?;
    let id = ask.schedule.trim();
    let requested = data.schedule(id).ok_or_else(|| {
        Error::invalid(
            "--schedule",
            id,
            "unknown fee schedule (see `corridor fees compare` or docs/arbitration.md for the ids)",
        )
    })?;
    let schedule = match date {
        Some(d) => in_force(data, requested, d)?,
        None => requested,
    };
    in_currency(schedule.currency, amount, &ask.amount)?;
    let mut answer = compute(schedule, amount);
    answer.date = date;
    if schedule.id != requested.id {
        answer.requested_schedule = Some(requested.id.clone());
        answer.warnings.insert(
            0,
            Text::new(
                "schedule_in_force",
                format!(
                    "{} was replaced by {} for arbitrations commenced on {}",
                    requested.id,
                    schedule.id,
                    date.map(|d| d.to_string()).unwrap_or_default()
                ),
                format!(
                    "{} 已被 {} 取代（以 {} 开始的仲裁为准）",
                    requested.id,
                    schedule.id,
                    date.map(|d| d.to_string()).unwrap_or_default()
                ),
            ),
        );
    }
    Ok(answer)
}

/// Every schedule in `currency` for `amount`; with a date, each in the version in force then.
pub fn compare(amount: &str, currency: &str, date: Option<&str>) -> Result<Comparison, Error> {
    let data = Dataset::get()?;
    let amount_text = amount;
    let amount = parse_amount("--amount", amount)?;
    let date = date.map(|d| parse_date("--date", d)).transpose()?;
    let ccy = Currency::parse(currency)
        .map_err(|_| Error::invalid("--currency", currency, "not an ISO 4217 code such as CNY"))?;
    in_currency(ccy, amount, amount_text)?;
    let mut rows: Vec<FeeAnswer> = Vec::new();
    for s in data.schedules.iter().filter(|s| s.currency == ccy) {
        let s = match date {
            Some(d) => match in_force(data, s, d) {
                Ok(s) => s,
                Err(_) => continue, // not yet in force then: no row
            },
            None => s,
        };
        if rows.iter().any(|r| r.schedule == s.id) {
            continue;
        }
        let mut row = compute(s, amount);
        row.date = date;
        rows.push(row);
    }
    if rows.is_empty() {
        let known: std::collections::BTreeSet<&str> =
            data.schedules.iter().map(|s| s.currency.as_str()).collect();
        return Err(Error::invalid(
            "--currency",
            currency,
            format!(
                "no fee schedule in this currency (known: {})",
                known.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut warnings = Vec::new();
    if rows.iter().any(|r| r.estimate) {
        warnings.push(Text::new(
            "estimates",
            "Rows marked estimate rest on unconfirmed or configured numbers; confirm with the institution before relying on them.",
            "标为估算的行所依据的数字未经核实或为配置值，使用前请向仲裁机构核实。",
        ));
    }
    Ok(Comparison {
        currency: ccy,
        amount,
        date,
        rows,
        warnings,
    })
}

/// The amount in dispute as money of the schedule's currency: refused when that currency has
/// fewer places than typed, or the amount is beyond what the fee arithmetic holds.
fn in_currency(currency: Currency, amount: Decimal, typed: &str) -> Result<Money, Error> {
    Money::from_decimal(currency, amount)
        .map_err(|e| Error::invalid("--amount", typed, e.to_string()))
}

/// The version of `s` in force on `date`: follows recorded successions forward, and back to a
/// predecessor when `s` was not yet in force.
fn in_force<'a>(
    data: &'a Dataset,
    s: &'a Schedule,
    date: NaiveDate,
) -> Result<&'a Schedule, Error> {
    let mut current = s;
    // Back: a predecessor whose successor is `current`, while `current` had not started yet.
    while current.effective_from.is_some_and(|from| date < from) {
        match data.schedules.iter().find(|p| {
            p.superseded_by
                .as_ref()
                .is_some_and(|(next, _)| *next == current.id)
        }) {
            Some(p) => current = p,
            None => {
                return Err(Error::invalid(
                    "--date",
                    date.to_string(),
                    format!(
                        "{} took effect on {} and the data holds no earlier schedule of this institution",
                        current.id,
                        current
                            .effective_from
                            .map(|d| d.to_string())
                            .unwrap_or_default()
                    ),
                ));
            }
        }
    }
    // Forward: successors already in force.
    while let Some((next, on)) = &current.superseded_by {
        if date < *on {
            break;
        }
        current = data
            .schedule(next)
            .ok_or_else(|| Error::Data(format!("unknown successor {next}")))?;
    }
    Ok(current)
}

/// The fee of one schedule for one amount; never fails (a gap in the data is a warning).
pub fn compute(s: &Schedule, amount: Decimal) -> FeeAnswer {
    let mut warnings = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    let mut verified = true;
    let bracket = s.bracket(amount);
    let mut minimum_applied = false;
    let mut maximum_applied = false;
    // Rounded to the minor unit before the floor and cap: both are whole minor units, so
    // rounding first or last gives the same fee.
    let fee = bracket.and_then(|b| {
        let mut fee = Money::from_decimal_rounded(s.currency, b.fee(amount)).ok()?;
        verified &= b.verified;
        sources.extend(b.sources.iter().cloned());
        if let Some(min) = &s.minimum
            && fee.minor() < min.amount.minor()
        {
            fee = min.amount;
            minimum_applied = true;
            verified &= min.verified;
        }
        if let Some(max) = &s.maximum
            && fee.minor() > max.amount.minor()
        {
            fee = max.amount;
            maximum_applied = true;
            verified &= max.verified;
        }
        Some(fee)
    });
    if fee.is_none() {
        verified = false;
        let reach = s.brackets.last().and_then(|b| b.to);
        let (en, zh) = match reach {
            Some(to) => (
                format!(
                    "The data has brackets of {} only up to {to} {}; no fee is computed for this amount.",
                    s.id, s.currency
                ),
                format!(
                    "{} 的费率档次数据仅到 {to} {}，无法计算该金额的费用。",
                    s.id, s.currency
                ),
            ),
            None => (
                format!(
                    "The brackets of {} are not in the sources consulted; no fee is computed.",
                    s.id
                ),
                format!("{} 的费率档次未见于所查来源，无法计算费用。", s.id),
            ),
        };
        warnings.push(Text::new("no_bracket", en, zh));
    }
    let components: Vec<Component> = s
        .flat_fees
        .iter()
        .map(|f| {
            verified &= f.verified;
            sources.extend(f.sources.iter().cloned());
            Component {
                code: f.code,
                amount: f.amount,
                per: f.per.clone(),
                note: f.note.clone(),
                verified: f.verified,
            }
        })
        .collect();
    // Every amount of a schedule is in its currency, so the sum cannot mix currencies; one
    // that overflowed 64 bits of minor units would leave the total unanswered.
    let total = fee.and_then(|f| {
        Money::sum(
            s.currency,
            std::iter::once(f).chain(components.iter().map(|c| c.amount)),
        )
        .ok()
    });
    if bracket.is_some_and(|b| !b.verified)
        || minimum_applied && s.minimum.as_ref().is_some_and(|m| !m.verified)
    {
        warnings.push(Text::new(
            "unverified_bracket",
            "A number used here was derived, not seen in the source; treat the fee as an estimate.",
            "此处使用的数字系推算所得，未见于来源，费用仅作估算。",
        ));
    }
    if s.configured {
        warnings.push(Text::new(
            "configured_schedule",
            "The commission's own fee table is not public in the sources consulted: this is a configured schedule inside the national band (国办发[1995]44号), not its published table.",
            "仲裁委员会自己的收费表未见于所查来源：此为在国家收费幅度（国办发[1995]44号）内的配置值，并非其公布的收费表。",
        ));
    }
    for n in &s.notes {
        warnings.push(Text::new("schedule_note", n.clone(), n.clone()));
    }
    let band = (!s.band_low.is_empty())
        .then(|| national_band(s, amount))
        .flatten();
    sources.sort();
    sources.dedup();
    FeeAnswer {
        schedule: s.id.clone(),
        requested_schedule: None,
        institution: s.institution.clone(),
        name: s.name.clone(),
        currency: s.currency,
        amount,
        date: None,
        fee,
        fee_component: s.fee_component.clone(),
        components,
        total,
        verified,
        estimate: !verified || s.configured,
        bracket: bracket.map(|b| BracketUsed {
            from: b.from,
            to: b.to,
            base: b.base,
            rate_percent: b.rate_percent,
            over: b.over,
            verified: b.verified,
        }),
        minimum_applied,
        maximum_applied,
        band,
        effective_date: s.effective_date.clone(),
        effective_from: s.effective_from,
        configured: s.configured,
        sources,
        warnings,
    }
}

/// The national measures' top-of-band table, the high end of the band.
const NATIONAL_TOP: &str = "cn_1995_framework_acceptance_fee_top_of_band";

/// The national band's low and high end for the amount, beside the commission's configured
/// schedule (so a configured table can be checked against it).
fn national_band(s: &Schedule, amount: Decimal) -> Option<Band> {
    let low = data::find_bracket(&s.band_low, amount)?;
    let top = Dataset::get().ok()?.schedule(NATIONAL_TOP)?;
    let high = top.bracket(amount)?;
    Some(Band {
        low: Money::from_decimal_rounded(s.currency, low.fee(amount)).ok()?,
        high: Money::from_decimal_rounded(s.currency, high.fee(amount)).ok()?,
        verified: low.verified && high.verified,
        source: "国办发[1995]44号 Art. 4 (仲裁委员会仲裁收费办法)".to_owned(),
    })
}
