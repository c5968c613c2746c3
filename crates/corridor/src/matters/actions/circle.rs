//! Who is in a matter: adding and removing participants, invitations and their links.

use chrono::Duration;

use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::directory::validate::text;
use crate::ids::MatterId;
use crate::matters::model::*;
use crate::matters::store::{Change, MatterRow, Member};
use crate::state::AppState;
use crate::{AppError, Result};

use super::{load, require, role};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 14;

/// Adds a known user at once; an unknown email gets a one-time invitation link.
pub async fn add_participant(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &NewParticipant,
) -> Result<ParticipantAdded> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_lead())?;
    let role = role(m.row.kind(), "role", &input.role)?;
    let rules = m.row.kind().rules();
    if rules.workflow_roles.contains(&role.as_str()) {
        return Err(AppError::invalid("role", "assigned_by_workflow"));
    }
    let office_role = rules
        .office_roles
        .iter()
        .find(|(r, _)| *r == role.as_str())
        .map(|(_, qualifying)| *qualifying);
    let email = crate::auth::store::normalize_email(&input.email)?;
    let who = Who::from(actor);
    if let Some(user_id) = state.store.user_id_by_email(&email).await? {
        let user = state
            .store
            .actor_for_user(&user_id)
            .await?
            .ok_or_else(|| AppError::invalid("email", "inactive_user"))?;
        if let Some(qualifying) = office_role {
            let held = user.role_in(&m.row.owner_org_id);
            let qualifies = match held {
                None => false,
                Some(r) => qualifying.is_empty() || qualifying.contains(&r),
            };
            if !qualifies {
                return Err(AppError::invalid("role", "office_members_only"));
            }
        }
        state
            .store
            .add_participant(
                &Change {
                    who: &who,
                    actor_id: &actor.user_id,
                    matter: &m.row,
                    base: &state.settings.public_url(),
                },
                &user_id,
                &user.name,
                &role,
            )
            .await?;
        let participant = state
            .store
            .members(id)
            .await?
            .into_iter()
            .find(|p| p.user_id == user_id)
            .map(participant);
        return Ok(ParticipantAdded {
            participant,
            invitation: None,
            link: None,
        });
    }
    // Someone without an account is no member of the office yet.
    if office_role.is_some() {
        return Err(AppError::invalid("role", "office_members_only"));
    }
    let (invitation, token) = state
        .store
        .invite(
            &Change {
                who: &who,
                actor_id: &actor.user_id,
                matter: &m.row,
                base: &state.settings.public_url(),
            },
            &email,
            &role,
            Duration::days(INVITATION_DAYS),
        )
        .await?;
    Ok(ParticipantAdded {
        participant: None,
        invitation: Some(invitation),
        link: Some(format!(
            "{}/invitations/{token}",
            state.settings.public_url()
        )),
    })
}

pub fn participant(m: Member) -> Participant {
    Participant {
        user_id: m.user_id,
        name: m.name,
        email: m.email,
        role: m.role,
        added_at: m.added_at,
    }
}

pub async fn remove_participant(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    user_id: &str,
) -> Result<()> {
    let m = load(state, actor, id).await?;
    // Anyone may leave; only those who lead remove others.
    require(user_id == actor.user_id || m.standing.can_lead())?;
    let members = state.store.members(id).await?;
    let member = members
        .iter()
        .find(|p| p.user_id == user_id)
        .ok_or(AppError::NotFound)?;
    // A matter always keeps someone who leads it.
    let leads = m.row.kind().rules().lead_roles;
    let other_leads = members
        .iter()
        .filter(|p| p.user_id != user_id && leads.contains(&p.role.as_str()))
        .count();
    if leads.contains(&member.role.as_str()) && other_leads == 0 {
        return Err(AppError::Conflict("last_lead"));
    }
    state
        .store
        .remove_participant(&Who::from(actor), &actor.user_id, &m.row, member)
        .await
}

/// What an invitation link shows before it is accepted.
pub struct InvitationView {
    pub id: String,
    pub matter: MatterRow,
    pub role: String,
    /// The address it was sent to; an account made from the link gets this address.
    pub email: String,
}

/// The invitation behind a token, if it can still be used; otherwise why not.
pub async fn invitation(state: &AppState, token: &str) -> Result<InvitationView> {
    let (id, matter_id, role, expires_at, accepted, email) = state
        .store
        .invitation_by_token(token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    if accepted {
        return Err(AppError::Conflict("invitation_used"));
    }
    if expires_at <= crate::ids::now() {
        return Err(AppError::Conflict("invitation_expired"));
    }
    let matter = state
        .store
        .matter_row(&MatterId::from_stored(matter_id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(InvitationView {
        id,
        matter,
        role,
        email,
    })
}

/// Someone invited without an account makes one from the link (name and password; the address
/// is the invited one) and joins. An address that has an account signs in to accept instead.
pub async fn register_by_invitation(
    state: &AppState,
    token: &str,
    input: &Registration,
) -> Result<(String, Matter)> {
    let inv = invitation(state, token).await?;
    if state.store.user_id_by_email(&inv.email).await?.is_some() {
        return Err(AppError::Conflict("email_taken"));
    }
    let user_id = state
        .store
        .add_user(
            &Who {
                user_id: None,
                label: format!("invitation:{}", inv.id),
            },
            crate::auth::store::NewUser {
                email: &inv.email,
                name: &text("name", &input.name, true, 200)?,
                password: &input.password,
                platform_role: None,
                memberships: Vec::new(),
            },
        )
        .await?;
    let actor = state
        .store
        .actor_for_user(&user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let matter = accept_invitation(state, &actor, token).await?;
    Ok((user_id, matter))
}

pub async fn accept_invitation(state: &AppState, actor: &Actor, token: &str) -> Result<Matter> {
    let inv = invitation(state, token).await?;
    state
        .store
        .accept_invitation(
            &Who::from(actor),
            &inv.id,
            &inv.matter,
            &actor.user_id,
            &actor.name,
            &inv.role,
        )
        .await?;
    Ok(load(state, actor, &MatterId::from_stored(inv.matter.id))
        .await?
        .view())
}
