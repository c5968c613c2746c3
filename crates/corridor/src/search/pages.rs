//! `/search`: one box over everything, results as you type (htmx swaps the results part),
//! facets to narrow down, highlighted snippets.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::params::SearchParams;
use super::query::SECTORS;
use super::rank::{FacetCount, SearchResults};
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::form::{is_htmx, parse_query};
use crate::web::page::urlencode;
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new().route("/search", get(search_page))
}

pub struct SearchView {
    pub params: SearchParams,
    pub results: SearchResults,
    pub error: Option<String>,
    pub per_page: usize,
}

impl SearchView {
    pub fn q(&self) -> &str {
        self.params.q.as_deref().unwrap_or("")
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let p = &self.params;
        [
            ("q", &p.q),
            ("type", &p.kind),
            ("country", &p.country),
            ("sector", &p.sector),
            ("lang", &p.lang),
            ("year", &p.year),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.clone().filter(|v| !v.is_empty()).map(|v| (k, v)))
        .chain(p.per_page.map(|n| ("per_page", n.to_string())))
        .collect()
    }

    fn link(&self, pairs: Vec<(&'static str, String)>) -> String {
        let qs: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        format!("/search?{}", qs.join("&"))
    }

    /// This search narrowed to `field = value` (or widened again if it already is).
    pub fn facet_link(&self, field: &str, value: &str) -> String {
        let mut pairs: Vec<(&'static str, String)> = self
            .pairs()
            .into_iter()
            .filter(|(k, _)| *k != field)
            .collect();
        if !self.is_selected(field, value) {
            let key = match field {
                "type" => "type",
                "country" => "country",
                "sector" => "sector",
                "lang" => "lang",
                _ => "year",
            };
            pairs.push((key, value.to_string()));
        }
        self.link(pairs)
    }

    pub fn is_selected(&self, field: &str, value: &str) -> bool {
        self.pairs()
            .iter()
            .any(|(k, v)| *k == field && v.eq_ignore_ascii_case(value))
    }

    pub fn page(&self) -> u32 {
        self.params.page.unwrap_or(1)
    }

    /// A next page exists and is within the deepest page the search serves.
    pub fn has_next(&self) -> bool {
        let next_offset = self.page() as u64 * self.per_page as u64;
        next_offset < self.results.total && next_offset <= super::MAX_OFFSET as u64
    }

    pub fn page_link(&self, page: u32) -> String {
        let mut pairs = self.pairs();
        pairs.push(("page", page.to_string()));
        self.link(pairs)
    }

    pub fn facet_groups(&self) -> Vec<(&'static str, &Vec<FacetCount>)> {
        let f = &self.results.facets;
        vec![
            ("type", &f.kind),
            ("country", &f.country),
            ("sector", &f.sector),
            ("year", &f.year),
            ("lang", &f.lang),
        ]
    }

    pub fn sectors(&self) -> &'static [&'static str] {
        SECTORS
    }

    /// The places the knowledge base is about: ASEAN, the Mainland, Hong Kong and Macao.
    /// (Any other code still works as `country:XX` or from a facet.)
    pub fn countries(&self) -> Vec<&'static str> {
        crate::knowledge::ASEAN
            .iter()
            .copied()
            .chain(["CN", "HK", "MO"])
            .collect()
    }
}

#[derive(Template)]
#[template(path = "search/index.html")]
struct SearchPage {
    ctx: PageCtx,
    s: SearchView,
}

#[derive(Template)]
#[template(path = "search/_results.html")]
struct SearchResultsPart {
    ctx: PageCtx,
    s: SearchView,
}

impl SearchPage {
    fn facet_label(&self, field: &str, value: &str) -> String {
        facet_label(&self.ctx, field, value)
    }
}

impl SearchResultsPart {
    fn facet_label(&self, field: &str, value: &str) -> String {
        facet_label(&self.ctx, field, value)
    }
}

fn facet_label(ctx: &PageCtx, field: &str, value: &str) -> String {
    match field {
        "type" => ctx.label("search.kind", value),
        "country" => ctx.country(value),
        "sector" => ctx.label("sector", value),
        "lang" => ctx.label("search.lang", value),
        _ => value.to_string(),
    }
}

async fn search_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    Query(raw): Query<Vec<(String, String)>>,
) -> Result<Response> {
    let params: SearchParams = parse_query(&raw)?;
    let mut view = SearchView {
        per_page: params
            .per_page
            .map(|p| p as usize)
            .unwrap_or(super::PER_PAGE_DEFAULT),
        params,
        results: SearchResults::default(),
        error: None,
    };
    let mut status = axum::http::StatusCode::OK;
    match view.params.request() {
        Ok(req) => {
            let service = state
                .search
                .as_ref()
                .ok_or(AppError::Unavailable("search"))?;
            view.results = service.search(req).await?;
        }
        // A query the search cannot take is shown beside the box, which keeps the text.
        Err(err @ AppError::Invalid { .. }) => {
            status = err.status();
            view.error = Some(err.info().message(ctx.lang()));
        }
        Err(err) => return Err(err),
    }
    let html = if is_htmx(&headers) {
        render(SearchResultsPart { ctx, s: view })?
    } else {
        render(SearchPage { ctx, s: view })?
    };
    Ok((status, html).into_response())
}
