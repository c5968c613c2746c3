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

use super::award::{AwardAssessment, AwardQuery, Coverage, Regime};
use super::document::{Certainty, DocumentQuery, DocumentRoute, RouteKind};
use super::facts::{Statement, Warning};
use super::judgment::{JudgmentAssessment, JudgmentQuery};
use super::profile::CountryProfile;
use super::{
    ApostilleObjection, ApostilleParty, Arrangement, BilateralTreaty, Dataset, Error, NycParty,
    award_enforceability, document_route, judgment_enforceability,
};

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

fn invalid(field: &'static str, reason: &'static str, value: &str) -> AskError {
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

/// Will an arbitral award made at `seat` be enforced in `enforce_in` on `date`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AwardAnswer {
    pub seat: String,
    pub enforce_in: String,
    pub commercial: bool,
    pub date: NaiveDate,
    pub regime: AnswerRegime,
    pub coverage: Coverage,
    /// The answer in words.
    pub answer: Text,
    /// Why: each statement sourced.
    pub basis: Vec<Statement>,
    pub steps: Vec<AnswerStep>,
    pub documents: Vec<Statement>,
    pub warnings: Vec<Warning>,
    /// Every source the answer rests on, once each.
    pub sources: Vec<String>,
    /// The engine's full assessment (convention status, reservations, refusal grounds...).
    #[schema(value_type = Object)]
    pub detail: AwardAssessment,
}

/// Will a court judgment given in `court_in` be recognised in `enforce_in` on `date`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct JudgmentAnswer {
    pub court_in: String,
    pub enforce_in: String,
    pub date: NaiveDate,
    pub regime: AnswerRegime,
    pub coverage: Coverage,
    pub answer: Text,
    pub basis: Vec<Statement>,
    /// Empty: the data has no court, time limit or document list for judgments (see warnings).
    pub steps: Vec<AnswerStep>,
    pub documents: Vec<Statement>,
    pub warnings: Vec<Warning>,
    pub sources: Vec<String>,
    #[schema(value_type = Object)]
    pub detail: JudgmentAssessment,
}

/// How a public document issued in `from` is made acceptable in `to` on `date`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RouteAnswer {
    pub from: String,
    pub to: String,
    pub date: NaiveDate,
    /// The route: `apostille`, `consular_legalization`, `china_appointed_attesting_officer`, ...
    pub regime: RouteKind,
    pub certainty: Certainty,
    pub answer: Text,
    pub basis: Vec<Statement>,
    pub steps: Vec<AnswerStep>,
    /// Requirements on the documents themselves (translations, double-number certificates).
    pub documents: Vec<Statement>,
    pub notes: Vec<Statement>,
    pub warnings: Vec<Warning>,
    pub sources: Vec<String>,
    #[schema(value_type = Object)]
    pub detail: DocumentRoute,
}

/// The question as the front ends receive it: raw text, checked here.
#[derive(Clone, Debug, Default)]
pub struct AwardAsk {
    pub seat: String,
    pub enforce_in: String,
    pub commercial: Option<String>,
    pub date: Option<String>,
    pub institution: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct JudgmentAsk {
    pub court_in: String,
    pub enforce_in: String,
    pub date: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct RouteAsk {
    pub from: String,
    pub to: String,
    pub date: Option<String>,
}

fn name(code: &str) -> (String, String) {
    match crate::reference::Reference::get().country(code) {
        Some(c) => (c.name_en.clone(), c.name_zh.clone()),
        None => (code.to_owned(), code.to_owned()),
    }
}

pub fn ask_award(q: &AwardAsk, today: NaiveDate) -> Result<AwardAnswer, AskError> {
    let seat = country("seat", &q.seat)?;
    let enforce_in = country("enforce_in", &q.enforce_in)?;
    let commercial = yes_no("commercial", q.commercial.as_deref(), true)?;
    let date = date("date", q.date.as_deref(), today)?;
    let a = award_enforceability(AwardQuery {
        seat,
        institution: q.institution.clone(),
        enforcing_state: enforce_in,
        commercial,
        date,
    })
    .map_err(AskError::Data)?;
    Ok(award_answer(a))
}

pub fn award_answer(a: AwardAssessment) -> AwardAnswer {
    let regime = AnswerRegime::from(a.regime);
    let (s_en, s_zh) = name(&a.seat);
    let (e_en, e_zh) = name(&a.enforcing_state);
    let (r_en, r_zh) = regime.name();
    let d = a.date;
    let answer = match (a.coverage, regime) {
        (Coverage::NotApplicable, _) => Text {
            en: format!(
                "The seat and the place of enforcement are both {e_en}: enforcement is a domestic matter."
            ),
            zh: format!("仲裁地与执行地均为{e_zh}：属于本地执行问题。"),
        },
        (Coverage::Covered, _) => Text {
            en: format!(
                "Yes. An arbitral award made in {s_en} can be recognised and enforced in {e_en} on {d} under {r_en}."
            ),
            zh: format!("可以。{d}，在{s_zh}作出的仲裁裁决可依据{r_zh}在{e_zh}获得承认和执行。"),
        },
        (Coverage::NotCovered, AnswerRegime::None) => Text {
            en: format!(
                "No. On {d} no instrument in the data provides for enforcing an award made in {s_en} in {e_en}."
            ),
            zh: format!("否。{d}，数据中没有任何文件规定在{s_zh}作出的仲裁裁决可在{e_zh}执行。"),
        },
        (Coverage::NotCovered, _) => Text {
            en: format!(
                "No. An arbitral award made in {s_en} is not enforceable in {e_en} on {d} under {r_en}."
            ),
            zh: format!("否。{d}，在{s_zh}作出的仲裁裁决不能依据{r_zh}在{e_zh}执行。"),
        },
        (Coverage::Uncertain, _) => Text {
            en: format!(
                "Uncertain. Enforcing an award made in {s_en} in {e_en} on {d} would rest on {r_en}, but the data cannot confirm it: see the warnings."
            ),
            zh: format!(
                "不确定。{d}，在{s_zh}作出的仲裁裁决在{e_zh}执行将依据{r_zh}，但数据无法确认：请看警示。"
            ),
        },
    };
    let mut steps = Vec::new();
    let instrument = !matches!(
        regime,
        AnswerRegime::None | AnswerRegime::Domestic | AnswerRegime::Undetermined
    );
    if instrument && a.coverage != Coverage::NotCovered {
        let e = a.enforcing_state.clone();
        if !a.documents.is_empty() {
            let s = Statement::new(
                "assemble_documents",
                "Assemble the documents listed under documents.",
                "准备“所需文件”中列出的文件。",
                &join_sources(a.documents.iter().map(|d| d.source.as_str())),
                a.documents.iter().all(|d| d.verified),
            );
            steps.push(AnswerStep::new(
                steps.len() + 1,
                StepKind::Documents,
                &e,
                &s,
            ));
        }
        let langs = &a.translation_languages;
        if !langs.value.is_empty() {
            let list = langs
                .value
                .iter()
                .map(|l| format!("{} ({})", l.name, l.bcp47))
                .collect::<Vec<_>>()
                .join(", ");
            let s = Statement::new(
                "translation",
                &format!(
                    "Documents not in an official language of {e_en} need a certified translation into {list}."
                ),
                &format!("非{e_zh}官方语言的文件须附经证明的译文：{list}。"),
                &langs.source,
                langs.verified,
            );
            steps.push(AnswerStep::new(
                steps.len() + 1,
                StepKind::Translation,
                &e,
                &s,
            ));
        }
        let court = &a.competent_court;
        let limit = &a.time_limit;
        let s = Statement::new(
            "court_application",
            &format!(
                "Apply to the competent court: {}. Time limit: {}.",
                court.value, limit.value
            ),
            &format!("向管辖法院申请：{}。期限：{}。", court.value, limit.value),
            &join_sources([court.source.as_str(), limit.source.as_str()]),
            court.verified && limit.verified,
        );
        steps.push(AnswerStep::new(
            steps.len() + 1,
            StepKind::CourtApplication,
            &e,
            &s,
        ));
        for p in &a.special_procedures {
            steps.push(AnswerStep::new(
                steps.len() + 1,
                StepKind::SpecialProcedure,
                &e,
                p,
            ));
        }
    }
    let sources = sources_of(&a);
    AwardAnswer {
        seat: a.seat.clone(),
        enforce_in: a.enforcing_state.clone(),
        commercial: a.commercial,
        date: a.date,
        regime,
        coverage: a.coverage,
        answer,
        basis: a.basis.clone(),
        steps,
        documents: a.documents.clone(),
        warnings: a.warnings.clone(),
        sources,
        detail: a,
    }
}

pub fn ask_judgment(q: &JudgmentAsk, today: NaiveDate) -> Result<JudgmentAnswer, AskError> {
    let court_in = country("court_in", &q.court_in)?;
    let enforce_in = country("enforce_in", &q.enforce_in)?;
    let date = date("date", q.date.as_deref(), today)?;
    let j = judgment_enforceability(JudgmentQuery {
        rendering_state: court_in,
        enforcing_state: enforce_in,
        date,
    })
    .map_err(AskError::Data)?;
    Ok(judgment_answer(j))
}

pub fn judgment_answer(j: JudgmentAssessment) -> JudgmentAnswer {
    let regime = AnswerRegime::from(j.regime);
    let (c_en, c_zh) = name(&j.rendering_state);
    let (e_en, e_zh) = name(&j.enforcing_state);
    let (r_en, r_zh) = regime.name();
    let d = j.date;
    let answer = match (j.coverage, regime) {
        (Coverage::NotApplicable, _) => Text {
            en: format!(
                "The court and the place of enforcement are both in {e_en}: a domestic matter."
            ),
            zh: format!("作出判决的法院与执行地均在{e_zh}：属于本地问题。"),
        },
        (Coverage::Covered, _) => Text {
            en: format!(
                "Yes. A judgment of a court in {c_en} can be recognised and enforced in {e_en} on {d} under {r_en}."
            ),
            zh: format!("可以。{d}，{c_zh}法院的判决可依据{r_zh}在{e_zh}获得承认和执行。"),
        },
        (Coverage::NotCovered, _) => Text {
            en: format!(
                "No. On {d} a judgment of a court in {c_en} is not recognised in {e_en} under {r_en}."
            ),
            zh: format!("否。{d}，{c_zh}法院的判决不能依据{r_zh}在{e_zh}获得承认。"),
        },
        (Coverage::Uncertain, AnswerRegime::Reciprocity) => Text {
            en: format!(
                "Uncertain. No treaty or arrangement in the data covers judgments from {c_en} in {e_en} on {d}; recognition would rest on reciprocity, which needs its own source."
            ),
            zh: format!(
                "不确定。{d}，数据中没有涵盖{c_zh}判决在{e_zh}承认的条约或安排；承认将取决于互惠，而互惠须另有来源。"
            ),
        },
        (Coverage::Uncertain, _) => Text {
            en: format!(
                "Uncertain. Whether a judgment of a court in {c_en} is recognised in {e_en} on {d} cannot be confirmed from the data ({r_en}): see the warnings."
            ),
            zh: format!(
                "不确定。{d}，{c_zh}法院的判决能否在{e_zh}获得承认，数据无法确认（{r_zh}）：请看警示。"
            ),
        },
    };
    let sources = sources_of(&j);
    JudgmentAnswer {
        court_in: j.rendering_state.clone(),
        enforce_in: j.enforcing_state.clone(),
        date: j.date,
        regime,
        coverage: j.coverage,
        answer,
        basis: j.basis.clone(),
        steps: Vec::new(),
        documents: Vec::new(),
        warnings: j.warnings.clone(),
        sources,
        detail: j,
    }
}

pub fn ask_route(q: &RouteAsk, today: NaiveDate) -> Result<RouteAnswer, AskError> {
    let from = country("from", &q.from)?;
    let to = country("to", &q.to)?;
    let date = date("date", q.date.as_deref(), today)?;
    let r = document_route(DocumentQuery {
        issuing_state: from,
        destination_state: to,
        date,
    })
    .map_err(AskError::Data)?;
    Ok(route_answer(r))
}

pub fn route_answer(r: DocumentRoute) -> RouteAnswer {
    let (f_en, f_zh) = name(&r.issuing_state);
    let (t_en, t_zh) = name(&r.destination_state);
    let d = r.date;
    let n = r.steps.len();
    let (en, zh) = match r.route {
        RouteKind::Domestic => (
            format!("Issued and used in {f_en}: no cross-border formality."),
            format!("在{f_zh}出具并使用：无需跨境手续。"),
        ),
        RouteKind::Apostille => (
            format!(
                "Apostille. A public document issued in {f_en} for use in {t_en} on {d} needs an apostille, not consular legalization ({n} step(s))."
            ),
            format!(
                "附加证明书。{d}，{f_zh}出具的公文书在{t_zh}使用须办理附加证明书，无需领事认证（共{n}步）。"
            ),
        ),
        RouteKind::ConsularLegalization => (
            format!(
                "Consular legalization. A public document issued in {f_en} for use in {t_en} on {d} must be legalized; an apostille is not enough ({n} step(s))."
            ),
            format!(
                "领事认证。{d}，{f_zh}出具的公文书在{t_zh}使用须办理领事认证，附加证明书不适用（共{n}步）。"
            ),
        ),
        RouteKind::ChinaAppointedAttestingOfficer => (
            format!(
                "Attestation by a China-Appointed Attesting Officer. A document issued in {f_en} for use in {t_en} is attested, then sealed by China Legal Services (HK); no apostille."
            ),
            format!(
                "中国委托公证人证明。{f_zh}出具的文书在{t_zh}使用，须经中国委托公证人证明并加盖中国法律服务（香港）有限公司转递专用章；不适用附加证明书。"
            ),
        ),
        RouteKind::MacaoAttestation => (
            format!(
                "Attestation for use in the Mainland. A document issued in {f_en} for use in {t_en} needs an attestation; the sources conflict on who gives it."
            ),
            format!(
                "供内地使用的证明。{f_zh}出具的文书在{t_zh}使用须经证明；关于由谁出具，来源说法不一。"
            ),
        ),
        RouteKind::Undetermined => (
            format!(
                "Undetermined. The data does not say how a document issued in {f_en} is made acceptable in {t_en} on {d}: see the warnings."
            ),
            format!("无法确定。{d}，{f_zh}出具的文书如何在{t_zh}获得认可，数据未载明：请看警示。"),
        ),
    };
    let (en, zh) = if r.certainty == Certainty::Uncertain && r.route != RouteKind::Undetermined {
        (
            format!("{en} Not certain: some facts are unconfirmed, see the warnings."),
            format!("{zh}尚不确定：部分事实未经核实，请看警示。"),
        )
    } else {
        (en, zh)
    };
    let mut steps: Vec<AnswerStep> = r
        .steps
        .iter()
        .map(|s| {
            AnswerStep::new(
                usize::from(s.order),
                StepKind::of_route_code(&s.statement.code),
                &s.authority_state,
                &s.statement,
            )
        })
        .collect();
    let mut documents = Vec::new();
    for note in &r.notes {
        match note.code.as_str() {
            "cn_chinese_translation" => {
                steps.push(AnswerStep::new(
                    steps.len() + 1,
                    StepKind::Translation,
                    &r.destination_state,
                    note,
                ));
                documents.push(note.clone());
            }
            "cn_double_number_certificate" => documents.push(note.clone()),
            _ => {}
        }
    }
    let sources = sources_of(&r);
    RouteAnswer {
        from: r.issuing_state.clone(),
        to: r.destination_state.clone(),
        date: r.date,
        regime: r.route,
        certainty: r.certainty,
        answer: Text { en, zh },
        basis: r.basis.clone(),
        steps,
        documents,
        notes: r.notes.clone(),
        warnings: r.warnings.clone(),
        sources,
        detail: r,
    }
}

fn join_sources<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for p in parts {
        for s in p.split(" | ").map(str::trim).filter(|s| !s.is_empty()) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out.join(" | ")
}

/// Every `source` anywhere in an assessment, split on ` | `, once each, in order of appearance.
pub fn sources_of<T: Serialize>(value: &T) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    if k == "source"
                        && let Some(s) = v.as_str()
                    {
                        for part in s.split(" | ").map(str::trim) {
                            if !part.is_empty()
                                && part != "engine"
                                && !out.iter().any(|o| o == part)
                            {
                                out.push(part.to_owned());
                            }
                        }
                    } else {
                        walk(v, out);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(value) {
        walk(&v, &mut out);
    }
    out
}

/// Everything the data holds about one country or region, each row with its source.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CountryFacts {
    pub iso2: String,
    pub name_en: String,
    pub name_zh: String,
    pub asean_member: bool,
    /// Enforcement profile (ASEAN members, CN, HK, MO): statutes, institutions, court, time
    /// limit, languages, special procedures, pitfalls; each fact `{value, source, verified}`.
    #[schema(value_type = Option<Object>)]
    pub profile: Option<CountryProfile>,
    #[schema(value_type = Option<Object>)]
    pub new_york_convention: Option<NycParty>,
    #[schema(value_type = Option<Object>)]
    pub apostille: Option<ApostilleParty>,
    #[schema(value_type = Vec<Object>)]
    pub apostille_objections: Vec<ApostilleObjection>,
    /// China's bilateral judicial assistance treaty with this State, if any.
    #[schema(value_type = Option<Object>)]
    pub treaty_with_china: Option<BilateralTreaty>,
    /// Arrangements this place is a party to (Mainland, Hong Kong, Macao).
    #[schema(value_type = Vec<Object>)]
    pub arrangements: Vec<Arrangement>,
}

/// A country or region in the index.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CountrySummary {
    pub iso2: String,
    pub name_en: String,
    pub name_zh: String,
    pub asean_member: bool,
    /// The data has an enforcement profile for it.
    pub has_profile: bool,
}

/// The facts the data holds about `cc` (the field is named `cc` in errors).
pub fn country_facts(cc: &str) -> Result<CountryFacts, AskError> {
    let iso2 = country("cc", cc)?;
    let ds = Dataset::get().map_err(AskError::Data)?;
    let reference = crate::reference::Reference::get().country(&iso2);
    let profile = ds.profile(&iso2).cloned();
    let asean_member = asean(profile.as_ref(), reference);
    let (name_en, name_zh) = name(&iso2);
    Ok(CountryFacts {
        name_en,
        name_zh,
        asean_member,
        profile,
        new_york_convention: ds.nyc_party(&iso2).cloned(),
        apostille: ds.apostille_party(&iso2).cloned(),
        apostille_objections: ds
            .apostille_objections
            .iter()
            .filter(|o| o.objecting_state == iso2 || o.against_state == iso2)
            .cloned()
            .collect(),
        treaty_with_china: ds.treaty_with_china(&iso2).cloned(),
        arrangements: ds
            .arrangements
            .iter()
            .filter(|a| a.parties.split(';').any(|p| p.trim() == iso2))
            .cloned()
            .collect(),
        iso2,
    })
}

/// ASEAN membership: the profile's fact when it is confirmed, else the reference list's (which
/// is confirmed, e.g. Timor-Leste's admission on 2025-10-26 that the profile still marks
/// unverified).
fn asean(profile: Option<&CountryProfile>, reference: Option<&crate::reference::Country>) -> bool {
    match (profile, reference) {
        (Some(p), _) if p.asean_member.verified => p.asean_member.value,
        (_, Some(c)) => c.asean_member,
        (Some(p), None) => p.asean_member.value,
        (None, None) => false,
    }
}

/// Every country and region the questions accept: the places with a profile first (ASEAN,
/// then the Mainland, Hong Kong and Macao), then the rest in reference order.
pub fn countries() -> Result<Vec<CountrySummary>, AskError> {
    let ds = Dataset::get().map_err(AskError::Data)?;
    let mut out: Vec<CountrySummary> = crate::reference::Reference::get()
        .countries
        .iter()
        .filter(|c| ds.country(&c.iso2).is_ok())
        .map(|c| CountrySummary {
            iso2: c.iso2.clone(),
            name_en: c.name_en.clone(),
            name_zh: c.name_zh.clone(),
            asean_member: asean(ds.profile(&c.iso2), Some(c)),
            has_profile: ds.profile(&c.iso2).is_some(),
        })
        .collect();
    out.sort_by_key(|c| (!c.has_profile, !c.asean_member));
    Ok(out)
}

/// One piece of a `source` field: a link when it starts with a URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourcePart {
    pub href: Option<String>,
    pub text: String,
}

/// Splits a `source` field (`url (comment) | text | url`) into pieces, each a link if it can be.
pub fn source_parts(source: &str) -> Vec<SourcePart> {
    source
        .split(" | ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let first = s.split_whitespace().next().unwrap_or_default();
            let href = (first.starts_with("https://") || first.starts_with("http://"))
                .then(|| first.to_owned());
            SourcePart {
                href,
                text: s.to_owned(),
            }
        })
        .collect()
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
