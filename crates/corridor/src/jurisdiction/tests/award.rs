//! Awards: New York Convention, arrangements, reservations, dates.

use super::*;

#[test]
fn a_cn_seated_award_in_viet_nam_goes_under_the_new_york_convention_with_reservations_checked() {
    let a = award("CN", "VN", true, day(2026, 11, 30));
    assert_eq!(a.regime, Regime::NewYorkConvention);
    assert_eq!(a.coverage, Coverage::Covered);
    assert_eq!(a.reciprocity.status, ConditionStatus::Met);
    assert_eq!(a.commercial_reservation.status, ConditionStatus::Met);
    assert_eq!(a.convention_status.len(), 2);
    assert!(
        a.convention_status
            .iter()
            .all(|s| s.status == ConventionStatus::InForce)
    );
    assert_eq!(
        codes(&a.documents),
        ["nyc_iv_1_a", "nyc_iv_1_b", "nyc_iv_2"]
    );
    assert_eq!(a.refusal_grounds.len(), 7);
    assert_eq!(a.translation_languages.value[0].bcp47, "vi");
    assert!(a.time_limit.verified && a.time_limit.value.contains("3 years"));
    // The court detail for Viet Nam is unverified and must be named.
    assert!(!a.competent_court.verified);
    assert!(a.warnings.iter().any(|w| w.fact == "VN.competent_court"));
    assert!(a.treaty.as_ref().is_some_and(|t| t.counterpart == "VN"));
}

#[test]
fn a_non_commercial_dispute_fails_viet_nams_commercial_reservation() {
    let a = award("CN", "VN", false, day(2026, 11, 30));
    assert_eq!(a.commercial_reservation.status, ConditionStatus::NotMet);
    assert_eq!(a.coverage, Coverage::NotCovered);
}

#[test]
fn an_award_from_a_non_convention_seat_is_not_covered_where_reciprocity_was_reserved() {
    // Taiwan is not a Contracting State; Indonesia made the reciprocity reservation.
    let a = award("TW", "ID", true, day(2026, 11, 30));
    assert_eq!(a.reciprocity.status, ConditionStatus::NotMet);
    assert_eq!(a.coverage, Coverage::NotCovered);
    // Not the Convention's award: no instrument covers it, as for a State not bound at all.
    assert_eq!(a.regime, Regime::None);
    assert!(a.warnings.iter().any(|w| w.code == "dataset_incomplete"));
}

#[test]
fn a_seat_party_to_no_instrument_answers_none_whichever_side_is_not_bound() {
    // Eritrea is not a Contracting State (the data lists no entry into force for it), and China
    // made the reciprocity reservation: the Convention does not reach the award.
    let a = award("ER", "CN", true, day(2026, 11, 30));
    assert_eq!(a.regime, Regime::None);
    assert_eq!(a.coverage, Coverage::NotCovered);
    // Timor-Leste before it was bound (2023): the enforcing side is not bound.
    let b = award("CN", "TL", true, day(2022, 1, 1));
    assert_eq!(b.regime, Regime::None);
    assert_eq!(b.coverage, Coverage::NotCovered);
}

#[test]
fn the_same_award_is_covered_where_no_reciprocity_reservation_was_made() {
    let a = award("TW", "TH", true, day(2026, 11, 30));
    assert_eq!(a.reciprocity.status, ConditionStatus::NotApplicable);
    assert_eq!(a.coverage, Coverage::Covered);
}

#[test]
fn an_unverified_reservation_makes_the_answer_uncertain_and_is_named() {
    // Lao PDR's reservations are unverified and Taiwan is not a Contracting State.
    let a = award("TW", "LA", false, day(2026, 11, 30));
    assert_eq!(a.reciprocity.status, ConditionStatus::Unknown);
    assert_eq!(a.coverage, Coverage::Uncertain);
    assert!(
        a.warnings
            .iter()
            .any(|w| w.fact == "reciprocity_reservation_unverified")
    );
}

#[test]
fn a_hong_kong_award_in_the_mainland_goes_under_the_arrangement_not_the_convention() {
    let a = award("HK", "CN", true, day(2026, 11, 30));
    assert_eq!(a.regime, Regime::MainlandHongKongArrangement);
    assert_eq!(a.coverage, Coverage::Covered);
    assert!(a.convention_status.is_empty());
    assert_eq!(a.reciprocity.status, ConditionStatus::NotApplicable);
    let ids: Vec<&str> = a.arrangements.iter().map(|r| r.id.as_str()).collect();
    assert!(ids.contains(&"cn_hk_awards_1999"), "{ids:?}");
    assert!(ids.contains(&"cn_hk_awards_2020_arts_2_3"), "{ids:?}");
    assert!(!codes(&a.documents).contains(&"nyc_iv_1_a"));
    assert!(codes(&a.special_procedures).contains(&"cn_prior_report_sar_awards"));
}

#[test]
fn a_mainland_award_in_hong_kong_uses_the_arbitration_ordinance_grounds() {
    let a = award("CN", "HK", false, day(2026, 11, 30));
    assert_eq!(a.regime, Regime::MainlandHongKongArrangement);
    assert_eq!(a.refusal_grounds.len(), 8);
    assert!(a.refusal_grounds.iter().all(|g| g.verified));
    assert!(codes(&a.documents).contains(&"hk_cap609_s94_c"));
}

#[test]
fn before_2021_05_19_the_seat_based_scope_was_not_yet_in_effect() {
    let a = award("HK", "CN", true, day(2021, 5, 18));
    let ids: Vec<&str> = a.arrangements.iter().map(|r| r.id.as_str()).collect();
    assert!(!ids.contains(&"cn_hk_awards_2020_arts_2_3"));
    assert!(codes(&a.notes).contains(&"cn_hk_scope_before_2021_05_19"));
}

#[test]
fn a_macao_award_in_the_mainland_before_2008_has_no_instrument_in_the_data() {
    let a = award("MO", "CN", true, day(2007, 12, 31));
    assert_eq!(a.regime, Regime::None);
    assert_eq!(a.coverage, Coverage::NotCovered);
    let b = award("MO", "CN", true, day(2008, 1, 1));
    assert_eq!(b.regime, Regime::MainlandMacaoArrangement);
    assert_eq!(b.coverage, Coverage::Covered);
}

#[test]
fn the_convention_counts_from_entry_into_force_not_deposit() {
    // Timor-Leste: deposit 2023-01-17, entry into force 2023-04-17.
    let before = award("SG", "TL", true, day(2023, 2, 1));
    assert_eq!(
        before.convention_status[1].status,
        ConventionStatus::NotYetInForce
    );
    assert_eq!(before.regime, Regime::None);
    let after = award("SG", "TL", true, day(2023, 4, 17));
    assert_eq!(after.convention_status[1].status, ConventionStatus::InForce);
    assert_eq!(after.regime, Regime::NewYorkConvention);
}

#[test]
fn a_mainland_court_refusal_goes_through_the_prior_report_system() {
    let a = award("SG", "CN", true, day(2026, 11, 30));
    assert_eq!(a.regime, Regime::NewYorkConvention);
    assert!(codes(&a.special_procedures).contains(&"cn_prior_report"));
    assert!(a.competent_court.verified);
    assert!(!a.time_limit.verified);
    assert!(a.warnings.iter().any(|w| w.fact == "CN.time_limit"));
}

#[test]
fn every_unverified_statement_in_an_award_answer_is_named_in_warnings() {
    for (s, e) in [
        ("CN", "VN"),
        ("HK", "CN"),
        ("CN", "MM"),
        ("TW", "LA"),
        ("MO", "CN"),
    ] {
        let a = award(s, e, true, day(2026, 11, 30));
        let named: Vec<&str> = a.warnings.iter().map(|w| w.fact.as_str()).collect();
        let all = a
            .basis
            .iter()
            .chain(&a.documents)
            .chain(&a.refusal_grounds)
            .chain(&a.special_procedures)
            .chain(&a.notes);
        for st in all.filter(|st| !st.verified) {
            assert!(
                named.contains(&st.code.as_str()),
                "{s}->{e}: {} not in warnings",
                st.code
            );
        }
    }
}

#[test]
fn a_mainland_award_in_a_trade_partner_uses_the_partner_profile() {
    let a = award("CN", "US", true, day(2026, 11, 30));
    assert!(!codes(&a.notes).contains(&"no_enforcement_profile"));
    assert!(a.time_limit.verified, "{:?}", a.time_limit.value);
    assert!(a.time_limit.value.contains("3 years"));
    assert!(a.time_limit.source.contains("207"));
    assert!(codes(&a.pitfalls).contains(&"us_limit_3_years"));

    let a = award("CN", "DE", true, day(2026, 11, 30));
    assert!(a.competent_court.verified);
    assert!(a.competent_court.value.contains("Oberlandesgericht"));
    // An unconfirmed fact stays unconfirmed in the answer.
    assert!(!a.time_limit.verified);
}
