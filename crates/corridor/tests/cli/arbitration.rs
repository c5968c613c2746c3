//! The arbitration commands as a user runs them: `corridor fees`, `corridor deadlines`,
//! `corridor conflicts screen` (JSON answers, exit 2 naming bad input) and `corridor bench
//! arbitration` at toy sizes.

use super::*;

/// In a fresh folder, as a user would run it anywhere.
fn run_anywhere(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), args, stdin)
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn fees_answers_one_schedule_and_compares_a_currency() {
    let (code, out, err) = run_anywhere(
        &[
            "fees",
            "--schedule",
            "cietac_fee_schedule_I_foreign_related_2015",
            "--amount",
            "1500000",
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["schedule"], "cietac_fee_schedule_I_foreign_related_2015");
    assert_eq!(v["currency"], "CNY");
    assert_eq!(v["fee"], "57500.00");
    assert_eq!(v["components"][0]["code"], "registration_fee");
    assert_eq!(v["components"][0]["amount"], "10000.00");
    assert_eq!(v["verified"], true);

    let (code, out, err) = run_anywhere(
        &[
            "fees",
            "compare",
            "--amount",
            "2000000",
            "--currency",
            "HKD",
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.iter().any(
        |r| r["schedule"] == "hkiac_2024_schedule1_administrative_fees" && r["fee"] == "37000.00"
    ));
    assert!(rows.iter().any(
        |r| r["schedule"] == "hkiac_2013_schedule1_administrative_fees" && r["fee"] == "26400.00"
    ));
    assert!(
        rows.iter()
            .any(|r| r["schedule"] == "hkiac_2024_schedule3_tribunal_fees"
                && r["fee"].is_null()
                && r["estimate"] == true)
    );

    let (code, out, _) = run_anywhere(
        &[
            "fees",
            "--schedule",
            "siac_2016_administration_fees",
            "--amount",
            "300000",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("7300.00"), "{out}");
}

#[test]
fn bad_fee_input_exits_2_naming_it() {
    for (args, named) in [
        (
            vec![
                "fees",
                "--schedule",
                "siac_2016_administration_fees",
                "--amount",
                "100.123",
            ],
            "--amount",
        ),
        (
            vec![
                "fees",
                "--schedule",
                "siac_2016_administration_fees",
                "--amount",
                "-5",
            ],
            "negative",
        ),
        (
            vec!["fees", "--schedule", "no_such_schedule", "--amount", "100"],
            "no_such_schedule",
        ),
        (
            vec![
                "fees",
                "--schedule",
                "hkiac_2013_schedule1_administrative_fees",
                "--amount",
                "100",
                "--date",
                "2010-01-01",
            ],
            "--date",
        ),
        (
            vec!["fees", "compare", "--amount", "100", "--currency", "EUR"],
            "--currency",
        ),
    ] {
        let (code, out, err) = run_anywhere(&args, None);
        assert_eq!(code, 2, "{args:?}: {out} {err}");
        assert!(err.contains(named), "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
    }
}

/// Amounts are money of the schedule's currency: the readable answer prints each with its
/// currency once, the JSON keeps amounts as two-place strings, and an amount too large for the
/// arithmetic is refused by name instead of wrapping.
#[test]
fn fees_print_money_in_the_schedule_currency() {
    let (code, out, err) = run_anywhere(
        &[
            "fees",
            "--schedule",
            "siac_2016_administration_fees",
            "--amount",
            "300000",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("fee 7300.00 SGD"), "{out}");
    assert!(out.contains("+ filing_fee 2000.00 SGD"), "{out}");
    assert!(out.contains("= total 9300.00 SGD"), "{out}");

    let (code, out, err) = run_anywhere(
        &[
            "fees",
            "--schedule",
            "siac_2016_administration_fees",
            "--amount",
            "300000",
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["amount"], "300000");
    assert_eq!(v["total"], "9300.00");
    assert_eq!(v["components"][0]["amount"], "2000.00");

    let (code, out, err) = run_anywhere(
        &[
            "fees",
            "compare",
            "--amount",
            "99999999999999999999",
            "--currency",
            "CNY",
        ],
        None,
    );
    assert_eq!(code, 2, "{out} {err}");
    assert!(
        err.contains("--amount") && err.contains("too large"),
        "{err}"
    );
}

#[test]
fn deadlines_answers_in_json_and_moves_off_holidays() {
    let (code, out, err) = run_anywhere(
        &[
            "deadlines",
            "--rules",
            "UNCITRAL-2013",
            "--event",
            "notice_of_arbitration_received",
            "--date",
            "2026-01-18",
            "--place",
            "SG",
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let d = v["deadlines"].as_array().unwrap();
    let response = d.iter().find(|d| d["article"] == "4(1)").unwrap();
    assert_eq!(
        response["due"], "2026-02-19",
        "30 days end on Chinese New Year in Singapore"
    );
    assert_eq!(response["verified"], true);
    assert!(response["action"].as_str().unwrap().contains("response"));

    let (code, out, _) = run_anywhere(
        &[
            "deadlines",
            "--rules",
            "CIETAC-2024",
            "--event",
            "award_received",
            "--date",
            "2026-03-01",
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0);
    let v = json(&out);
    assert!(
        v["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["verified"] == false)
    );
}

#[test]
fn bad_deadline_input_exits_2_naming_it() {
    for (args, named) in [
        (
            vec![
                "deadlines",
                "--rules",
                "NOPE-1",
                "--event",
                "award_received",
                "--date",
                "2026-01-01",
            ],
            "--rules",
        ),
        (
            vec![
                "deadlines",
                "--rules",
                "ICC-2021",
                "--event",
                "party_time",
                "--date",
                "2026-01-01",
            ],
            "--event",
        ),
        (
            vec![
                "deadlines",
                "--rules",
                "ICC-2021",
                "--event",
                "award_received",
                "--date",
                "01/01/2026",
            ],
            "--date",
        ),
    ] {
        let (code, _, err) = run_anywhere(&args, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(named), "{args:?}: {err}");
    }
}

const SCREEN: &str = r#"{
  "date": "2026-06-01", "rules": "ICC-2021", "role": "sole",
  "arbitrator": {"id": "arb-1", "nationalities": ["SG", "TH"], "firm": "Demo Law LLP",
                 "former_firms": [{"firm": "Siam Demo & Partners", "until": "2024-12-31"}]},
  "parties": [
    {"id": "cq-motors", "side": "claimant", "nationalities": ["CN"], "affiliates": []},
    {"id": "bkk-trading", "side": "respondent", "nationalities": ["TH"], "affiliates": ["bkk-holding"]}
  ],
  "counsel": [{"firm": "Demo Law LLP", "side": "claimant"}, {"firm": "Siam Demo & Partners", "side": "respondent"}],
  "appointments": [
    {"arbitrator": "arb-1", "date": "2024-03-01", "appointed_by": "bkk-holding", "counsel_firm": "Siam Demo & Partners"},
    {"arbitrator": "arb-1", "date": "2025-03-01", "appointed_by": "bkk-trading", "counsel_firm": "Siam Demo & Partners"}
  ]
}"#;

#[test]
fn conflicts_screen_reads_json_on_stdin() {
    let (code, out, err) = run_anywhere(&["conflicts", "screen", "--json"], Some(SCREEN));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["neutrality"]["verdict"], "needs_agreement");
    let codes: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["list"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("same_firm_as_counsel", "waivable_red"),
            ("former_firm_of_counsel", "orange"),
            ("repeat_party_appointments", "orange"),
        ]
    );
    assert_eq!(v["disclosure"]["status"], "draft");
    assert!(v["disclosure"]["zh"].as_str().unwrap().contains("披露"));
    assert!(v["disclosure"]["en"].as_str().unwrap().contains("disclose"));

    let (code, out, _) = run_anywhere(&["conflicts", "screen", "--lang", "zh-CN"], Some(SCREEN));
    assert_eq!(code, 0);
    assert!(out.contains("草稿"), "{out}");
}

#[test]
fn bad_screen_input_exits_2_naming_it() {
    let (code, _, err) = run_anywhere(
        &["conflicts", "screen", "--json"],
        Some(&SCREEN.replace("\"sole\"", "\"chair\"")),
    );
    assert_eq!(code, 2);
    assert!(err.contains("role"), "{err}");
    let (code, _, err) = run_anywhere(&["conflicts", "screen", "--json"], Some("{not json"));
    assert_eq!(code, 2);
    assert!(err.contains("stdin"), "{err}");
}

/// `corridor bench arbitration` at toy sizes, so the command cannot rot (numbers are not checked).
#[test]
fn bench_arbitration_runs_at_tiny_sizes() {
    let (code, out, err) = run_anywhere(
        &[
            "bench",
            "arbitration",
            "--arbitrators",
            "50",
            "--appointments",
            "2000",
            "--screens",
            "20",
            "--rankings",
            "2",
            "--cases",
            "300",
            "--stored",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}\n{err}");
    for line in [
        "index built: 2000 appointments",
        "one candidate",
        "whole roster ranked (50 candidates)",
        "deadlines after a holiday table change: 300 cases",
        "roster snapshot from the database (50 entries, 2000 appointments)",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
}

/// `corridor cases` on the demo data: counsel files, the secretary accepts and ranks the roster
/// for the presiding seat and nominates from it; bad input exits 2, a case the user may not
/// see exits 1.
#[test]
fn cases_run_from_the_command_line_as_a_user() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(dir.path(), &["demo"], None);
    assert_eq!(code, 0, "{err}");
    let counsel = "huang.wenbo@jialing-yuanfan.example";
    let secretary = "case.secretary@cq-arbitration.example";
    let filing = r#"{"institution": "cq-arbitration-commission",
        "claimant": {"name": "Chongqing Demo Motors Co., Ltd.", "nationality": "CN"},
        "respondent": {"name": "Hanoi Demo Trading JSC", "nationality": "VN"},
        "claims": "Payment", "amount": "1250000", "currency": "CNY", "agreement": "Clause 18",
        "seat": "CN", "language": "en", "rules": "UNCITRAL-2013", "arbitrators": 3}"#;
    let (code, out, err) = run(
        dir.path(),
        &["cases", "file", "--as", counsel],
        Some(filing),
    );
    assert_eq!(code, 0, "{err}");
    let case = json(&out);
    let id = case["id"].as_str().unwrap().to_owned();
    assert_eq!(case["status"], "filed");
    let (code, out, err) = run(
        dir.path(),
        &["cases", "accept", &id, "--as", secretary],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["status"], "accepted");

    let (code, _, err) = run(
        dir.path(),
        &["cases", "event", &id, "--as", secretary],
        Some(r#"{"event": "no_such_event", "date": "2026-10-01"}"#),
    );
    assert_eq!(code, 2, "a refused input names the field: {err}");
    assert!(err.contains("event"), "{err}");
    let (code, _, _) = run(
        dir.path(),
        &["cases", "show", &id, "--as", "nobody@nowhere.example"],
        None,
    );
    assert_eq!(code, 2, "no such user");
    let (code, _, _) = run(
        dir.path(),
        &[
            "cases",
            "show",
            &id,
            "--as",
            "fu.qingyang@chiyuan-auto.example",
        ],
        None,
    );
    assert_eq!(code, 1, "not in the case: not found");

    let (code, out, err) = run(
        dir.path(),
        &[
            "cases",
            "candidates",
            &id,
            "--seat-role",
            "presiding",
            "--as",
            secretary,
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let ranked = json(&out);
    let first = ranked[0]["slug"].as_str().unwrap().to_owned();
    assert!(ranked.as_array().unwrap().len() > 10, "the demo roster");
    let (code, out, err) = run(
        dir.path(),
        &["cases", "nominate", &id, "--as", secretary],
        Some(&format!(
            r#"{{"person": "{first}", "seat_role": "presiding"}}"#
        )),
    );
    assert_eq!(code, 0, "{err}");
    let case = json(&out);
    assert_eq!(case["tribunal"][0]["person"], first.as_str());
    assert!(case["tribunal"][0]["screen"]["neutrality"]["verdict"].is_string());
}
