//! The three questions (award, judgment, document route): raw input checked, then the
//! engine's assessment worded for the front ends.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::jurisdiction::award::{AwardAssessment, AwardQuery, Coverage};
use crate::jurisdiction::document::{Certainty, DocumentQuery, DocumentRoute, RouteKind};
use crate::jurisdiction::facts::{Statement, Warning};
use crate::jurisdiction::judgment::{JudgmentAssessment, JudgmentQuery};
use crate::jurisdiction::{award_enforceability, document_route, judgment_enforceability};

use super::*;

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

pub(super) fn name(code: &str) -> (String, String) {
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
    // The steps the answer lists: the route's, plus a translation step where one is required.
    let n = r.steps.len()
        + r.notes
            .iter()
            .filter(|note| note.code == "cn_chinese_translation")
            .count();
    let steps_en = if n == 1 {
        "1 step".to_string()
    } else {
        format!("{n} steps")
    };
    let (en, zh) = match r.route {
        RouteKind::Domestic => (
            format!("Issued and used in {f_en}: no cross-border formality."),
            format!("在{f_zh}出具并使用：无需跨境手续。"),
        ),
        RouteKind::Apostille => (
            format!(
                "Apostille. A public document issued in {f_en} for use in {t_en} on {d} needs an apostille, not consular legalization ({steps_en})."
            ),
            format!(
                "附加证明书。{d}，{f_zh}出具的公文书在{t_zh}使用须办理附加证明书，无需领事认证（共{n}步）。"
            ),
        ),
        RouteKind::ConsularLegalization => (
            format!(
                "Consular legalization. A public document issued in {f_en} for use in {t_en} on {d} must be legalized; an apostille is not enough ({steps_en})."
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
