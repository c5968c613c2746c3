//! The screens on small fictional cases (demo names): one test per rule set's nationality rule,
//! one per conflict code, and the disclosure.

use serde_json::json;

use super::*;

/// A claimant from China, a respondent from Thailand (with an affiliate), counsel on both sides.
fn base() -> serde_json::Value {
    json!({
        "date": "2026-06-01",
        "rules": "ICC-2021",
        "role": "sole",
        "arbitrator": {"id": "arb-1", "name": "Demo Arbitrator", "nationalities": ["SG"], "firm": "Demo Chambers", "former_firms": []},
        "parties": [
            {"id": "cq-motors", "side": "claimant", "nationalities": ["CN"], "affiliates": ["cq-motors-hk"]},
            {"id": "bkk-trading", "side": "respondent", "nationalities": ["TH"], "affiliates": ["bkk-holding"]}
        ],
        "counsel": [{"firm": "Demo Law LLP", "side": "claimant"}, {"firm": "Siam Demo & Partners", "side": "respondent"}],
        "appointments": []
    })
}

fn run(v: serde_json::Value) -> ScreenAnswer {
    let input: ScreenInput = serde_json::from_value(v).unwrap();
    screen(&input).unwrap()
}

fn with(mut v: serde_json::Value, path: &[&str], value: serde_json::Value) -> serde_json::Value {
    let mut at = &mut v;
    for p in path {
        at = match p.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*p],
        };
    }
    *at = value;
    v
}

fn codes(a: &ScreenAnswer) -> Vec<&'static str> {
    a.findings.iter().map(|f| f.code).collect()
}

#[test]
fn a_neutral_candidate_with_no_history_is_clear() {
    let a = run(base());
    assert_eq!(a.neutrality.verdict, Verdict::Ok);
    assert!(a.findings.is_empty());
    assert_eq!(a.disclosure.status, "draft");
    assert!(a.disclosure.en.contains("not aware of any circumstance"));
    assert!(a.disclosure.zh.contains("不知悉任何须披露的情况"));
}

#[test]
fn icc_2021_a_dual_national_sharing_one_nationality_needs_no_objection() {
    let a = run(with(
        base(),
        &["arbitrator", "nationalities"],
        json!(["SG", "TH"]),
    ));
    assert_eq!(a.neutrality.verdict, Verdict::NeedsAgreement);
    assert_eq!(a.neutrality.shared.len(), 1);
    assert_eq!(a.neutrality.shared[0].party, "bkk-trading");
    assert_eq!(a.neutrality.shared[0].basis, "incorporation");
    assert_eq!(a.neutrality.agreement_from, ["cq-motors", "bkk-trading"]);
    assert!(!a.neutrality.verified, "ICC 13(5) is [K] in the data");
    assert!(a.disclosure.en.contains("Nationality"));
    // A co-arbitrator is not concerned.
    let a = run(with(
        with(base(), &["arbitrator", "nationalities"], json!(["TH"])),
        &["role"],
        json!("co_arbitrator"),
    ));
    assert_eq!(a.neutrality.verdict, Verdict::Ok);
    assert!(!a.neutrality.applies);
}

#[test]
fn a_company_counts_as_a_national_of_the_state_it_is_controlled_from_when_given() {
    let v = with(base(), &["parties", "1", "controlled_from"], json!(["SG"]));
    let a = run(v);
    assert_eq!(a.neutrality.verdict, Verdict::NeedsAgreement);
    assert_eq!(a.neutrality.shared[0].basis, "control");
    let v = with(
        with(base(), &["parties", "0", "kind"], json!("individual")),
        &["arbitrator", "nationalities"],
        json!(["CN"]),
    );
    assert_eq!(run(v).neutrality.shared[0].basis, "nationality");
}

#[test]
fn hkiac_2024_bars_only_where_the_parties_differ() {
    let v = with(
        with(base(), &["rules"], json!("HKIAC-2024")),
        &["arbitrator", "nationalities"],
        json!(["CN"]),
    );
    assert_eq!(run(v.clone()).neutrality.verdict, Verdict::NeedsAgreement);
    // Both parties Chinese: the bar does not apply.
    let v = with(v, &["parties", "1", "nationalities"], json!(["CN"]));
    assert_eq!(run(v).neutrality.verdict, Verdict::Ok);
}

#[test]
fn lcia_2020_needs_the_agreement_of_the_parties_not_sharing_the_nationality() {
    let v = with(
        with(base(), &["rules"], json!("LCIA-2020")),
        &["arbitrator", "nationalities"],
        json!(["CN"]),
    );
    let a = run(v);
    assert_eq!(a.neutrality.verdict, Verdict::NeedsAgreement);
    assert_eq!(a.neutrality.agreement_from, ["bkk-trading"]);
}

#[test]
fn uncitral_2013_and_others_only_advise() {
    for rules in [
        "UNCITRAL-2013",
        "UNCITRAL-2021-Expedited",
        "SIAC-2025",
        "CIETAC-2024",
        "CQAC",
    ] {
        let v = with(
            with(base(), &["rules"], json!(rules)),
            &["arbitrator", "nationalities"],
            json!(["CN"]),
        );
        let a = run(v);
        assert_eq!(a.neutrality.verdict, Verdict::Advisory, "{rules}");
        assert!(!a.neutrality.binding, "{rules}");
    }
    let v = with(base(), &["rules"], json!("UNCITRAL-2013"));
    let a = run(v);
    assert_eq!(a.neutrality.verdict, Verdict::Ok);
    assert!(a.neutrality.verified);
}

#[test]
fn same_firm_as_counsel_is_waivable_red() {
    let a = run(with(
        base(),
        &["arbitrator", "firm"],
        json!("  demo law   llp. "),
    ));
    assert_eq!(codes(&a), ["same_firm_as_counsel"]);
    assert_eq!(a.findings[0].list, List::WaivableRed);
    assert_eq!(a.summary.waivable_red, 1);
    assert!(a.disclosure.en.contains("expressly agree"));
    assert!(a.disclosure.zh.contains("明确同意"));
}

#[test]
fn former_firm_of_counsel_counts_within_three_years_only() {
    let v = with(
        base(),
        &["arbitrator", "former_firms"],
        json!([
            {"firm": "Siam Demo & Partners", "until": "2023-06-01"},
            {"firm": "Demo Law LLP", "until": "2023-05-31"}
        ]),
    );
    let a = run(v);
    assert_eq!(
        codes(&a),
        ["former_firm_of_counsel"],
        "2023-06-01 is within three years of 2026-06-01; 2023-05-31 is not"
    );
    assert_eq!(a.findings[0].list, List::Orange);
    assert_eq!(
        a.findings[0].counsel_firm.as_deref(),
        Some("Siam Demo & Partners")
    );
}

#[test]
fn two_appointments_by_a_party_or_its_affiliates_within_three_years_are_orange() {
    let v = with(
        base(),
        &["appointments"],
        json!([
            {"arbitrator": "arb-1", "date": "2024-01-10", "appointed_by": "bkk-holding", "counsel_firm": "Other LLP"},
            {"arbitrator": "arb-1", "date": "2025-02-10", "appointed_by": "bkk-trading"},
            {"arbitrator": "arb-1", "date": "2022-02-10", "appointed_by": "bkk-trading"},
            {"arbitrator": "arb-2", "date": "2025-02-10", "appointed_by": "bkk-trading"}
        ]),
    );
    let a = run(v.clone());
    assert_eq!(codes(&a), ["repeat_party_appointments"]);
    assert_eq!(a.findings[0].count, Some(2));
    assert_eq!(a.findings[0].party.as_deref(), Some("bkk-trading"));
    assert_eq!(a.summary.appointments_checked, 2);
    // One within the window is not enough.
    let v = with(v, &["appointments", "0", "date"], json!("2020-01-10"));
    assert!(run(v).findings.is_empty());
}

#[test]
fn more_than_three_appointments_with_the_same_counsel_firm_are_orange() {
    let appt = |d: &str, by: &str| json!({"arbitrator": "arb-1", "date": d, "appointed_by": by, "counsel_firm": "DEMO LAW LLP"});
    let four = json!([
        appt("2024-01-01", "a"),
        appt("2024-06-01", "b"),
        appt("2025-01-01", "c"),
        appt("2026-01-01", "d")
    ]);
    let a = run(with(base(), &["appointments"], four));
    assert_eq!(codes(&a), ["repeat_counsel_appointments"]);
    assert_eq!(a.findings[0].count, Some(4));
    let three = json!([
        appt("2024-01-01", "a"),
        appt("2024-06-01", "b"),
        appt("2025-01-01", "c")
    ]);
    assert!(
        run(with(base(), &["appointments"], three))
            .findings
            .is_empty(),
        "three is not more than three"
    );
}

#[test]
fn a_candidate_who_is_a_party_affiliate_is_non_waivable_red() {
    let a = run(with(base(), &["arbitrator", "id"], json!("cq-motors-hk")));
    assert_eq!(codes(&a), ["arbitrator_is_party"]);
    assert_eq!(a.findings[0].list, List::NonWaivableRed);
    assert!(a.disclosure.en.contains("must decline"));
}

#[test]
fn the_roster_ranks_clear_candidates_first_and_excludes_parties() {
    let input: ScreenInput = serde_json::from_value(base()).unwrap();
    let case = Case::parse(&input).unwrap();
    let cand = |id: &str, nat: &str, firm: &str| Candidate {
        id: id.into(),
        name: None,
        nationalities: vec![nat.into()],
        firm: Some(firm.into()),
        former_firms: vec![],
    };
    let roster = [
        cand("cq-motors", "SG", "x"),
        cand("same-firm", "SG", "Demo Law LLP"),
        cand("thai", "TH", "y"),
        cand("clear", "MY", "z"),
    ];
    let ranked = rank(&case, &roster, &AppointmentIndex::new());
    let order: Vec<&str> = ranked
        .iter()
        .map(|r| roster[r.candidate].id.as_str())
        .collect();
    assert_eq!(order, ["clear", "thai", "same-firm", "cq-motors"]);
    assert!(ranked[3].excluded);
}

#[test]
fn the_lean_verdict_agrees_with_the_full_neutrality_check() {
    let mut n = 0;
    for rules in [
        "ICC-2021",
        "HKIAC-2024",
        "LCIA-2020",
        "UNCITRAL-2013",
        "SIAC-2025",
        "CQAC",
    ] {
        for role in ["sole", "presiding", "co_arbitrator"] {
            for nats in [
                json!(["SG"]),
                json!(["CN"]),
                json!(["TH", "SG"]),
                json!(["MY", "CN"]),
            ] {
                for respondent in [json!(["TH"]), json!(["CN"])] {
                    let v = with(base(), &["rules"], json!(rules));
                    let v = with(
                        with(v, &["role"], json!(role)),
                        &["arbitrator", "nationalities"],
                        nats.clone(),
                    );
                    let v = with(v, &["parties", "1", "nationalities"], respondent);
                    let input: ScreenInput = serde_json::from_value(v).unwrap();
                    let case = Case::parse(&input).unwrap();
                    let cand = Candidate::parse(&input.arbitrator).unwrap();
                    let full = nationality::neutrality(
                        &case.rules,
                        case.role,
                        &cand.nationalities,
                        &case.parties,
                    );
                    let lean = nationality::verdict(
                        &case.rules,
                        case.role,
                        &cand.nationalities,
                        &case.parties,
                    );
                    assert_eq!(full.verdict, lean, "{rules} {role} {nats}");
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 144);
}

#[test]
fn bad_input_names_the_field() {
    let err = |v: serde_json::Value| {
        screen(&serde_json::from_value(v).unwrap())
            .unwrap_err()
            .to_string()
    };
    assert!(err(with(base(), &["rules"], json!("XYZ-1999"))).starts_with("rules \"XYZ-1999\""));
    assert!(err(with(base(), &["role"], json!("chair"))).starts_with("role"));
    assert!(err(with(base(), &["date"], json!("June 1"))).starts_with("date"));
    assert!(
        err(with(base(), &["parties", "1", "side"], json!("defendant")))
            .starts_with("parties[1].side")
    );
    assert!(
        err(with(
            base(),
            &["parties", "0", "nationalities"],
            json!(["China"])
        ))
        .starts_with("parties[0].nationalities[0]")
    );
    assert!(
        err(with(base(), &["arbitrator", "nationalities"], json!([])))
            .starts_with("arbitrator.nationalities")
    );
    let bad_appt = json!([{"arbitrator": "arb-1", "date": "2025-13-01", "appointed_by": "x"}]);
    assert!(err(with(base(), &["appointments"], bad_appt)).starts_with("appointments[0].date"));
    let unknown: Result<ScreenInput, _> =
        serde_json::from_value(with(base(), &["colour"], json!("red")));
    assert!(unknown.unwrap_err().to_string().contains("colour"));
}
