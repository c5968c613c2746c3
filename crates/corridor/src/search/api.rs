//! `GET /api/v1/search`.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::query::{RawFilters, parse};
use super::rank::{Facets, SearchHit};
use crate::state::AppState;
use crate::web::extract::{Json, Query};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words in Chinese and/or English, `"exact phrases"`, and filters such as `type:case`,
    /// `country:ID`, `sector:construction`, `year:2024`, `lang:zh`, `title:仲裁`.
    pub q: Option<String>,
    /// `guide`, `case`, `organization`, `person`, `country`; several separated by commas.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-2 codes, comma-separated.
    pub country: Option<String>,
    pub sector: Option<String>,
    /// `zh` or `en`.
    pub lang: Option<String>,
    pub year: Option<String>,
    /// 1-based; results past the 1,000th are not served (`(page - 1) * per_page <= 1000`).
    #[param(minimum = 1, maximum = 101)]
    pub page: Option<u32>,
    /// 1–50, default 10.
    #[param(minimum = 1, maximum = 50)]
    pub per_page: Option<u32>,
}

impl SearchParams {
    pub fn request(&self) -> Result<super::SearchRequest> {
        let (limit, offset) = super::paging(self.page, self.per_page)?;
        parse(
            self.q.as_deref().unwrap_or_default(),
            RawFilters::from_options(
                &self.kind,
                &self.country,
                &self.sector,
                &self.lang,
                &self.year,
            ),
            limit,
            offset,
        )
    }
}

#[derive(Serialize, ToSchema)]
pub struct SearchResponse {
    pub query: String,
    pub page: u32,
    pub per_page: u32,
    /// How many documents match.
    pub total: u64,
    /// Best first.
    pub results: Vec<SearchHit>,
    pub facets: Facets,
}

/// Search guides, cases, organizations, people and country profiles in Chinese and English.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchResponse), (status = 400, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody), (status = 503, body = crate::openapi::ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResponse>> {
    let req = params.request()?;
    let service = state
        .search
        .as_ref()
        .ok_or(AppError::Unavailable("search"))?;
    let results = service.search(req).await?;
    Ok(Json(SearchResponse {
        query: params.q.unwrap_or_default(),
        page: params.page.unwrap_or(1),
        per_page: params.per_page.unwrap_or(super::PER_PAGE_DEFAULT as u32),
        total: results.total,
        results: results.results,
        facets: results.facets,
    }))
}
