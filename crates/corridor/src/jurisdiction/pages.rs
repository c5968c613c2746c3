//! Jurisdiction pages: the index (`/jurisdictions`), a country profile with every fact, its
//! source and verified flag (`/jurisdictions/{cc}`), and one form per question that answers in
//! words (`/jurisdictions/awards`, `/judgments`, `/documents`). GET forms: nothing changes.

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::answer::{
    self, AnswerStep, AskError, AwardAsk, CountryFacts, CountrySummary, JudgmentAsk, RouteAsk,
    SourcePart, source_parts,
};
use super::facts::{Statement, Warning};
use super::profile::ProfileFact;
use crate::Result;
use crate::app::AppState;
use crate::web::extract::{Path, Query};
use crate::web::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jurisdictions", get(index))
        .route("/jurisdictions/awards", get(ask_award))
        .route("/jurisdictions/judgments", get(ask_judgment))
        .route("/jurisdictions/documents", get(ask_document))
        .route("/jurisdictions/{cc}", get(country))
}

/// One fact as shown: what, its value, where it comes from, whether that is confirmed.
pub struct Fact {
    pub label: String,
    pub value: String,
    pub sources: Vec<SourcePart>,
    pub verified: bool,
}

impl Fact {
    fn new(label: String, value: impl Into<String>, source: &str, verified: bool) -> Self {
        Fact {
            label,
            value: value.into(),
            sources: source_parts(source),
            verified,
        }
    }

    fn statement(ctx: &PageCtx, label: String, s: &Statement) -> Self {
        Fact::new(label, ctx.pick(&s.zh, &s.en), &s.source, s.verified)
    }

    fn profile<T>(label: String, f: &ProfileFact<T>, value: String) -> Self {
        Fact::new(label, value, &f.source, f.verified)
    }
}

pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub facts: Vec<Fact>,
}

#[derive(Template)]
#[template(path = "jurisdiction/index.html")]
struct IndexPage {
    ctx: PageCtx,
    countries: Vec<CountrySummary>,
}

impl IndexPage {
    fn name(&self, c: &CountrySummary) -> String {
        self.ctx.pick(&c.name_zh, &c.name_en).to_owned()
    }
}

async fn index(ctx: PageCtx) -> Result<Html<String>> {
    render(IndexPage {
        ctx,
        countries: answer::countries()?,
    })
}

#[derive(Template)]
#[template(path = "jurisdiction/country.html")]
struct CountryPage {
    ctx: PageCtx,
    name: String,
    other_name: String,
    iso2: String,
    asean_member: bool,
    sections: Vec<Section>,
}

async fn country(ctx: PageCtx, Path(cc): Path<String>) -> Result<Html<String>> {
    let facts = answer::country_facts(&cc)?;
    let sections = sections(&ctx, &facts);
    render(CountryPage {
        name: ctx.pick(&facts.name_zh, &facts.name_en).to_owned(),
        other_name: ctx.pick(&facts.name_en, &facts.name_zh).to_owned(),
        iso2: facts.iso2.clone(),
        asean_member: facts.asean_member,
        sections,
        ctx,
    })
}

fn sections(ctx: &PageCtx, f: &CountryFacts) -> Vec<Section> {
    let t = |k: &str| ctx.t(&format!("jurisdiction.{k}"));
    let none = |label: String, file: &str| {
        Fact::new(
            label,
            t("no_data"),
            &format!("data/jurisdiction/{file}"),
            true,
        )
    };
    let mut out = Vec::new();
    if let Some(p) = &f.profile {
        let mut overview = vec![Fact::profile(
            t("fact.asean_member"),
            &p.asean_member,
            format!(
                "{}{}",
                if p.asean_member.value {
                    t("say_yes")
                } else {
                    t("say_no")
                },
                if p.asean_member_note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.asean_member_note)
                }
            ),
        )];
        overview.push(Fact::profile(
            t("fact.official_languages"),
            &p.official_languages,
            p.official_languages
                .value
                .iter()
                .map(|l| format!("{} ({})", l.name, l.bcp47))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        out.push(Section {
            id: "overview",
            title: t("section.overview"),
            facts: overview,
        });
        out.push(Section {
            id: "statutes",
            title: t("section.statutes"),
            facts: p
                .arbitration_statutes
                .iter()
                .map(|s| {
                    let year = s.year.map(|y| format!(" ({y})")).unwrap_or_default();
                    Fact::new(
                        format!("{}{year}", s.name),
                        format!(
                            "{}; {}: {}{}",
                            s.scope,
                            t("fact.model_law"),
                            s.model_law,
                            if s.note.is_empty() {
                                String::new()
                            } else {
                                format!(". {}", s.note)
                            }
                        ),
                        &s.source,
                        s.verified,
                    )
                })
                .collect(),
        });
        out.push(Section {
            id: "institutions",
            title: t("section.institutions"),
            facts: p
                .institutions
                .iter()
                .map(|i| {
                    Fact::new(
                        if i.abbreviation.is_empty() {
                            i.name.clone()
                        } else {
                            format!("{} ({})", i.name, i.abbreviation)
                        },
                        i.note.clone(),
                        &i.source,
                        i.verified,
                    )
                })
                .collect(),
        });
        let e = &p.foreign_award_enforcement;
        let mut enforcement = vec![
            Fact::profile(
                t("fact.competent_court"),
                &e.competent_court,
                e.competent_court.value.clone(),
            ),
            Fact::profile(
                t("fact.time_limit"),
                &e.time_limit,
                e.time_limit.value.clone(),
            ),
            Fact::profile(
                t("fact.legal_basis"),
                &e.legal_basis,
                e.legal_basis.value.clone(),
            ),
        ];
        enforcement.extend(
            p.special_procedures
                .iter()
                .map(|s| Fact::statement(ctx, t("fact.special_procedure"), &s.statement())),
        );
        enforcement.extend(
            p.pitfalls
                .iter()
                .map(|s| Fact::statement(ctx, t("fact.pitfall"), &s.statement())),
        );
        out.push(Section {
            id: "enforcement",
            title: t("section.enforcement"),
            facts: enforcement,
        });
    }
    let nyc = match &f.new_york_convention {
        Some(r) => Fact::new(
            t("fact.nyc"),
            format!(
                "{}: {}; {}: {}; {}: {}; {}: {} ({}); {}: {}{}{}",
                t("fact.action"),
                r.action,
                t("fact.deposit"),
                r.deposit_date,
                t("fact.entry_into_force"),
                r.entry_into_force,
                t("fact.reciprocity_reservation"),
                r.reciprocity_reservation,
                r.reciprocity_scope,
                t("fact.commercial_reservation"),
                r.commercial_reservation,
                if r.extension_of.is_empty() {
                    String::new()
                } else {
                    format!("; {}: {}", t("fact.extension_of"), r.extension_of)
                },
                if r.notes.is_empty() {
                    String::new()
                } else {
                    format!(". {}", r.notes)
                },
            ),
            &r.source,
            r.verified,
        ),
        None => none(t("fact.nyc"), "new_york_convention.csv"),
    };
    let apostille = match &f.apostille {
        Some(r) => Fact::new(
            t("fact.apostille"),
            format!(
                "{}; {}: {}; {}: {}{}{}",
                r.status_detail,
                t("fact.deposit"),
                r.deposit_date,
                t("fact.entry_into_force"),
                r.entry_into_force,
                if r.objections.is_empty() {
                    String::new()
                } else {
                    format!("; {}", r.objections)
                },
                if r.notes.is_empty() {
                    String::new()
                } else {
                    format!(". {}", r.notes)
                },
            ),
            &r.source,
            r.verified,
        ),
        None => none(t("fact.apostille"), "apostille.csv"),
    };
    let mut conventions = vec![nyc, apostille];
    conventions.extend(f.apostille_objections.iter().map(|o| {
        Fact::new(
            t("fact.objection"),
            format!(
                "{} → {} ({}): {}. {}",
                o.objecting_state, o.against_state, o.objection_date, o.status, o.notes
            ),
            &o.source,
            o.verified,
        )
    }));
    out.push(Section {
        id: "conventions",
        title: t("section.conventions"),
        facts: conventions,
    });
    let mut china = Vec::new();
    if let Some(tr) = &f.treaty_with_china {
        china.push(Fact::new(
            ctx.pick(&tr.instrument_zh, &tr.instrument).to_owned(),
            format!(
                "{}: {}; {}: {}; {}",
                t("fact.signed"),
                tr.signed,
                t("fact.entry_into_force"),
                tr.entry_into_force,
                tr.coverage_detail
            ),
            &tr.source,
            tr.verified,
        ));
    }
    china.extend(f.arrangements.iter().map(|a| {
        Fact::new(
            ctx.pick(&a.instrument_zh, &a.instrument).to_owned(),
            format!(
                "{}: {}; {}: {}. {}",
                t("fact.signed"),
                a.signed,
                t("fact.effective"),
                a.effective,
                a.scope
            ),
            &a.source,
            a.verified,
        )
    }));
    if f.iso2 != "CN" && china.is_empty() {
        china.push(none(t("fact.treaty"), "bilateral_treaties.csv"));
    }
    if !china.is_empty() {
        out.push(Section {
            id: "china",
            title: t("section.china"),
            facts: china,
        });
    }
    out.retain(|s| !s.facts.is_empty());
    out
}

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

async fn ask_award(ctx: PageCtx, Query(v): Query<FormValues>) -> Result<Response> {
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
    let result = answer::ask_award(&ask, super::api::today()).map(|a| {
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

async fn ask_judgment(ctx: PageCtx, Query(v): Query<FormValues>) -> Result<Response> {
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
    let result = answer::ask_judgment(&ask, super::api::today()).map(|j| {
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

async fn ask_document(ctx: PageCtx, Query(v): Query<FormValues>) -> Result<Response> {
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
    let result = answer::ask_route(&ask, super::api::today()).map(|r| {
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
