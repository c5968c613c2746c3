//! Will a court judgment given in one place be recognised in another. A treaty or arrangement that
//! covers judgments is a basis; otherwise recognition rests on reciprocity under the enforcing
//! State's law, which the data never presumes: reciprocity needs its own source.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Result;
use super::award::{Coverage, Regime};
use super::data::{Arrangement, BilateralTreaty, Dataset};
use super::facts::{Statement, Warning, Warnings};

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct JudgmentQuery {
    pub rendering_state: String,
    pub enforcing_state: String,
    pub date: NaiveDate,
}

#[derive(Clone, Debug, Serialize)]
pub struct JudgmentAssessment {
    pub rendering_state: String,
    pub enforcing_state: String,
    pub date: NaiveDate,
    pub regime: Regime,
    pub coverage: Coverage,
    pub basis: Vec<Statement>,
    pub arrangement: Option<Arrangement>,
    pub treaty: Option<BilateralTreaty>,
    pub notes: Vec<Statement>,
    pub warnings: Vec<Warning>,
}

const NO_SOURCE: &str = "no source in the dataset";

pub fn judgment_enforceability(q: JudgmentQuery) -> Result<JudgmentAssessment> {
    let ds = Dataset::get()?;
    let from = ds.country(&q.rendering_state)?;
    let to = ds.country(&q.enforcing_state)?;
    let mut j = JudgmentAssessment {
        rendering_state: from.clone(),
        enforcing_state: to.clone(),
        date: q.date,
        regime: Regime::Undetermined,
        coverage: Coverage::Uncertain,
        basis: Vec::new(),
        arrangement: None,
        treaty: None,
        notes: Vec::new(),
        warnings: Vec::new(),
    };
    let mut pair = [from.as_str(), to.as_str()];
    pair.sort_unstable();
    match pair {
        [a, b] if a == b => {
            j.regime = Regime::Domestic;
            j.coverage = Coverage::NotApplicable;
        }
        ["CN", "HK"] => mainland_hong_kong(ds, &mut j),
        ["CN", "MO"] | ["HK", "MO"] | ["CN", "TW"] => j.basis.push(Statement::new(
            "judgment_instrument_not_in_dataset",
            &format!("The instrument on judgments between {from} and {to} is not in the data."),
            &format!("{from} 与 {to} 之间关于判决的文件数据未收录。"),
            NO_SOURCE,
            false,
        )),
        ["CN", _] | [_, "CN"] => with_china(ds, &mut j),
        _ => j.basis.push(Statement::new(
            "judgment_pair_not_in_dataset",
            &format!("The data has no treaty or reciprocity information on judgments between {from} and {to}."),
            &format!("数据中没有 {from} 与 {to} 之间判决承认的条约或互惠资料。"),
            NO_SOURCE,
            false,
        )),
    }
    j.notes.push(Statement::new(
        "judgment_court_and_documents_not_in_dataset",
        "The competent court, time limit and documents for recognising judgments are not in the data.",
        "承认判决的管辖法院、期限和所需文件数据未收录。",
        NO_SOURCE,
        false,
    ));
    let mut w = Warnings::default();
    w.statements(&j.basis);
    if let Some(t) = j.treaty.as_ref().filter(|t| !t.verified) {
        w.push(Warning::unverified(
            &format!("bilateral_treaties.{}", t.counterpart),
            &t.source,
        ));
    }
    w.statements(&j.notes);
    j.warnings = w.into_vec();
    Ok(j)
}

fn mainland_hong_kong(ds: &Dataset, j: &mut JudgmentAssessment) {
    let Some(row) = ds.arrangement("cn_hk_judgments_2019") else {
        return;
    };
    if row.effective().reached(j.date) == Some(true) {
        j.regime = Regime::MainlandHongKongArrangement;
        j.coverage = Coverage::Covered;
        j.basis.push(Statement::new(
            "cn_hk_judgments_arrangement_in_force",
            &format!(
                "{} is in effect since {}. Scope: {}",
                row.instrument, row.effective, row.scope
            ),
            &format!("{} 自 {} 起生效。", row.instrument_zh, row.effective),
            &row.source,
            row.verified,
        ));
    } else {
        j.basis.push(Statement::new(
            "cn_hk_judgments_before_2024",
            &format!("The 2019 judgments Arrangement took effect on {}, after the date; an earlier, narrower Mainland–Hong Kong arrangement may apply but is not in the data.", row.effective),
            &format!("2019年判决《安排》于 {} 生效，晚于该日期；此前可能适用范围较窄的内地与香港安排，数据未收录。", row.effective),
            &row.source,
            false,
        ));
    }
    j.arrangement = Some(row.clone());
}

fn with_china(ds: &Dataset, j: &mut JudgmentAssessment) {
    let other = if j.rendering_state == "CN" {
        j.enforcing_state.clone()
    } else {
        j.rendering_state.clone()
    };
    let e = j.enforcing_state.clone();
    let treaty = ds.treaty_with_china(&other).cloned();
    if let Some(t) = treaty
        .as_ref()
        .filter(|t| t.is_treaty() && t.covers_judgments == "yes")
    {
        let eif = t.entry_into_force();
        match eif.date.map(|d| (d, d <= j.date)) {
            Some((d, true)) => {
                j.regime = Regime::BilateralTreaty;
                // An unconfirmed entry-into-force date only matters close to that date.
                let close = d.checked_add_days(Days::new(366)).is_none_or(|x| j.date < x);
                j.coverage = if eif.verified || !close { Coverage::Covered } else { Coverage::Uncertain };
                j.basis.push(Statement::new(
                    "treaty_covers_judgments",
                    &format!("China's treaty with {other} covers court judgments ({}); entry into force recorded as {}.", t.coverage_detail, t.entry_into_force),
                    &format!("中国与 {other} 的双边条约涵盖法院判决；生效日期记录为 {}。", t.entry_into_force),
                    &t.source,
                    t.verified,
                ));
                j.treaty = treaty;
                return;
            }
            _ => j.basis.push(Statement::new(
                "treaty_not_in_force_on_date",
                &format!("China's treaty with {other} covers judgments but is not shown in force on the date (recorded: {}).", t.entry_into_force),
                &format!("中国与 {other} 的条约涵盖判决，但该日期未显示生效（记录：{}）。", t.entry_into_force),
                &t.source,
                eif.verified,
            )),
        }
    }
    if let Some(t) = treaty.as_ref() {
        let (en, zh) = if t.is_treaty() {
            (
                format!(
                    "China's treaty with {other} does not cover court judgments. {}",
                    t.notes
                ),
                format!("中国与 {other} 的条约不涵盖法院判决。"),
            )
        } else {
            (
                format!(
                    "No judicial assistance treaty between China and {other} was found (negative finding, unverified)."
                ),
                format!("未发现中国与 {other} 之间的司法协助条约（否定性结论，未核实）。"),
            )
        };
        j.notes.push(Statement::new(
            "treaty_excludes_judgments",
            &en,
            &zh,
            &t.source,
            t.verified && t.is_treaty(),
        ));
    }
    j.regime = Regime::Reciprocity;
    j.coverage = Coverage::Uncertain;
    j.basis.push(Statement::new(
        "reciprocity_requires_source",
        &format!("No treaty or arrangement in the data covers judgments between {} and {}; recognition would rest on reciprocity under {e}'s law. De facto or presumed reciprocity must be shown by a sourced precedent or official statement, and the data has none.", j.rendering_state, j.enforcing_state),
        &format!("数据中没有涵盖 {} 与 {} 之间判决的条约或安排；承认将取决于 {e} 法律下的互惠。事实互惠或推定互惠须有判例或官方文件作为来源，数据中没有。", j.rendering_state, j.enforcing_state),
        NO_SOURCE,
        false,
    ));
    j.treaty = treaty;
}
