//! Country enforcement profiles (`asean.json`, `greater_china.json`): statutes, institutions,
//! competent court, time limit, languages, special procedures and pitfalls, each fact sourced.

use serde::{Deserialize, Serialize};

use super::facts::Statement;

/// A fact of a country profile: `{value, source, verified}`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ProfileFact<T> {
    pub value: T,
    pub source: String,
    pub verified: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Statute {
    pub name: String,
    pub year: Option<u16>,
    pub scope: String,
    /// `yes`, `no`, `not_applicable` or the data's own wording (e.g. `partly (...)`, `unverified`).
    pub model_law: String,
    pub note: String,
    pub source: String,
    pub verified: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Institution {
    pub name: String,
    pub abbreviation: String,
    pub note: String,
    pub source: String,
    pub verified: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Language {
    pub bcp47: String,
    pub name: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct AwardEnforcement {
    pub competent_court: ProfileFact<String>,
    pub time_limit: ProfileFact<String>,
    pub legal_basis: ProfileFact<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ProfileStatement {
    pub code: String,
    #[serde(default)]
    pub applies_to: Vec<String>,
    pub en: String,
    pub zh: String,
    pub source: String,
    pub verified: bool,
}

impl ProfileStatement {
    pub fn statement(&self) -> Statement {
        Statement::new(&self.code, &self.en, &self.zh, &self.source, self.verified)
    }
}

/// Enforcement profile of an ASEAN member (`asean.json`) or of CN/HK/MO (`greater_china.json`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CountryProfile {
    pub iso2: String,
    pub asean_member: ProfileFact<bool>,
    pub asean_member_note: String,
    pub arbitration_statutes: Vec<Statute>,
    pub institutions: Vec<Institution>,
    pub foreign_award_enforcement: AwardEnforcement,
    pub official_languages: ProfileFact<Vec<Language>>,
    #[serde(default)]
    pub special_procedures: Vec<ProfileStatement>,
    pub pitfalls: Vec<ProfileStatement>,
}

#[derive(Deserialize)]
pub(super) struct ProfileFile {
    pub(super) countries: Vec<CountryProfile>,
}
