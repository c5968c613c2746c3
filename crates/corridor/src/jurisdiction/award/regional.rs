//! Awards between the Mainland, Hong Kong and Macao: one country, so not the New York Convention
//! but the arrangements (Mainland–HK 1999/2020, Mainland–Macao 2007, HK–Macao 2013).

use chrono::NaiveDate;

use super::nyc::rules;
use super::{AwardAssessment, Condition, ConditionStatus, Coverage, Regime, enforcement_facts};
use crate::jurisdiction::data::{Arrangement, Dataset};
use crate::jurisdiction::facts::{Statement, Warnings};

pub(super) fn is_regional_pair(a: &str, b: &str) -> bool {
    regime_of(a, b).is_some()
}

fn regime_of(a: &str, b: &str) -> Option<(Regime, &'static str, &'static str)> {
    let mut pair = [a, b];
    pair.sort_unstable();
    match pair {
        ["CN", "HK"] => Some((
            Regime::MainlandHongKongArrangement,
            "cn_hk_awards_1999",
            "mainland_hong_kong_arrangement",
        )),
        ["CN", "MO"] => Some((
            Regime::MainlandMacaoArrangement,
            "cn_mo_awards_2007",
            "mainland_macao_arrangement",
        )),
        ["HK", "MO"] => Some((
            Regime::HongKongMacaoArrangement,
            "hk_mo_awards_2013",
            "hong_kong_macao_arrangement",
        )),
        _ => None,
    }
}

pub(super) fn assess(ds: &Dataset, a: &mut AwardAssessment, _w: &mut Warnings) {
    let (s, e, d) = (a.seat.clone(), a.enforcing_state.clone(), a.date);
    let Some((regime, main_id, regime_code)) = regime_of(&s, &e) else {
        return;
    };
    let Some(main) = ds.arrangement(main_id).cloned() else {
        a.basis.push(missing(main_id));
        return;
    };
    a.regime = regime;
    let no_nyc = Statement::new(
        "nyc_not_applicable_within_china",
        &format!(
            "The New York Convention does not apply between {s} and {e} (one country); the arrangement governs and the Convention's reservations play no part."
        ),
        &format!(
            "{s} 与 {e} 之间不适用《纽约公约》（同属一国），由相互执行安排调整，公约保留不适用。"
        ),
        &main.source,
        main.verified,
    );
    a.reciprocity = Condition {
        status: ConditionStatus::NotApplicable,
        statement: no_nyc.clone(),
    };
    a.commercial_reservation = Condition {
        status: ConditionStatus::NotApplicable,
        statement: no_nyc.clone(),
    };
    a.basis.push(no_nyc);

    match main.effective().reached(d) {
        Some(true) => {
            a.coverage = Coverage::Covered;
            a.basis.push(in_force(&main, d));
        }
        Some(false) if main.id == "cn_hk_awards_1999" && d >= ymd(1997, 7, 1) => {
            a.coverage = Coverage::Uncertain;
            a.basis.push(Statement::new(
                "cn_hk_arrangement_retroactive",
                "Before 2000-02-01 there was no instrument in force; the Arrangement is reported to govern applications made from 1997-07-01.",
                "2000年2月1日前并无生效文件；据报道《安排》适用于1997年7月1日以后提出的申请。",
                &main.source,
                main.verified,
            ));
        }
        Some(false) => {
            a.regime = Regime::None;
            a.coverage = Coverage::NotCovered;
            a.basis.push(Statement::new(
                "arrangement_not_yet_in_force",
                &format!("{} took effect on {}, after {d}; no other instrument for this date is in the data.", main.instrument, main.effective),
                &format!("{} 于 {} 生效，晚于 {d}；数据中没有适用于该日期的其他文件。", main.instrument_zh, main.effective),
                &main.source,
                main.verified,
            ));
            a.notes.push(Statement::new(
                "earlier_position_not_modelled",
                "The position before the arrangement took effect is not modelled (e.g. Hong Kong applied the Convention through the United Kingdom before 1997-07-01).",
                "安排生效前的情形未建模（例如1997年7月1日前香港经由英国适用《纽约公约》）。",
                "data/jurisdiction/new_york_convention.csv (HK row notes)",
                false,
            ));
            a.arrangements.push(main);
            return;
        }
        None => {
            a.coverage = Coverage::Uncertain;
            a.basis.push(missing(main_id));
        }
    }
    let (main_source, main_verified) = (main.source.clone(), main.verified);
    a.arrangements.push(main);
    if regime == Regime::MainlandHongKongArrangement {
        hong_kong_extras(ds, a);
    }
    if regime == Regime::MainlandMacaoArrangement {
        a.notes.push(Statement::new(
            "cn_mo_awards_after_1999_12_20",
            "The Mainland–Macao Arrangement applies to awards made after 1999-12-20: check the award date.",
            "内地与澳门《安排》适用于1999年12月20日以后作出的裁决：请核对裁决日期。",
            &main_source,
            main_verified,
        ));
    }
    let (docs, grounds) = match (regime, e.as_str()) {
        (Regime::MainlandHongKongArrangement, "HK") => {
            ("mainland_award_in_hong_kong", "mainland_award_in_hong_kong")
        }
        (Regime::MainlandHongKongArrangement, _) => {
            ("hong_kong_award_in_mainland", "hong_kong_award_in_mainland")
        }
        _ => (regime_code, regime_code),
    };
    a.documents = rules(ds, docs, "document");
    a.refusal_grounds = rules(ds, grounds, "refusal_ground");
    enforcement_facts(ds, a, regime_code);
    if e == "CN" {
        // The CN court fact is sourced for foreign awards; for SAR awards it is not confirmed.
        a.competent_court.verified = false;
        a.competent_court.fact =
            "CN.competent_court (sourced for foreign awards; for SAR awards unverified)".into();
    }
}

/// Supplemental Arrangement articles in force on the date, and the interim-measures arrangement.
fn hong_kong_extras(ds: &Dataset, a: &mut AwardAssessment) {
    let d = a.date;
    for id in [
        "cn_hk_awards_2020_arts_1_4",
        "cn_hk_awards_2020_arts_2_3",
        "cn_hk_interim_2019",
    ] {
        let Some(row) = ds.arrangement(id) else {
            a.basis.push(missing(id));
            continue;
        };
        if row.effective().reached(d) == Some(true) {
            a.arrangements.push(row.clone());
        } else if id == "cn_hk_awards_2020_arts_2_3" {
            a.notes.push(Statement::new(
                "cn_hk_scope_before_2021_05_19",
                "Before 2021-05-19 the seat-based scope of Art. 2 of the Supplemental Arrangement was not in effect: ad hoc Hong Kong awards and Mainland-seated awards of non-Mainland institutions may fall outside the 1999 Arrangement.",
                "2021年5月19日前《补充安排》第二条（以仲裁地为准）尚未生效：香港临时仲裁裁决及境外机构在内地作出的裁决可能不在1999年《安排》范围内。",
                &row.source,
                false,
            ));
        }
    }
    if a.seat == "HK" && a.enforcing_state == "CN" {
        let institution = a.institution.clone().unwrap_or_else(|| "(ad hoc)".into());
        a.notes.push(Statement::new(
            "cn_hk_interim_measures_institution",
            &format!("Interim measures from Mainland courts in aid of Hong Kong arbitration are available only for institutions on the qualified list; the list is not in the data, so whether {institution} qualifies is not checked."),
            &format!("内地法院协助香港仲裁的保全仅适用于名单内的合资格机构；名单未收录，未核查 {institution} 是否合资格。"),
            ds.arrangement("cn_hk_interim_2019").map_or("", |r| r.source.as_str()),
            false,
        ));
    }
}

fn in_force(r: &Arrangement, d: NaiveDate) -> Statement {
    Statement::new(
        &format!("{}_in_force", r.id),
        &format!(
            "{} has been in effect since {} (on {d}: in force). Scope: {}",
            r.instrument, r.effective, r.scope
        ),
        &format!(
            "{} 自 {} 起生效（{d} 时有效）。",
            r.instrument_zh, r.effective
        ),
        &r.source,
        r.verified,
    )
}

fn missing(id: &str) -> Statement {
    Statement::new(
        &format!("{id}_missing"),
        &format!("Arrangement {id} or its effective date is missing from the data."),
        &format!("数据缺少安排 {id} 或其生效日期。"),
        "data/jurisdiction/arrangements.csv",
        false,
    )
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}
