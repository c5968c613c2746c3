//! Document routes and judgments; errors and JSON shape.

use super::*;

#[test]
fn a_cn_document_for_indonesia_needs_an_apostille_after_indonesia_joined_and_legalization_before() {
    let after = route("CN", "ID", day(2024, 1, 1));
    assert_eq!(after.route, RouteKind::Apostille);
    assert!(
        codes(
            &after
                .steps
                .iter()
                .map(|s| s.statement.clone())
                .collect::<Vec<_>>()
        )
        .contains(&"cn_apostille_authority")
    );
    // Indonesia in force 2022-06-04, China 2023-11-07: the later one decides.
    assert_eq!(
        route("CN", "ID", day(2023, 11, 6)).route,
        RouteKind::ConsularLegalization
    );
    assert_eq!(
        route("CN", "ID", day(2023, 11, 7)).route,
        RouteKind::Apostille
    );
    assert_eq!(
        route("ID", "CN", day(2022, 6, 3)).route,
        RouteKind::ConsularLegalization
    );
}

#[test]
fn viet_nam_joins_the_apostille_system_on_2026_09_11_with_an_unknown_objector_flagged() {
    assert_eq!(
        route("CN", "VN", day(2026, 9, 10)).route,
        RouteKind::ConsularLegalization
    );
    let r = route("CN", "VN", day(2026, 9, 11));
    assert_eq!(r.route, RouteKind::Apostille);
    assert_eq!(r.certainty, Certainty::Uncertain);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.fact == "apostille_unknown_objectors_VN")
    );
}

#[test]
fn indias_objection_keeps_china_and_india_on_legalization() {
    for (a, b) in [("CN", "IN"), ("IN", "CN")] {
        let r = route(a, b, day(2026, 11, 30));
        assert_eq!(r.route, RouteKind::ConsularLegalization, "{a}->{b}");
        assert_eq!(r.basis[0].code, "apostille_objection_in_force");
        assert_eq!(r.objections.len(), 1);
    }
}

#[test]
fn an_objection_whose_withdrawal_is_not_captured_leads_to_legalization_with_a_warning() {
    let r = route("DE", "PH", day(2026, 11, 30));
    assert_eq!(r.route, RouteKind::ConsularLegalization);
    assert_eq!(r.basis[0].code, "apostille_objection_status_unknown");
    assert_eq!(r.certainty, Certainty::Uncertain);
    // Albania's objectors withdrew by 2018: the Convention applies again.
    assert_eq!(
        route("DE", "AL", day(2020, 1, 1)).route,
        RouteKind::Apostille
    );
}

#[test]
fn hong_kong_documents_for_the_mainland_use_attesting_officers_not_apostilles() {
    let r = route("HK", "CN", day(2026, 11, 30));
    assert_eq!(r.route, RouteKind::ChinaAppointedAttestingOfficer);
    assert_eq!(r.steps.len(), 2);
    assert_eq!(r.certainty, Certainty::Confirmed);
    // The other direction is not that route, and the data does not give it.
    let back = route("CN", "HK", day(2026, 11, 30));
    assert_eq!(back.route, RouteKind::Undetermined);
    assert_eq!(back.certainty, Certainty::Uncertain);
}

#[test]
fn a_non_party_destination_means_consular_legalization_through_its_embassy() {
    let r = route("CN", "MY", day(2026, 11, 30));
    assert_eq!(r.route, RouteKind::ConsularLegalization);
    assert_eq!(r.steps.len(), 3);
    assert_eq!(
        r.steps[2].statement.code,
        "destination_consular_legalization"
    );
}

#[test]
fn unknown_or_malformed_country_codes_are_typed_errors() {
    let q = |seat: &str| AwardQuery {
        seat: seat.into(),
        institution: None,
        enforcing_state: "VN".into(),
        commercial: true,
        date: day(2026, 1, 1),
    };
    assert_eq!(
        award_enforceability(q("ZZ")).err(),
        Some(Error::UnknownCountry("ZZ".into()))
    );
    assert_eq!(
        award_enforceability(q("CHN")).err().map(|e| e.code()),
        Some("invalid_code")
    );
    assert_eq!(
        award_enforceability(q("é")).err().map(|e| e.code()),
        Some("invalid_code")
    );
    let d = DocumentQuery {
        issuing_state: "CN".into(),
        destination_state: "XX".into(),
        date: day(2026, 1, 1),
    };
    assert!(matches!(document_route(d), Err(Error::UnknownCountry(_))));
    let j = JudgmentQuery {
        rendering_state: "".into(),
        enforcing_state: "CN".into(),
        date: day(2026, 1, 1),
    };
    assert!(matches!(
        judgment_enforceability(j),
        Err(Error::InvalidCode(_))
    ));
    // Lower case is accepted and normalised.
    assert_eq!(award("cn", "vn", true, day(2026, 1, 1)).seat, "CN");
}

#[test]
fn a_treaty_covering_judgments_is_the_basis_between_china_and_viet_nam() {
    let j = judgment("CN", "VN", day(2026, 11, 30));
    assert_eq!(j.regime, Regime::BilateralTreaty);
    assert_eq!(j.coverage, Coverage::Covered);
    assert!(j.warnings.iter().any(|w| w.fact == "bilateral_treaties.VN"));
}

#[test]
fn without_a_treaty_on_judgments_reciprocity_is_flagged_as_needing_a_source() {
    for other in ["SG", "TH", "MY"] {
        let j = judgment(other, "CN", day(2026, 11, 30));
        assert_eq!(j.regime, Regime::Reciprocity, "{other}");
        assert_eq!(j.coverage, Coverage::Uncertain);
        assert!(
            j.warnings
                .iter()
                .any(|w| w.fact == "reciprocity_requires_source")
        );
    }
}

#[test]
fn mainland_and_hong_kong_judgments_follow_the_2024_arrangement() {
    assert_eq!(
        judgment("HK", "CN", day(2024, 1, 29)).regime,
        Regime::MainlandHongKongArrangement
    );
    assert_eq!(
        judgment("HK", "CN", day(2024, 1, 28)).regime,
        Regime::Undetermined
    );
}

#[test]
fn answers_serialise_with_snake_case_enums() {
    let a = serde_json::to_value(award("HK", "CN", true, day(2026, 11, 30))).expect("json");
    assert_eq!(a["regime"], "mainland_hong_kong_arrangement");
    assert_eq!(a["reciprocity"]["status"], "not_applicable");
    let r = serde_json::to_value(route("HK", "CN", day(2026, 11, 30))).expect("json");
    assert_eq!(r["route"], "china_appointed_attesting_officer");
    assert!(
        r["steps"][0]["source"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
}
