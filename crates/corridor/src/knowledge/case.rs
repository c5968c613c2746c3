//! A typical case: structured fields in both languages, so a user can ask for "construction
//! disputes enforced in Indonesia" (`data/knowledge/README.md` lists the fields).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::search::query::SECTORS;
use crate::{AppError, Result};

pub const CONTRACT_TYPES: &[&str] = &[
    "epc",
    "construction",
    "sale_of_goods",
    "distribution",
    "joint_venture",
    "investment",
    "loan",
    "licence",
    "services",
    "agency",
    "other",
];
pub const FORUMS: &[&str] = &["arbitration", "court"];
pub const AMOUNT_BANDS: &[&str] = &[
    "under_1m_usd",
    "1m_10m_usd",
    "10m_100m_usd",
    "over_100m_usd",
    "undisclosed",
];
pub const OUTCOMES: &[&str] = &[
    "claimant_prevailed",
    "respondent_prevailed",
    "partial",
    "settled",
    "dismissed",
    "other",
];
pub const PARTY_ROLES: &[&str] = &[
    "claimant",
    "respondent",
    "applicant",
    "plaintiff",
    "defendant",
];
pub const ENFORCEMENT_RESULTS: &[&str] = &[
    "enforced",
    "refused",
    "partially_enforced",
    "pending",
    "not_sought",
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub role: String,
    /// Left out when the source does not say.
    #[serde(default)]
    pub country: Option<String>,
    pub description_zh: String,
    pub description_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Enforcement {
    pub country: String,
    pub result: String,
    #[serde(default)]
    pub court_zh: String,
    #[serde(default)]
    pub court_en: String,
    #[serde(default)]
    pub year: Option<u16>,
    #[serde(default)]
    pub note_zh: String,
    #[serde(default)]
    pub note_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseSource {
    pub title: String,
    pub url: String,
}

/// A case as the library keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseRecord {
    pub slug: String,
    /// A fictional teaching case; its titles say so.
    pub demo: bool,
    pub year: u16,
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub sector: String,
    pub countries: Vec<String>,
    pub contract_type: String,
    pub forum: String,
    pub institution: String,
    pub seat: String,
    pub clause_zh: String,
    pub clause_en: String,
    pub amount_band: String,
    #[serde(default)]
    pub months_to_award: Option<u16>,
    pub outcome: String,
    pub outcome_zh: String,
    pub outcome_en: String,
    pub lessons_zh: String,
    pub lessons_en: String,
    #[serde(default)]
    pub parties: Vec<Party>,
    #[serde(default)]
    pub enforcement: Vec<Enforcement>,
    #[serde(default)]
    pub sources: Vec<CaseSource>,
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(AppError::invalid(field, "unknown_value"))
    }
}

/// Case records hold codes as written in their files: exactly, upper case.
fn country(field: &str, cc: &str) -> Result<()> {
    match crate::country::CountryCode::parse(cc) {
        Ok(code) if code.as_str() == cc => Ok(()),
        _ => Err(AppError::invalid(field, "unknown_country")),
    }
}

impl CaseRecord {
    pub fn validate(&self) -> Result<()> {
        let slug_ok = (3..=80).contains(&self.slug.len())
            && self
                .slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !slug_ok {
            return Err(AppError::invalid("slug", "slug"));
        }
        if !(1950..=2100).contains(&self.year) {
            return Err(AppError::invalid("year", "out_of_range"));
        }
        for (field, value) in [
            ("title_zh", &self.title_zh),
            ("title_en", &self.title_en),
            ("summary_zh", &self.summary_zh),
            ("summary_en", &self.summary_en),
            ("outcome_zh", &self.outcome_zh),
            ("outcome_en", &self.outcome_en),
            ("lessons_zh", &self.lessons_zh),
            ("lessons_en", &self.lessons_en),
        ] {
            if value.trim().is_empty() {
                return Err(AppError::invalid(field, "required"));
            }
            if value.chars().any(crate::text::is_invisible) {
                return Err(AppError::invalid(field, "invisible_characters"));
            }
        }
        if self.demo && !(self.title_en.contains("Demo") && self.title_zh.contains("演示")) {
            return Err(AppError::invalid("title_en", "case_demo_label"));
        }
        if !self.demo && self.sources.is_empty() {
            return Err(AppError::invalid("sources", "case_needs_source"));
        }
        one_of("sector", &self.sector, SECTORS)?;
        one_of("contract_type", &self.contract_type, CONTRACT_TYPES)?;
        one_of("forum", &self.forum, FORUMS)?;
        one_of("amount_band", &self.amount_band, AMOUNT_BANDS)?;
        one_of("outcome", &self.outcome, OUTCOMES)?;
        country("seat", &self.seat)?;
        if self.countries.is_empty() {
            return Err(AppError::invalid("countries", "required"));
        }
        for c in &self.countries {
            country("countries", c)?;
        }
        for p in &self.parties {
            one_of("parties.role", &p.role, PARTY_ROLES)?;
            if let Some(cc) = &p.country {
                country("parties.country", cc)?;
            }
        }
        for e in &self.enforcement {
            one_of("enforcement.result", &e.result, ENFORCEMENT_RESULTS)?;
            country("enforcement.country", &e.country)?;
        }
        for s in &self.sources {
            if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
                return Err(AppError::invalid("sources", "url"));
            }
        }
        Ok(())
    }

    /// Every country the case touches: parties, seat and enforcement included.
    pub fn all_countries(&self) -> Vec<String> {
        let mut all: Vec<String> = self.countries.clone();
        all.push(self.seat.clone());
        all.extend(self.enforcement.iter().map(|e| e.country.clone()));
        all.extend(self.parties.iter().filter_map(|p| p.country.clone()));
        all.sort();
        all.dedup();
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> CaseRecord {
        CaseRecord {
            slug: "demo-epc-id".into(),
            demo: true,
            year: 2024,
            title_zh: "印尼电站EPC争议（演示）".into(),
            title_en: "Indonesian power plant EPC dispute (Demo)".into(),
            summary_zh: "摘要".into(),
            summary_en: "Summary".into(),
            sector: "construction".into(),
            countries: vec!["CN".into(), "ID".into()],
            contract_type: "epc".into(),
            forum: "arbitration".into(),
            institution: "SIAC".into(),
            seat: "SG".into(),
            clause_zh: "新加坡仲裁".into(),
            clause_en: "SIAC, Singapore seat".into(),
            amount_band: "10m_100m_usd".into(),
            months_to_award: Some(18),
            outcome: "claimant_prevailed".into(),
            outcome_zh: "申请人胜诉".into(),
            outcome_en: "Claimant prevailed".into(),
            lessons_zh: "教训".into(),
            lessons_en: "Lessons".into(),
            parties: vec![],
            enforcement: vec![Enforcement {
                country: "ID".into(),
                result: "enforced".into(),
                court_zh: String::new(),
                court_en: String::new(),
                year: None,
                note_zh: String::new(),
                note_en: String::new(),
            }],
            sources: vec![],
        }
    }

    #[test]
    fn enums_countries_and_demo_labels_are_checked() {
        assert!(sample().validate().is_ok());
        let mut c = sample();
        c.sector = "poetry".into();
        assert!(c.validate().is_err());
        let mut c = sample();
        c.enforcement[0].country = "XX".into();
        assert!(c.validate().is_err());
        let mut c = sample();
        c.title_en = "Indonesian dispute".into();
        assert!(c.validate().is_err());
        let mut c = sample();
        c.demo = false;
        assert!(c.validate().is_err(), "a real case needs a source");
        assert_eq!(sample().all_countries(), ["CN", "ID", "SG"]);
    }
}
