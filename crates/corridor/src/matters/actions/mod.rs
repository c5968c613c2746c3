//! One function per change to a matter: check the policy, validate, write. The API and the
//! pages both call these and only translate HTTP; the rules live in `policy.rs`.

use super::kind::{MatterKind, STATUSES};
use super::model::*;
use super::policy::{self, Standing};
use super::store::MatterRow;
use super::when;
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::directory::validate::text;
use crate::ids::MatterId;
use crate::state::AppState;
use crate::{AppError, Result};

mod circle;
mod documents;
mod work;

pub use circle::*;
pub use documents::*;
pub use work::*;

/// A matter the actor may see, with where they stand in it.
pub struct Loaded {
    pub row: MatterRow,
    pub standing: Standing,
}

impl Loaded {
    pub fn view(&self) -> Matter {
        self.row
            .view(self.standing.role.clone(), self.standing.staff)
    }
}

/// The matter if the actor is in its circle; otherwise it does not exist (404).
pub async fn load(state: &AppState, actor: &Actor, id: &MatterId) -> Result<Loaded> {
    let (row, role) = state
        .store
        .matter_seen_by(id, &actor.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let standing = policy::standing(actor, row.kind(), &row.owner_org_id, role.as_deref())
        .ok_or(AppError::NotFound)?;
    Ok(Loaded { row, standing })
}

fn require(allowed: bool) -> Result<()> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn kind(text: &str) -> Result<MatterKind> {
    MatterKind::parse(text.trim()).ok_or_else(|| AppError::invalid("kind", "unknown_kind"))
}

fn role(kind: MatterKind, field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if kind.has_role(text) {
        Ok(text.to_string())
    } else {
        Err(AppError::invalid(field, "unknown_role"))
    }
}

pub async fn open_matter(state: &AppState, actor: &Actor, input: &NewMatter) -> Result<Matter> {
    let kind = kind(&input.kind)?;
    if kind.rules().opened_by_workflow {
        return Err(AppError::invalid("kind", "opened_by_workflow"));
    }
    let title = text("title", &input.title, true, 200)?;
    let owner = match input
        .organization
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        Some(key) => actor
            .memberships
            .iter()
            .find(|m| m.organization_id == key || m.slug == key)
            .ok_or_else(|| AppError::invalid("organization", "not_a_member"))?,
        None => actor
            .memberships
            .first()
            .ok_or_else(|| AppError::invalid("organization", "not_a_member"))?,
    };
    require(policy::can_open(actor, &owner.organization_id))?;
    let id = state
        .store
        .create_matter(
            &Who::from(actor),
            &actor.user_id,
            kind,
            &owner.organization_id,
            &owner.slug,
            &title,
        )
        .await?;
    Ok(load(state, actor, &id).await?.view())
}

pub async fn change_matter(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &MatterChange,
) -> Result<Matter> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_lead())?;
    let title = match &input.title {
        Some(t) => text("title", t, true, 200)?,
        None => m.row.title.clone(),
    };
    let status = match input.status.as_deref().map(str::trim) {
        Some(s) if STATUSES.contains(&s) => s.to_string(),
        Some(_) => return Err(AppError::invalid("status", "unknown_status")),
        None => m.row.status.clone(),
    };
    if status != m.row.status && m.row.kind().rules().status_by_workflow {
        return Err(AppError::invalid("status", "set_by_workflow"));
    }
    state
        .store
        .change_matter(&Who::from(actor), &actor.user_id, &m.row, &title, &status)
        .await?;
    Ok(load(state, actor, id).await?.view())
}

/// The zone times are shown in and the language email is written in.
pub async fn set_preferences(
    state: &AppState,
    actor: &Actor,
    input: &Preferences,
) -> Result<Preferences> {
    let zone = when::parse_zone("time_zone", &input.time_zone)?;
    let locale = crate::web::Locale::parse(&input.locale)
        .ok_or_else(|| AppError::invalid("locale", "unknown_language"))?;
    let prefs = super::store::Preferences {
        locale: locale.tag().to_string(),
        time_zone: zone.name().to_string(),
    };
    state
        .store
        .set_preferences(&Who::from(actor), &actor.user_id, &prefs)
        .await?;
    Ok(Preferences {
        locale: prefs.locale,
        time_zone: prefs.time_zone,
    })
}

/// Everything in a matter the actor may see.
pub async fn detail(state: &AppState, actor: &Actor, id: &MatterId) -> Result<MatterDetail> {
    let m = load(state, actor, id).await?;
    let reader = when::stored_zone(&state.store.preferences(&actor.user_id).await?.time_zone);
    let documents = state
        .store
        .documents(id)
        .await?
        .into_iter()
        .filter(|d| {
            m.standing.can_see(
                &crate::matters::kind::split_roles(&d.visible_to),
                d.filed_by == actor.user_id,
            )
        })
        .map(|d| d.view())
        .collect();
    let invitations = if m.standing.can_lead() {
        state.store.open_invitations(id).await?
    } else {
        Vec::new()
    };
    let unread_messages = state
        .store
        .messages(id, &actor.user_id)
        .await?
        .into_iter()
        .filter(|(_, author, _, _, to_roles, _, read)| {
            !read
                && m.standing.can_see(
                    &crate::matters::kind::split_roles(to_roles),
                    author == &actor.user_id,
                )
        })
        .count() as i64;
    Ok(MatterDetail {
        participants: state
            .store
            .members(id)
            .await?
            .into_iter()
            .map(participant)
            .collect(),
        invitations,
        documents,
        tasks: state
            .store
            .tasks(id)
            .await?
            .into_iter()
            .map(task_view)
            .collect(),
        meetings: state
            .store
            .meetings(id)
            .await?
            .into_iter()
            .map(|row| meeting_view(row, reader))
            .collect(),
        unread_messages,
        matter: m.view(),
    })
}

pub async fn my_matters(state: &AppState, actor: &Actor, q: &MatterQuery) -> Result<MatterPage> {
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(kind(k)?),
        None => None,
    };
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if STATUSES.contains(&s) => Some(s),
        Some(_) => return Err(AppError::invalid("status", "unknown_status")),
        None => None,
    };
    let role = match q.role.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if MatterKind::ALL.iter().any(|k| k.has_role(r)) => Some(r),
        Some(_) => return Err(AppError::invalid("role", "unknown_role")),
        None => None,
    };
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(25);
    if !(1..=10_000).contains(&page) {
        return Err(AppError::invalid("page", "out_of_range"));
    }
    if !(1..=100).contains(&per_page) {
        return Err(AppError::invalid("per_page", "out_of_range"));
    }
    let (rows, total) = state
        .store
        .my_matters(actor, kind, status, role, page, per_page)
        .await?;
    Ok(MatterPage {
        items: rows
            .into_iter()
            .map(|(row, role)| {
                let staff = policy::standing(actor, row.kind(), &row.owner_org_id, role.as_deref())
                    .is_some_and(|s| s.staff);
                row.view(role, staff)
            })
            .collect(),
        total,
        page,
        per_page,
    })
}
