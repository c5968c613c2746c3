//! The directory over JSON: `/api/v1/organizations`, `/people`, `/partnerships`,
//! `/cooperation-agreements`, `/stats`.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::actions::{self, OrganizationProfile};
use super::model::*;
use crate::auth::CurrentUser;
use crate::ids::{AgreementId, OrganizationKey, PartnershipId, PersonKey};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::read_cache::cached_json;
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organizations, create_organization))
        .routes(routes!(get_organization, update_organization))
        .routes(routes!(list_people, create_person))
        .routes(routes!(get_person, update_person))
        .routes(routes!(list_partnerships, create_partnership))
        .routes(routes!(delete_partnership))
        .routes(routes!(list_agreements, create_agreement))
        .routes(routes!(delete_agreement))
        .routes(routes!(stats))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LinkQuery {
    /// Only links this organization (id or slug) is a party to.
    pub organization: Option<String>,
}

/// Search and filter organizations.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "directory", params(OrgQuery),
    responses((status = 200, body = Page<Organization>), (status = 400, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn list_organizations(
    State(state): State<AppState>,
    uri: Uri,
    Query(query): Query<OrgQuery>,
) -> Result<Response> {
    cached_json(
        &state.read_cache,
        &state.store,
        uri.to_string(),
        state.store.list_organizations(&query),
    )
    .await
}

/// Add an organization (programme staff).
#[utoipa::path(post, path = "/api/v1/organizations", tag = "directory", request_body = OrganizationInput,
    security(("bearer" = [])),
    responses((status = 201, body = Organization), (status = 401, body = crate::openapi::ErrorBody),
              (status = 403, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn create_organization(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<OrganizationInput>,
) -> Result<(StatusCode, Json<Organization>)> {
    let org = actions::create_organization(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(org)))
}

/// One organization's public profile, by id or slug.
#[utoipa::path(get, path = "/api/v1/organizations/{key}", tag = "directory",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = OrganizationProfile), (status = 404, body = crate::openapi::ErrorBody)))]
async fn get_organization(
    State(state): State<AppState>,
    uri: Uri,
    Path(key): Path<String>,
) -> Result<Response> {
    let key = OrganizationKey::from_path(&key)?;
    cached_json(
        &state.read_cache,
        &state.store,
        uri.to_string(),
        actions::profile(&state, &key),
    )
    .await
}

/// Replace an organization's profile (its org admins, or programme staff).
#[utoipa::path(put, path = "/api/v1/organizations/{key}", tag = "directory", request_body = OrganizationInput,
    params(("key" = String, Path, description = "id or slug")), security(("bearer" = [])),
    responses((status = 200, body = Organization), (status = 401, body = crate::openapi::ErrorBody),
              (status = 403, body = crate::openapi::ErrorBody), (status = 404, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn update_organization(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
    Json(input): Json<OrganizationInput>,
) -> Result<Json<Organization>> {
    let key = OrganizationKey::from_path(&key)?;
    Ok(Json(
        actions::update_organization(&state, &actor, &key, &input).await?,
    ))
}

/// Search and filter people: lawyers, arbitrators, notaries.
#[utoipa::path(get, path = "/api/v1/people", tag = "directory", params(PersonQuery),
    responses((status = 200, body = Page<Person>), (status = 400, body = crate::openapi::ErrorBody)))]
async fn list_people(
    State(state): State<AppState>,
    uri: Uri,
    Query(query): Query<PersonQuery>,
) -> Result<Response> {
    cached_json(
        &state.read_cache,
        &state.store,
        uri.to_string(),
        state.store.list_people(&query),
    )
    .await
}

/// Add a person (to an organization its admins keep, or by programme staff).
#[utoipa::path(post, path = "/api/v1/people", tag = "directory", request_body = PersonInput, security(("bearer" = [])),
    responses((status = 201, body = Person), (status = 401, body = crate::openapi::ErrorBody),
              (status = 403, body = crate::openapi::ErrorBody), (status = 422, body = crate::openapi::ErrorBody)))]
async fn create_person(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<PersonInput>,
) -> Result<(StatusCode, Json<Person>)> {
    let person = actions::create_person(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(person)))
}

/// One person's public profile, by id or slug.
#[utoipa::path(get, path = "/api/v1/people/{key}", tag = "directory",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Person), (status = 404, body = crate::openapi::ErrorBody)))]
async fn get_person(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<Person>> {
    Ok(Json(
        state
            .store
            .find_person(&PersonKey::from_path(&key)?)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

/// Replace a person's profile. Moving a person to another organization needs the right to edit
/// both; roster changes are for programme staff.
#[utoipa::path(put, path = "/api/v1/people/{key}", tag = "directory", request_body = PersonInput,
    params(("key" = String, Path, description = "id or slug")), security(("bearer" = [])),
    responses((status = 200, body = Person), (status = 403, body = crate::openapi::ErrorBody),
              (status = 404, body = crate::openapi::ErrorBody), (status = 422, body = crate::openapi::ErrorBody)))]
async fn update_person(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
    Json(input): Json<PersonInput>,
) -> Result<Json<Person>> {
    let key = PersonKey::from_path(&key)?;
    Ok(Json(
        actions::update_person(&state, &actor, &key, &input).await?,
    ))
}

/// Partnerships between local and foreign law firms.
#[utoipa::path(get, path = "/api/v1/partnerships", tag = "directory", params(LinkQuery),
    responses((status = 200, body = Vec<Partnership>)))]
async fn list_partnerships(
    State(state): State<AppState>,
    Query(query): Query<LinkQuery>,
) -> Result<Json<Vec<Partnership>>> {
    let org = actions::organization_id_of(&state, query.organization.as_deref()).await?;
    Ok(Json(state.store.partnerships(org.as_ref()).await?))
}

/// Record a partnership (an admin of either firm, or programme staff).
#[utoipa::path(post, path = "/api/v1/partnerships", tag = "directory", request_body = PartnershipInput,
    security(("bearer" = [])),
    responses((status = 201, body = Partnership), (status = 403, body = crate::openapi::ErrorBody),
              (status = 409, body = crate::openapi::ErrorBody), (status = 422, body = crate::openapi::ErrorBody)))]
async fn create_partnership(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<PartnershipInput>,
) -> Result<(StatusCode, Json<Partnership>)> {
    let partnership = actions::create_partnership(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(partnership)))
}

/// End a partnership.
#[utoipa::path(delete, path = "/api/v1/partnerships/{id}", tag = "directory", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = crate::openapi::ErrorBody), (status = 404, body = crate::openapi::ErrorBody)))]
async fn delete_partnership(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    actions::end_partnership(&state, &actor, &PartnershipId::from_path(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cooperation agreements between arbitration institutions.
#[utoipa::path(get, path = "/api/v1/cooperation-agreements", tag = "directory", params(LinkQuery),
    responses((status = 200, body = Vec<CooperationAgreement>)))]
async fn list_agreements(
    State(state): State<AppState>,
    Query(query): Query<LinkQuery>,
) -> Result<Json<Vec<CooperationAgreement>>> {
    let org = actions::organization_id_of(&state, query.organization.as_deref()).await?;
    Ok(Json(state.store.agreements(org.as_ref()).await?))
}

/// Record a cooperation agreement.
#[utoipa::path(post, path = "/api/v1/cooperation-agreements", tag = "directory", request_body = AgreementInput,
    security(("bearer" = [])),
    responses((status = 201, body = CooperationAgreement), (status = 403, body = crate::openapi::ErrorBody),
              (status = 409, body = crate::openapi::ErrorBody), (status = 422, body = crate::openapi::ErrorBody)))]
async fn create_agreement(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<AgreementInput>,
) -> Result<(StatusCode, Json<CooperationAgreement>)> {
    let agreement = actions::create_agreement(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(agreement)))
}

/// Remove a cooperation agreement.
#[utoipa::path(delete, path = "/api/v1/cooperation-agreements/{id}", tag = "directory", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = crate::openapi::ErrorBody), (status = 404, body = crate::openapi::ErrorBody)))]
async fn delete_agreement(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    actions::remove_agreement(&state, &actor, &AgreementId::from_path(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The programme at a glance: partner coverage, agreements, overseas arbitrators, pilot offices.
#[utoipa::path(get, path = "/api/v1/stats", tag = "directory", responses((status = 200, body = ProgrammeStats)))]
async fn stats(State(state): State<AppState>, uri: Uri) -> Result<Response> {
    cached_json(
        &state.read_cache,
        &state.store,
        uri.to_string(),
        state.store.programme_stats(),
    )
    .await
}
