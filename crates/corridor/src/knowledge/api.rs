//! The knowledge base over JSON: `/api/v1/guides`, `/api/v1/cases`.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::case::CaseRecord;
use super::guide::{GuideText, Section, Source};
use super::http::{CaseParams, find_guide, guide_key, guide_url};
use super::store::{Guide, GuideRevision, StoredCase};
use crate::auth::CurrentUser;
use crate::auth::audit::Who;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_guides))
        .routes(routes!(get_guide, update_guide))
        .routes(routes!(guide_revisions))
        .routes(routes!(list_cases, create_case))
        .routes(routes!(get_case, update_case))
}

/// A guide in a list: everything but the text.
#[derive(Serialize, ToSchema)]
pub struct GuideListItem {
    pub country: String,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub reviewed: String,
    pub revision: i64,
    pub url: String,
}

/// A guide with its text split into its sections.
#[derive(Serialize, ToSchema)]
pub struct GuideView {
    #[serde(flatten)]
    pub guide: Guide,
    pub sections: Vec<Section>,
}

/// An edit to a guide. `base_revision` is the revision the edit started from.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuideEdit {
    pub title: String,
    pub summary: String,
    /// YYYY-MM-DD: when the text was last checked against its sources.
    pub reviewed: String,
    pub sources: Vec<Source>,
    pub body: String,
    /// What changed and why; kept in the revision history.
    #[serde(default)]
    pub note: String,
    pub base_revision: i64,
}

impl GuideView {
    async fn load(state: &AppState, cc: &str, lang: &str) -> Result<Self> {
        let guide = find_guide(state, cc, lang).await?;
        let sections = super::guide::sections(&guide.body)?;
        Ok(Self { guide, sections })
    }
}

/// The practice guides: one per ASEAN member state and language.
#[utoipa::path(get, path = "/api/v1/guides", tag = "knowledge",
    responses((status = 200, body = Vec<GuideListItem>)))]
async fn list_guides(State(state): State<AppState>) -> Result<Json<Vec<GuideListItem>>> {
    let guides = state.store.guides().await?;
    Ok(Json(
        guides
            .into_iter()
            .map(|g| GuideListItem {
                url: guide_url(&g.country, &g.lang),
                country: g.country,
                lang: g.lang,
                title: g.title,
                summary: g.summary,
                reviewed: g.reviewed,
                revision: g.revision,
            })
            .collect(),
    ))
}

/// One guide, with its sources and sections.
#[utoipa::path(get, path = "/api/v1/guides/{cc}/{lang}", tag = "knowledge",
    params(("cc" = String, Path, description = "ISO 3166-1 alpha-2, e.g. VN"),
           ("lang" = String, Path, description = "`en` or `zh-CN`")),
    responses((status = 200, body = GuideView), (status = 404, body = crate::openapi::ErrorBody)))]
async fn get_guide(
    State(state): State<AppState>,
    Path((cc, lang)): Path<(String, String)>,
) -> Result<Json<GuideView>> {
    Ok(Json(GuideView::load(&state, &cc, &lang).await?))
}

/// Save an edit as a new revision (commission and bureau staff). A `base_revision` older than
/// the current one is refused with 409, so no one's edit is overwritten unseen.
#[utoipa::path(put, path = "/api/v1/guides/{cc}/{lang}", tag = "knowledge", request_body = GuideEdit,
    params(("cc" = String, Path, description = "ISO 3166-1 alpha-2"), ("lang" = String, Path, description = "`en` or `zh-CN`")),
    security(("bearer" = [])),
    responses((status = 200, body = GuideView), (status = 401, body = crate::openapi::ErrorBody),
              (status = 403, body = crate::openapi::ErrorBody), (status = 404, body = crate::openapi::ErrorBody),
              (status = 409, body = crate::openapi::ErrorBody), (status = 422, body = crate::openapi::ErrorBody)))]
async fn update_guide(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((cc, lang)): Path<(String, String)>,
    Json(edit): Json<GuideEdit>,
) -> Result<Json<GuideView>> {
    let (cc, lang) = guide_key(&cc, &lang)?;
    super::require_editor(&actor)?;
    let text = GuideText {
        country: cc.clone(),
        lang: lang.clone(),
        title: edit.title,
        summary: edit.summary,
        reviewed: edit.reviewed,
        sources: edit.sources,
        body: edit.body,
    };
    state
        .store
        .save_guide(
            &Who::from(actor.as_ref()),
            &actor.name,
            &text,
            edit.base_revision,
            &edit.note,
        )
        .await?;
    Ok(Json(GuideView::load(&state, &cc, &lang).await?))
}

/// Every revision of a guide, newest first.
#[utoipa::path(get, path = "/api/v1/guides/{cc}/{lang}/revisions", tag = "knowledge",
    params(("cc" = String, Path, description = "ISO 3166-1 alpha-2"), ("lang" = String, Path, description = "`en` or `zh-CN`")),
    responses((status = 200, body = Vec<GuideRevision>), (status = 404, body = crate::openapi::ErrorBody)))]
async fn guide_revisions(
    State(state): State<AppState>,
    Path((cc, lang)): Path<(String, String)>,
) -> Result<Json<Vec<GuideRevision>>> {
    let (cc, lang) = guide_key(&cc, &lang)?;
    let revisions = state.store.guide_revisions(&cc, &lang).await?;
    if revisions.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(Json(revisions))
}

/// The typical-case library, newest first, filtered: e.g. `?sector=construction&enforced_in=ID`.
#[utoipa::path(get, path = "/api/v1/cases", tag = "knowledge", params(CaseParams),
    responses((status = 200, body = Vec<StoredCase>), (status = 400, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn list_cases(
    State(state): State<AppState>,
    Query(params): Query<CaseParams>,
) -> Result<Json<Vec<StoredCase>>> {
    Ok(Json(state.store.cases(&params.filter()?).await?))
}

/// One case.
#[utoipa::path(get, path = "/api/v1/cases/{slug}", tag = "knowledge",
    params(("slug" = String, Path, description = "the case's slug")),
    responses((status = 200, body = StoredCase), (status = 404, body = crate::openapi::ErrorBody)))]
async fn get_case(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<StoredCase>> {
    Ok(Json(
        state.store.case(&slug).await?.ok_or(AppError::NotFound)?,
    ))
}

/// Add a case to the library (commission and bureau staff). A real case (`demo: false`) needs a
/// public source; a demo case says so in both titles.
#[utoipa::path(post, path = "/api/v1/cases", tag = "knowledge", request_body = CaseRecord,
    security(("bearer" = [])),
    responses((status = 201, body = StoredCase), (status = 401, body = crate::openapi::ErrorBody),
              (status = 403, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn create_case(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(case): Json<CaseRecord>,
) -> Result<(axum::http::StatusCode, Json<StoredCase>)> {
    super::require_editor(&actor)?;
    state
        .store
        .create_case(&Who::from(actor.as_ref()), &case)
        .await?;
    let stored = state
        .store
        .case(&case.slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((axum::http::StatusCode::CREATED, Json(stored)))
}

/// Replace a case (commission and bureau staff). The slug cannot change.
#[utoipa::path(put, path = "/api/v1/cases/{slug}", tag = "knowledge", request_body = CaseRecord,
    params(("slug" = String, Path, description = "the case's slug")), security(("bearer" = [])),
    responses((status = 200, body = StoredCase), (status = 401, body = crate::openapi::ErrorBody),
              (status = 403, body = crate::openapi::ErrorBody), (status = 404, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn update_case(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(slug): Path<String>,
    Json(case): Json<CaseRecord>,
) -> Result<Json<StoredCase>> {
    super::require_editor(&actor)?;
    state
        .store
        .update_case(&Who::from(actor.as_ref()), &slug, &case)
        .await?;
    Ok(Json(
        state.store.case(&slug).await?.ok_or(AppError::NotFound)?,
    ))
}
