//! Unit tests of the advisory engine: condition evaluation in three values, in-force dates, the
//! China side, questions, the diff, library checks; golden plans in `golden.rs`, team matching
//! in `team.rs`.

mod golden;
mod team;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::json;

use super::condition::{Atom, Cond, Test, Truth};
use super::library::Library;
use super::plan::Plan;
use super::vocab::{EntryMode, Isic, Ownership};
use super::{NoFeeEstimates, PlanRequest, Project, diff, generate};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn project(flags: &[(&str, bool)], metrics: &[(&str, f64)]) -> Project {
    Project {
        date: day("2026-12-01"),
        country: "VN".into(),
        entry_mode: EntryMode::Greenfield,
        sectors: vec![Isic::parse("C2930").unwrap()],
        ownership: Some(Ownership::Private),
        flags: flags.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        metrics: metrics
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect::<HashMap<_, _>>(),
        enforce_in: vec!["VN".into()],
        value: None,
    }
}

fn flag(code: &str) -> Cond {
    Cond::Atom(Atom::Flag { code: code.into() })
}

fn plan(req: serde_json::Value) -> Plan {
    let req: PlanRequest = serde_json::from_value(req).unwrap();
    super::plan_for(&req, day("2026-12-01"), &NoFeeEstimates).unwrap()
}

fn urns(p: &Plan) -> Vec<&str> {
    p.sections
        .iter()
        .flat_map(|s| s.items.iter().map(|i| i.obligation.as_str()))
        .collect()
}

#[test]
fn conditions_evaluate_in_three_values() {
    let p = project(&[("a", true), ("b", false)], &[("m", 10.0)]);
    assert_eq!(flag("a").eval(&p).truth, Truth::True);
    assert_eq!(flag("b").eval(&p).truth, Truth::False);
    assert_eq!(flag("c").eval(&p).truth, Truth::Unknown);
    // All: a false part decides even beside an unknown one; otherwise unknown wins over true.
    let all = Cond::All(vec![flag("a"), flag("c"), flag("b")]);
    let o = all.eval(&p);
    assert_eq!(o.truth, Truth::False);
    assert_eq!(o.atoms.len(), 1, "only the false part explains it");
    let all = Cond::All(vec![flag("a"), flag("c")]);
    let o = all.eval(&p);
    assert_eq!(o.truth, Truth::Unknown);
    assert_eq!(
        o.atoms,
        vec![(&Atom::Flag { code: "c".into() }, Truth::Unknown)],
        "only the missing answer is asked for"
    );
    // Any: a true part decides beside an unknown one.
    assert_eq!(
        Cond::Any(vec![flag("c"), flag("a")]).eval(&p).truth,
        Truth::True
    );
    assert_eq!(
        Cond::Any(vec![flag("c"), flag("b")]).eval(&p).truth,
        Truth::Unknown
    );
    assert_eq!(Cond::Not(Box::new(flag("b"))).eval(&p).truth, Truth::True);
    let metric = |test| {
        Cond::Atom(Atom::Metric {
            code: "m".into(),
            test,
            unit: String::new(),
        })
    };
    assert_eq!(metric(Test::Ge(10.0)).eval(&p).truth, Truth::True);
    assert_eq!(metric(Test::Gt(10.0)).eval(&p).truth, Truth::False);
    assert_eq!(
        metric(Test::Between(1.0, 10.0)).eval(&p).truth,
        Truth::False
    );
    assert_eq!(
        metric(Test::Between(10.0, 11.0)).eval(&p).truth,
        Truth::True
    );
    assert_eq!(
        metric(Test::In(vec![5.0, 10.0])).eval(&p).truth,
        Truth::True
    );
    let missing = Cond::Atom(Atom::Metric {
        code: "n".into(),
        test: Test::Ge(1.0),
        unit: String::new(),
    });
    assert_eq!(missing.eval(&p).truth, Truth::Unknown);
}

#[test]
fn sectors_match_by_prefix_and_a_broader_code_is_unknown() {
    let sector = |listed: &[&str]| {
        Cond::Atom(Atom::Sector {
            any_of: listed.iter().map(|c| Isic::parse(c).unwrap()).collect(),
        })
    };
    let mut p = project(&[], &[]);
    assert_eq!(sector(&["C"]).eval(&p).truth, Truth::True);
    assert_eq!(sector(&["C29"]).eval(&p).truth, Truth::True);
    assert_eq!(sector(&["K6430", "L"]).eval(&p).truth, Truth::False);
    p.sectors = vec![Isic::parse("K").unwrap()];
    assert_eq!(sector(&["K6430"]).eval(&p).truth, Truth::Unknown);
    p.sectors.clear();
    assert_eq!(sector(&["K6430"]).eval(&p).truth, Truth::Unknown);
    p.ownership = None;
    let soe = Cond::Atom(Atom::Ownership {
        any_of: vec![Ownership::Soe],
    });
    assert_eq!(soe.eval(&p).truth, Truth::Unknown);
}

#[test]
fn the_data_logic_is_encoded_explicitly() {
    let lib = Library::get().unwrap();
    let cac = lib
        .obligation("urn:corridor:obl:cn:cbdt:cac-2024-provisions:security-assessment")
        .unwrap();
    let base = [
        ("transfers_data_abroad_from_cn", true),
        ("is_ciio", false),
        ("handles_important_data", false),
    ];
    let p = project(
        &base,
        &[("cn_nonsensitive_pi_individuals_exported_since_jan1", 2e6)],
    );
    assert_eq!(
        cac.condition.eval(&p).truth,
        Truth::True,
        "a threshold alone suffices"
    );
    let p = project(
        &base,
        &[
            ("cn_nonsensitive_pi_individuals_exported_since_jan1", 10.0),
            ("cn_sensitive_pi_individuals_exported_since_jan1", 0.0),
        ],
    );
    assert_eq!(cac.condition.eval(&p).truth, Truth::False);
    let ph = lib
        .obligation("urn:corridor:obl:ph:competition:pcc-2025-thresholds:merger-notification")
        .unwrap();
    let mut p = project(
        &[],
        &[("size_of_party_php", 9e9), ("size_of_transaction_php", 1e9)],
    );
    p.entry_mode = EntryMode::Acquisition;
    assert_eq!(
        ph.condition.eval(&p).truth,
        Truth::False,
        "both thresholds needed"
    );
    p.metrics.remove("size_of_transaction_php");
    assert_eq!(ph.condition.eval(&p).truth, Truth::Unknown);
}

#[test]
fn obligations_not_in_force_on_the_date_are_left_out() {
    let req = |date: &str| {
        json!({"date": date, "country": "VN", "entry_mode": "greenfield",
               "flags": ["transfers_vn_personal_data_abroad"]})
    };
    let old = "urn:corridor:obl:vn:data:decree-13-2023:outbound-transfer-dossier";
    let new = "urn:corridor:obl:vn:data:pdp-law-91-2025:cross-border-impact-assessment";
    let before = plan(req("2025-12-31"));
    assert!(urns(&before).contains(&old));
    assert!(!urns(&before).contains(&new));
    assert!(before.not_in_force.iter().any(|u| u == new));
    let after = plan(req("2026-01-01"));
    assert!(!urns(&after).contains(&old));
    assert!(urns(&after).contains(&new));
    assert!(after.not_in_force.iter().any(|u| u == old));
}

#[test]
fn an_undecided_condition_is_a_question_not_an_item() {
    let permits = "urn:corridor:obl:vn:labour:decree-219-2025:work-permits";
    let p = plan(json!({"date": "2026-12-01", "country": "VN", "entry_mode": "greenfield"}));
    assert!(!urns(&p).contains(&permits));
    let q = p
        .questions
        .iter()
        .find(|q| q.code == "employs_foreign_nationals")
        .expect("asked");
    assert!(q.obligations.iter().any(|u| u == permits));
    assert!(
        !q.text.en.contains('_') && !q.text.zh.is_empty(),
        "plain words"
    );
    assert!(p.questions.iter().any(|q| q.kind == "sector"));
    assert!(p.questions.iter().any(|q| q.kind == "ownership"));

    let p = plan(
        json!({"date": "2026-12-01", "country": "VN", "entry_mode": "greenfield",
                        "flags": ["employs_foreign_nationals"]}),
    );
    let item = p
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.obligation == permits)
        .expect("applies");
    assert!(
        item.why
            .iter()
            .any(|w| w.code == "employs_foreign_nationals")
    );
    assert!(!item.sources.is_empty());
    assert!(
        !p.questions
            .iter()
            .any(|q| q.code == "employs_foreign_nationals")
    );

    let p = plan(
        json!({"date": "2026-12-01", "country": "VN", "entry_mode": "greenfield",
                        "flags_false": ["employs_foreign_nationals"]}),
    );
    assert!(!urns(&p).contains(&permits));
    assert!(
        !p.questions
            .iter()
            .any(|q| q.code == "employs_foreign_nationals")
    );
}

#[test]
fn the_china_side_is_always_there() {
    let lib = Library::get().unwrap();
    for country in &super::library::JURISDICTIONS[1..] {
        for mode in EntryMode::ALL {
            let p = plan(json!({"date": "2026-12-01", "country": country,
                                "entry_mode": mode.code()}));
            assert_eq!(p.china_side.len(), 5, "{country} {mode:?}");
            assert_eq!(p.sections.len(), 4);
            assert!(p.sections[3].dispute_clause.is_some());
        }
    }
    // Everything answered "no" on a trade deal: each topic says why it does not apply.
    let all_no: Vec<&String> = lib.flags.iter().collect();
    let p = plan(
        json!({"date": "2026-12-01", "country": "TH", "entry_mode": "trade_distribution",
                        "sectors_isic": ["G46"], "ownership": "private",
                        "flags_false": all_no}),
    );
    for c in &p.china_side {
        assert_eq!(c.status, "not_applicable", "{:?}", c.topic);
        assert!(!c.because.is_empty(), "{:?} explained", c.topic);
    }
    assert!(
        p.china_side[0]
            .because
            .iter()
            .any(|r| r.kind == "entry_mode")
    );
    // A greenfield investment: FX registration applies outright.
    let p = plan(json!({"date": "2026-12-01", "country": "TH", "entry_mode": "greenfield"}));
    assert_eq!(p.china_side[1].status, "applies");
    assert!(urns(&p).contains(&"urn:corridor:obl:cn:odi:safe-huifa-2015-13:bank-fx-registration"));
    assert_eq!(p.china_side[4].status, "to_confirm");
    assert!(
        p.china_side[4]
            .questions
            .contains(&"counterparty_on_cn_unreliable_entity_list".to_string())
    );
}

#[test]
fn the_dispute_clause_prefers_an_enforceable_seat_and_explains_it() {
    let p = plan(json!({"date": "2026-12-01", "country": "VN", "entry_mode": "epc_contract"}));
    let c = p.sections[3].dispute_clause.as_ref().unwrap();
    let proposed = c.proposed.as_ref().unwrap();
    assert!(proposed.covered_everywhere, "{:?}", c.candidates);
    assert_eq!(proposed.enforcement[0].state, "VN");
    assert!(c.explanation.en.contains(&proposed.institution));
    assert!(c.fee_estimate.is_none(), "no fee module wired");
    assert!(c.candidates.len() >= 4, "CQAC, HKIAC, SIAC and VIAC");
}

#[test]
fn bad_input_names_every_unknown_code() {
    let lib = Library::get().unwrap();
    let check = |v: serde_json::Value| {
        serde_json::from_value::<PlanRequest>(v)
            .unwrap()
            .check(lib, day("2026-12-01"))
            .unwrap_err()
    };
    let e = check(
        json!({"country": "VN", "entry_mode": "greenfield", "flags": ["nope", "employs_foreign_nationals", "nah"]}),
    );
    assert_eq!((e.field, e.reason), ("flags", "unknown_flag"));
    assert_eq!(e.values, vec!["nope", "nah"]);
    let e = check(json!({"country": "FR", "entry_mode": "greenfield"}));
    assert_eq!(e.field, "country");
    let e = check(json!({"country": "VN", "entry_mode": "merger"}));
    assert_eq!(
        (e.field, e.values.clone()),
        ("entry_mode", vec!["merger".to_string()])
    );
    let e = check(json!({"country": "VN", "entry_mode": "greenfield", "metrics": {"size": 1}}));
    assert_eq!(e.field, "metrics");
    let e = check(json!({"country": "VN", "entry_mode": "greenfield", "ownership": "public"}));
    assert_eq!(e.field, "ownership");
    let e = check(json!({"country": "VN", "entry_mode": "greenfield", "sectors_isic": ["C64"]}));
    assert_eq!(e.field, "sectors_isic");
    let e = check(json!({"country": "VN", "entry_mode": "greenfield", "date": "2026-13-01"}));
    assert_eq!(e.field, "date");
    let e =
        check(json!({"country": "VN", "entry_mode": "greenfield", "counterparty_assets": ["XX"]}));
    assert_eq!(e.field, "counterparty_assets");
    assert!(e.to_string().contains("XX"));
}

#[test]
fn the_diff_shows_new_changed_and_gone_items() {
    let lib = Library::get().unwrap();
    let changed = super::bench::changed_library(super::bench::embedded_json());
    let req: PlanRequest = serde_json::from_value(json!({
        "date": "2026-12-01", "country": "VN", "entry_mode": "greenfield",
        "sectors_isic": ["C2930"], "ownership": "private",
        "flags": ["direct_investment_by_domestic_entity", "employs_foreign_nationals",
                  "interacts_with_foreign_public_officials", "counterparty_on_cn_unreliable_entity_list"],
        "flags_false": ["sensitive_destination", "sensitive_industry"],
        "metrics": {"cn_investment_usd": 400_000_000.0}
    }))
    .unwrap();
    let p = req.check(lib, day("2026-12-01")).unwrap();
    let old = generate(&p, lib, &NoFeeEstimates);
    let new = generate(&p, &changed, &NoFeeEstimates);
    let d = diff(&old, &new);
    let gone: Vec<&str> = d.gone.iter().map(|g| g.obligation.as_str()).collect();
    assert!(gone.contains(&"urn:corridor:obl:cn:odi:ndrc-order-11:non-sensitive-filing"));
    assert!(gone.contains(
        &"urn:corridor:obl:cn:anti-corruption:criminal-law-art-164:foreign-official-bribery"
    ));
    assert_eq!(d.new.len(), 1);
    assert_eq!(
        d.new[0].obligation,
        "urn:corridor:obl:cn:sanctions:bench-added-obligation"
    );
    let permits = d
        .changed
        .iter()
        .find(|c| c.obligation == "urn:corridor:obl:vn:labour:decree-219-2025:work-permits")
        .expect("changed");
    assert_eq!(permits.fields, vec!["sources"]);
    assert!(diff(&old, &old).is_empty());
}

#[test]
fn a_library_that_breaks_a_rule_is_refused() {
    let base: serde_json::Value = serde_json::from_str(super::bench::embedded_json()).unwrap();
    let refused = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = base.clone();
        edit(&mut v);
        Library::parse(&v.to_string()).unwrap_err().0
    };
    let e = refused(&|v| v["obligations"][3]["sources"] = json!([]));
    assert!(e.contains("no source"), "{e}");
    let e = refused(&|v| v["obligations"][40]["applies_when"]["flags_all"] = json!(["made_up"]));
    assert!(e.contains("made_up"), "{e}");
    let e = refused(&|v| {
        v["obligations"][0]["applies_when"]["thresholds"] =
            json!([{"metric": "invented_metric", "op": ">", "value": 1}])
    });
    assert!(e.contains("invented_metric"), "{e}");
    let e = refused(&|v| v["obligations"][0]["applies_when"]["logic"] = json!("only on Tuesdays"));
    assert!(e.contains("no encoding"), "{e}");
    let e = refused(&|v| v["obligations"][0]["applies_when"]["sectors_isic"] = json!(["C64"]));
    assert!(e.contains("C64"), "{e}");
    assert_eq!(Library::get().unwrap().obligations.len(), 88);
}

#[test]
fn every_item_is_explained_and_sourced() {
    let p = plan(golden::golden_request("ID", EntryMode::JointVenture).into_json());
    let mut n = 0;
    for s in &p.sections {
        for i in &s.items {
            n += 1;
            assert_eq!(i.why[0].kind, "jurisdiction", "{}", i.obligation);
            assert!(
                i.why[1..]
                    .iter()
                    .all(|w| !w.text.en.is_empty() && !w.text.zh.is_empty())
            );
            assert!(!i.sources.is_empty());
            assert!(!i.legal_basis.is_empty());
            assert!(!i.evidence.en.is_empty() && !i.evidence.zh.is_empty());
        }
    }
    assert!(n > 5);
}

impl PlanRequest {
    fn into_json(self) -> serde_json::Value {
        json!({"date": self.date, "country": self.country, "entry_mode": self.entry_mode,
               "sectors_isic": self.sectors_isic, "ownership": self.ownership,
               "flags": self.flags, "flags_false": self.flags_false, "metrics": self.metrics})
    }
}
