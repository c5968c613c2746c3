//! Knowledge pages: the guides (read, edit, history) and the case library.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::case::{CaseRecord, ENFORCEMENT_RESULTS};
use super::guide::{GuideText, Source, render_html, sections};
use super::http::{CaseParams, find_guide, guide_key, guide_url};
use super::store::{Guide, GuideRevision, StoredCase};
use crate::auth::CurrentUser;
use crate::auth::audit::Who;
use crate::search::query::SECTORS;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{one, parse_query};
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new()
        .route("/guides", get(guides))
        .route("/guides/{cc}", get(guide_page))
        .route("/guides/{cc}/edit", get(edit_page).post(edit_submit))
        .route("/guides/{cc}/history", get(history))
        .route("/cases", get(cases))
        .route("/cases/new", get(new_case_page).post(new_case_submit))
        .route("/cases/{slug}", get(case_page))
        .route(
            "/cases/{slug}/edit",
            get(edit_case_page).post(edit_case_submit),
        )
}

#[derive(Deserialize, Default)]
struct LangParam {
    lang: Option<String>,
    revision: Option<i64>,
}

impl LangParam {
    /// The guide's language: the one asked for, else the reader's.
    fn lang(&self, ctx: &PageCtx) -> String {
        self.lang.clone().unwrap_or_else(|| {
            if ctx.is_zh() {
                "zh-CN".into()
            } else {
                "en".into()
            }
        })
    }
}

struct RenderedSection {
    id: String,
    heading: String,
    html: String,
}

#[derive(Template)]
#[template(path = "knowledge/guides.html")]
struct GuidesPage {
    ctx: PageCtx,
    guides: Vec<Guide>,
}

impl GuidesPage {
    fn url(&self, g: &Guide) -> String {
        guide_url(&g.country, &g.lang)
    }
}

async fn guides(State(state): State<AppState>, ctx: PageCtx) -> Result<Html<String>> {
    let guides = state.store.guides().await?;
    render(GuidesPage { ctx, guides })
}

#[derive(Template)]
#[template(path = "knowledge/guide.html")]
struct GuidePage {
    ctx: PageCtx,
    guide: Guide,
    sections: Vec<RenderedSection>,
    other_lang: String,
    can_edit: bool,
    /// Showing an earlier revision, not the current text.
    old_revision: Option<GuideRevision>,
}

impl GuidePage {
    fn cc(&self) -> String {
        self.guide.country.to_lowercase()
    }
    fn unverified_count(&self) -> usize {
        self.guide.body.matches("(unverified)").count()
            + self.guide.body.matches("（未核实）").count()
    }
}

fn rendered(body: &str) -> Result<Vec<RenderedSection>> {
    Ok(sections(body)?
        .into_iter()
        .map(|s| RenderedSection {
            html: render_html(&s.markdown),
            id: s.id,
            heading: s.heading,
        })
        .collect())
}

async fn guide_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(cc): Path<String>,
    Query(p): Query<LangParam>,
) -> Result<Html<String>> {
    let mut guide = find_guide(&state, &cc, &p.lang(&ctx)).await?;
    let (cc, lang) = (guide.country.clone(), guide.lang.clone());
    let mut old_revision = None;
    if let Some(n) = p.revision.filter(|n| *n != guide.revision) {
        let r = state
            .store
            .guide_revision(&cc, &lang, n)
            .await?
            .ok_or(AppError::NotFound)?;
        guide.title = r.title.clone();
        guide.summary = r.summary.clone();
        guide.body = r.body.clone();
        guide.sources = r.sources.clone();
        guide.reviewed = r.reviewed.clone();
        old_revision = Some(r);
    }
    let can_edit = may_edit(&ctx);
    render(GuidePage {
        sections: rendered(&guide.body)?,
        other_lang: if lang == "en" {
            "zh-CN".into()
        } else {
            "en".into()
        },
        ctx,
        guide,
        can_edit,
        old_revision,
    })
}

#[derive(Template)]
#[template(path = "knowledge/history.html")]
struct HistoryPage {
    ctx: PageCtx,
    guide: Guide,
    revisions: Vec<GuideRevision>,
}

async fn history(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(cc): Path<String>,
    Query(p): Query<LangParam>,
) -> Result<Html<String>> {
    let guide = find_guide(&state, &cc, &p.lang(&ctx)).await?;
    let (cc, lang) = (guide.country.clone(), guide.lang.clone());
    let revisions = state.store.guide_revisions(&cc, &lang).await?;
    render(HistoryPage {
        ctx,
        guide,
        revisions,
    })
}

#[derive(Template)]
#[template(path = "knowledge/edit.html")]
struct EditPage {
    ctx: PageCtx,
    country: String,
    lang: String,
    title: String,
    summary: String,
    reviewed: String,
    sources: String,
    body: String,
    note: String,
    base_revision: i64,
    error: Option<String>,
}

/// Sources in the edit form: one per line, `S1 | title | https://…`.
fn sources_text(sources: &[Source]) -> String {
    sources
        .iter()
        .map(|s| format!("{} | {} | {}", s.key, s.title, s.url))
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_sources(text: &str) -> Result<Vec<Source>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
            match parts.as_slice() {
                [key, title, url] => Ok(Source {
                    key: key.to_string(),
                    title: title.to_string(),
                    url: url.to_string(),
                }),
                _ => Err(AppError::invalid("sources", "guide_source_line")),
            }
        })
        .collect()
}

async fn editor(_state: &AppState, ctx: &PageCtx) -> Result<std::sync::Arc<crate::auth::Actor>> {
    let actor = ctx.actor.clone().ok_or(AppError::Unauthenticated)?;
    super::require_editor(&actor)?;
    Ok(actor)
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(cc): Path<String>,
    Query(p): Query<LangParam>,
) -> Result<Html<String>> {
    editor(&state, &ctx).await?;
    let g = find_guide(&state, &cc, &p.lang(&ctx)).await?;
    render(EditPage {
        ctx,
        country: g.country,
        lang: g.lang,
        title: g.title,
        summary: g.summary,
        reviewed: g.reviewed,
        sources: sources_text(&g.sources),
        body: g.body,
        note: String::new(),
        base_revision: g.revision,
        error: None,
    })
}

async fn edit_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(cc): Path<String>,
    Query(p): Query<LangParam>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let (cc, lang) = guide_key(&cc, &p.lang(&ctx))?;
    editor(&state, &ctx).await?;
    // Browsers send CRLF from a textarea; the stored text uses LF.
    let field = |k: &str| one(&form, k).replace("\r\n", "\n");
    let mut page = EditPage {
        ctx,
        country: cc.clone(),
        lang: lang.clone(),
        title: field("title").trim().to_string(),
        summary: field("summary").trim().to_string(),
        reviewed: field("reviewed").trim().to_string(),
        sources: field("sources"),
        body: field("body"),
        note: field("note").trim().to_string(),
        base_revision: field("base_revision").trim().parse().unwrap_or(-1),
        error: None,
    };
    let saved = match parse_sources(&page.sources) {
        Ok(sources) => {
            let text = GuideText {
                country: cc.clone(),
                lang: lang.clone(),
                title: page.title.clone(),
                summary: page.summary.clone(),
                reviewed: page.reviewed.clone(),
                sources,
                body: page.body.clone(),
            };
            state
                .store
                .save_guide(
                    &Who::from(actor.as_ref()),
                    &actor.name,
                    &text,
                    page.base_revision,
                    &page.note,
                )
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&guide_url(&cc, &lang)).into_response()),
        // The editor's text comes back in the form with the reason: nothing typed is lost.
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = err.status();
            page.error = Some(err.info().message(page.ctx.lang()));
            Ok((status, render(page)?).into_response())
        }
        Err(err) => Err(err),
    }
}

#[derive(Template)]
#[template(path = "knowledge/cases.html")]
struct CasesPage {
    ctx: PageCtx,
    can_edit: bool,
    cases: Vec<StoredCase>,
    params: CaseParams,
    sectors: &'static [&'static str],
    results: &'static [&'static str],
    countries: Vec<(String, String)>,
}

impl CasesPage {
    fn selected(&self, value: &Option<String>, code: &str) -> bool {
        value
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case(code))
    }
}

/// ASEAN, the Mainland, Hong Kong and Macao first: where the cases are.
fn case_countries(ctx: &PageCtx) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = super::ASEAN
        .iter()
        .chain(["CN", "HK", "MO"].iter())
        .map(|cc| (cc.to_string(), ctx.country(cc)))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

async fn cases(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(raw): Query<Vec<(String, String)>>,
) -> Result<Html<String>> {
    let params: CaseParams = parse_query(&raw)?;
    let cases = state.store.cases(&params.filter()?).await?;
    render(CasesPage {
        can_edit: may_edit(&ctx),
        countries: case_countries(&ctx),
        ctx,
        cases,
        params,
        sectors: SECTORS,
        results: ENFORCEMENT_RESULTS,
    })
}

#[derive(Template)]
#[template(path = "knowledge/case.html")]
struct CasePage {
    ctx: PageCtx,
    c: CaseRecord,
    edited: bool,
    can_edit: bool,
}

async fn case_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Html<String>> {
    let stored = state.store.case(&slug).await?.ok_or(AppError::NotFound)?;
    render(CasePage {
        can_edit: may_edit(&ctx),
        ctx,
        c: stored.case,
        edited: stored.edited,
    })
}

/// Whether the reader may edit guides and cases (to show the edit links).
fn may_edit(ctx: &PageCtx) -> bool {
    ctx.actor.as_deref().is_some_and(super::can_edit_knowledge)
}

/// A case is edited as the TOML of its shipped files (`data/knowledge/README.md` lists the
/// fields): one text, checked by the same rules, with the parser's message on a mistake.
#[derive(Template)]
#[template(path = "knowledge/case_edit.html")]
struct CaseEditPage {
    ctx: PageCtx,
    /// `None` for a new case.
    slug: Option<String>,
    text: String,
    error: Option<String>,
}

const NEW_CASE_TEMPLATE: &str = include_str!("case_template.toml");

async fn new_case_page(State(state): State<AppState>, ctx: PageCtx) -> Result<Html<String>> {
    editor(&state, &ctx).await?;
    render(CaseEditPage {
        ctx,
        slug: None,
        text: NEW_CASE_TEMPLATE.to_string(),
        error: None,
    })
}

async fn edit_case_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Html<String>> {
    editor(&state, &ctx).await?;
    let stored = state.store.case(&slug).await?.ok_or(AppError::NotFound)?;
    let text = toml::to_string(&stored.case).map_err(|e| AppError::Internal(e.into()))?;
    render(CaseEditPage {
        ctx,
        slug: Some(slug),
        text,
        error: None,
    })
}

async fn new_case_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response> {
    save_case(state, ctx, None, form).await
}

async fn edit_case_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response> {
    save_case(state, ctx, Some(slug), form).await
}

async fn save_case(
    state: AppState,
    ctx: PageCtx,
    slug: Option<String>,
    form: Vec<(String, String)>,
) -> Result<Response> {
    let actor = editor(&state, &ctx).await?;
    // Browsers send CRLF from a textarea.
    let text = one(&form, "record").replace("\r\n", "\n");
    let who = Who::from(actor.as_ref());
    let saved = match toml::from_str::<CaseRecord>(&text) {
        Ok(case) => match &slug {
            None => state
                .store
                .create_case(&who, &case)
                .await
                .map(|_| case.slug),
            Some(s) => state
                .store
                .update_case(&who, s, &case)
                .await
                .map(|_| s.clone()),
        },
        Err(e) => Err(AppError::BadRequest(format!("TOML: {}", e.message()))),
    };
    match saved {
        Ok(slug) => Ok(Redirect::to(&format!("/cases/{slug}")).into_response()),
        // The text comes back with the reason: nothing typed is lost.
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_) | AppError::BadRequest(_))) => {
            let status = match err {
                AppError::BadRequest(_) => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                _ => err.status(),
            };
            let error = Some(err.info().message(ctx.lang()));
            let page = render(CaseEditPage {
                ctx,
                slug,
                text,
                error,
            })?;
            Ok((status, page).into_response())
        }
        Err(err) => Err(err),
    }
}
