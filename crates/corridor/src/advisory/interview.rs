//! The plan interview of the page `/plans/new`: the enterprise describes its project in plain
//! words and answers only what the plan still needs. This module turns the form's fields into
//! the contract's [`PlanRequest`] and lists the facts to ask next. Pure, like the generator.
//!
//! Fields: `date`, `country`, `entry_mode`, `sector` (an ISIC section letter chosen by name),
//! `sector_codes` (finer codes, typed), `ownership`, `assets` (repeated), `flag.<code>` (`yes`,
//! `no`, or empty for "not sure") and `metric.<code>` (a number; spaces and thousands
//! separators allowed). A flag or metric the library does not know is passed on, so the check
//! names it as the API would.

use std::collections::BTreeMap;

use super::Text;
use super::library::Library;
use super::plan::Plan;
use super::project::{InvalidInput, PlanRequest};

/// What the form holds, as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Interview {
    pub date: String,
    pub country: String,
    pub entry_mode: String,
    pub sector: String,
    pub sector_codes: String,
    pub ownership: String,
    pub assets: Vec<String>,
    /// Flag code → `yes`, `no` or empty.
    pub flags: BTreeMap<String, String>,
    /// Metric code → the number as typed.
    pub metrics: BTreeMap<String, String>,
}

/// One fact to ask on the page, in the library's wording.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    /// `flag`, `metric`, `sector` or `ownership` (the last two are fields of the form's top).
    pub kind: &'static str,
    pub code: String,
    pub text: Text,
    pub unit: Option<String>,
    /// What the form holds for it now (empty when unanswered).
    pub answer: String,
    /// The plan needs it: some obligations cannot be decided without it.
    pub open: bool,
    /// How many obligations the answer decides (for an open question).
    pub decides: usize,
}

impl Interview {
    /// Reads the form's pairs; the last value of a repeated single field wins.
    pub fn from_pairs(pairs: &[(String, String)]) -> Interview {
        let mut form = Interview::default();
        for (key, value) in pairs {
            let value = value.trim().to_owned();
            match key.as_str() {
                "date" => form.date = value,
                "country" => form.country = value,
                "entry_mode" => form.entry_mode = value,
                "sector" => form.sector = value,
                "sector_codes" => form.sector_codes = value,
                "ownership" => form.ownership = value,
                "assets" if !value.is_empty() => form.assets.push(value),
                _ => {
                    if let Some(code) = key.strip_prefix("flag.") {
                        form.flags.insert(code.to_owned(), value);
                    } else if let Some(code) = key.strip_prefix("metric.") {
                        form.metrics.insert(code.to_owned(), value);
                    }
                }
            }
        }
        form
    }

    /// The form's fields for a request (a saved project's answers, to change them): the inverse
    /// of [`Interview::from_pairs`] followed by [`Interview::request`].
    pub fn pairs_of(request: &PlanRequest) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("country".to_owned(), request.country.clone()),
            ("entry_mode".to_owned(), request.entry_mode.clone()),
        ];
        let mut codes = request.sectors_isic.iter();
        let mut finer = Vec::new();
        if let Some(first) = request.sectors_isic.first().filter(|c| c.len() == 1) {
            pairs.push(("sector".into(), first.clone()));
            codes.next();
        }
        finer.extend(codes.cloned());
        if !finer.is_empty() {
            pairs.push(("sector_codes".into(), finer.join(" ")));
        }
        if let Some(o) = &request.ownership {
            pairs.push(("ownership".into(), o.clone()));
        }
        if let Some(d) = &request.date {
            pairs.push(("date".into(), d.clone()));
        }
        pairs.extend(
            request
                .counterparty_assets
                .iter()
                .map(|a| ("assets".into(), a.clone())),
        );
        pairs.extend(
            request
                .flags
                .iter()
                .map(|f| (format!("flag.{f}"), "yes".into())),
        );
        pairs.extend(
            request
                .flags_false
                .iter()
                .map(|f| (format!("flag.{f}"), "no".into())),
        );
        pairs.extend(
            request
                .metrics
                .iter()
                .map(|(m, v)| (format!("metric.{m}"), v.to_string())),
        );
        pairs
    }

    /// The form has been sent at least once (the first visit shows the empty form).
    pub fn started(&self) -> bool {
        !self.country.is_empty() || !self.entry_mode.is_empty()
    }

    /// The contract's request for these answers; a flag answer other than yes/no/empty, or a
    /// metric that is not a number, is refused naming the codes.
    pub fn request(&self) -> Result<PlanRequest, InvalidInput> {
        let mut flags = Vec::new();
        let mut flags_false = Vec::new();
        let mut bad = Vec::new();
        for (code, answer) in &self.flags {
            match answer.as_str() {
                "yes" => flags.push(code.clone()),
                "no" => flags_false.push(code.clone()),
                "" => {}
                _ => bad.push(code.clone()),
            }
        }
        if !bad.is_empty() {
            return Err(InvalidInput {
                field: "flags",
                reason: "yes_no",
                values: bad,
            });
        }
        let mut metrics = BTreeMap::new();
        for (code, typed) in &self.metrics {
            if typed.is_empty() {
                continue;
            }
            match number(typed) {
                Some(n) => {
                    metrics.insert(code.clone(), n);
                }
                None => bad.push(code.clone()),
            }
        }
        if !bad.is_empty() {
            return Err(InvalidInput {
                field: "metrics",
                reason: "metric_value",
                values: bad,
            });
        }
        let mut sectors: Vec<String> = self
            .sector_codes
            .split([' ', ',', ';', '，', '、'])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if !self.sector.is_empty() {
            sectors.insert(0, self.sector.clone());
        }
        Ok(PlanRequest {
            date: Some(self.date.clone()).filter(|d| !d.is_empty()),
            country: self.country.clone(),
            entry_mode: self.entry_mode.clone(),
            sectors_isic: sectors,
            ownership: Some(self.ownership.clone()).filter(|o| !o.is_empty()),
            flags,
            flags_false,
            metrics,
            counterparty_assets: self.assets.clone(),
            // The project's value is asked by the save form (`SaveValues`), not the interview.
            value: None,
        })
    }

    /// What to ask next: the plan's open questions first (those deciding most obligations
    /// first), then every fact already answered, so an answer can be changed.
    pub fn facts(&self, plan: &Plan, lib: &Library) -> Vec<Fact> {
        let mut facts: Vec<Fact> = plan
            .questions
            .iter()
            .map(|q| Fact {
                kind: q.kind,
                code: q.code.clone(),
                text: q.text.clone(),
                unit: q.unit.clone(),
                answer: self.answer(q.kind, &q.code).to_owned(),
                open: true,
                decides: q.obligations.len(),
            })
            .collect();
        facts.sort_by(|a, b| b.decides.cmp(&a.decides).then(a.code.cmp(&b.code)));
        let asked = |facts: &[Fact], kind: &str, code: &str| {
            facts.iter().any(|f| f.kind == kind && f.code == code)
        };
        for (code, answer) in &self.flags {
            if answer.is_empty() || asked(&facts, "flag", code) {
                continue;
            }
            if let Some(w) = lib.questions.flags.get(code) {
                facts.push(answered(
                    "flag",
                    code,
                    Text::new(&w.en, &w.zh),
                    None,
                    answer,
                ));
            }
        }
        for (code, answer) in &self.metrics {
            if answer.is_empty() || asked(&facts, "metric", code) {
                continue;
            }
            if let Some(w) = lib.questions.metrics.get(code) {
                let text = Text::new(&w.en, &w.zh);
                facts.push(answered("metric", code, text, w.unit.clone(), answer));
            }
        }
        facts
    }

    fn answer(&self, kind: &str, code: &str) -> &str {
        let map = match kind {
            "flag" => &self.flags,
            "metric" => &self.metrics,
            _ => return "",
        };
        map.get(code).map_or("", String::as_str)
    }
}

fn answered(
    kind: &'static str,
    code: &str,
    text: Text,
    unit: Option<String>,
    answer: &str,
) -> Fact {
    Fact {
        kind,
        code: code.to_owned(),
        text,
        unit,
        answer: answer.to_owned(),
        open: false,
        decides: 0,
    }
}

/// A number as people type it: `50,000,000`, `50 000 000`, `1_000`, `12.5`. Not negative,
/// finite.
pub(super) fn number(typed: &str) -> Option<f64> {
    let plain: String = typed
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '，'))
        .collect();
    let n: f64 = plain.parse().ok()?;
    (n.is_finite() && n >= 0.0).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::{ScheduleFees, plan_for};
    use chrono::NaiveDate;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn the_form_becomes_the_contract_request() {
        let form = Interview::from_pairs(&pairs(&[
            ("country", "VN"),
            ("entry_mode", "joint_venture"),
            ("sector", "C"),
            ("sector_codes", "C2930, J61"),
            ("ownership", "private"),
            ("assets", "SG"),
            ("assets", ""),
            ("flag.employs_foreign_nationals", "yes"),
            ("flag.sensitive_industry", "no"),
            ("flag.sensitive_destination", ""),
            ("metric.cn_investment_usd", "50,000,000"),
            ("metric.foreign_shareholding_pct", ""),
            ("unrelated", "ignored"),
        ]));
        assert!(form.started());
        let r = form.request().unwrap();
        assert_eq!(r.country, "VN");
        assert_eq!(r.sectors_isic, ["C", "C2930", "J61"]);
        assert_eq!(r.ownership.as_deref(), Some("private"));
        assert_eq!(r.flags, ["employs_foreign_nationals"]);
        assert_eq!(r.flags_false, ["sensitive_industry"]);
        assert_eq!(r.metrics.get("cn_investment_usd"), Some(&50_000_000.0));
        assert!(!r.metrics.contains_key("foreign_shareholding_pct"));
        assert_eq!(r.counterparty_assets, ["SG"]);
        assert_eq!(r.date, None);
        assert!(!Interview::default().started());
    }

    #[test]
    fn answers_that_are_not_yes_no_or_numbers_are_named() {
        let form = Interview::from_pairs(&pairs(&[
            ("country", "VN"),
            ("flag.acquires_land", "perhaps"),
        ]));
        let e = form.request().unwrap_err();
        assert_eq!((e.field, e.reason), ("flags", "yes_no"));
        assert_eq!(e.values, ["acquires_land"]);
        let form = Interview::from_pairs(&pairs(&[
            ("country", "VN"),
            ("metric.cn_investment_usd", "fifty million"),
            ("metric.foreign_shareholding_pct", "-3"),
        ]));
        let e = form.request().unwrap_err();
        assert_eq!((e.field, e.reason), ("metrics", "metric_value"));
        assert_eq!(e.values, ["cn_investment_usd", "foreign_shareholding_pct"]);
    }

    #[test]
    fn a_saved_request_comes_back_as_the_same_form() {
        let request = PlanRequest {
            date: Some("2026-12-01".into()),
            country: "VN".into(),
            entry_mode: "joint_venture".into(),
            sectors_isic: vec!["C".into(), "C2930".into(), "J61".into()],
            ownership: Some("SOE".into()),
            flags: vec!["acquires_land".into()],
            flags_false: vec!["sensitive_industry".into()],
            metrics: [("cn_investment_usd".to_owned(), 12_500_000.5)].into(),
            counterparty_assets: vec!["SG".into(), "HK".into()],
            value: None,
        };
        let back = Interview::from_pairs(&Interview::pairs_of(&request))
            .request()
            .unwrap();
        assert_eq!(back, request);
        let finer_only = PlanRequest {
            sectors_isic: vec!["C2930".into()],
            ..request.clone()
        };
        let back = Interview::from_pairs(&Interview::pairs_of(&finer_only));
        assert_eq!(
            (back.sector.as_str(), back.sector_codes.as_str()),
            ("", "C2930")
        );
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(number("50,000,000"), Some(5e7));
        assert_eq!(number("50 000 000"), Some(5e7));
        assert_eq!(number("12.5"), Some(12.5));
        assert_eq!(number("1e400"), None);
        assert_eq!(number("-1"), None);
        assert_eq!(number(""), None);
    }

    /// Answering an open question closes it; the answered fact stays on the form to change.
    #[test]
    fn open_questions_come_first_and_answers_stay_on_the_form() {
        let lib = Library::get().unwrap();
        let base = [("country", "VN"), ("entry_mode", "greenfield")];
        let form = Interview::from_pairs(&pairs(&base));
        let plan = plan_for(&form.request().unwrap(), day(), &ScheduleFees).unwrap();
        let facts = form.facts(&plan, lib);
        assert!(!facts.is_empty() && facts.iter().all(|f| f.open));
        assert!(facts.windows(2).all(|w| w[0].decides >= w[1].decides));
        let first = facts.iter().find(|f| f.kind == "flag").unwrap().clone();
        assert!(
            !first.text.en.contains('_'),
            "asked in words: {}",
            first.text.en
        );

        let mut answered = pairs(&base);
        answered.push((format!("flag.{}", first.code), "no".into()));
        let form = Interview::from_pairs(&answered);
        let plan = plan_for(&form.request().unwrap(), day(), &ScheduleFees).unwrap();
        let facts = form.facts(&plan, lib);
        let again: Vec<&Fact> = facts.iter().filter(|f| f.code == first.code).collect();
        assert_eq!(again.len(), 1);
        assert!(!again[0].open);
        assert_eq!(again[0].answer, "no");
        assert!(plan.questions.iter().all(|q| q.code != first.code));
    }
}
