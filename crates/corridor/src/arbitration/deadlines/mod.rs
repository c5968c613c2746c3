//! Time limits of an arbitration's rule set, computed from the event that starts them and counted
//! as the rules say: the period starts the day after the event (UNCITRAL 2013 Art. 2(6) and the
//! rule sets that count like it), official holidays and non-business days inside the period are
//! counted, and a last day that is not a business day at the place moves to the next business
//! day — only where the rule set's counting says so (`corridor_counting.roll_forward`).
//!
//! [`compute`] answers a question as typed; [`count`] is the core the benchmark reruns for many
//! cases against a changed holiday table.

mod calendar;
mod data;
#[cfg(test)]
mod tests;

pub use calendar::{Calendar, Closed};
pub use data::{CORE_EVENTS, Dataset, Direction, Period, RuleSet, TimeLimit, Unit};

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Error, Text, parse_date, parse_place};

/// A question as typed.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineAsk {
    pub rules: String,
    pub event: String,
    pub date: String,
    /// Whose holidays: the addressee's place (ISO 3166-1 alpha-2, HK, MO).
    pub place: Option<String>,
    /// Only limits of this procedure (`general`, `summary`, `expedited`, `streamlined`, …).
    pub procedure: Option<String>,
    /// Extensions granted: `ARTICLE=DAYS` (more days on the period) or `ARTICLE=YYYY-MM-DD`.
    #[serde(default)]
    pub extensions: Vec<String>,
}

/// An extension granted for one limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Extension {
    /// More days added to the period; the last day is counted again (and moved again).
    Days(u32),
    /// A new due date fixed by the tribunal or institution.
    Until(NaiveDate),
}

/// How a limit's last day was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Counted {
    /// First day of the period (the day after the event); `None` for periods counted backwards.
    pub starts: Option<NaiveDate>,
    /// The last day by the count alone.
    pub last_day: NaiveDate,
    /// The day it falls due after moving off closed days.
    pub due: NaiveDate,
    /// The closed days the due date was moved over.
    pub moved_over: Vec<Closed>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Deadline {
    pub id: String,
    pub rule_set: String,
    pub article: String,
    pub procedure: String,
    pub action: String,
    pub actor: Option<String>,
    pub event: String,
    pub trigger: String,
    pub period: Period,
    #[schema(value_type = Option<String>, format = Date)]
    pub starts: Option<NaiveDate>,
    #[schema(value_type = String, format = Date)]
    pub last_day: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub due: NaiveDate,
    pub moved_over: Vec<Closed>,
    /// The due date before an extension, when one was granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub original_due: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<Extension>,
    /// The limit itself is confirmed in the rule text (`evidence` says how it is known).
    pub verified: bool,
    pub evidence: String,
    pub extendable_by: Option<String>,
    pub source_url: String,
    pub notes: Option<String>,
    /// The holiday table covers the place and the year of the due date.
    pub holidays_known: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Counting {
    pub article: Option<String>,
    pub start: String,
    pub roll_forward: bool,
    pub whose_holidays: Option<String>,
    pub verified: bool,
    pub basis: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DeadlineAnswer {
    pub rules: String,
    pub rule_set_name: String,
    pub event: String,
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    pub place: Option<String>,
    pub counting: Counting,
    pub deadlines: Vec<Deadline>,
    pub warnings: Vec<Text>,
}

/// Counts one limit from the event's date (the pure core).
pub fn count(
    period: &Period,
    event_date: NaiveDate,
    roll_forward: bool,
    place: Option<&str>,
    calendar: &Calendar,
    extra_days: u32,
) -> Counted {
    let n = period.value;
    match (period.direction, period.unit) {
        // "No later than N days before": counted back, never moved (moving would shorten the notice).
        (Direction::Before, _) => {
            let last = event_date - Days::new(u64::from(n));
            Counted {
                starts: None,
                last_day: last,
                due: last,
                moved_over: Vec::new(),
            }
        }
        // Hours run continuously from the moment of the event: no moving.
        (Direction::After, Unit::Hours) => {
            let last = event_date + Days::new(u64::from(n.div_ceil(24) + extra_days));
            Counted {
                starts: Some(event_date),
                last_day: last,
                due: last,
                moved_over: Vec::new(),
            }
        }
        (Direction::After, unit) => {
            let starts = event_date + Days::new(1);
            let by_count = match unit {
                // Calendar months from the event's date; chrono clamps to the month's last day.
                Unit::Months => event_date
                    .checked_add_months(Months::new(n))
                    .unwrap_or(event_date),
                _ => event_date + Days::new(u64::from(n)),
            };
            let last = by_count + Days::new(u64::from(extra_days));
            let (due, moved_over) = if roll_forward {
                calendar.next_business_day(place, last)
            } else {
                (last, Vec::new())
            };
            Counted {
                starts: Some(starts),
                last_day: last,
                due,
                moved_over,
            }
        }
    }
}

fn parse_extension(text: &str) -> Result<(String, Extension), Error> {
    let bad = || {
        Error::invalid(
            "--extension",
            text,
            "expected ARTICLE=DAYS or ARTICLE=YYYY-MM-DD, e.g. 4(1)=15",
        )
    };
    let (article, value) = text.rsplit_once('=').ok_or_else(bad)?;
    let value = value.trim();
    let ext = if let Ok(days) = value.parse::<u32>() {
        if days == 0 || days > 3650 {
            return Err(bad());
        }
        Extension::Days(days)
    } else {
        Extension::Until(NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| bad())?)
    };
    Ok((article.trim().to_owned(), ext))
}

/// Every time limit of `ask.rules` that `ask.event` starts, counted from `ask.date`.
pub fn compute(ask: &DeadlineAsk) -> Result<DeadlineAnswer, Error> {
    compute_with(ask, Calendar::embedded()?)
}

pub fn compute_with(ask: &DeadlineAsk, calendar: &Calendar) -> Result<DeadlineAnswer, Error> {
    let data = Dataset::get()?;
    let rules = data.canonical_id(ask.rules.trim()).ok_or_else(|| {
        Error::invalid(
            "--rules",
            &ask.rules,
            format!(
                "unknown rule set (known: {})",
                data.rule_set_ids().join(", ")
            ),
        )
    })?;
    let rule_set = data
        .rule_set(rules)
        .ok_or_else(|| Error::Data(format!("no counting for {rules}")))?;
    let event = ask.event.trim();
    if !data.events.contains(event) {
        return Err(Error::invalid(
            "--event",
            &ask.event,
            format!(
                "unknown event (known: {})",
                data.events.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let date = parse_date("--date", &ask.date)?;
    let given_place = ask
        .place
        .as_deref()
        .map(|p| parse_place("--place", p))
        .transpose()?;
    let counting = &rule_set.corridor_counting;
    let place = given_place
        .clone()
        .or_else(|| counting.default_place.clone());
    let mut extensions = Vec::new();
    for e in &ask.extensions {
        extensions.push(parse_extension(e)?);
    }
    let limits: Vec<&TimeLimit> = data
        .limits_for(rules, event)
        .filter(|l| {
            ask.procedure
                .as_deref()
                .is_none_or(|p| l.procedure.eq_ignore_ascii_case(p.trim()))
        })
        .collect();
    for (article, _) in &extensions {
        if !limits.iter().any(|l| &l.article == article) {
            return Err(Error::invalid(
                "--extension",
                article,
                format!(
                    "no time limit with this article among those {event} starts under {rules} (articles: {})",
                    limits
                        .iter()
                        .map(|l| l.article.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ));
        }
    }
    let mut warnings = Vec::new();
    let mut deadlines = Vec::new();
    for l in limits {
        let Some(period) = &l.period else { continue };
        let ext = extensions
            .iter()
            .find(|(a, _)| *a == l.article)
            .map(|(_, e)| e.clone());
        let plain = count(
            period,
            date,
            counting.roll_forward,
            place.as_deref(),
            calendar,
            0,
        );
        let (counted, original_due) = match &ext {
            None => (plain, None),
            Some(Extension::Days(n)) => {
                let original = plain.due;
                (
                    count(
                        period,
                        date,
                        counting.roll_forward,
                        place.as_deref(),
                        calendar,
                        *n,
                    ),
                    Some(original),
                )
            }
            Some(Extension::Until(until)) => {
                let original = plain.due;
                let fixed = Counted {
                    due: *until,
                    moved_over: Vec::new(),
                    ..plain
                };
                (fixed, Some(original))
            }
        };
        let holidays_known = place.as_deref().is_some_and(|p| {
            calendar.covers(p, counted.due.year()) && calendar.covers(p, counted.last_day.year())
        });
        deadlines.push(Deadline {
            id: format!("{} {}", l.rule_set, l.article),
            rule_set: l.rule_set.clone(),
            article: l.article.clone(),
            procedure: l.procedure.clone(),
            action: l.action.clone(),
            actor: l.actor.clone(),
            event: event.to_owned(),
            trigger: l.trigger_event.clone(),
            period: period.clone(),
            starts: counted.starts,
            last_day: counted.last_day,
            due: counted.due,
            moved_over: counted.moved_over,
            original_due,
            extension: ext,
            verified: l.verified,
            evidence: l.evidence.clone(),
            extendable_by: l.extendable_by.clone(),
            source_url: l.source_url.clone(),
            notes: l.notes.clone(),
            holidays_known,
        });
    }
    deadlines.sort_by_key(|d| d.due);
    if deadlines.is_empty() {
        warnings.push(Text::new(
            "no_limits",
            format!(
                "The data holds no time limit of {rules} that {event} starts{}.",
                rule_set
                    .note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ),
            format!("数据中没有 {rules} 由 {event} 起算的期限。"),
        ));
    }
    if deadlines.iter().any(|d| !d.verified) {
        warnings.push(Text::new(
            "unverified_limits",
            "Limits marked unverified are known only from secondary sources or as commonly stated; confirm them in the official rules.",
            "标为未核实的期限仅来自二手资料或通行说法，请以官方规则为准。",
        ));
    }
    if !rule_set.counting_verified() {
        warnings.push(Text::new(
            "unverified_counting",
            format!("How {rules} counts time (start day, moving off holidays) is not confirmed in the rule text."),
            format!("{rules} 的期间计算方法（起算日、节假日顺延）未经规则原文核实。"),
        ));
    }
    match &place {
        None if counting.roll_forward => warnings.push(Text::new(
            "no_place",
            "No place given: only weekends were treated as non-business days. Give --place (the addressee's place) for its public holidays.",
            "未指定地点：仅将周末视为非工作日。请以 --place 指定收件人所在地以计入其公众假日。",
        )),
        Some(p) if !calendar.knows_place(p) => warnings.push(Text::new(
            "unknown_holidays",
            format!("No public holidays of {p} are in the data: only weekends were treated as non-business days."),
            format!("数据中没有 {p} 的公众假日：仅将周末视为非工作日。"),
        )),
        Some(p) if deadlines.iter().any(|d| !d.holidays_known) => warnings.push(Text::new(
            "holidays_year_missing",
            format!("The holiday table of {p} does not cover every year involved (it has 2026): only weekends count in the other years."),
            format!("{p} 的假日表未涵盖所涉全部年份（现有 2026 年）：其他年份仅计周末。"),
        )),
        _ => {}
    }
    if deadlines.iter().any(|d| d.period.unit == Unit::Months) {
        warnings.push(Text::new(
            "month_end",
            "Months are calendar months from the event's date; a day that does not exist in the last month is taken as that month's last day (no rule seen says otherwise).",
            "按月计算的期间自事件之日起按日历月计；末月无对应日的，以该月最后一日为准（未见规则另有规定）。",
        ));
    }
    Ok(DeadlineAnswer {
        rules: rules.to_owned(),
        rule_set_name: rule_set.name.clone(),
        event: event.to_owned(),
        date,
        place,
        counting: Counting {
            article: rule_set.counting_text("article"),
            start: rule_set
                .counting_text("start")
                .unwrap_or_else(|| "day after the event".to_owned()),
            roll_forward: counting.roll_forward,
            whose_holidays: rule_set.counting_text("whose_holidays"),
            verified: rule_set.counting_verified(),
            basis: counting.basis.clone(),
        },
        deadlines,
        warnings,
    })
}
