//! The dispute clause a plan proposes: a seat and institution whose award the jurisdiction
//! engine says will be recognised and enforced where the counterparty has assets (the host
//! country, plus any `counterparty_assets`). Candidates in the programme's order of preference:
//! the Chongqing Arbitration Commission (the programme's own), HKIAC, SIAC, then the host
//! country's institution. The first one covered everywhere is proposed; the others are listed
//! with why not.
//!
//! Fee estimates come through [`FeeEstimator`]: [`super::fees::ScheduleFees`] asks the
//! arbitration module's fee schedules; this module does not compute fees.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::Text;
use super::project::Project;
use crate::jurisdiction::{AwardQuery, Coverage, Dataset, Regime, award_enforceability};

/// A fee estimate for a proposed institution, as the arbitration module gives it.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct FeeEstimate {
    pub currency: String,
    /// The schedule's total for the amount (its fee plus registration or filing fees), an
    /// exact decimal with the currency's places.
    pub total: String,
    /// The schedule it comes from (`data/arbitration/`).
    pub schedule: String,
    /// `false` where any number used is unconfirmed or configured: show as an estimate.
    pub verified: bool,
    pub source: String,
    /// What the total covers and what it leaves out.
    pub basis: Text,
}

/// The seam to the arbitration module's fee calculators.
pub trait FeeEstimator {
    /// Fees at `institution` (the candidate's abbreviation) for a dispute of `amount` in
    /// `currency`, under the schedule in force on `date`; `None` when it cannot say.
    fn estimate(
        &self,
        institution: &str,
        amount: Decimal,
        currency: &str,
        date: NaiveDate,
    ) -> Option<FeeEstimate>;
}

/// No fee estimates (tests of the clause's choice of seat).
pub struct NoFeeEstimates;

impl FeeEstimator for NoFeeEstimates {
    fn estimate(&self, _: &str, _: Decimal, _: &str, _: NaiveDate) -> Option<FeeEstimate> {
        None
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct DisputeClause {
    /// The proposed candidate (`None` only if the data has no candidate at all).
    pub proposed: Option<Candidate>,
    /// Why this seat and institution, in words.
    pub explanation: Text,
    /// Every candidate considered, in order of preference.
    pub candidates: Vec<Candidate>,
    /// From the arbitration module's schedules, for the project's `value` in the proposed
    /// institution's currency; `null` when it cannot say (`fee_note` says why).
    pub fee_estimate: Option<FeeEstimate>,
    pub fee_note: Text,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Candidate {
    /// Seat: ISO alpha-2 (`CN` is the Mainland, `HK`).
    pub seat: String,
    pub institution: String,
    pub name: Text,
    /// Where the institution's existence and name are sourced.
    pub source: String,
    pub verified: bool,
    /// Will an award made at the seat be enforced in each place with counterparty assets.
    pub enforcement: Vec<Enforcement>,
    /// Covered (or domestic) in every place.
    pub covered_everywhere: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Enforcement {
    pub state: String,
    #[schema(value_type = String)]
    pub regime: Regime,
    pub coverage: Coverage,
    /// Unconfirmed facts the jurisdiction engine relied on (0 = all sourced and verified).
    pub unverified_facts: usize,
}

struct Seed {
    seat: &'static str,
    institution: &'static str,
    en: &'static str,
    zh: &'static str,
    source: &'static str,
    verified: bool,
}

const PREFERRED: [Seed; 3] = [
    Seed {
        seat: "CN",
        institution: "CQAC",
        en: "Chongqing Arbitration Commission",
        zh: "重庆仲裁委员会",
        source: "http://en.moj.gov.cn/2026-01/26/c_1157065.htm",
        verified: true,
    },
    Seed {
        seat: "HK",
        institution: "HKIAC",
        en: "Hong Kong International Arbitration Centre",
        zh: "香港国际仲裁中心",
        source: "https://hkiac.org./content/2024-schedule-fees",
        verified: true,
    },
    Seed {
        seat: "SG",
        institution: "SIAC",
        en: "Singapore International Arbitration Centre",
        zh: "新加坡国际仲裁中心",
        source: "data/jurisdiction/asean.json (SG institutions)",
        verified: true,
    },
];

pub fn propose_clause(p: &Project, fees: &dyn FeeEstimator) -> DisputeClause {
    let mut candidates: Vec<Candidate> = PREFERRED
        .iter()
        .map(|s| {
            candidate(
                p,
                s.seat,
                s.institution,
                Text::new(s.en, s.zh),
                s.source,
                s.verified,
            )
        })
        .collect();
    // The host country's own institution, as the jurisdiction data records it.
    if let Some(i) = Dataset::get()
        .ok()
        .and_then(|ds| ds.profile(&p.country))
        .and_then(|prof| prof.institutions.first())
        && !PREFERRED.iter().any(|s| s.seat == p.country)
    {
        let abbr = if i.abbreviation.is_empty() {
            i.name.clone()
        } else {
            i.abbreviation.clone()
        };
        candidates.push(candidate(
            p,
            &p.country,
            &abbr,
            Text::new(&i.name, &i.name),
            &i.source,
            i.verified,
        ));
    }
    let best = candidates
        .iter()
        .position(|c| c.covered_everywhere)
        .or_else(|| {
            // None is covered everywhere: the one covered in the most places, earliest on ties.
            let score = |c: &Candidate| {
                c.enforcement
                    .iter()
                    .filter(|e| e.coverage == Coverage::Covered)
                    .count()
            };
            let max = candidates.iter().map(score).max()?;
            candidates.iter().position(|c| score(c) == max)
        });
    let proposed = best.map(|i| candidates[i].clone());
    let explanation = explain(proposed.as_ref(), &candidates[..best.unwrap_or(0)]);
    let fee_estimate = match (&proposed, &p.value) {
        (Some(c), Some((amount, currency))) => {
            fees.estimate(&c.institution, *amount, currency, p.date)
        }
        _ => None,
    };
    let fee_note = match (&fee_estimate, &p.value) {
        (Some(_), _) => Text::new(
            "Estimated on the project's value as the amount in dispute, under the institution's schedule in force on the plan's date. Tribunal fees and expenses are not included unless the schedule says so.",
            "以项目金额作为争议金额，按方案日期有效的仲裁机构收费表估算。除收费表另有规定外，不含仲裁员报酬及其他费用。",
        ),
        (None, Some((_, currency))) => Text::new(
            &format!(
                "No fee estimate: the proposed institution has no fee schedule in {currency} with a total for this amount, and no exchange rate is assumed. Give the value in the institution's currency (CNY, HKD or SGD) for an estimate."
            ),
            &format!(
                "暂无费用估算：所建议的仲裁机构没有以 {currency} 计价、可算出此金额总额的收费表，且本平台不假设汇率。请以该机构的计价货币（人民币、港元或新加坡元）填写项目金额。"
            ),
        ),
        (None, None) => Text::new(
            "No fee estimate: give the project's value (amount and currency) for one.",
            "暂无费用估算：请填写项目金额（金额及币种）。",
        ),
    };
    DisputeClause {
        proposed,
        explanation,
        candidates,
        fee_estimate,
        fee_note,
    }
}

fn candidate(
    p: &Project,
    seat: &str,
    institution: &str,
    name: Text,
    source: &str,
    verified: bool,
) -> Candidate {
    let enforcement: Vec<Enforcement> = p
        .enforce_in
        .iter()
        .map(|state| {
            let q = AwardQuery {
                seat: seat.to_owned(),
                institution: Some(institution.to_owned()),
                enforcing_state: state.clone(),
                commercial: true,
                date: p.date,
            };
            match award_enforceability(q) {
                Ok(a) => Enforcement {
                    state: state.clone(),
                    regime: a.regime,
                    coverage: a.coverage,
                    unverified_facts: a.warnings.len(),
                },
                Err(_) => Enforcement {
                    state: state.clone(),
                    regime: Regime::Undetermined,
                    coverage: Coverage::Uncertain,
                    unverified_facts: 0,
                },
            }
        })
        .collect();
    let covered_everywhere = enforcement.iter().all(|e| {
        e.coverage == Coverage::Covered
            || (e.regime == Regime::Domestic && e.coverage == Coverage::NotApplicable)
    });
    Candidate {
        seat: seat.to_owned(),
        institution: institution.to_owned(),
        name,
        source: source.to_owned(),
        verified,
        enforcement,
        covered_everywhere,
    }
}

fn places(c: &Candidate) -> String {
    c.enforcement
        .iter()
        .map(|e| e.state.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn regimes(c: &Candidate) -> (String, String) {
    let (mut en, mut zh) = (Vec::new(), Vec::new());
    for e in &c.enforcement {
        let (re, rz) = match e.regime {
            Regime::NewYorkConvention => ("the New York Convention", "《纽约公约》"),
            Regime::MainlandHongKongArrangement => (
                "the Mainland–Hong Kong arrangement",
                "内地与香港相互执行仲裁裁决的安排",
            ),
            Regime::MainlandMacaoArrangement => (
                "the Mainland–Macao arrangement",
                "内地与澳门相互认可和执行仲裁裁决的安排",
            ),
            Regime::Domestic => ("domestic enforcement", "当地执行"),
            Regime::BilateralTreaty => ("a bilateral treaty", "双边条约"),
            _ => (
                "no instrument confirmed in the data",
                "数据中无可确认的依据",
            ),
        };
        let (ce, cz) = match e.coverage {
            Coverage::Covered | Coverage::NotApplicable => ("covered", "可执行"),
            Coverage::NotCovered => ("not covered", "不可执行"),
            Coverage::Uncertain => ("uncertain", "不确定"),
        };
        en.push(format!("{}: {ce} ({re})", e.state));
        zh.push(format!("{}：{cz}（{rz}）", e.state));
    }
    (en.join("; "), zh.join("；"))
}

fn explain(proposed: Option<&Candidate>, passed_over: &[Candidate]) -> Text {
    let Some(c) = proposed else {
        return Text::new(
            "No candidate seat could be assessed.",
            "没有可评估的候选仲裁地。",
        );
    };
    let (en, zh) = regimes(c);
    let mut text = if c.covered_everywhere {
        Text::new(
            &format!(
                "Arbitration at {} ({}), seated in {}: an award would be enforceable where the counterparty has assets ({}). {en}.",
                c.name.en,
                c.institution,
                c.seat,
                places(c)
            ),
            &format!(
                "建议由{}（{}）仲裁，仲裁地 {}：裁决可在交易对手有财产的地方（{}）执行。{zh}。",
                c.name.zh,
                c.institution,
                c.seat,
                places(c)
            ),
        )
    } else {
        Text::new(
            &format!(
                "No candidate is confirmed enforceable everywhere the counterparty has assets ({}); {} ({}) is covered in the most places. {en}. Check the uncertain places with counsel before signing.",
                places(c),
                c.name.en,
                c.institution
            ),
            &format!(
                "没有候选机构的裁决能确认在交易对手有财产的所有地方（{}）执行；{}（{}）覆盖的地方最多。{zh}。签约前请与律师核实不确定之处。",
                places(c),
                c.name.zh,
                c.institution
            ),
        )
    };
    for skipped in passed_over {
        let (en, zh) = regimes(skipped);
        text.en.push_str(&format!(
            " Not {} ({}): {en}.",
            skipped.institution, skipped.seat
        ));
        text.zh.push_str(&format!(
            " 未选{}（{}）：{zh}。",
            skipped.institution, skipped.seat
        ));
    }
    text
}
