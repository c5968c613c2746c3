//! New York Convention path: the enforcing State must be bound on the date; its reservations
//! (Art. I(3)) then decide; a bilateral treaty with China is reported and used only as a fallback.

use super::{AwardAssessment, Condition, ConditionStatus, Coverage, Regime, enforcement_facts};
use crate::jurisdiction::data::Dataset;
use crate::jurisdiction::facts::{Flag, Statement, Warnings};
use crate::jurisdiction::status::{ConventionStatus, NycStatus, nyc_status};

const NYC_TEXT: &str =
    "https://uncitral.un.org/en/texts/arbitration/conventions/foreign_arbitral_awards";

pub(super) fn assess(ds: &Dataset, a: &mut AwardAssessment, w: &mut Warnings) {
    let (s, e, d) = (a.seat.clone(), a.enforcing_state.clone(), a.date);
    if is_cross_strait(&s, &e) {
        a.regime = Regime::Undetermined;
        a.coverage = Coverage::Uncertain;
        a.basis.push(Statement::new(
            "cross_strait_not_in_dataset",
            "Awards between the Mainland and Taiwan follow cross-strait rules that are not in the data.",
            "大陆与台湾之间的仲裁裁决适用两岸专门规则，数据未收录。",
            "no source in the dataset",
            false,
        ));
        return;
    }
    let seat = nyc_status(ds, &s, d, w);
    let enf = nyc_status(ds, &e, d, w);
    a.treaty = ds
        .treaty_with_china(other_than_china(&s, &e).unwrap_or(""))
        .filter(|t| t.is_treaty() && (s == "CN" || e == "CN"))
        .cloned();
    match enf.status {
        ConventionStatus::InForce => {
            a.basis.push(Statement::new(
                "nyc_in_force_for_enforcing_state",
                &format!("The New York Convention is in force for {e} on {d}."),
                &format!("{d} 时《纽约公约》对 {e} 已生效。"),
                &enf.source,
                enf.verified,
            ));
            a.reciprocity = reciprocity(&seat, &enf);
            a.commercial_reservation = commercial(&enf, a.commercial);
            if a.reciprocity.status == ConditionStatus::NotMet {
                // Under the reciprocity reservation the Convention does not reach awards made
                // outside its States, so it is not the basis: the answer is what else covers
                // the award (a treaty) or `none`, the same rule as an enforcing State that is
                // not bound at all.
                a.basis.push(a.reciprocity.statement.clone());
                treaty_fallback(ds, a);
                a.convention_status = vec![seat, enf];
                return;
            }
            a.regime = Regime::NewYorkConvention;
            a.coverage = coverage(&a.reciprocity, &a.commercial_reservation);
            a.documents = rules(ds, "new_york_convention", "document");
            a.refusal_grounds = rules(ds, "new_york_convention", "refusal_ground");
            enforcement_facts(ds, a, "new_york_convention");
            if let Some(t) = &a.treaty
                && t.covers_awards == "yes"
            {
                a.notes.push(Statement::new(
                    "treaty_also_covers_awards",
                    &format!(
                        "China's treaty with {} also provides for awards: {}",
                        t.counterpart, t.coverage_detail
                    ),
                    &format!(
                        "中国与 {} 的双边条约亦涉及仲裁裁决：{}",
                        t.counterpart, t.coverage_detail
                    ),
                    &t.source,
                    t.verified,
                ));
            }
        }
        ConventionStatus::Unknown => {
            a.regime = Regime::Undetermined;
            a.coverage = Coverage::Uncertain;
            a.basis.push(Statement::new(
                "nyc_status_unknown",
                &format!("{e}'s entry into force of the New York Convention is not known."),
                &format!("{e} 加入《纽约公约》的生效日期不详。"),
                &enf.source,
                false,
            ));
        }
        ConventionStatus::NotYetInForce | ConventionStatus::NotParty => {
            let key = if enf.status == ConventionStatus::NotParty {
                "nyc_not_party"
            } else {
                "nyc_not_yet_in_force"
            };
            a.basis.push(Statement::new(
                key,
                &format!("The New York Convention is not in force for {e} on {d}."),
                &format!("{d} 时《纽约公约》对 {e} 尚未生效。"),
                &enf.source,
                enf.verified,
            ));
            treaty_fallback(ds, a);
        }
    }
    a.convention_status = vec![seat, enf];
}

fn treaty_fallback(ds: &Dataset, a: &mut AwardAssessment) {
    let d = a.date;
    let usable = a.treaty.as_ref().filter(|t| t.covers_awards == "yes");
    match usable.map(|t| (t, t.entry_into_force().reached(d))) {
        Some((t, Some(true))) => {
            a.regime = Regime::BilateralTreaty;
            a.coverage = if t.verified {
                Coverage::Covered
            } else {
                Coverage::Uncertain
            };
            a.basis.push(Statement::new(
                "treaty_covers_awards",
                &format!(
                    "China's treaty with {} provides for awards: {}",
                    t.counterpart, t.coverage_detail
                ),
                &format!(
                    "中国与 {} 的双边条约规定了仲裁裁决的承认与执行：{}",
                    t.counterpart, t.coverage_detail
                ),
                &t.source,
                t.verified,
            ));
            enforcement_facts(ds, a, "bilateral_treaty");
        }
        _ => {
            a.regime = Regime::None;
            a.coverage = Coverage::NotCovered;
            a.notes.push(Statement::new(
                "enforcing_state_domestic_law",
                "No convention, arrangement or treaty in the data covers this award on this date; the enforcing State's own law may offer another route (not in the data).",
                "数据中没有涵盖该裁决的公约、安排或条约；执行地本国法可能另有途径（数据未收录）。",
                "no source in the dataset",
                false,
            ));
        }
    }
}

fn reciprocity(seat: &NycStatus, enf: &NycStatus) -> Condition {
    let (s, e) = (&seat.state, &enf.state);
    let src = format!("{} | {}", enf.source, seat.source);
    let (status, code, en, zh, verified) = if seat.status == ConventionStatus::InForce {
        (
            ConditionStatus::Met,
            "reciprocity_seat_is_contracting_state",
            format!(
                "{s} is a Contracting State on the date, so any reciprocity reservation of {e} is satisfied."
            ),
            format!("{s} 在该日期为缔约国，{e} 的互惠保留（如有）得到满足。"),
            seat.verified,
        )
    } else {
        match (enf.reciprocity_reservation, enf.reciprocity_scope.as_str()) {
            (Flag::No, _) => (
                ConditionStatus::NotApplicable,
                "reciprocity_no_reservation",
                format!(
                    "{e} made no reciprocity reservation: it applies the Convention to awards made in any other State."
                ),
                format!("{e} 未作互惠保留：对在任何其他国家作出的裁决适用公约。"),
                true,
            ),
            (Flag::Yes, "non_contracting_on_reciprocity") => (
                ConditionStatus::ConditionalOnReciprocity,
                "reciprocity_non_contracting_on_reciprocity",
                format!(
                    "{s} is not shown as a Contracting State on the date; {e} applies the Convention to such awards only to the extent {s} grants reciprocal treatment, which the data does not show."
                ),
                format!(
                    "{s} 在该日期不是缔约国；{e} 仅在 {s} 给予互惠待遇的范围内适用公约，数据未显示是否存在互惠。"
                ),
                false,
            ),
            (Flag::Yes, _) => (
                ConditionStatus::NotMet,
                "reciprocity_not_met",
                format!(
                    "{e} applies the Convention only to awards made in another Contracting State (Art. I(3)); {s} is not one on the date."
                ),
                format!(
                    "{e} 仅对在另一缔约国领土内作出的裁决适用公约（第一条第三款）；{s} 在该日期不是缔约国。"
                ),
                enf.verified,
            ),
            (Flag::Unknown, _) => (
                ConditionStatus::Unknown,
                "reciprocity_reservation_unverified",
                format!(
                    "Whether {e} made the reciprocity reservation is not confirmed, and {s} is not shown as a Contracting State on the date."
                ),
                format!("{e} 是否作出互惠保留未经核实，且 {s} 在该日期不是缔约国。"),
                false,
            ),
        }
    };
    Condition {
        status,
        statement: Statement::new(code, &en, &zh, &src, verified),
    }
}

fn commercial(enf: &NycStatus, is_commercial: bool) -> Condition {
    let e = &enf.state;
    let (status, code, en, zh, verified) = match (enf.commercial_reservation, is_commercial) {
        (Flag::No, _) => (
            ConditionStatus::NotApplicable,
            "commercial_no_reservation",
            format!("{e} made no commercial reservation."),
            format!("{e} 未作商事保留。"),
            true,
        ),
        (_, true) => (
            ConditionStatus::Met,
            "commercial_met",
            format!(
                "The relationship is commercial, so the commercial reservation (if {e} made it) is satisfied; the characterisation is for {e}'s law."
            ),
            format!("该法律关系属商事性质，{e} 的商事保留（如有）得到满足；定性依 {e} 法律。"),
            true,
        ),
        (Flag::Yes, false) => (
            ConditionStatus::NotMet,
            "commercial_not_met",
            format!(
                "{e} applies the Convention only to differences considered commercial under its national law (Art. I(3)); the relationship is stated as not commercial."
            ),
            format!(
                "{e} 仅对依其本国法属于商事关系的争议适用公约（第一条第三款）；本案关系被表述为非商事。"
            ),
            true,
        ),
        (Flag::Unknown, false) => (
            ConditionStatus::Unknown,
            "commercial_reservation_unverified",
            format!(
                "Whether {e} made the commercial reservation is not confirmed, and the relationship is stated as not commercial."
            ),
            format!("{e} 是否作出商事保留未经核实，且本案关系被表述为非商事。"),
            false,
        ),
    };
    Condition {
        status,
        statement: Statement::new(code, &en, &zh, &enf.source, verified),
    }
}

fn coverage(r: &Condition, c: &Condition) -> Coverage {
    let statuses = [r.status, c.status];
    if statuses.contains(&ConditionStatus::NotMet) {
        Coverage::NotCovered
    } else if statuses.iter().any(|s| {
        matches!(
            s,
            ConditionStatus::Unknown | ConditionStatus::ConditionalOnReciprocity
        )
    }) {
        Coverage::Uncertain
    } else {
        Coverage::Covered
    }
}

pub(super) fn rules(ds: &Dataset, regime: &str, kind: &str) -> Vec<Statement> {
    let out: Vec<Statement> = ds.rules_of(regime, kind).map(|r| r.statement()).collect();
    if out.is_empty() {
        vec![Statement::new(
            &format!("{regime}_{kind}_missing"),
            "Not in the data.",
            "数据未收录。",
            NYC_TEXT,
            false,
        )]
    } else {
        out
    }
}

fn is_cross_strait(a: &str, b: &str) -> bool {
    matches!((a, b), ("CN", "TW") | ("TW", "CN"))
}

fn other_than_china<'a>(a: &'a str, b: &'a str) -> Option<&'a str> {
    match (a, b) {
        ("CN", other) | (other, "CN") => Some(other),
        _ => None,
    }
}
