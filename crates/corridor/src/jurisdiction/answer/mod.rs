//! The machine answer: what the API, the pages and the CLI give for each question, built from
//! the engine's assessments without changing them. The schema is documented in
//! `docs/jurisdiction.md`.
//!
//! Input is checked here, once, for every front end: country codes against the data, dates as
//! `YYYY-MM-DD` between [`EARLIEST`] and [`LATEST`], `commercial` as yes/no. A rejected input is
//! an [`AskError::Invalid`] naming the field and a message key under `errors.invalid.*`.
//! Pure: `today` is passed in by the caller.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::jurisdiction::award::Regime;
use crate::jurisdiction::facts::Statement;
use crate::jurisdiction::{Dataset, Error};

mod country;
mod questions;
mod sources;

pub use country::*;
pub use questions::*;
pub use sources::*;
/// The earliest date a question may be asked for: the New York Convention was opened in 1958.
pub const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(1958, 1, 1).expect("valid date");
/// The latest date a question may be asked for.
pub const LATEST: NaiveDate = NaiveDate::from_ymd_opt(2100, 12, 31).expect("valid date");

/// Why a question was not answered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AskError {
    /// `field` (as named in the API query) is wrong; `reason` is a key under `errors.invalid.*`.
    #[error("{field}: {value:?}: {}", reason_en(.reason))]
    Invalid {
        field: &'static str,
        reason: &'static str,
        value: String,
    },
    /// The embedded data is malformed: a build defect.
    #[error(transparent)]
    Data(Error),
}

/// English text of the reasons, for the CLI (pages and API use the locale files).
pub fn reason_en(reason: &str) -> &'static str {
    match reason {
        "required" => "this field is required",
        "country_code" => "not a country code: expected ISO 3166-1 alpha-2 such as VN, or HK / MO",
        "unknown_country" => "not a known ISO 3166-1 country or region code",
        "date" => "must be a date (YYYY-MM-DD)",
        "date_out_of_range" => "must be between 1958-01-01 and 2100-12-31",
        "yes_no" => "must be yes or no",
        _ => "invalid",
    }
}

pub(super) fn invalid(field: &'static str, reason: &'static str, value: &str) -> AskError {
    AskError::Invalid {
        field,
        reason,
        value: value.to_owned(),
    }
}

/// A country code as the data knows it (`vn` → `VN`).
pub fn country(field: &'static str, raw: &str) -> Result<String, AskError> {
    if raw.trim().is_empty() {
        return Err(invalid(field, "required", raw));
    }
    let ds = Dataset::get().map_err(AskError::Data)?;
    ds.country(raw).map_err(|e| match e {
        Error::InvalidCode(_) => invalid(field, "country_code", raw),
        Error::UnknownCountry(_) => invalid(field, "unknown_country", raw),
        other => AskError::Data(other),
    })
}

/// A `YYYY-MM-DD` date in range; `today` when absent or blank.
pub fn date(
    field: &'static str,
    raw: Option<&str>,
    today: NaiveDate,
) -> Result<NaiveDate, AskError> {
    let Some(text) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(today);
    };
    let d =
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| invalid(field, "date", text))?;
    if !(EARLIEST..=LATEST).contains(&d) {
        return Err(invalid(field, "date_out_of_range", text));
    }
    Ok(d)
}

/// `yes`/`no` (also `true`/`false`); `default` when absent or blank.
pub fn yes_no(field: &'static str, raw: Option<&str>, default: bool) -> Result<bool, AskError> {
    match raw.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") => Ok(default),
        Some("yes" | "true" | "y" | "1" | "on") => Ok(true),
        Some("no" | "false" | "n" | "0" | "off") => Ok(false),
        Some(_) => Err(invalid(field, "yes_no", raw.unwrap_or_default())),
    }
}

/// A text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

/// The legal basis of an award or judgment answer, in the vocabulary of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerRegime {
    NewYorkConvention,
    /// Mainland–Hong Kong arrangement.
    HkArrangement,
    /// Mainland–Macao arrangement.
    MacaoArrangement,
    /// Hong Kong–Macao arrangement.
    HkMacaoArrangement,
    BilateralTreaty,
    /// Judgments: reciprocity under the enforcing State's law.
    Reciprocity,
    /// No instrument in the data covers the case.
    None,
    /// Same place: not a cross-border question.
    Domestic,
    /// The data cannot tell.
    Undetermined,
}

impl From<Regime> for AnswerRegime {
    fn from(r: Regime) -> Self {
        match r {
            Regime::NewYorkConvention => AnswerRegime::NewYorkConvention,
            Regime::MainlandHongKongArrangement => AnswerRegime::HkArrangement,
            Regime::MainlandMacaoArrangement => AnswerRegime::MacaoArrangement,
            Regime::HongKongMacaoArrangement => AnswerRegime::HkMacaoArrangement,
            Regime::BilateralTreaty => AnswerRegime::BilateralTreaty,
            Regime::Reciprocity => AnswerRegime::Reciprocity,
            Regime::None => AnswerRegime::None,
            Regime::Domestic => AnswerRegime::Domestic,
            Regime::Undetermined => AnswerRegime::Undetermined,
        }
    }
}

impl AnswerRegime {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerRegime::NewYorkConvention => "new_york_convention",
            AnswerRegime::HkArrangement => "hk_arrangement",
            AnswerRegime::MacaoArrangement => "macao_arrangement",
            AnswerRegime::HkMacaoArrangement => "hk_macao_arrangement",
            AnswerRegime::BilateralTreaty => "bilateral_treaty",
            AnswerRegime::Reciprocity => "reciprocity",
            AnswerRegime::None => "none",
            AnswerRegime::Domestic => "domestic",
            AnswerRegime::Undetermined => "undetermined",
        }
    }

    fn name(self) -> (&'static str, &'static str) {
        match self {
            AnswerRegime::NewYorkConvention => ("the New York Convention", "《纽约公约》"),
            AnswerRegime::HkArrangement => {
                ("the Mainland–Hong Kong arrangement", "内地与香港的安排")
            }
            AnswerRegime::MacaoArrangement => {
                ("the Mainland–Macao arrangement", "内地与澳门的安排")
            }
            AnswerRegime::HkMacaoArrangement => {
                ("the Hong Kong–Macao arrangement", "香港与澳门的安排")
            }
            AnswerRegime::BilateralTreaty => ("a bilateral treaty", "双边条约"),
            AnswerRegime::Reciprocity => ("reciprocity", "互惠原则"),
            AnswerRegime::None => ("no instrument", "无适用文件"),
            AnswerRegime::Domestic => ("domestic law", "本地法律"),
            AnswerRegime::Undetermined => ("an undetermined basis", "未能确定的依据"),
        }
    }
}

/// What a step is, in the vocabulary of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Notarization,
    Translation,
    Apostille,
    LegalizationForeignMinistry,
    LegalizationEmbassy,
    AttestingOfficer,
    /// China Legal Services (HK) transmission seal after a China-Appointed Attesting Officer.
    TransmissionSeal,
    /// Macao document for the Mainland (sources conflict).
    MacaoAttestation,
    /// Awards: assemble the documents listed in `documents`.
    Documents,
    /// Awards: apply to the competent court within the time limit.
    CourtApplication,
    /// A procedure particular to the enforcing place or the regime.
    SpecialProcedure,
    Other,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Notarization => "notarization",
            StepKind::Translation => "translation",
            StepKind::Apostille => "apostille",
            StepKind::LegalizationForeignMinistry => "legalization_foreign_ministry",
            StepKind::LegalizationEmbassy => "legalization_embassy",
            StepKind::AttestingOfficer => "attesting_officer",
            StepKind::TransmissionSeal => "transmission_seal",
            StepKind::MacaoAttestation => "macao_attestation",
            StepKind::Documents => "documents",
            StepKind::CourtApplication => "court_application",
            StepKind::SpecialProcedure => "special_procedure",
            StepKind::Other => "other",
        }
    }

    /// The kind of a document-route step, from the engine's statement code.
    pub fn of_route_code(code: &str) -> StepKind {
        match code {
            "cn_prerequisite_notarization"
            | "cn_foreign_related_notarization"
            | "issuing_authority_or_notary" => StepKind::Notarization,
            "cn_mfa_authentication" | "issuing_foreign_ministry" => {
                StepKind::LegalizationForeignMinistry
            }
            "destination_consular_legalization" => StepKind::LegalizationEmbassy,
            "caao_attestation" => StepKind::AttestingOfficer,
            "cls_hk_transmission_seal" => StepKind::TransmissionSeal,
            "macao_attestation" => StepKind::MacaoAttestation,
            "cn_chinese_translation" => StepKind::Translation,
            c if c.ends_with("apostille_authority") => StepKind::Apostille,
            _ => StepKind::Other,
        }
    }
}

/// One step of an answer, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct AnswerStep {
    pub order: u8,
    pub kind: StepKind,
    /// Where the step is done (ISO code).
    pub authority_state: String,
    pub code: String,
    pub en: String,
    pub zh: String,
    pub source: String,
    pub verified: bool,
}

impl AnswerStep {
    fn new(order: usize, kind: StepKind, state: &str, s: &Statement) -> Self {
        AnswerStep {
            order: u8::try_from(order).unwrap_or(u8::MAX),
            kind,
            authority_state: state.to_owned(),
            code: s.code.clone(),
            en: s.en.clone(),
            zh: s.zh.clone(),
            source: s.source.clone(),
            verified: s.verified,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn inputs_are_checked_and_name_the_field() {
        let today = day(2026, 1, 1);
        assert_eq!(country("seat", "vn").unwrap(), "VN");
        for (raw, reason) in [
            ("XX", "unknown_country"),
            ("V1", "country_code"),
            ("", "required"),
        ] {
            match country("seat", raw) {
                Err(AskError::Invalid {
                    field, reason: r, ..
                }) => {
                    assert_eq!((field, r), ("seat", reason), "{raw}")
                }
                other => panic!("{raw}: {other:?}"),
            }
        }
        assert_eq!(date("date", None, today).unwrap(), today);
        assert_eq!(date("date", Some("1958-01-01"), today).unwrap(), EARLIEST);
        for (raw, reason) in [
            ("1957-12-31", "date_out_of_range"),
            ("2101-01-01", "date_out_of_range"),
            ("2024-02-30", "date"),
            ("soon", "date"),
        ] {
            assert!(
                matches!(date("date", Some(raw), today), Err(AskError::Invalid { reason: r, .. }) if r == reason),
                "{raw}"
            );
        }
        assert!(yes_no("commercial", Some("no"), true).is_ok_and(|v| !v));
        assert!(yes_no("commercial", Some("maybe"), true).is_err());
    }

    #[test]
    fn route_steps_carry_the_api_kinds() {
        let r = ask_route(
            &RouteAsk {
                from: "CN".into(),
                to: "ID".into(),
                date: Some("2023-11-06".into()),
            },
            day(2026, 1, 1),
        )
        .unwrap();
        let kinds: Vec<&str> = r.steps.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "notarization",
                "legalization_foreign_ministry",
                "legalization_embassy"
            ]
        );
        let hk = ask_route(
            &RouteAsk {
                from: "HK".into(),
                to: "CN".into(),
                date: None,
            },
            day(2026, 1, 1),
        )
        .unwrap();
        assert_eq!(hk.steps[0].kind, StepKind::AttestingOfficer);
        assert!(hk.steps.iter().any(|s| s.kind == StepKind::Translation));
    }

    #[test]
    fn the_step_count_in_words_is_the_number_of_steps_listed() {
        let mut counted = 0;
        for (from, to) in [
            ("VN", "CN"),
            ("US", "CN"),
            ("CN", "VN"),
            ("SG", "CN"),
            ("CN", "ID"),
        ] {
            let r = ask_route(
                &RouteAsk {
                    from: from.into(),
                    to: to.into(),
                    date: Some("2026-01-01".into()),
                },
                day(2026, 1, 1),
            )
            .unwrap();
            if !matches!(
                r.regime,
                crate::jurisdiction::RouteKind::Apostille
                    | crate::jurisdiction::RouteKind::ConsularLegalization
            ) {
                continue;
            }
            let n = r.steps.len();
            let words = if n == 1 {
                "(1 step)".to_string()
            } else {
                format!("({n} steps)")
            };
            assert!(r.answer.en.contains(&words), "{from}→{to}: {}", r.answer.en);
            assert!(
                r.answer.zh.contains(&format!("共{n}步")),
                "{from}→{to}: {}",
                r.answer.zh
            );
            counted += 1;
        }
        assert!(
            counted >= 3,
            "the pairs above should mostly need a formality"
        );
    }

    #[test]
    fn sources_are_split_and_links_recognised() {
        let parts = source_parts("https://a.example/x (note) | data/file.csv");
        assert_eq!(parts[0].href.as_deref(), Some("https://a.example/x"));
        assert_eq!(parts[1].href, None);
        let a = ask_award(
            &AwardAsk {
                seat: "CN".into(),
                enforce_in: "VN".into(),
                ..Default::default()
            },
            day(2026, 11, 30),
        )
        .unwrap();
        assert_eq!(a.regime, AnswerRegime::NewYorkConvention);
        assert!(!a.sources.is_empty());
        assert!(a.sources.iter().all(|s| !s.contains(" | ")));
    }
}
