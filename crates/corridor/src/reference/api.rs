//! Reference lists over the API, with their sources.

use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Country, Language, PracticeArea};
use crate::state::AppState;
use crate::web::extract::Json;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(countries))
        .routes(routes!(languages))
        .routes(routes!(practice_areas))
}

/// Countries and regions: ISO 3166-1 alpha-2 with Chinese and English names and their source.
#[utoipa::path(get, path = "/api/v1/reference/countries", tag = "reference",
    responses((status = 200, body = Vec<Country>)))]
async fn countries(State(state): State<AppState>) -> Json<Vec<Country>> {
    Json(state.reference.countries.clone())
}

/// Languages (BCP 47) used in profiles.
#[utoipa::path(get, path = "/api/v1/reference/languages", tag = "reference",
    responses((status = 200, body = Vec<Language>)))]
async fn languages(State(state): State<AppState>) -> Json<Vec<Language>> {
    Json(state.reference.languages.clone())
}

/// The controlled vocabulary of practice areas.
#[utoipa::path(get, path = "/api/v1/reference/practice-areas", tag = "reference",
    responses((status = 200, body = Vec<PracticeArea>)))]
async fn practice_areas(State(state): State<AppState>) -> Json<Vec<PracticeArea>> {
    Json(state.reference.practice_areas.clone())
}
