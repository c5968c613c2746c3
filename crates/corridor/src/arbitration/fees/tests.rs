//! One test per schedule, with worked examples computed by hand from the source tables (the
//! arithmetic is in each comment; the source is the one the data file cites for the bracket).

use super::*;

fn ask(schedule: &str, amount: &str) -> FeeAnswer {
    estimate(&FeeAsk {
        schedule: schedule.into(),
        amount: amount.into(),
        date: None,
    })
    .unwrap_or_else(|e| panic!("{schedule} {amount}: {e}"))
}

fn fee(schedule: &str, amount: &str) -> String {
    ask(schedule, amount)
        .fee
        .map(|f| f.amount_text())
        .unwrap_or_else(|| "none".into())
}

/// CIETAC Fee Schedule I (foreign-related, eff. 2015-01-01). Source: CIETAC website calculator
/// source, github:lem-li/strait Yourphp/Conf/cost.php key 'out2015' and CostAction.class.php
/// out2015() (min 10,000; cap 15,000,000; registration 10,000).
#[test]
fn cietac_fee_schedule_i_foreign_related_2015() {
    let id = "cietac_fee_schedule_I_foreign_related_2015";
    // 4% × 200,000 = 8,000 < minimum 10,000.
    let a = ask(id, "200000");
    assert_eq!(a.fee.unwrap().amount_text(), "10000.00");
    assert!(a.minimum_applied);
    assert_eq!(a.components[0].code, "registration_fee");
    assert_eq!(a.components[0].amount.amount_text(), "10000.00");
    assert_eq!(a.total.unwrap().amount_text(), "20000.00");
    assert!(a.verified && !a.estimate);
    // Up to 1,000,000 includes 1,000,000: 4% × 1,000,000.
    assert_eq!(fee(id, "1000000"), "40000.00");
    // 40,000 + 3.5% × 500,000 = 57,500.
    assert_eq!(fee(id, "1500000"), "57500.00");
    // 40,000 + 3.5% × 15 = 40,000.525 → 40,000.53 (the formula, not the site's whole-yuan rounding).
    assert_eq!(fee(id, "1000015"), "40000.53");
    // Between two published integers: the upper bracket, 40,000 + 3.5% × 0.50 = 40,000.0175.
    assert_eq!(fee(id, "1000000.50"), "40000.02");
    // 150,000 + 1.5% × 3,000,000 = 195,000.
    assert_eq!(fee(id, "8000000"), "195000.00");
    // 875,000 + 0.48% × 100,000,000 = 1,355,000.
    assert_eq!(fee(id, "200000000"), "1355000.00");
    // 9,745,000 + 0.45% × 3,000,000,000 = 23,245,000 > cap 15,000,000.
    let a = ask(id, "5000000000");
    assert_eq!(a.fee.unwrap().amount_text(), "15000000.00");
    assert!(a.maximum_applied);
    assert!(
        a.warnings.iter().any(|w| w.en.contains("2024 Rules")),
        "the 2024 applicability caveat is shown"
    );
}

/// CIETAC domestic acceptance fee (Fee Schedule II, 2015). Source: github:lem-li/strait
/// Yourphp/Conf/cost.php key 'in2015'.
#[test]
fn cietac_domestic_2015_acceptance_fee() {
    let id = "cietac_domestic_2015_acceptance_fee";
    assert_eq!(fee(id, "800"), "100.00"); // flat 100 up to 1,000
    assert_eq!(fee(id, "30000"), "1550.00"); // 100 + 5% × 29,000
    assert_eq!(fee(id, "150000"), "6050.00"); // 4,550 + 3% × 50,000
    assert_eq!(fee(id, "800000"), "16550.00"); // 13,550 + 1% × 300,000
    assert_eq!(fee(id, "5000000"), "38550.00"); // 18,550 + 0.5% × 4,000,000
    assert!(ask(id, "800").components.is_empty());
}

/// CIETAC domestic handling fee (Fee Schedule II, 2015). Source: github:lem-li/strait
/// Yourphp/Conf/cost.php key 'in2015'.
#[test]
fn cietac_domestic_2015_handling_fee() {
    let id = "cietac_domestic_2015_handling_fee";
    assert_eq!(fee(id, "150000"), "6000.00"); // flat 6,000 up to 200,000
    assert_eq!(fee(id, "800000"), "16500.00"); // 12,000 + 1.5% × 300,000
    assert_eq!(fee(id, "3000000"), "29000.00"); // 24,500 + 0.45% × 1,000,000
    assert_eq!(fee(id, "30000000"), "108000.00"); // 88,000 + 0.2% × 10,000,000
    assert_eq!(fee(id, "800000000"), "1098000.00"); // 738,000 + 0.12% × 300,000,000
}

/// SIAC administration fees, Schedule of Fees of 1 Aug 2016. Source: siac.org.sg/siac-schedule-of-fees
/// (min 3,800; max 95,000; filing fee S$2,000 overseas).
#[test]
fn siac_2016_administration_fees() {
    let id = "siac_2016_administration_fees";
    assert_eq!(fee(id, "40000"), "3800.00");
    assert_eq!(fee(id, "50000"), "3800.00"); // boundary: "up to 50,000"
    assert_eq!(fee(id, "300000"), "7300.00"); // 4,900 + 1.2% × 200,000
    assert_eq!(fee(id, "1500000"), "17950.00"); // 14,700 + 0.65% × 500,000
    assert_eq!(fee(id, "7500000"), "34800.00"); // 30,800 + 0.16% × 2,500,000
    assert_eq!(fee(id, "150000000"), "95000.00"); // flat above 100M
    let a = ask(id, "300000");
    assert_eq!(a.components[0].code, "filing_fee");
    assert_eq!(a.components[0].amount.amount_text(), "2000.00");
    assert!(
        a.components[0]
            .note
            .as_deref()
            .unwrap()
            .contains("Singapore parties")
    );
    assert_eq!(a.total.unwrap().amount_text(), "9300.00");
    assert!(a.verified);
}

/// SIAC 2016 maximum fee per arbitrator: only the first two rows are confirmed. Source:
/// siac.org.sg/siac-schedule-of-fees.
#[test]
fn siac_2016_arbitrator_fees_partial() {
    let id = "siac_2016_arbitrator_fees_partial";
    assert_eq!(fee(id, "40000"), "6250.00");
    assert_eq!(fee(id, "60000"), "7630.00"); // 6,250 + 13.8% × 10,000
    assert_eq!(fee(id, "100000"), "13150.00"); // 6,250 + 13.8% × 50,000
    let a = ask(id, "150000");
    assert!(
        a.fee.is_none() && a.total.is_none(),
        "no confirmed bracket above S$100,000"
    );
    assert!(a.estimate && !a.verified);
    assert!(a.warnings.iter().any(|w| w.code == "no_bracket"));
}

/// SIAC 2025: only the filing fee is known (acerislaw.com/siac-arbitration-cost).
#[test]
fn siac_2025_schedule_has_a_filing_fee_and_no_brackets() {
    let a = ask("siac_2025_schedule", "1000000");
    assert!(a.fee.is_none());
    assert_eq!(a.components[0].amount.amount_text(), "3000.00");
    assert!(a.components[0].note.as_deref().unwrap().contains("3270"));
    assert!(a.estimate);
}

/// HKIAC 2024 Schedule 1. Source: hkiac.org./content/2024-schedule-fees (first and top values
/// derived: the cells were blank in the captured page).
#[test]
fn hkiac_2024_schedule1_administrative_fees() {
    let id = "hkiac_2024_schedule1_administrative_fees";
    let a = ask(id, "300000");
    assert_eq!(a.fee.unwrap().amount_text(), "19800.00");
    assert!(!a.verified && a.estimate, "the first bracket is derived");
    assert_eq!(fee(id, "2000000"), "37000.00"); // 25,000 + 1% × 1,200,000
    let a = ask(id, "10000000"); // 78,800 + 0.265% × 2,000,000
    assert_eq!(a.fee.unwrap().amount_text(), "84100.00");
    assert!(a.verified);
    assert_eq!(a.components[0].amount.amount_text(), "8000.00");
    assert_eq!(fee(id, "100000000"), "206200.00"); // 192,000 + 0.071% × 20,000,000
    let a = ask(id, "500000000");
    assert_eq!(a.fee.unwrap().amount_text(), "400000.00");
    assert!(!a.verified, "the top value is derived");
}

/// HKIAC 2024 Schedule 3 (tribunal fees): brackets not seen; only the caps are known.
#[test]
fn hkiac_2024_schedule3_tribunal_fees_is_not_computed() {
    let a = ask("hkiac_2024_schedule3_tribunal_fees", "1000000");
    assert!(a.fee.is_none());
    assert!(a.warnings.iter().any(|w| w.en.contains("12574000")));
}

/// HKIAC 2013 Schedule 1. Source: hkiac.org/…/2013-schedule-of-fees.
#[test]
fn hkiac_2013_schedule1_administrative_fees() {
    let id = "hkiac_2013_schedule1_administrative_fees";
    assert_eq!(fee(id, "300000"), "14800.00");
    assert_eq!(fee(id, "2000000"), "26400.00"); // 18,000 + 0.7% × 1,200,000
    assert_eq!(fee(id, "10000000"), "64000.00"); // 58,800 + 0.26% × 2,000,000
    assert_eq!(fee(id, "100000000"), "158880.00"); // 148,480 + 0.052% × 20,000,000
    assert_eq!(fee(id, "500000000"), "290880.00");
}

/// The national 1995 band's top (国办发[1995]44号 Art. 4, as adopted by e.g. Guyuan).
#[test]
fn cn_1995_framework_acceptance_fee_top_of_band() {
    let id = "cn_1995_framework_acceptance_fee_top_of_band";
    assert_eq!(fee(id, "800"), "100.00");
    assert_eq!(fee(id, "30000"), "1550.00"); // 100 + 5% × 29,000
    assert_eq!(fee(id, "800000"), "16550.00"); // 13,550 + 1% × 300,000
    assert_eq!(fee(id, "5000000"), "38550.00"); // 18,550 + 0.5% × 4,000,000
}

/// The commission's configured schedule: an estimate, with the national band beside it. Band
/// ends from the reference's test vectors (arbitration.md §3.6, "PRC range min–max").
#[test]
fn cqac_configured_schedule_is_an_estimate_inside_the_national_band() {
    let a = ask("cqac_acceptance_fee_config", "3000000");
    assert_eq!(a.fee.unwrap().amount_text(), "28550.00"); // 18,550 + 0.5% × 2,000,000
    assert!(a.configured && a.estimate && !a.verified);
    let band = a.band.unwrap();
    assert_eq!(band.low.amount_text(), "16000.00"); // 11,000 + 0.25% × 2,000,000
    assert_eq!(band.high.amount_text(), "28550.00");
    let b = ask("cqac_acceptance_fee_config", "10000").band.unwrap();
    assert_eq!(
        (b.low.amount_text(), b.high.amount_text()),
        ("400.00".into(), "550.00".into())
    );
    assert!(a.warnings.iter().any(|w| w.code == "configured_schedule"));
}

#[test]
fn every_configured_bracket_lies_inside_the_national_band() {
    let data = Dataset::get().unwrap();
    for s in data.schedules.iter().filter(|s| s.configured) {
        for amount in [
            500, 1_000, 20_000, 50_000, 75_000, 100_000, 150_000, 300_000, 800_000, 1_000_000,
            9_000_000,
        ] {
            let b = compute(s, Decimal::from(amount)).band.unwrap();
            let f = compute(s, Decimal::from(amount)).fee.unwrap();
            assert!(
                b.low.checked_cmp(&f).unwrap().is_le() && f.checked_cmp(&b.high).unwrap().is_le(),
                "{} at {amount}: {f} not in {}..{}",
                s.id,
                b.low,
                b.high
            );
        }
    }
}

/// Every bracket's base equals the previous base plus rate × width (catches transcription errors).
#[test]
fn every_table_is_continuous() {
    for s in &Dataset::get().unwrap().schedules {
        for w in s.brackets.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let end = a.to.unwrap();
            assert_eq!(a.fee(end), b.fee(end), "{}: bracket ending {end}", s.id);
        }
    }
}

#[test]
fn every_worked_example_in_the_data_is_reproduced() {
    let raw: serde_json::Value = serde_json::from_str(include_str!(
        "../../../../../data/arbitration/fee_schedules.json"
    ))
    .unwrap();
    let mut n = 0;
    for s in raw["schedules"].as_array().unwrap() {
        for ex in s["worked_examples"].as_array().unwrap() {
            let amount = ex["amount"].to_string();
            assert_eq!(
                fee(s["id"].as_str().unwrap(), &amount),
                ex["fee"].as_str().unwrap(),
                "{} {amount}",
                s["id"]
            );
            n += 1;
        }
    }
    assert!(n >= 30, "{n}");
}

#[test]
fn a_date_is_answered_with_the_schedule_in_force_then() {
    let at = |schedule: &str, date: &str| {
        estimate(&FeeAsk {
            schedule: schedule.into(),
            amount: "2000000".into(),
            date: Some(date.into()),
        })
    };
    let a = at("hkiac_2024_schedule1_administrative_fees", "2020-01-01").unwrap();
    assert_eq!(a.schedule, "hkiac_2013_schedule1_administrative_fees");
    assert_eq!(
        a.requested_schedule.as_deref(),
        Some("hkiac_2024_schedule1_administrative_fees")
    );
    assert_eq!(a.fee.unwrap().amount_text(), "26400.00");
    let a = at("siac_2016_administration_fees", "2025-03-01").unwrap();
    assert_eq!(a.schedule, "siac_2025_schedule");
    assert!(
        a.fee.is_none(),
        "2016 brackets are not reused for 2025 cases"
    );
    let a = at("siac_2016_administration_fees", "2020-03-01").unwrap();
    assert_eq!(a.schedule, "siac_2016_administration_fees");
    let err = at("hkiac_2013_schedule1_administrative_fees", "2010-01-01")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--date") && err.contains("2013-11-01"),
        "{err}"
    );
    let err = at("cietac_fee_schedule_I_foreign_related_2015", "2014-06-01")
        .unwrap_err()
        .to_string();
    assert!(err.contains("2015-01-01"), "{err}");
}

#[test]
fn bad_input_names_the_flag() {
    let err = |schedule: &str, amount: &str| {
        estimate(&FeeAsk {
            schedule: schedule.into(),
            amount: amount.into(),
            date: None,
        })
        .unwrap_err()
        .to_string()
    };
    assert!(err("nope", "100").contains("--schedule \"nope\""));
    assert!(err("siac_2016_administration_fees", "100.123").contains("--amount"));
    assert!(err("siac_2016_administration_fees", "-5").contains("negative"));
}

#[test]
fn compare_runs_every_schedule_in_the_currency() {
    let c = compare("3000000", "cny", None).unwrap();
    let ids: Vec<&str> = c.rows.iter().map(|r| r.schedule.as_str()).collect();
    assert_eq!(
        ids,
        [
            "cietac_fee_schedule_I_foreign_related_2015",
            "cietac_domestic_2015_acceptance_fee",
            "cietac_domestic_2015_handling_fee",
            "cn_1995_framework_acceptance_fee_top_of_band",
            "cqac_acceptance_fee_config",
        ]
    );
    assert_eq!(c.rows[0].fee.unwrap().amount_text(), "100000.00"); // 75,000 + 2.5% × 1,000,000
    assert!(c.rows.last().unwrap().estimate);
    // In force on a date: the SIAC 2016 schedules give way to 2025.
    let c = compare("3000000", "SGD", Some("2026-01-01")).unwrap();
    assert_eq!(c.rows.len(), 1);
    assert_eq!(c.rows[0].schedule, "siac_2025_schedule");
    assert!(
        compare("1", "EUR", None)
            .unwrap_err()
            .to_string()
            .contains("--currency")
    );
    assert!(
        compare("1", "yuan", None)
            .unwrap_err()
            .to_string()
            .contains("ISO 4217")
    );
}

#[test]
fn amounts_are_money_of_the_schedule_currency_and_keep_their_json_shape() {
    let a = ask("siac_2016_administration_fees", "300000");
    assert_eq!(a.currency.as_str(), "SGD");
    assert_eq!(a.fee.unwrap().currency(), a.currency);
    assert_eq!(a.total.unwrap().to_string(), "SGD 9300.00");
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["currency"], "SGD");
    assert_eq!(v["amount"], "300000", "the amount as asked");
    assert_eq!(v["fee"], "7300.00");
    assert_eq!(v["total"], "9300.00");
    assert_eq!(v["components"][0]["amount"], "2000.00");
    let none = ask("siac_2025_schedule", "300000");
    assert!(serde_json::to_value(&none).unwrap()["fee"].is_null());
}

#[test]
fn an_amount_beyond_the_fee_arithmetic_is_refused_not_wrapped() {
    let err = estimate(&FeeAsk {
        schedule: "siac_2016_administration_fees".into(),
        amount: "999999999999999999999".into(),
        date: None,
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("--amount") && err.contains("too large"),
        "{err}"
    );
}
