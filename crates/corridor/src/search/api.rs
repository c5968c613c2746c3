//! `GET /api/v1/search`.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::SearchParams;
use super::rank::{Facets, SearchHit};
use crate::state::AppState;
use crate::web::extract::{Json, Query};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
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
