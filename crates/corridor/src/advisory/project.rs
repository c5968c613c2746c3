//! The project as the plan generator sees it, and the checking of what the enterprise sent
//! (`corridor plan` on stdin, `POST /api/v1/plans/preview`): every code against the library's
//! vocabularies, every unknown code named.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::library::{JURISDICTIONS, Library};
use super::vocab::{EntryMode, Isic, Ownership};

/// What the enterprise says about the project: the contract's input.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// The day the plan is for (`YYYY-MM-DD`); today when absent. Obligations not in force on
    /// that day are left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Host country, ISO 3166-1 alpha-2: one of the ten ASEAN member States.
    pub country: String,
    /// `greenfield`, `acquisition`, `joint_venture`, `epc_contract`, `trade_distribution`,
    /// `franchise` or `representative_office`.
    pub entry_mode: String,
    /// ISIC Rev.4 codes with their section letter (`C`, `C2520`, `J61`); none means "not said".
    #[serde(default)]
    pub sectors_isic: Vec<String>,
    /// `SOE` or `private`; absent means "not said".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<String>,
    /// Facts that are true (codes of the library's flag vocabulary).
    #[serde(default)]
    pub flags: Vec<String>,
    /// Facts the enterprise has said are not true. A flag in neither list is unanswered.
    #[serde(default)]
    pub flags_false: Vec<String>,
    /// Numbers (codes of the library's metric vocabulary) in the unit the vocabulary gives.
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    /// Where the counterparty has assets an award may have to reach (ISO alpha-2, HK/MO allowed);
    /// the host country is always included.
    #[serde(default)]
    pub counterparty_assets: Vec<String>,
    /// The project's value, taken as the amount in dispute for the fee estimate of the proposed
    /// dispute clause: an exact decimal and its ISO 4217 currency. Fees are estimated only in a
    /// currency the institution's schedule uses (no exchange rate is assumed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<ProjectValue>,
}

/// An amount of money as typed: `{"amount": "50000000", "currency": "HKD"}`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectValue {
    pub amount: String,
    pub currency: String,
}

/// A checked project.
#[derive(Clone, Debug)]
pub struct Project {
    pub date: NaiveDate,
    pub country: String,
    pub entry_mode: EntryMode,
    pub sectors: Vec<Isic>,
    pub ownership: Option<Ownership>,
    /// Answered flags: `true` from `flags`, `false` from `flags_false`.
    pub flags: HashMap<String, bool>,
    pub metrics: HashMap<String, f64>,
    /// The host country first, then the other places with counterparty assets.
    pub enforce_in: Vec<String>,
    /// The project's value: amount and ISO 4217 currency.
    pub value: Option<(rust_decimal::Decimal, String)>,
}

/// A rejected input: the field, a reason key under `errors.invalid.*`, and every offending value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {}: {}", reason_en(.reason), .values.join(", "))]
pub struct InvalidInput {
    pub field: &'static str,
    pub reason: &'static str,
    pub values: Vec<String>,
}

/// English text of the reasons, for the CLI (the API uses the locale files).
pub fn reason_en(reason: &str) -> &'static str {
    match reason {
        "required" => "this field is required",
        "date" => "must be a date (YYYY-MM-DD) between 1958-01-01 and 2100-12-31",
        "unknown_plan_country" => {
            "no obligations library for this country (expected one of BN, KH, ID, LA, MY, MM, PH, SG, TH, VN)"
        }
        "unknown_entry_mode" => {
            "unknown entry mode (expected greenfield, acquisition, joint_venture, epc_contract, trade_distribution, franchise or representative_office)"
        }
        "unknown_sector" => "not an ISIC Rev.4 code with its section letter (e.g. C, C2520, J61)",
        "unknown_ownership" => "unknown ownership (expected SOE or private)",
        "unknown_flag" => "not in the library's flag vocabulary",
        "unknown_metric" => "not in the library's metric vocabulary",
        "metric_value" => "must be a finite number, not negative",
        "flag_contradiction" => "listed both as true and as not true",
        "unknown_country" => "not a known ISO 3166-1 country or region code",
        "project_value" => {
            "must be a positive amount with an ISO 4217 currency, e.g. {\"amount\": \"50000000\", \"currency\": \"CNY\"}"
        }
        _ => "invalid",
    }
}

fn invalid(field: &'static str, reason: &'static str, values: Vec<String>) -> InvalidInput {
    InvalidInput {
        field,
        reason,
        values,
    }
}

impl PlanRequest {
    /// Checks every field against the library; `today` stands in for a missing date.
    pub fn check(&self, lib: &Library, today: NaiveDate) -> Result<Project, InvalidInput> {
        let date = match self
            .date
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => today,
            Some(text) => {
                let d = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| invalid("date", "date", vec![text.to_owned()]))?;
                if !(crate::jurisdiction::answer::EARLIEST..=crate::jurisdiction::answer::LATEST)
                    .contains(&d)
                {
                    return Err(invalid("date", "date", vec![text.to_owned()]));
                }
                d
            }
        };
        let country = self.country.trim().to_ascii_uppercase();
        if country.is_empty() {
            return Err(invalid("country", "required", vec![]));
        }
        if country == "CN" || !JURISDICTIONS.contains(&country.as_str()) {
            return Err(invalid(
                "country",
                "unknown_plan_country",
                vec![self.country.clone()],
            ));
        }
        let mode = self.entry_mode.trim();
        if mode.is_empty() {
            return Err(invalid("entry_mode", "required", vec![]));
        }
        let entry_mode = EntryMode::parse(mode)
            .ok_or_else(|| invalid("entry_mode", "unknown_entry_mode", vec![mode.to_owned()]))?;
        let mut sectors = Vec::new();
        let mut bad = Vec::new();
        for s in &self.sectors_isic {
            match Isic::parse(s) {
                Some(c) => sectors.push(c),
                None => bad.push(s.clone()),
            }
        }
        if !bad.is_empty() {
            return Err(invalid("sectors_isic", "unknown_sector", bad));
        }
        sectors.sort();
        sectors.dedup();
        let ownership = match self
            .ownership
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(o) => Some(
                Ownership::parse(o)
                    .ok_or_else(|| invalid("ownership", "unknown_ownership", vec![o.to_owned()]))?,
            ),
        };
        let unknown = |list: &[String]| -> Vec<String> {
            list.iter()
                .filter(|f| !lib.flags.contains(f.as_str()))
                .cloned()
                .collect()
        };
        let bad = unknown(&self.flags);
        if !bad.is_empty() {
            return Err(invalid("flags", "unknown_flag", bad));
        }
        let bad = unknown(&self.flags_false);
        if !bad.is_empty() {
            return Err(invalid("flags_false", "unknown_flag", bad));
        }
        let both: Vec<String> = self
            .flags
            .iter()
            .filter(|f| self.flags_false.contains(f))
            .cloned()
            .collect();
        if !both.is_empty() {
            return Err(invalid("flags_false", "flag_contradiction", both));
        }
        let bad: Vec<String> = self
            .metrics
            .keys()
            .filter(|m| !lib.metrics.contains(m.as_str()))
            .cloned()
            .collect();
        if !bad.is_empty() {
            return Err(invalid("metrics", "unknown_metric", bad));
        }
        let bad: Vec<String> = self
            .metrics
            .iter()
            .filter(|(_, v)| !v.is_finite() || **v < 0.0)
            .map(|(k, _)| k.clone())
            .collect();
        if !bad.is_empty() {
            return Err(invalid("metrics", "metric_value", bad));
        }
        let mut enforce_in = vec![country.clone()];
        let mut bad = Vec::new();
        let ds = crate::jurisdiction::Dataset::get().ok();
        for c in &self.counterparty_assets {
            match ds.and_then(|ds| ds.country(c).ok()) {
                Some(c) if !enforce_in.contains(&c) => enforce_in.push(c),
                Some(_) => {}
                None => bad.push(c.clone()),
            }
        }
        if !bad.is_empty() {
            return Err(invalid("counterparty_assets", "unknown_country", bad));
        }
        let value = match &self.value {
            None => None,
            Some(v) => {
                let amount = v.amount.replace(',', "");
                match crate::money::Money::parse_positive(&v.currency, &amount) {
                    Ok(m) => Some((m.to_decimal(), m.currency().to_string())),
                    Err(_) => {
                        return Err(invalid(
                            "value",
                            "project_value",
                            vec![format!("{} {}", v.amount, v.currency)],
                        ));
                    }
                }
            }
        };
        let mut flags: HashMap<String, bool> =
            self.flags.iter().map(|f| (f.clone(), true)).collect();
        flags.extend(self.flags_false.iter().map(|f| (f.clone(), false)));
        Ok(Project {
            date,
            country,
            entry_mode,
            sectors,
            ownership,
            flags,
            metrics: self.metrics.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            enforce_in,
            value,
        })
    }
}
