//! The enterprise's profile: what is true of the enterprise whatever the project (its sectors,
//! size, ownership, whether it is a central SOE supervised by SASAC, its critical-infrastructure
//! and important-data status, how much personal information it sends out of China, its group
//! revenue). Kept once per enterprise; a new project's interview starts from it, and a project's
//! answers take from it what they do not say themselves. Pure: the store is
//! [`super::profile_store`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::library::Library;
use super::project::PlanRequest;
use crate::AppError;

/// The library's facts that belong to the enterprise, not to one project.
pub const PROFILE_FLAGS: [&str; 3] = [
    "central_soe_supervised_by_sasac",
    "is_ciio",
    "handles_important_data",
];

/// The library's numbers that belong to the enterprise (personal-information volumes are the
/// enterprise's, counted since 1 January).
pub const PROFILE_METRICS: [&str; 3] = [
    "cn_nonsensitive_pi_individuals_exported_since_jan1",
    "cn_sensitive_pi_individuals_exported_since_jan1",
    "group_consolidated_revenue_eur",
];

/// Size classes as the enterprise declares them (China's SME classification by sector:
/// 工信部联企业〔2011〕300号); a description, not a legal test the library applies.
pub const SIZES: [&str; 4] = ["micro", "small", "medium", "large"];

/// The profile as the API reads and writes it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseProfile {
    /// ISIC Rev.4 codes with their section letter.
    #[serde(default)]
    pub sectors_isic: Vec<String>,
    /// `micro`, `small`, `medium` or `large`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// `SOE` or `private`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<String>,
    /// Enterprise facts that are true (of [`PROFILE_FLAGS`]).
    #[serde(default)]
    pub flags: Vec<String>,
    /// Enterprise facts that are not true.
    #[serde(default)]
    pub flags_false: Vec<String>,
    /// Enterprise numbers (of [`PROFILE_METRICS`]), in the library's units.
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
}

impl EnterpriseProfile {
    /// Checks every code, as the plan's input is checked, and that each fact is an enterprise
    /// fact; lists come back sorted and without repeats.
    pub fn checked(&self, lib: &Library) -> Result<EnterpriseProfile, AppError> {
        let not_profile = |field: &'static str, codes: Vec<String>| AppError::InvalidValues {
            field: field.into(),
            reason: "not_profile_fact",
            values: codes,
        };
        let odd: Vec<String> = self
            .flags
            .iter()
            .chain(&self.flags_false)
            .filter(|f| !PROFILE_FLAGS.contains(&f.as_str()))
            .cloned()
            .collect();
        if !odd.is_empty() {
            return Err(not_profile("flags", odd));
        }
        let odd: Vec<String> = self
            .metrics
            .keys()
            .filter(|m| !PROFILE_METRICS.contains(&m.as_str()))
            .cloned()
            .collect();
        if !odd.is_empty() {
            return Err(not_profile("metrics", odd));
        }
        let size = match self.size.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) if SIZES.contains(&s) => Some(s.to_owned()),
            Some(s) => {
                return Err(AppError::InvalidValues {
                    field: "size".into(),
                    reason: "unknown_size",
                    values: vec![s.to_owned()],
                });
            }
        };
        // The plan's own check names unknown sectors, ownership, contradictions and bad numbers.
        let probe = PlanRequest {
            country: "VN".into(),
            entry_mode: "greenfield".into(),
            ..self.request()
        };
        probe
            .check(lib, crate::jurisdiction::today())
            .map_err(super::PlanError::from)?;
        let mut out = self.clone();
        out.size = size;
        out.ownership = self
            .ownership
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned);
        for list in [&mut out.sectors_isic, &mut out.flags, &mut out.flags_false] {
            for code in list.iter_mut() {
                *code = code.trim().to_owned();
            }
            list.sort();
            list.dedup();
        }
        Ok(out)
    }

    /// The profile as a plan's answers (no country or entry mode).
    pub fn request(&self) -> PlanRequest {
        PlanRequest {
            sectors_isic: self.sectors_isic.clone(),
            ownership: self.ownership.clone(),
            flags: self.flags.clone(),
            flags_false: self.flags_false.clone(),
            metrics: self.metrics.clone(),
            ..PlanRequest::default()
        }
    }

    /// Fills in what `answers` do not say: sectors when none, ownership when absent, each
    /// enterprise fact neither listed true nor not true, each enterprise number not given.
    /// What the answers say wins.
    pub fn fill(&self, answers: &mut PlanRequest) {
        if answers.sectors_isic.is_empty() {
            answers.sectors_isic = self.sectors_isic.clone();
        }
        if answers
            .ownership
            .as_deref()
            .is_none_or(|o| o.trim().is_empty())
        {
            answers.ownership = self.ownership.clone();
        }
        let said = |a: &PlanRequest, f: &str| a.flags.iter().chain(&a.flags_false).any(|x| x == f);
        for f in &self.flags {
            if !said(answers, f) {
                answers.flags.push(f.clone());
            }
        }
        for f in &self.flags_false {
            if !said(answers, f) {
                answers.flags_false.push(f.clone());
            }
        }
        for (m, v) in &self.metrics {
            answers.metrics.entry(m.clone()).or_insert(*v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib() -> &'static Library {
        Library::get().unwrap()
    }

    fn profile() -> EnterpriseProfile {
        EnterpriseProfile {
            sectors_isic: vec!["C2930".into(), " C2930".into()],
            size: Some("large".into()),
            ownership: Some("SOE".into()),
            flags: vec!["central_soe_supervised_by_sasac".into()],
            flags_false: vec!["is_ciio".into()],
            metrics: [("group_consolidated_revenue_eur".to_owned(), 9e8)].into(),
        }
    }

    #[test]
    fn every_profile_code_is_in_the_library() {
        for f in PROFILE_FLAGS {
            assert!(lib().flags.contains(f), "{f}");
        }
        for m in PROFILE_METRICS {
            assert!(lib().metrics.contains(m), "{m}");
        }
    }

    #[test]
    fn a_profile_is_checked_and_tidied() {
        let p = profile().checked(lib()).unwrap();
        assert_eq!(p.sectors_isic, ["C2930"]);
        let mut bad = profile();
        bad.flags.push("acquires_land".into());
        assert!(matches!(
            bad.checked(lib()),
            Err(AppError::InvalidValues { reason: "not_profile_fact", ref values, .. }) if values == &["acquires_land"]
        ));
        let mut bad = profile();
        bad.size = Some("huge".into());
        assert!(bad.checked(lib()).is_err());
        let mut bad = profile();
        bad.ownership = Some("state".into());
        assert!(bad.checked(lib()).is_err());
        let mut bad = profile();
        bad.flags_false
            .push("central_soe_supervised_by_sasac".into());
        assert!(bad.checked(lib()).is_err(), "a fact both true and not true");
    }

    #[test]
    fn the_answers_win_and_the_profile_fills_the_rest() {
        let mut answers = PlanRequest {
            country: "VN".into(),
            entry_mode: "acquisition".into(),
            ownership: Some("private".into()),
            flags: vec!["is_ciio".into()],
            ..PlanRequest::default()
        };
        profile().checked(lib()).unwrap().fill(&mut answers);
        assert_eq!(answers.ownership.as_deref(), Some("private"));
        assert_eq!(answers.sectors_isic, ["C2930"]);
        assert_eq!(
            answers.flags,
            ["is_ciio", "central_soe_supervised_by_sasac"]
        );
        assert!(answers.flags_false.is_empty(), "the answers said is_ciio");
        assert_eq!(answers.metrics["group_consolidated_revenue_eur"], 9e8);
    }
}
