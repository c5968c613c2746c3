//! Golden plans: one fixed project per ASEAN country × entry mode (10 × 7), its input and plan
//! pinned as an `insta` snapshot in `crates/corridor/tests/golden/plans/<cc>-<entry_mode>.snap`.
//! A changed plan fails with its diff; after a deliberate change,
//! `INSTA_UPDATE=always cargo test -p corridor --lib advisory::` rewrites them: review the diff.

use serde_json::{Value, json};

use crate::advisory::library::{JURISDICTIONS, Library};
use crate::advisory::vocab::EntryMode;
use crate::advisory::{PlanRequest, ScheduleFees, plan_for};

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
        },
        // The value in the programme's own currency: the commission's fee is estimated when
        // it is the proposed institution.
        "value": {"amount": "350000000", "currency": "CNY"}
    });
    serde_json::from_value(request).unwrap()
}

fn request_json(r: &PlanRequest) -> Value {
    json!({
        "date": r.date, "country": r.country, "entry_mode": r.entry_mode,
        "sectors_isic": r.sectors_isic, "ownership": r.ownership, "flags": r.flags,
        "flags_false": r.flags_false, "metrics": r.metrics, "value": r.value,
    })
}

#[test]
fn golden_plans_per_country_and_entry_mode() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/plans"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _in_force = settings.bind_to_scope();
    for country in &JURISDICTIONS[1..] {
        for mode in EntryMode::ALL {
            let request = golden_request(country, mode);
            let plan = plan_for(&request, today, &ScheduleFees).unwrap();
            let name = format!("{}-{}", country.to_ascii_lowercase(), mode.code());
            insta::assert_json_snapshot!(
                name,
                json!({"input": request_json(&request), "plan": plan})
            );
        }
    }
}
