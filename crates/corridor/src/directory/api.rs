//! The directory over JSON: `/api/v1/organizations`, `/people`, `/partnerships`,
//! `/cooperation-agreements`, `/stats`.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::*;
use super::policy;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::audit::Who;
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

/// An organization with what the directory knows around it.
#[derive(Serialize, ToSchema)]
pub struct OrganizationProfile {
    pub organization: Organization,
    pub partnerships: Vec<Partnership>,
    pub cooperation_agreements: Vec<CooperationAgreement>,
    pub people: Vec<Person>,
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
    if !policy::can_create_organization(&actor) {
        return Err(AppError::Forbidden);
    }
    let id = state
        .store
        .create_organization(&Who::from(&*actor), &input, false)
        .await?;
    let org = state
        .store
        .find_organization(&id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(org)))
}

pub async fn profile(state: &AppState, key: &str) -> Result<OrganizationProfile> {
    let organization = state
        .store
        .find_organization(key)
        .await?
        .ok_or(AppError::NotFound)?;
    let people = state
        .store
        .list_people(&PersonQuery {
            organization: Some(organization.id.clone()),
            per_page: Some(100),
            ..Default::default()
        })
        .await?
        .items;
    Ok(OrganizationProfile {
        partnerships: state.store.partnerships(Some(&organization.id)).await?,
        cooperation_agreements: state.store.agreements(Some(&organization.id)).await?,
        people,
        organization,
    })
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
    cached_json(
        &state.read_cache,
        &state.store,
        uri.to_string(),
        profile(&state, &key),
    )
    .await
}

/// Checks and applies an edit of an organization on behalf of `actor`.
pub async fn apply_organization_edit(
    state: &AppState,
    actor: &crate::auth::Actor,
    key: &str,
    input: &OrganizationInput,
) -> Result<Organization> {
    let current = state
        .store
        .find_organization(key)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::can_edit_organization(actor, &current.id) {
        return Err(AppError::Forbidden);
    }
    // The country is classification too: it decides what the programme reports, and a Chinese
    // arbitration institution's staff may edit the knowledge base (`knowledge::can_edit_knowledge`).
    let reclassifies = input.kind != current.kind
        || input.jurisdiction != current.jurisdiction
        || input.remote_notarization_pilot != current.remote_notarization_pilot;
    if reclassifies && !policy::can_change_classification(actor) {
        return Err(AppError::Forbidden);
    }
    // An edit without a slug keeps the current one: renaming must not move the profile's URL.
    let mut input = input.clone();
    if input.slug.as_deref().is_none_or(|s| s.trim().is_empty()) {
        input.slug = Some(current.slug.clone());
    }
    state
        .store
        .update_organization(&Who::from(actor), &current.id, &input)
        .await?;
    state
        .store
        .find_organization(&current.id)
        .await?
        .ok_or(AppError::NotFound)
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
    Ok(Json(
        apply_organization_edit(&state, &actor, &key, &input).await?,
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

async fn organization_id_of(state: &AppState, key: Option<&str>) -> Result<Option<String>> {
    match key {
        None => Ok(None),
        Some(key) => Ok(Some(
            state
                .store
                .organization_ref(key)
                .await?
                .ok_or_else(|| AppError::invalid("organization", "unknown_organization"))?
                .0
                .id,
        )),
    }
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
    let org = organization_id_of(&state, input.organization.as_deref()).await?;
    if !policy::can_edit_person(&actor, org.as_deref())
        || (!input.rosters.is_empty() && !actor.is_programme_staff())
    {
        return Err(AppError::Forbidden);
    }
    let id = state
        .store
        .create_person(&Who::from(&*actor), &input, false)
        .await?;
    let person = state
        .store
        .find_person(&id)
        .await?
        .ok_or(AppError::NotFound)?;
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
            .find_person(&key)
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
    let current = state
        .store
        .find_person(&key)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = organization_id_of(&state, input.organization.as_deref()).await?;
    let mut rosters = input.rosters.clone();
    rosters.sort();
    let mut current_rosters = current.rosters.clone();
    current_rosters.sort();
    let allowed = policy::can_edit_person(&actor, current.organization_id.as_deref())
        && policy::can_edit_person(&actor, target.as_deref())
        && (rosters == current_rosters || actor.is_programme_staff());
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let mut input = input;
    if input.slug.as_deref().is_none_or(|s| s.trim().is_empty()) {
        input.slug = Some(current.slug.clone());
    }
    state
        .store
        .update_person(&Who::from(&*actor), &current.id, &input)
        .await?;
    Ok(Json(
        state
            .store
            .find_person(&current.id)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

/// Partnerships between local and foreign law firms.
#[utoipa::path(get, path = "/api/v1/partnerships", tag = "directory", params(LinkQuery),
    responses((status = 200, body = Vec<Partnership>)))]
async fn list_partnerships(
    State(state): State<AppState>,
    Query(query): Query<LinkQuery>,
) -> Result<Json<Vec<Partnership>>> {
    let org = organization_id_of(&state, query.organization.as_deref()).await?;
    Ok(Json(state.store.partnerships(org.as_deref()).await?))
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
    let (local, foreign) = state.store.resolve_partnership(&input).await?;
    if !policy::can_manage_partnership(&actor, &local.id, &foreign.id) {
        return Err(AppError::Forbidden);
    }
    let id = state
        .store
        .create_partnership(&Who::from(&*actor), &input)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .partnership(&id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
    ))
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
    let partnership = state
        .store
        .partnership(&id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::can_manage_partnership(
        &actor,
        &partnership.local_firm.id,
        &partnership.foreign_firm.id,
    ) {
        return Err(AppError::Forbidden);
    }
    state
        .store
        .delete_partnership(&Who::from(&*actor), &partnership)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cooperation agreements between arbitration institutions.
#[utoipa::path(get, path = "/api/v1/cooperation-agreements", tag = "directory", params(LinkQuery),
    responses((status = 200, body = Vec<CooperationAgreement>)))]
async fn list_agreements(
    State(state): State<AppState>,
    Query(query): Query<LinkQuery>,
) -> Result<Json<Vec<CooperationAgreement>>> {
    let org = organization_id_of(&state, query.organization.as_deref()).await?;
    Ok(Json(state.store.agreements(org.as_deref()).await?))
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
    let (institution, counterpart) = state.store.resolve_agreement(&input).await?;
    if !policy::can_manage_agreement(&actor, &institution.id, &counterpart.id) {
        return Err(AppError::Forbidden);
    }
    let id = state
        .store
        .create_agreement(&Who::from(&*actor), &input)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .agreement(&id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
    ))
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
    let agreement = state
        .store
        .agreement(&id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::can_manage_agreement(&actor, &agreement.institution.id, &agreement.counterpart.id) {
        return Err(AppError::Forbidden);
    }
    state
        .store
        .delete_agreement(&Who::from(&*actor), &agreement)
        .await?;
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
