//! The eligibility pre-check for overseas remote video notarization (海外远程视频公证), before
//! anyone applies, books or travels: a pure function of the applicant's answers and the rules of
//! `data/notary/remote_notarization_cn.json`.
//!
//! Input (JSON): `{date, nationality, mainland_resident, residence_country, days_resident,
//! residence_status, matter, use_in, needs_interpreter, disposes_property}`. Output:
//! `{verdict, reasons, conditions, ...}`, each reason and condition a rule of the data file by id
//! (`prc_national`, `long_term_resident`, `use_in_china`, `no_interpreter`,
//! `property_disposal_paper_original`, `matter_type`, `pilot_in_force`) with its words in en and
//! zh-CN and its source. A matter outside the permitted list is an answer (`ineligible`,
//! `matter_type`), not an input error; malformed input is an [`InputError`] naming the field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::rules::{RuleText, Rules};
use crate::reference::Reference;

/// Days of consecutive residence that make a long-term resident without a card or visa.
pub const LONG_TERM_DAYS: u32 = 180;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResidenceStatus {
    None,
    /// A long-term residence card of the country of residence.
    LongTerm,
    /// A permanent residence card.
    Permanent,
    WorkVisa,
    StudyVisa,
}

impl ResidenceStatus {
    pub const ALL: [ResidenceStatus; 5] = [
        ResidenceStatus::None,
        ResidenceStatus::LongTerm,
        ResidenceStatus::Permanent,
        ResidenceStatus::WorkVisa,
        ResidenceStatus::StudyVisa,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResidenceStatus::None => "none",
            ResidenceStatus::LongTerm => "long_term",
            ResidenceStatus::Permanent => "permanent",
            ResidenceStatus::WorkVisa => "work_visa",
            ResidenceStatus::StudyVisa => "study_visa",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// A card or visa that makes its holder a long-term resident whatever the days.
    fn is_long_term(self) -> bool {
        !matches!(self, ResidenceStatus::None)
    }
}

/// The applicant's answers, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Application {
    /// The day the question is asked for (the day of the intended act).
    pub date: NaiveDate,
    /// ISO 3166-1 alpha-2 (`CN` for a PRC national).
    pub nationality: String,
    /// A resident of the Mainland (内地居民), as opposed to Hong Kong, Macao or Taiwan.
    pub mainland_resident: bool,
    /// Where the applicant lives now (the mission's country).
    pub residence_country: String,
    /// Consecutive days of residence there.
    pub days_resident: u32,
    pub residence_status: ResidenceStatus,
    /// An id of `matter_types` in the data file; any other text is answered `matter_type`.
    pub matter: String,
    /// Where the certificate is to be used (`CN` = the Mainland).
    pub use_in: String,
    pub needs_interpreter: bool,
    pub disposes_property: bool,
}

/// Malformed input: the field, a stable reason code, and the offending value when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub field: String,
    /// One of `not_json`, `required`, `unknown_field`, `date`, `country_code`,
    /// `unknown_country`, `yes_no`, `out_of_range`, `unknown_value`, `text`.
    pub reason: &'static str,
    pub value: Option<String>,
}

impl InputError {
    fn new(field: &str, reason: &'static str, value: Option<&Value>) -> Self {
        Self {
            field: field.to_string(),
            reason,
            value: value.map(|v| v.to_string()),
        }
    }

    pub fn message_en(&self) -> String {
        let what = match self.reason {
            "not_json" => "the input is not a JSON object",
            "required" => "this field is required",
            "unknown_field" => "not a known field",
            "date" => "must be a date (YYYY-MM-DD)",
            "country_code" => "must be an ISO 3166-1 alpha-2 code such as CN or DE",
            "unknown_country" => "not a known ISO 3166-1 country or region code",
            "yes_no" => "must be true or false",
            "out_of_range" => "must be a whole number of days, 0 or more",
            "unknown_value" => "must be one of none, long_term, permanent, work_visa, study_visa",
            "text" => "must be text",
            _ => "is not valid",
        };
        match &self.value {
            Some(v) => format!("{}: {what} (got {v})", self.field),
            None => format!("{}: {what}", self.field),
        }
    }
}

const FIELDS: [&str; 10] = [
    "date",
    "nationality",
    "mainland_resident",
    "residence_country",
    "days_resident",
    "residence_status",
    "matter",
    "use_in",
    "needs_interpreter",
    "disposes_property",
];

impl Application {
    /// Reads the answers from JSON text.
    pub fn from_json(text: &str) -> Result<Self, InputError> {
        let value: Value = serde_json::from_str(text).map_err(|e| InputError {
            field: "input".into(),
            reason: "not_json",
            value: Some(e.to_string()),
        })?;
        Self::from_value(&value)
    }

    /// Reads the answers from a JSON value, naming the first bad field.
    pub fn from_value(value: &Value) -> Result<Self, InputError> {
        let object = value
            .as_object()
            .ok_or_else(|| InputError::new("input", "not_json", None))?;
        if let Some(unknown) = object.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(InputError::new(unknown, "unknown_field", None));
        }
        let field = |name: &str| {
            object
                .get(name)
                .filter(|v| !v.is_null())
                .ok_or_else(|| InputError::new(name, "required", None))
        };
        let text = |name: &str| {
            let v = field(name)?;
            v.as_str()
                .ok_or_else(|| InputError::new(name, "text", Some(v)))
        };
        let flag = |name: &str| {
            let v = field(name)?;
            v.as_bool()
                .ok_or_else(|| InputError::new(name, "yes_no", Some(v)))
        };
        let country = |name: &str| {
            let v = field(name)?;
            let code = v
                .as_str()
                .filter(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()))
                .ok_or_else(|| InputError::new(name, "country_code", Some(v)))?
                .to_ascii_uppercase();
            match Reference::get().country(&code) {
                Some(_) => Ok(code),
                None => Err(InputError::new(name, "unknown_country", Some(v))),
            }
        };
        let date_value = field("date")?;
        let date = date_value
            .as_str()
            .filter(|s| s.len() == 10)
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .ok_or_else(|| InputError::new("date", "date", Some(date_value)))?;
        let days = field("days_resident")?;
        let days_resident = days
            .as_u64()
            .and_then(|d| u32::try_from(d).ok())
            .ok_or_else(|| InputError::new("days_resident", "out_of_range", Some(days)))?;
        let status = field("residence_status")?;
        let residence_status = status
            .as_str()
            .and_then(ResidenceStatus::parse)
            .ok_or_else(|| InputError::new("residence_status", "unknown_value", Some(status)))?;
        Ok(Application {
            date,
            nationality: country("nationality")?,
            mainland_resident: flag("mainland_resident")?,
            residence_country: country("residence_country")?,
            days_resident,
            residence_status,
            matter: text("matter")?.to_string(),
            use_in: country("use_in")?,
            needs_interpreter: flag("needs_interpreter")?,
            disposes_property: flag("disposes_property")?,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Eligible,
    Ineligible,
    EligibleWithConditions,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Eligible => "eligible",
            Verdict::Ineligible => "ineligible",
            Verdict::EligibleWithConditions => "eligible_with_conditions",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Verdict::Eligible,
            Verdict::Ineligible,
            Verdict::EligibleWithConditions,
        ]
        .into_iter()
        .find(|v| v.as_str() == text)
    }
}

/// The conditions of an answer as stored (their codes, space-separated), in words again.
pub fn conditions_by_code(codes: &str) -> Vec<Finding> {
    let rules = Rules::get();
    codes
        .split(' ')
        .filter(|c| *c == rules.property_disposal_paper_original.id)
        .map(|_| Finding::of(&rules.property_disposal_paper_original))
        .collect()
}

/// A rule of the data file as it bears on this answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Finding {
    /// The rule's id in the data file.
    pub code: &'static str,
    /// The rule in words.
    pub en: &'static str,
    pub zh: &'static str,
    pub source: &'static str,
    pub verified: bool,
}

impl Finding {
    fn of(rule: &'static RuleText) -> Self {
        Finding {
            code: &rule.id,
            en: &rule.rule,
            zh: &rule.rule_zh,
            source: &rule.source,
            verified: rule.verified,
        }
    }
}

/// The answer. `reasons` are the rules the applicant does not meet (empty unless `ineligible`);
/// `conditions` are what the act will need on top (a paper original); `also_required` are the
/// rules no pre-check can decide (shown with every answer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Answer {
    pub verdict: Verdict,
    pub reasons: Vec<Finding>,
    pub conditions: Vec<Finding>,
    pub also_required: Vec<Finding>,
    /// The date the answer is for.
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    /// The data file's snapshot month.
    pub rules_snapshot: &'static str,
}

/// The check, against the embedded rules.
pub fn check(application: &Application) -> Answer {
    check_with(Rules::get(), application)
}

pub fn check_with(rules: &'static Rules, a: &Application) -> Answer {
    let mut reasons = Vec::new();
    if a.date < rules.in_force_from {
        reasons.push(Finding::of(&rules.in_force));
    }
    if a.nationality != "CN" || !a.mainland_resident {
        reasons.push(Finding::of(&rules.prc_national));
    }
    // Someone living in the Mainland is not a resident of a mission's country, whatever the days.
    let abroad = a.residence_country != "CN";
    let long_term = a.days_resident >= LONG_TERM_DAYS || a.residence_status.is_long_term();
    if !(abroad && long_term) {
        reasons.push(Finding::of(&rules.long_term_resident));
    }
    if a.use_in != "CN" {
        reasons.push(Finding::of(&rules.use_in_china));
    }
    if rules.matter(&a.matter).is_none() {
        reasons.push(Finding::of(&rules.matter_type));
    }
    if a.needs_interpreter {
        reasons.push(Finding::of(&rules.no_interpreter));
    }
    let mut conditions = Vec::new();
    // The data's rule is about a declaration (声明) that disposes of property; other matters
    // touching property (an entrustment) carry no such rule in the sources.
    if a.disposes_property && a.matter == "declaration" {
        conditions.push(Finding::of(&rules.property_disposal_paper_original));
    }
    let verdict = if !reasons.is_empty() {
        Verdict::Ineligible
    } else if !conditions.is_empty() {
        Verdict::EligibleWithConditions
    } else {
        Verdict::Eligible
    };
    Answer {
        verdict,
        reasons,
        conditions,
        also_required: rules.also_required.iter().map(Finding::of).collect(),
        date: a.date,
        rules_snapshot: &rules.snapshot,
    }
}

#[cfg(test)]
#[path = "eligibility_tests.rs"]
mod tests;
