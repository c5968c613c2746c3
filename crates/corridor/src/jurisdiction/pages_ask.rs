//! The three question forms (`/jurisdictions/awards`, `/judgments`, `/documents`): GET forms
//! that answer in words, each step with its sources.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::answer::{
    self, AnswerStep, AskError, AwardAsk, JudgmentAsk, RouteAsk, SourcePart, source_parts,
};
use super::facts::{Statement, Warning};
use super::pages::*;
use crate::Result;
use crate::web::extract::Query;
use crate::web::{PageCtx, render};

/// The form's raw values, echoed back into it.
#[derive(Debug, Default, Deserialize)]
pub struct FormValues {
    pub seat: Option<String>,
    pub enforce_in: Option<String>,
    pub court_in: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub commercial: Option<String>,
    pub date: Option<String>,
}

/// An answer as shown, whichever the question.
pub struct AnswerView {
    pub summary: String,
    pub regime: String,
    pub status: String,
    pub basis: Vec<Fact>,
    pub steps: Vec<Fact>,
    pub documents: Vec<Fact>,
    pub notes: Vec<Fact>,
    pub warnings: Vec<String>,
    pub sources: Vec<SourcePart>,
    pub json_link: String,
}

#[derive(Template)]
#[template(path = "jurisdiction/ask.html")]
struct AskPage {
    ctx: PageCtx,
    /// `award`, `judgment` or `document`.
    question: &'static str,
    /// The two country fields: (name, current value).
    first: (&'static str, String),
    second: (&'static str, String),
    commercial: bool,
    date: String,
    countries: Vec<(String, String)>,
    error: Option<String>,
    answer: Option<AnswerView>,
}

impl AskPage {
    fn title(&self) -> String {
        self.ctx.t(&format!("jurisdiction.ask.{}", self.question))
    }

    fn intro(&self) -> String {
        self.ctx.t(&format!("jurisdiction.intro_{}", self.question))
    }

    fn field_label(&self, field: &str) -> String {
        self.ctx.t(&format!("jurisdiction.field.{field}"))
    }
}

fn snake<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The parts of an answer a page shows, borrowed from whichever answer it is.
struct Parts<'a> {
    summary: &'a super::answer::Text,
    regime: String,
    status: String,
    basis: &'a [Statement],
    steps: &'a [AnswerStep],
    documents: &'a [Statement],
    notes: &'a [Statement],
    warnings: &'a [Warning],
    sources: &'a [String],
    json_link: String,
}

fn view(ctx: &PageCtx, p: Parts<'_>) -> AnswerView {
    let Parts {
        summary,
        regime,
        status,
        basis,
        steps,
        documents,
        notes,
        warnings,
        sources,
        json_link,
    } = p;
    let t = |k: &str| ctx.t(&format!("jurisdiction.{k}"));
    AnswerView {
        summary: ctx.pick(&summary.zh, &summary.en).to_owned(),
        regime,
        status,
        basis: basis
            .iter()
            .map(|s| Fact::statement(ctx, String::new(), s))
            .collect(),
        steps: steps
            .iter()
            .map(|s| {
                Fact::new(
                    format!(
                        "{} · {}",
                        t(&format!("step.{}", s.kind.as_str())),
                        ctx.country(&s.authority_state)
                    ),
                    ctx.pick(&s.zh, &s.en),
                    &s.source,
                    s.verified,
                )
            })
            .collect(),
        documents: documents
            .iter()
            .map(|s| Fact::statement(ctx, String::new(), s))
            .collect(),
        notes: notes
            .iter()
            .map(|s| Fact::statement(ctx, String::new(), s))
            .collect(),
        warnings: warnings
            .iter()
            .map(|w| ctx.pick(&w.zh, &w.en).to_owned())
            .collect(),
        sources: sources.iter().flat_map(|s| source_parts(s)).collect(),
        json_link,
    }
}

fn query_string(pairs: &[(&str, &Option<String>)]) -> String {
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| (*k, v)))
        .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

fn countries_for(ctx: &PageCtx) -> Result<Vec<(String, String)>> {
    Ok(answer::countries()?
        .into_iter()
        .map(|c| {
            let name = ctx.pick(&c.name_zh, &c.name_en).to_owned();
            let label = format!("{name} ({})", c.iso2);
            (c.iso2, label)
        })
        .collect())
}

/// Renders the form, with the answer or the error; 422 when the input was refused.
fn respond(
    mut page: AskPage,
    result: std::result::Result<AnswerView, AskError>,
) -> Result<Response> {
    let status = match result {
        Ok(view) => {
            page.answer = Some(view);
            StatusCode::OK
        }
        Err(AskError::Invalid { field, reason, .. }) => {
            page.error = Some(format!(
                "{} ({field}): {}",
                page.field_label(field),
                page.ctx.t(&format!("errors.invalid.{reason}"))
            ));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AskError::Data(e)) => return Err(crate::AppError::Internal(e.into())),
    };
    Ok((status, render(page)?).into_response())
}

fn asked(v: &FormValues, a: &Option<String>, b: &Option<String>) -> bool {
    a.is_some() || b.is_some() || v.date.is_some()
}

pub(super) async fn ask_award(ctx: PageCtx, Query(v): Query<FormValues>) -> Result<Response> {
    let page = AskPage {
        question: "award",
        first: ("seat", v.seat.clone().unwrap_or_default()),
        second: ("enforce_in", v.enforce_in.clone().unwrap_or_default()),
        commercial: answer::yes_no("commercial", v.commercial.as_deref(), true).unwrap_or(true),
        date: v.date.clone().unwrap_or_default(),
        countries: countries_for(&ctx)?,
        error: None,
        answer: None,
        ctx,
    };
    if !asked(&v, &v.seat, &v.enforce_in) {
        return Ok(render(page)?.into_response());
    }
    let ask = AwardAsk {
        seat: v.seat.clone().unwrap_or_default(),
        enforce_in: v.enforce_in.clone().unwrap_or_default(),
        commercial: v.commercial.clone(),
        date: v.date.clone(),
        institution: None,
    };
    let result = answer::ask_award(&ask, super::today()).map(|a| {
        let ctx = &page.ctx;
        view(
            ctx,
            Parts {
                summary: &a.answer,
                regime: a.regime.as_str().to_owned(),
                status: ctx.t(&format!("jurisdiction.coverage.{}", snake(&a.coverage))),
                basis: &a.basis,
                steps: &a.steps,
                documents: &a.documents,
                notes: &[],
                warnings: &a.warnings,
                sources: &a.sources,
                json_link: format!(
                    "/api/v1/jurisdiction/awards?{}",
                    query_string(&[
                        ("seat", &v.seat),
                        ("enforce_in", &v.enforce_in),
                        ("commercial", &v.commercial),
                        ("date", &v.date)
                    ])
                ),
            },
        )
    });
    respond(page, result)
}

pub(super) async fn ask_judgment(ctx: PageCtx, Query(v): Query<FormValues>) -> Result<Response> {
    let page = AskPage {
        question: "judgment",
        first: ("court_in", v.court_in.clone().unwrap_or_default()),
        second: ("enforce_in", v.enforce_in.clone().unwrap_or_default()),
        commercial: true,
        date: v.date.clone().unwrap_or_default(),
        countries: countries_for(&ctx)?,
        error: None,
        answer: None,
        ctx,
    };
    if !asked(&v, &v.court_in, &v.enforce_in) {
        return Ok(render(page)?.into_response());
    }
    let ask = JudgmentAsk {
        court_in: v.court_in.clone().unwrap_or_default(),
        enforce_in: v.enforce_in.clone().unwrap_or_default(),
        date: v.date.clone(),
    };
    let result = answer::ask_judgment(&ask, super::today()).map(|j| {
        let ctx = &page.ctx;
        view(
            ctx,
            Parts {
                summary: &j.answer,
                regime: j.regime.as_str().to_owned(),
                status: ctx.t(&format!("jurisdiction.coverage.{}", snake(&j.coverage))),
                basis: &j.basis,
                steps: &j.steps,
                documents: &j.documents,
                notes: &j.detail.notes,
                warnings: &j.warnings,
                sources: &j.sources,
                json_link: format!(
                    "/api/v1/jurisdiction/judgments?{}",
                    query_string(&[
                        ("court_in", &v.court_in),
                        ("enforce_in", &v.enforce_in),
                        ("date", &v.date)
                    ])
                ),
            },
        )
    });
    respond(page, result)
}

pub(super) async fn ask_document(ctx: PageCtx, Query(v): Query<FormValues>) -> Result<Response> {
    let page = AskPage {
        question: "document",
        first: ("from", v.from.clone().unwrap_or_default()),
        second: ("to", v.to.clone().unwrap_or_default()),
        commercial: true,
        date: v.date.clone().unwrap_or_default(),
        countries: countries_for(&ctx)?,
        error: None,
        answer: None,
        ctx,
    };
    if !asked(&v, &v.from, &v.to) {
        return Ok(render(page)?.into_response());
    }
    let ask = RouteAsk {
        from: v.from.clone().unwrap_or_default(),
        to: v.to.clone().unwrap_or_default(),
        date: v.date.clone(),
    };
    let result = answer::ask_route(&ask, super::today()).map(|r| {
        let ctx = &page.ctx;
        view(
            ctx,
            Parts {
                summary: &r.answer,
                regime: snake(&r.regime),
                status: ctx.t(&format!("jurisdiction.certainty.{}", snake(&r.certainty))),
                basis: &r.basis,
                steps: &r.steps,
                documents: &r.documents,
                notes: &r.notes,
                warnings: &r.warnings,
                sources: &r.sources,
                json_link: format!(
                    "/api/v1/jurisdiction/documents?{}",
                    query_string(&[("from", &v.from), ("to", &v.to), ("date", &v.date)])
                ),
            },
        )
    });
    respond(page, result)
}
