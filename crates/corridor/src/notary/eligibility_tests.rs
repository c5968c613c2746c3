//! Every rule and boundary of the pre-check, one scenario each.

use serde_json::{Value, json};

use super::*;

/// A PRC national living in Germany for a year, asking for a certificate of no criminal record
/// for use in the Mainland: eligible.
fn base() -> Value {
    json!({
        "date": "2026-12-04", "nationality": "CN", "mainland_resident": true,
        "residence_country": "DE", "days_resident": 365, "residence_status": "none",
        "matter": "no_criminal_record", "use_in": "CN", "needs_interpreter": false,
        "disposes_property": false
    })
}

fn with(changes: Value) -> Value {
    let mut v = base();
    for (k, x) in changes.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

fn answer(input: Value) -> Answer {
    check(&Application::from_value(&input).expect("valid input"))
}

fn codes(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.code).collect()
}

fn error(input: Value) -> InputError {
    Application::from_value(&input).expect_err("bad input")
}

#[test]
fn a_long_term_resident_national_asking_for_a_permitted_matter_is_eligible() {
    let a = answer(base());
    assert_eq!(a.verdict, Verdict::Eligible);
    assert!(a.reasons.is_empty() && a.conditions.is_empty());
    assert_eq!(
        codes(&a.also_required),
        ["mission_cannot_act", "voluntary", "attend_mission"]
    );
}

#[test]
fn a_foreign_national_is_ineligible_under_prc_national() {
    let a = answer(with(json!({"nationality": "DE"})));
    assert_eq!(a.verdict, Verdict::Ineligible);
    assert_eq!(codes(&a.reasons), ["prc_national"]);
    let r = &a.reasons[0];
    assert!(r.en.contains("PRC national") && r.zh.contains("中国公民"));
    assert!(r.source.starts_with("http") && r.verified);
}

#[test]
fn a_national_who_is_not_a_mainland_resident_is_ineligible() {
    let a = answer(with(json!({"mainland_resident": false})));
    assert_eq!(codes(&a.reasons), ["prc_national"]);
}

#[test]
fn one_hundred_and_eighty_days_are_long_term_and_one_hundred_and_seventy_nine_are_not() {
    let a = answer(with(json!({"days_resident": 180})));
    assert_eq!(a.verdict, Verdict::Eligible);
    let a = answer(with(json!({"days_resident": 179})));
    assert_eq!(a.verdict, Verdict::Ineligible);
    assert_eq!(codes(&a.reasons), ["long_term_resident"]);
    let a = answer(with(json!({"days_resident": 0})));
    assert_eq!(codes(&a.reasons), ["long_term_resident"]);
}

#[test]
fn every_card_or_visa_makes_a_long_term_resident_whatever_the_days() {
    for status in ["long_term", "permanent", "work_visa", "study_visa"] {
        let a = answer(with(
            json!({"days_resident": 3, "residence_status": status}),
        ));
        assert_eq!(a.verdict, Verdict::Eligible, "{status}");
    }
    let a = answer(with(
        json!({"days_resident": 3, "residence_status": "none"}),
    ));
    assert_eq!(codes(&a.reasons), ["long_term_resident"]);
}

#[test]
fn someone_living_in_the_mainland_is_not_a_resident_abroad() {
    let a = answer(with(
        json!({"residence_country": "CN", "residence_status": "permanent"}),
    ));
    assert_eq!(codes(&a.reasons), ["long_term_resident"]);
}

#[test]
fn a_certificate_for_use_outside_the_mainland_is_ineligible() {
    for place in ["HK", "DE", "VN"] {
        let a = answer(with(json!({"use_in": place})));
        assert_eq!(codes(&a.reasons), ["use_in_china"], "{place}");
    }
}

#[test]
fn every_permitted_matter_type_is_eligible_and_any_other_matter_is_an_answer() {
    for m in &Rules::get().matter_types {
        let a = answer(with(json!({"matter": m.id})));
        assert_eq!(a.verdict, Verdict::Eligible, "{}", m.id);
    }
    for other in ["will", "fingerprint", "", "BIRTH"] {
        let a = answer(with(json!({"matter": other})));
        assert_eq!(a.verdict, Verdict::Ineligible, "{other}");
        assert_eq!(codes(&a.reasons), ["matter_type"]);
        assert!(a.reasons[0].zh.contains("事项"));
    }
}

#[test]
fn needing_an_interpreter_is_ineligible() {
    let a = answer(with(json!({"needs_interpreter": true})));
    assert_eq!(codes(&a.reasons), ["no_interpreter"]);
}

#[test]
fn a_declaration_disposing_of_property_is_eligible_with_a_paper_original() {
    let a = answer(with(
        json!({"matter": "declaration", "disposes_property": true}),
    ));
    assert_eq!(a.verdict, Verdict::EligibleWithConditions);
    assert_eq!(codes(&a.conditions), ["property_disposal_paper_original"]);
    assert!(a.conditions[0].zh.contains("手写纸质原件"));
    let a = answer(with(
        json!({"matter": "declaration", "disposes_property": false}),
    ));
    assert_eq!(a.verdict, Verdict::Eligible);
    // The sourced rule names declarations only.
    let a = answer(with(
        json!({"matter": "entrustment", "disposes_property": true}),
    ));
    assert_eq!(a.verdict, Verdict::Eligible);
}

#[test]
fn conditions_are_kept_beside_reasons_when_ineligible() {
    let a = answer(with(
        json!({"matter": "declaration", "disposes_property": true, "needs_interpreter": true}),
    ));
    assert_eq!(a.verdict, Verdict::Ineligible);
    assert_eq!(codes(&a.conditions), ["property_disposal_paper_original"]);
}

#[test]
fn every_failed_rule_is_a_reason_in_the_data_files_order() {
    let a = answer(json!({
        "date": "2026-12-04", "nationality": "US", "mainland_resident": false,
        "residence_country": "US", "days_resident": 10, "residence_status": "none",
        "matter": "will", "use_in": "US", "needs_interpreter": true, "disposes_property": false
    }));
    assert_eq!(
        codes(&a.reasons),
        [
            "prc_national",
            "long_term_resident",
            "use_in_china",
            "matter_type",
            "no_interpreter"
        ]
    );
}

#[test]
fn a_date_before_the_pilot_notice_is_ineligible_and_the_day_itself_is_not() {
    let from = Rules::get().in_force_from.format("%Y-%m-%d").to_string();
    assert_eq!(from, "2022-05-05");
    let a = answer(with(json!({"date": "2022-05-04"})));
    assert_eq!(codes(&a.reasons), ["pilot_in_force"]);
    assert!(!a.reasons[0].verified, "the start day is our reading");
    assert_eq!(
        answer(with(json!({"date": from}))).verdict,
        Verdict::Eligible
    );
}

#[test]
fn country_codes_are_read_in_either_case() {
    let a = answer(with(json!({"nationality": "cn", "use_in": "cn"})));
    assert_eq!(a.verdict, Verdict::Eligible);
}

#[test]
fn the_answer_serializes_with_the_contract_names() {
    let a = answer(with(json!({"nationality": "DE"})));
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["verdict"], "ineligible");
    assert_eq!(v["reasons"][0]["code"], "prc_national");
    assert!(v["reasons"][0]["zh"].is_string() && v["reasons"][0]["source"].is_string());
    assert_eq!(v["conditions"], json!([]));
    let v = serde_json::to_value(answer(with(
        json!({"matter": "declaration", "disposes_property": true}),
    )))
    .unwrap();
    assert_eq!(v["verdict"], "eligible_with_conditions");
}

#[test]
fn a_missing_field_is_named() {
    for field in FIELDS {
        let mut v = base();
        v.as_object_mut().unwrap().remove(field);
        let e = error(v);
        assert_eq!((e.field.as_str(), e.reason), (field, "required"));
        let e = error(with(json!({ field: null })));
        assert_eq!(e.field, field);
    }
}

#[test]
fn malformed_values_are_named_with_their_reason() {
    let cases = [
        (json!({"date": "2026-13-01"}), "date", "date"),
        (json!({"date": "4 Dec 2026"}), "date", "date"),
        (json!({"date": "2026-12-4"}), "date", "date"),
        (
            json!({"residence_status": "tourist"}),
            "residence_status",
            "unknown_value",
        ),
        (
            json!({"residence_status": "LONG_TERM"}),
            "residence_status",
            "unknown_value",
        ),
        (
            json!({"days_resident": -1}),
            "days_resident",
            "out_of_range",
        ),
        (
            json!({"days_resident": 1.5}),
            "days_resident",
            "out_of_range",
        ),
        (
            json!({"days_resident": "200"}),
            "days_resident",
            "out_of_range",
        ),
        (json!({"nationality": "CHN"}), "nationality", "country_code"),
        (
            json!({"residence_country": "QQ"}),
            "residence_country",
            "unknown_country",
        ),
        (json!({"use_in": 86}), "use_in", "country_code"),
        (
            json!({"mainland_resident": "yes"}),
            "mainland_resident",
            "yes_no",
        ),
        (
            json!({"needs_interpreter": 0}),
            "needs_interpreter",
            "yes_no",
        ),
        (
            json!({"disposes_property": "false"}),
            "disposes_property",
            "yes_no",
        ),
        (json!({"matter": 7}), "matter", "text"),
        (
            json!({"residence_statis": "none"}),
            "residence_statis",
            "unknown_field",
        ),
    ];
    for (change, field, reason) in cases {
        let e = error(with(change.clone()));
        assert_eq!((e.field.as_str(), e.reason), (field, reason), "{change}");
        assert!(e.message_en().starts_with(field));
    }
}

#[test]
fn text_that_is_not_a_json_object_is_an_input_error() {
    for text in ["", "{", "[]", "\"x\"", "null"] {
        let e = Application::from_json(text).expect_err(text);
        assert_eq!(
            (e.field.as_str(), e.reason),
            ("input", "not_json"),
            "{text}"
        );
    }
    assert!(Application::from_json(&base().to_string()).is_ok());
}
