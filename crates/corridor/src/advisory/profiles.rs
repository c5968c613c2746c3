//! Enterprise profiles for the API and the pages: who reads one (the enterprise's members and
//! the bureau; to others it does not exist), who changes it (the members), and the profile a
//! project's answers are filled from. The rules of the profile itself are [`super::profile`]'s.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::library_revisions::current;
use super::profile::EnterpriseProfile;
use super::projects::{can_change, can_read};
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::db::Store;
use crate::directory::model::{OrgKind, Organization};
use crate::ids::OrganizationKey;
use crate::matters::model::OwnerRef;
use crate::{AppError, Result};

/// An enterprise's profile as read.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProfileView {
    pub organization: OwnerRef,
    pub profile: EnterpriseProfile,
    /// 0 before the first save; send it back to save.
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A profile to save, with the version it was read at.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    pub profile: EnterpriseProfile,
    pub version: i64,
}

/// The enterprise `key` names, if the actor may read its profile.
async fn enterprise(store: &Store, actor: &Actor, key: &str) -> Result<Organization> {
    let key = OrganizationKey::from_path(key)?;
    let org = store
        .find_organization(&key)
        .await?
        .filter(|o| o.kind == OrgKind::Enterprise)
        .ok_or(AppError::NotFound)?;
    if !can_read(actor, &org.id) {
        return Err(AppError::NotFound);
    }
    Ok(org)
}

/// The profile kept for `org_id`, if any (what a project's answers are filled from).
pub async fn of(
    store: &Store,
    org_id: &str,
) -> Result<Option<(EnterpriseProfile, i64, DateTime<Utc>)>> {
    match store.enterprise_profile(org_id).await? {
        None => Ok(None),
        Some(row) => Ok(Some((
            serde_json::from_str(&row.facts).map_err(anyhow::Error::from)?,
            row.version,
            row.updated_at,
        ))),
    }
}

pub async fn read(store: &Store, actor: &Actor, key: &str) -> Result<ProfileView> {
    let org = enterprise(store, actor, key).await?;
    let kept = of(store, &org.id).await?;
    Ok(ProfileView {
        organization: OwnerRef {
            id: org.id,
            slug: org.slug,
            name_en: org.name_en,
            name_zh: org.name_zh,
        },
        profile: kept.as_ref().map(|k| k.0.clone()).unwrap_or_default(),
        version: kept.as_ref().map_or(0, |k| k.1),
        updated_at: kept.map(|k| k.2),
    })
}

/// Saves the profile (the enterprise's members); 409 when someone saved it since it was read.
pub async fn save(
    store: &Store,
    actor: &Actor,
    key: &str,
    input: &ProfileInput,
) -> Result<ProfileView> {
    let org = enterprise(store, actor, key).await?;
    if !can_change(actor, &org.id) {
        return Err(AppError::Forbidden);
    }
    let lib = current(store).await?;
    let profile = input.profile.checked(&lib)?;
    let facts = serde_json::to_string(&profile).map_err(anyhow::Error::from)?;
    if !store
        .save_enterprise_profile(&Who::from(actor), &org.id, &facts, input.version)
        .await?
    {
        return Err(AppError::Conflict("profile_changed"));
    }
    read(store, actor, &org.id).await
}
