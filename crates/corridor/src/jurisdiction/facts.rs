//! Building blocks every answer is made of: a fact with its source and `verified` flag, dates and
//! yes/no flags as the data files record them (with their `unverified` marks), and warnings.

use chrono::NaiveDate;
use serde::Serialize;

/// One statement in an answer, bilingual, with where it comes from.
/// `code` is a stable key (e.g. `nyc_v_1_a`) the integrator can use for i18n or links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Statement {
    pub code: String,
    pub en: String,
    pub zh: String,
    pub source: String,
    pub verified: bool,
}

impl Statement {
    pub fn new(code: &str, en: &str, zh: &str, source: &str, verified: bool) -> Self {
        Statement {
            code: code.to_owned(),
            en: en.to_owned(),
            zh: zh.to_owned(),
            source: source.to_owned(),
            verified,
        }
    }
}

/// A value taken from the data as recorded (often English only), named by `fact`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sourced<T> {
    pub fact: String,
    pub value: T,
    pub source: String,
    pub verified: bool,
}

/// Names one unconfirmed fact an answer relied on, or a known gap in the data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Warning {
    /// `unverified_fact` or a gap code such as `dataset_incomplete`.
    pub code: String,
    /// The fact concerned, e.g. `new_york_convention.VN.reciprocity_reservation`.
    pub fact: String,
    pub en: String,
    pub zh: String,
    pub source: String,
}

impl Warning {
    pub fn unverified(fact: &str, source: &str) -> Self {
        Warning {
            code: "unverified_fact".into(),
            fact: fact.to_owned(),
            en: format!("Not confirmed by a source: {fact}. Check before relying on it."),
            zh: format!("未经来源核实：{fact}。依赖前请核对。"),
            source: source.to_owned(),
        }
    }

    pub fn gap(code: &str, fact: &str, en: &str, zh: &str, source: &str) -> Self {
        Warning {
            code: code.to_owned(),
            fact: fact.to_owned(),
            en: en.to_owned(),
            zh: zh.to_owned(),
            source: source.to_owned(),
        }
    }
}

/// Collects warnings without duplicates, in the order facts were used.
#[derive(Debug, Default)]
pub struct Warnings(Vec<Warning>);

impl Warnings {
    pub fn push(&mut self, w: Warning) {
        if !self.0.iter().any(|x| x.code == w.code && x.fact == w.fact) {
            self.0.push(w);
        }
    }

    pub fn statements<'a>(&mut self, items: impl IntoIterator<Item = &'a Statement>) {
        for s in items {
            if !s.verified {
                self.push(Warning {
                    code: "unverified_fact".into(),
                    fact: s.code.clone(),
                    en: format!("Not confirmed by a source: {}", s.en),
                    zh: format!("未经来源核实：{}", s.zh),
                    source: s.source.clone(),
                });
            }
        }
    }

    pub fn sourced<T>(&mut self, s: &Sourced<T>) {
        if !s.verified {
            self.push(Warning::unverified(&s.fact, &s.source));
        }
    }

    pub fn into_vec(self) -> Vec<Warning> {
        self.0
    }
}

/// A date as the data records it: `2023-11-07`, `1999-12-25 (unverified)`, `unverified`, `2019 (day
/// unverified)`, or empty. Only a plain ISO date without any mark counts as verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DateFact {
    pub date: Option<NaiveDate>,
    pub verified: bool,
}

impl DateFact {
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        let date = raw
            .get(..10)
            .and_then(|head| NaiveDate::parse_from_str(head, "%Y-%m-%d").ok());
        DateFact {
            date,
            verified: date.is_some() && !raw.contains("unverified"),
        }
    }

    /// `Some(true)` if the recorded date is on or before `on`; `None` if no date is recorded.
    pub fn reached(&self, on: NaiveDate) -> Option<bool> {
        self.date.map(|d| d <= on)
    }
}

/// A yes/no column that may also read `unverified`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Yes,
    No,
    Unknown,
}

impl Flag {
    pub fn parse(raw: &str) -> Self {
        match raw.trim() {
            v if v.starts_with("yes") => Flag::Yes,
            v if v.starts_with("no") => Flag::No,
            _ => Flag::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_iso_date_is_verified_and_a_marked_one_is_not() {
        let plain = DateFact::parse("2023-11-07");
        assert_eq!(plain.date, NaiveDate::from_ymd_opt(2023, 11, 7));
        assert!(plain.verified);
        let marked = DateFact::parse("1999-12-25 (unverified)");
        assert_eq!(marked.date, NaiveDate::from_ymd_opt(1999, 12, 25));
        assert!(!marked.verified);
        for raw in ["unverified", "", "2019 (day unverified)", "1999-06", "日期"] {
            let f = DateFact::parse(raw);
            assert_eq!(f.date, None, "{raw}");
            assert!(!f.verified, "{raw}");
        }
    }

    #[test]
    fn flags_read_yes_no_and_anything_else_as_unknown() {
        assert_eq!(Flag::parse("yes (Art. 2(c))"), Flag::Yes);
        assert_eq!(Flag::parse("no"), Flag::No);
        assert_eq!(Flag::parse("unverified"), Flag::Unknown);
        assert_eq!(Flag::parse(""), Flag::Unknown);
    }

    #[test]
    fn warnings_are_not_repeated_for_the_same_fact() {
        let mut w = Warnings::default();
        w.push(Warning::unverified("a", "s"));
        w.push(Warning::unverified("a", "s"));
        w.push(Warning::unverified("b", "s"));
        assert_eq!(w.into_vec().len(), 2);
    }
}
