//! One function per change to the directory, `(state, actor, input) -> Result<T>`: look up,
//! ask the policy, write, read back. The JSON API and the pages only translate HTTP and call
//! these, so both refuse and accept exactly the same things.

use serde::Serialize;
use utoipa::ToSchema;

use super::model::*;
use super::policy;
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::ids::{
    AgreementId, OrganizationId, OrganizationKey, PartnershipId, PersonId, PersonKey,
};
use crate::state::AppState;
use crate::{AppError, Result};

/// An organization with what the directory knows around it.
#[derive(Serialize, ToSchema)]
pub struct OrganizationProfile {
    pub organization: Organization,
    pub partnerships: Vec<Partnership>,
    pub cooperation_agreements: Vec<CooperationAgreement>,
    pub people: Vec<Person>,
}

/// The public profile of an organization by id or slug.
pub async fn profile(state: &AppState, key: &OrganizationKey) -> Result<OrganizationProfile> {
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
    let id = OrganizationId::from_stored(organization.id.clone());
    Ok(OrganizationProfile {
        partnerships: state.store.partnerships(Some(&id)).await?,
        cooperation_agreements: state.store.agreements(Some(&id)).await?,
        people,
        organization,
    })
}

/// The id of an organization named by id or slug; an unknown one is the input's mistake.
pub async fn organization_id_of(
    state: &AppState,
    key: Option<&str>,
) -> Result<Option<OrganizationId>> {
    match key {
        None => Ok(None),
        Some(key) => Ok(Some(OrganizationId::from_stored(
            state
                .store
                .resolve_organization(key)
                .await?
                .ok_or_else(|| AppError::invalid("organization", "unknown_organization"))?
                .0
                .id,
        ))),
    }
}

fn allow(allowed: bool) -> Result<()> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn create_organization(
    state: &AppState,
    actor: &Actor,
    input: &OrganizationInput,
) -> Result<Organization> {
    allow(policy::can_create_organization(actor))?;
    let id = state
        .store
        .create_organization(&Who::from(actor), input, false)
        .await?;
    state
        .store
        .find_organization(&id.into())
        .await?
        .ok_or(AppError::NotFound)
}

/// Replaces an organization's profile. An edit without a slug keeps the current one: renaming
/// must not move the profile's URL.
pub async fn update_organization(
    state: &AppState,
    actor: &Actor,
    key: &OrganizationKey,
    input: &OrganizationInput,
) -> Result<Organization> {
    let current = state
        .store
        .find_organization(key)
        .await?
        .ok_or(AppError::NotFound)?;
    allow(policy::can_edit_organization(actor, &current.id))?;
    allow(!policy::reclassifies(&current, input) || policy::can_change_classification(actor))?;
    let mut input = input.clone();
    if input.slug.as_deref().is_none_or(|s| s.trim().is_empty()) {
        input.slug = Some(current.slug.clone());
    }
    let id = OrganizationId::from_stored(current.id);
    state
        .store
        .update_organization(&Who::from(actor), &id, &input)
        .await?;
    state
        .store
        .find_organization(&id.into())
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn create_person(state: &AppState, actor: &Actor, input: &PersonInput) -> Result<Person> {
    let org = organization_id_of(state, input.organization.as_deref()).await?;
    allow(policy::can_add_person(
        actor,
        org.as_ref().map(OrganizationId::as_str),
        &input.rosters,
    ))?;
    let id = state
        .store
        .create_person(&Who::from(actor), input, false)
        .await?;
    state
        .store
        .find_person(&id.into())
        .await?
        .ok_or(AppError::NotFound)
}

/// Replaces a person's profile; moving them to another organization needs rights over both,
/// and roster changes are for programme staff (see the policy).
pub async fn update_person(
    state: &AppState,
    actor: &Actor,
    key: &PersonKey,
    input: &PersonInput,
) -> Result<Person> {
    let current = state
        .store
        .find_person(key)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = organization_id_of(state, input.organization.as_deref()).await?;
    allow(policy::can_change_person(
        actor,
        (current.organization_id.as_deref(), &current.rosters),
        (target.as_ref().map(OrganizationId::as_str), &input.rosters),
    ))?;
    let mut input = input.clone();
    if input.slug.as_deref().is_none_or(|s| s.trim().is_empty()) {
        input.slug = Some(current.slug.clone());
    }
    let id = PersonId::from_stored(current.id);
    state
        .store
        .update_person(&Who::from(actor), &id, &input)
        .await?;
    state
        .store
        .find_person(&id.into())
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn create_partnership(
    state: &AppState,
    actor: &Actor,
    input: &PartnershipInput,
) -> Result<Partnership> {
    let (local, foreign) = state.store.resolve_partnership(input).await?;
    allow(policy::can_manage_partnership(
        actor,
        &local.id,
        &foreign.id,
    ))?;
    let id = state
        .store
        .create_partnership(&Who::from(actor), input)
        .await?;
    state
        .store
        .partnership(&id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Ends a partnership; answers the partnership that ended.
pub async fn end_partnership(
    state: &AppState,
    actor: &Actor,
    id: &PartnershipId,
) -> Result<Partnership> {
    let partnership = state
        .store
        .partnership(id)
        .await?
        .ok_or(AppError::NotFound)?;
    allow(policy::can_manage_partnership(
        actor,
        &partnership.local_firm.id,
        &partnership.foreign_firm.id,
    ))?;
    state
        .store
        .delete_partnership(&Who::from(actor), &partnership)
        .await?;
    Ok(partnership)
}

pub async fn create_agreement(
    state: &AppState,
    actor: &Actor,
    input: &AgreementInput,
) -> Result<CooperationAgreement> {
    let (institution, counterpart) = state.store.resolve_agreement(input).await?;
    allow(policy::can_manage_agreement(
        actor,
        &institution.id,
        &counterpart.id,
    ))?;
    let id = state
        .store
        .create_agreement(&Who::from(actor), input)
        .await?;
    state.store.agreement(&id).await?.ok_or(AppError::NotFound)
}

pub async fn remove_agreement(state: &AppState, actor: &Actor, id: &AgreementId) -> Result<()> {
    let agreement = state.store.agreement(id).await?.ok_or(AppError::NotFound)?;
    allow(policy::can_manage_agreement(
        actor,
        &agreement.institution.id,
        &agreement.counterpart.id,
    ))?;
    state
        .store
        .delete_agreement(&Who::from(actor), &agreement)
        .await?;
    Ok(())
}
