//! Golden plans: one fixed project per ASEAN country × entry mode (10 × 7), its plan stored in
//! `crates/corridor/tests/golden/plans/<cc>-<entry_mode>.json` with the input beside it and
//! compared field for field. `UPDATE_GOLDEN=1` rewrites them; review the diff before committing.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::advisory::library::{JURISDICTIONS, Library};
use crate::advisory::vocab::EntryMode;
use crate::advisory::{NoFeeEstimates, PlanRequest, plan_for};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/plans")
}

/// A plausible project of a Chongqing manufacturer or contractor in each country.
fn sector(country: &str) -> &'static str {
    match country {
        "VN" | "TH" => "C2930", // parts for motor vehicles
        "ID" => "C2420",        // basic precious and non-ferrous metals
        "MY" => "C2610",        // electronic components
        "PH" => "D3510",        // electric power generation and distribution
        "SG" => "J6201",        // software
        "KH" => "F4210",        // roads and railways
        "LA" => "H4912",        // freight rail
        "MM" => "D3510",
        _ => "C1920", // BN: refined petroleum products
    }
}

/// The fixed input of a pair: the China-side facts answered, some host-country facts answered,
/// the rest left for the questions.
pub fn golden_request(country: &str, mode: EntryMode) -> PlanRequest {
    let lib = Library::get().unwrap();
    let soe = matches!(country, "LA" | "MM" | "PH");
    let mut flags: Vec<String> = [
        "employs_foreign_nationals",
        "interacts_with_public_officials",
        "transfers_data_abroad_from_cn",
    ]
    .map(String::from)
    .to_vec();
    let processes = format!("processes_{}_personal_data", country.to_ascii_lowercase());
    if lib.flags.contains(&processes) {
        flags.push(processes);
    }
    if matches!(
        mode,
        EntryMode::Greenfield | EntryMode::Acquisition | EntryMode::JointVenture
    ) {
        flags.push("direct_investment_by_domestic_entity".into());
    }
    let mut flags_false = vec![
        "sensitive_destination",
        "sensitive_industry",
        "via_controlled_offshore_entity",
        "counterparty_on_cn_unreliable_entity_list",
        "counterparty_on_cn_countermeasure_list",
        "complying_with_foreign_sanctions_against_cn_persons",
        "restricted_by_foreign_secondary_sanctions_in_third_country_dealings",
        "exports_controlled_items_from_cn",
        "transfers_controlled_technology_to_foreign_person",
        "reexports_cn_controlled_items",
        "personal_data_breach",
        "is_ciio",
        "handles_important_data",
    ];
    if country == "LA" {
        flags.push("central_soe_supervised_by_sasac".into());
    } else {
        flags_false.push("central_soe_supervised_by_sasac");
    }
    let shareholding = match mode {
        EntryMode::JointVenture => 49.0,
        _ => 100.0,
    };
    let request = json!({
        "date": "2026-12-01",
        "country": country,
        "entry_mode": mode.code(),
        "sectors_isic": [sector(country)],
        "ownership": if soe { "SOE" } else { "private" },
        "flags": flags,
        "flags_false": flags_false,
        "metrics": {
            "cn_investment_usd": 50_000_000.0,
            "foreign_shareholding_pct": shareholding,
            "group_consolidated_revenue_eur": 900_000_000.0,
            "cn_nonsensitive_pi_individuals_exported_since_jan1": 5_000.0,
            "cn_sensitive_pi_individuals_exported_since_jan1": 0.0
        }
    });
    serde_json::from_value(request).unwrap()
}

fn request_json(r: &PlanRequest) -> Value {
    json!({
        "date": r.date, "country": r.country, "entry_mode": r.entry_mode,
        "sectors_isic": r.sectors_isic, "ownership": r.ownership, "flags": r.flags,
        "flags_false": r.flags_false, "metrics": r.metrics,
    })
}

#[test]
fn golden_plans_per_country_and_entry_mode() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    std::fs::create_dir_all(dir()).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut failures = Vec::new();
    for country in &JURISDICTIONS[1..] {
        for mode in EntryMode::ALL {
            let request = golden_request(country, mode);
            let plan = plan_for(&request, today, &NoFeeEstimates).unwrap();
            let actual = json!({"input": request_json(&request), "plan": plan});
            let path = dir().join(format!(
                "{}-{}.json",
                country.to_ascii_lowercase(),
                mode.code()
            ));
            if update {
                let text = serde_json::to_string_pretty(&actual).unwrap() + "\n";
                std::fs::write(&path, text).unwrap();
                continue;
            }
            let stored: Value = match std::fs::read_to_string(&path) {
                Ok(t) => serde_json::from_str(&t).unwrap(),
                Err(_) => {
                    failures.push(format!("{} is missing", path.display()));
                    continue;
                }
            };
            if stored != actual {
                failures.push(format!("{} differs", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden plans out of date (UPDATE_GOLDEN=1 to rewrite, then review):\n{}",
        failures.join("\n")
    );
}
