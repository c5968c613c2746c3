//! The answering commands: jurisdiction (`enforce`, `route`), `notary check` and `plan`,
//! reading input from flags or stdin and answering in words or JSON, exit 2 on bad input.

use super::*;

#[test]
fn enforce_award_answers_in_words_or_json_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &[
            "enforce",
            "award",
            "--seat",
            "CN",
            "--enforce-in",
            "VN",
            "--commercial",
            "yes",
            "--date",
            "2026-11-30",
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let a: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_eq!(a["regime"], "new_york_convention");
    for field in ["steps", "documents", "warnings", "sources"] {
        assert!(a[field].is_array(), "{field}: {out}");
    }
    let (code, out, _) = run(
        dir.path(),
        &[
            "enforce",
            "award",
            "--seat",
            "HK",
            "--enforce-in",
            "CN",
            "--date",
            "2026-11-30",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("hk_arrangement") && out.contains("Yes."),
        "{out}"
    );
    let (code, out, _) = run(
        dir.path(),
        &[
            "enforce",
            "award",
            "--seat",
            "CN",
            "--enforce-in",
            "VN",
            "--lang",
            "zh-CN",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("纽约公约"), "{out}");
    assert!(
        !dir.path().join("corridor-data").exists(),
        "no database is created"
    );
}

#[test]
fn enforce_judgment_and_route_document_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &[
            "enforce",
            "judgment",
            "--court-in",
            "CN",
            "--enforce-in",
            "VN",
            "--date",
            "2026-01-01",
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["regime"], "bilateral_treaty");
    let route = |date: &str| {
        let (code, out, err) = run(
            dir.path(),
            &[
                "route", "document", "--from", "CN", "--to", "ID", "--date", date, "--json",
            ],
            None,
        );
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    // China's Apostille Convention entry into force: 2023-11-07 (data/jurisdiction/apostille.csv).
    let before = route("2023-11-06");
    assert_eq!(before["regime"], "consular_legalization");
    assert_eq!(before["steps"][2]["kind"], "legalization_embassy");
    let on = route("2023-11-07");
    assert_eq!(on["regime"], "apostille");
    assert_eq!(on["steps"][1]["kind"], "apostille");
    let (code, out, _) = run(
        dir.path(),
        &["route", "document", "--from", "HK", "--to", "CN"],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("attesting_officer"), "{out}");
}

#[test]
fn bad_jurisdiction_input_exits_2_naming_what_was_wrong() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (
            &["enforce", "award", "--seat", "XX", "--enforce-in", "VN"][..],
            "--seat",
        ),
        (
            &["enforce", "award", "--seat", "CN", "--enforce-in", "V1"][..],
            "--enforce-in",
        ),
        (
            &[
                "enforce",
                "award",
                "--seat",
                "CN",
                "--enforce-in",
                "VN",
                "--date",
                "1957-12-31",
            ][..],
            "--date",
        ),
        (
            &[
                "enforce",
                "award",
                "--seat",
                "CN",
                "--enforce-in",
                "VN",
                "--date",
                "2101-01-01",
            ][..],
            "--date",
        ),
        (
            &[
                "enforce",
                "judgment",
                "--court-in",
                "CN",
                "--enforce-in",
                "VN",
                "--date",
                "tomorrow",
            ][..],
            "--date",
        ),
        (
            &["route", "document", "--from", "CN", "--to", "QQ", "--json"][..],
            "--to",
        ),
        (
            &[
                "enforce",
                "award",
                "--seat",
                "CN",
                "--enforce-in",
                "VN",
                "--commercial",
                "maybe",
            ][..],
            "--commercial",
        ),
    ] {
        let (code, out, err) = run(dir.path(), args, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
    }
}
const APPLICANT: &str = r#"{"date": "2026-12-04", "nationality": "CN", "mainland_resident": true,
    "residence_country": "DE", "days_resident": 200, "residence_status": "none",
    "matter": "birth", "use_in": "CN", "needs_interpreter": false, "disposes_property": false}"#;

#[test]
fn notary_check_answers_on_stdin_with_the_contract_json() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(dir.path(), &["notary", "check", "--json"], Some(APPLICANT));
    assert_eq!(code, 0, "{err}");
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answer["verdict"], "eligible");
    assert_eq!(answer["reasons"], serde_json::json!([]));

    let other = APPLICANT.replace("\"birth\"", "\"will\"");
    let (code, out, _) = run(dir.path(), &["notary", "check", "--json"], Some(&other));
    assert_eq!(code, 0, "a matter outside the list is an answer");
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answer["verdict"], "ineligible");
    assert_eq!(answer["reasons"][0]["code"], "matter_type");
    assert!(answer["reasons"][0]["zh"].is_string() && answer["reasons"][0]["source"].is_string());

    let (code, out, _) = run(
        dir.path(),
        &["notary", "check", "--lang", "zh-CN"],
        Some(&other),
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("不符合条件") && out.contains("matter_type"),
        "{out}"
    );
}

#[test]
fn notary_check_exits_2_naming_the_bad_field() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            APPLICANT.replace("\"none\"", "\"tourist\""),
            "residence_status",
        ),
        (APPLICANT.replace("2026-12-04", "2026-02-30"), "date"),
        (
            APPLICANT.replace("\"days_resident\": 200,", ""),
            "days_resident",
        ),
        ("{not json".to_string(), "input"),
    ];
    for (input, field) in cases {
        let (code, out, err) = run(dir.path(), &["notary", "check", "--json"], Some(&input));
        assert_eq!(code, 2, "{field}: {out}");
        assert!(err.contains(field), "{field}: {err}");
    }
}
// ---- advisory: `corridor plan` ----

#[test]
fn plan_reads_a_project_on_stdin_and_prints_the_plan_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = r#"{"date": "2026-12-01", "country": "VN", "entry_mode": "joint_venture",
        "sectors_isic": ["C2930"], "ownership": "private",
        "flags": ["employs_foreign_nationals", "direct_investment_by_domestic_entity"],
        "metrics": {"cn_investment_usd": 50000000}}"#;
    let (code, out, err) = run(dir.path(), &["plan", "--json"], Some(input));
    assert_eq!(code, 0, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    let areas: Vec<&str> = plan["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["area"].as_str().unwrap())
        .collect();
    assert_eq!(areas, ["negotiation", "signing", "risk", "disputes"]);
    let items: Vec<&serde_json::Value> = plan["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .collect();
    assert!(
        items
            .iter()
            .any(|i| i["obligation"] == "urn:corridor:obl:vn:labour:decree-219-2025:work-permits")
    );
    assert!(items.iter().all(|i| {
        i["obligation"]
            .as_str()
            .unwrap()
            .starts_with("urn:corridor:obl:")
    }));
    let questions = plan["questions"].as_array().unwrap();
    assert!(!questions.is_empty());
    assert!(
        questions
            .iter()
            .all(|q| q["en"].is_string() && q["zh"].is_string())
    );
    assert_eq!(plan["china_side"].as_array().unwrap().len(), 5);
    assert!(plan["sections"][3]["dispute_clause"]["proposed"]["seat"].is_string());

    // The readable form, in Chinese.
    let (code, out, _) = run(dir.path(), &["plan", "--lang", "zh-CN"], Some(input));
    assert_eq!(code, 0);
    assert!(out.contains("争议解决"), "{out}");
}

#[test]
fn plan_exits_2_naming_unknown_codes() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(
        dir.path(),
        &["plan", "--json"],
        Some(r#"{"country": "VN", "entry_mode": "greenfield", "flags": ["made_up_flag"]}"#),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("flags") && err.contains("made_up_flag"),
        "{err}"
    );
    let (code, _, err) = run(
        dir.path(),
        &["plan"],
        Some(r#"{"country": "ZZ", "entry_mode": "greenfield"}"#),
    );
    assert_eq!(code, 2);
    assert!(err.contains("country") && err.contains("ZZ"), "{err}");
    let (code, _, err) = run(
        dir.path(),
        &["plan"],
        Some(r#"{"country": "VN", "entry_mode": "merger"}"#),
    );
    assert_eq!(code, 2);
    assert!(err.contains("merger"), "{err}");
    let (code, _, err) = run(dir.path(), &["plan"], Some("not json"));
    assert_eq!(code, 2, "{err}");
}
