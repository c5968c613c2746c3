//! The advisory team (issue 12 §4–5): firms matched to a project, an enterprise's referral to
//! one of them, and the firm's answer. The firm sees the project's outline and the
//! counterparty's name, runs its conflict check, and accepts or declines; accepting opens an
//! `advisory_engagement` matter owned by the firm, with the enterprise's requester as `client`
//! and one task per plan item. Until then the firm sees no plan.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::plan::{Item, Plan};
use super::projects::{self, ProjectDetail, can_change, plan_today};
use super::store_referrals::{ReferralFilter, ReferralRow};
use super::team::{TeamMatch, TeamNeeds, match_firms, practice_areas_for};
use crate::auth::audit::Who;
use crate::auth::{Actor, PlatformRole};
use crate::db::Store;
use crate::directory::model::OrgKind;
use crate::directory::validate::text;
use crate::ids::{MatterId, OrganizationKey, ProjectId, ReferralId};
use crate::matters::kind::MatterKind;
use crate::matters::model::OwnerRef;
use crate::matters::store::Change;
use crate::matters::store_work::TaskFields;
use crate::state::AppState;
use crate::{AppError, Result};

/// Why a firm declines.
pub const DECLINE_REASONS: [&str; 4] = ["conflict", "capacity", "expertise", "other"];

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReferral {
    /// The law firm (id or slug): a local firm, typically one the team match proposes.
    pub firm: String,
    /// The other side of the deal, so that the firm can check it does not act for it.
    pub counterparty: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptReferral {
    /// The firm has checked that it does not act for the counterparty.
    pub no_conflict: bool,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineReferral {
    /// `conflict`, `capacity`, `expertise` or `other`.
    pub reason: String,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// Only this project's referrals.
    pub project: Option<String>,
    /// `pending`, `accepted`, `declined` or `withdrawn`.
    pub status: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReferralProject {
    pub id: String,
    pub title: String,
    pub country: String,
    pub entry_mode: String,
    pub stage: String,
    pub enterprise: OwnerRef,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Referral {
    pub id: String,
    pub project: ReferralProject,
    pub firm: OwnerRef,
    pub counterparty: String,
    pub note: String,
    /// `pending`, `accepted`, `declined` or `withdrawn`.
    pub status: String,
    pub decline_reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    /// Hours from the request to the firm's answer.
    pub response_hours: Option<f64>,
    /// The engagement, once accepted (visible to its participants).
    pub matter_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReferralList {
    pub referrals: Vec<Referral>,
}

impl ReferralRow {
    pub fn view(&self) -> Referral {
        Referral {
            id: self.id.clone(),
            project: ReferralProject {
                id: self.project_id.clone(),
                title: self.project_title.clone(),
                country: self.country.clone(),
                entry_mode: self.entry_mode.clone(),
                stage: self.stage.clone(),
                enterprise: OwnerRef {
                    id: self.enterprise_id.clone(),
                    slug: self.enterprise_slug.clone(),
                    name_en: self.enterprise_name_en.clone(),
                    name_zh: self.enterprise_name_zh.clone(),
                },
            },
            firm: OwnerRef {
                id: self.firm_org_id.clone(),
                slug: self.firm_slug.clone(),
                name_en: self.firm_name_en.clone(),
                name_zh: self.firm_name_zh.clone(),
            },
            counterparty: self.counterparty.clone(),
            note: self.note.clone(),
            status: self.status.clone(),
            decline_reason: self.decline_reason.clone(),
            requested_at: self.requested_at,
            responded_at: self.responded_at,
            response_hours: self
                .responded_at
                .map(|at| (at - self.requested_at).num_seconds() as f64 / 3600.0),
            matter_id: self.matter_id.clone(),
        }
    }
}

// --- Who may do what -------------------------------------------------------------------

/// The enterprise's people and the firm's see a referral; the bureau reads them all (response
/// times are among the programme's figures).
pub fn can_see(actor: &Actor, row: &ReferralRow) -> bool {
    actor.role_in(&row.enterprise_id).is_some()
        || actor.role_in(&row.firm_org_id).is_some()
        || actor.platform_role == Some(PlatformRole::BureauOfficer)
}

/// Only the firm answers.
pub fn can_answer(actor: &Actor, row: &ReferralRow) -> bool {
    actor.role_in(&row.firm_org_id).is_some()
}

/// Only the enterprise withdraws.
pub fn can_withdraw(actor: &Actor, row: &ReferralRow) -> bool {
    actor.role_in(&row.enterprise_id).is_some()
}

async fn load(state: &AppState, actor: &Actor, id: &ReferralId) -> Result<ReferralRow> {
    let row = state.store.referral(id).await?.ok_or(AppError::NotFound)?;
    if !can_see(actor, &row) {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

// --- Actions ---------------------------------------------------------------------------

/// Local firms with a partner in the project's country, ranked by what its plan needs; firms
/// that declined the project for a conflict are set aside. `project` is one the caller read
/// through [`projects::detail`], which decides who may.
pub async fn team(store: &Store, project: &ProjectDetail) -> Result<TeamMatch> {
    let partnerships: Vec<_> = store
        .partnerships(None)
        .await?
        .into_iter()
        .filter(|p| p.countries.contains(&project.project.country))
        .collect();
    let mut ids: Vec<String> = partnerships
        .iter()
        .flat_map(|p| [p.local_firm.id.clone(), p.foreign_firm.id.clone()])
        .collect();
    ids.sort();
    ids.dedup();
    let mut orgs = Vec::with_capacity(ids.len());
    for id in &ids {
        if let Some(o) = store
            .find_organization(&OrganizationKey::parse(id).ok_or(AppError::NotFound)?)
            .await?
        {
            orgs.push(o);
        }
    }
    let conflicted: Vec<String> = store
        .referrals(&ReferralFilter {
            project: Some(project.project.id.clone()),
            status: Some("declined".into()),
            ..ReferralFilter::default()
        })
        .await?
        .into_iter()
        .filter(|r| r.decline_reason.as_deref() == Some("conflict"))
        .map(|r| r.firm_org_id)
        .collect();
    let needs = TeamNeeds {
        country: project.project.country.clone(),
        practice_areas: practice_areas_for(&project.plan),
        languages: vec!["zh".into(), "en".into()],
    };
    Ok(match_firms(&orgs, &partnerships, &needs, &conflicted))
}

pub async fn refer(
    store: &Store,
    actor: &Actor,
    project: &ProjectId,
    input: &NewReferral,
) -> Result<Referral> {
    let row = projects::load(store, actor, project).await?;
    if !can_change(actor, &row.org_id) {
        return Err(AppError::Forbidden);
    }
    let counterparty = text("counterparty", &input.counterparty, true, 200)?;
    let note = text("note", &input.note, false, 2000)?;
    let firm = match OrganizationKey::parse(input.firm.trim()) {
        Some(key) => store.find_organization(&key).await?,
        None => None,
    }
    .filter(|o| o.kind == OrgKind::LocalLawFirm)
    .ok_or_else(|| AppError::invalid("firm", "not_a_local_law_firm"))?;
    let id = store
        .insert_referral(
            &Who::from(actor),
            &row.id,
            &row.org_id,
            &firm.id,
            &counterparty,
            &note,
        )
        .await?;
    let row = store.referral(&id).await?.ok_or(AppError::NotFound)?;
    Ok(row.view())
}

pub async fn list(state: &AppState, actor: &Actor, q: &ReferralQuery) -> Result<ReferralList> {
    let orgs = projects::visible_orgs(actor);
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if ["pending", "accepted", "declined", "withdrawn"].contains(&s) => {
            Some(s.to_owned())
        }
        Some(_) => return Err(AppError::invalid("status", "unknown_status")),
        None => None,
    };
    let project = match q
        .project
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => Some(
            ProjectId::parse(p)
                .map_err(|_| AppError::invalid("project", "unknown_project"))?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let rows = state
        .store
        .referrals(&ReferralFilter {
            orgs,
            project,
            status,
        })
        .await?;
    Ok(ReferralList {
        referrals: rows.iter().map(ReferralRow::view).collect(),
    })
}

pub async fn decline(
    state: &AppState,
    actor: &Actor,
    id: &ReferralId,
    input: &DeclineReferral,
) -> Result<Referral> {
    let row = load(state, actor, id).await?;
    if !can_answer(actor, &row) {
        return Err(AppError::Forbidden);
    }
    let reason = input.reason.trim();
    if !DECLINE_REASONS.contains(&reason) {
        return Err(AppError::invalid("reason", "unknown_decline_reason"));
    }
    if !state
        .store
        .answer_referral(&Who::from(actor), &row, "declined", Some(reason))
        .await?
    {
        return Err(AppError::Conflict("referral_answered"));
    }
    Ok(load(state, actor, id).await?.view())
}

pub async fn withdraw(state: &AppState, actor: &Actor, id: &ReferralId) -> Result<Referral> {
    let row = load(state, actor, id).await?;
    if !can_withdraw(actor, &row) {
        return Err(AppError::Forbidden);
    }
    if !state
        .store
        .answer_referral(&Who::from(actor), &row, "withdrawn", None)
        .await?
    {
        return Err(AppError::Conflict("referral_answered"));
    }
    Ok(load(state, actor, id).await?.view())
}

/// The firm accepts after its conflict check: the engagement opens with the accepting lawyer
/// leading it, the requester as client, and the plan's items as tasks.
pub async fn accept(
    state: &AppState,
    actor: &Actor,
    id: &ReferralId,
    input: &AcceptReferral,
) -> Result<Referral> {
    let row = load(state, actor, id).await?;
    if !can_answer(actor, &row) {
        return Err(AppError::Forbidden);
    }
    if !input.no_conflict {
        return Err(AppError::invalid("no_conflict", "conflict_check"));
    }
    let project = state
        .store
        .project(&ProjectId::from_stored(row.project_id.clone()))
        .await?
        .ok_or(AppError::NotFound)?;
    // The plan is made before anything changes: a project whose plan cannot be made is refused
    // while the referral is still pending.
    let lib = super::library_revisions::current(&state.store).await?;
    plan_today(&lib, &project)?;
    let who = Who::from(actor);
    if !state
        .store
        .answer_referral(&who, &row, "accepted", None)
        .await?
    {
        return Err(AppError::Conflict("referral_answered"));
    }
    finish_engagement(state, actor, id).await?;
    Ok(load(state, actor, id).await?.view())
}

/// Opens the engagement of an accepted referral, or finishes opening it: the matter (linked
/// to the referral at once), the requester as client, and a task for each plan item not yet
/// there; then marks it ready. Each step is its own transaction in the matters store, so each
/// looks at what is already there: after a stop mid-way, running it again (the next accept, or
/// the next start) completes the engagement without doubling anything.
pub async fn finish_engagement(state: &AppState, actor: &Actor, id: &ReferralId) -> Result<()> {
    let row = state.store.referral(id).await?.ok_or(AppError::NotFound)?;
    if row.status != "accepted" || row.engagement_ready {
        return Ok(());
    }
    let project = state
        .store
        .project(&ProjectId::from_stored(row.project_id.clone()))
        .await?
        .ok_or(AppError::NotFound)?;
    let lib = super::library_revisions::current(&state.store).await?;
    let (_, plan) = plan_today(&lib, &project)?;
    let who = Who::from(actor);
    let matter_id = match &row.matter_id {
        Some(m) => MatterId::from_stored(m.clone()),
        None => {
            let title: String = format!("{} · {}", project.title, row.enterprise_name_zh)
                .chars()
                .take(200)
                .collect();
            let created = state
                .store
                .create_matter(
                    &who,
                    &actor.user_id,
                    MatterKind::AdvisoryEngagement,
                    &row.firm_org_id,
                    &row.firm_slug,
                    &title,
                )
                .await?;
            if !state
                .store
                .link_referral_matter(&row.id, created.as_str())
                .await?
            {
                // Another run linked its matter first; it finishes that one.
                return Ok(());
            }
            created
        }
    };
    open_engagement(state, actor, &who, &row, &matter_id, &plan).await?;
    state.store.mark_engagement_ready(&row.id).await
}

/// Finishes the engagements a stopped server left half-opened, as the firm's member who
/// accepted each (from `housekeeping`, at start).
pub async fn finish_engagements(state: &AppState) -> Result<usize> {
    let mut done = 0;
    for row in state.store.unfinished_engagements().await? {
        let Some(by) = &row.responded_by else {
            continue;
        };
        let Some(actor) = state.store.actor_for_user(by).await? else {
            continue;
        };
        finish_engagement(state, &actor, &ReferralId::from_stored(row.id.clone())).await?;
        done += 1;
    }
    Ok(done)
}

/// The client joins (unless already in) and each plan item not yet a task becomes one, its
/// notes saying why, on what basis and what closes it.
async fn open_engagement(
    state: &AppState,
    actor: &Actor,
    who: &Who,
    row: &ReferralRow,
    matter_id: &MatterId,
    plan: &Plan,
) -> Result<()> {
    let matter = state
        .store
        .matter_row(matter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let base = state.settings.public_url();
    let change = Change {
        who,
        actor_id: &actor.user_id,
        matter: &matter,
        base: &base,
    };
    let joined = state.store.members(matter_id).await?;
    if !joined.iter().any(|m| m.user_id == row.requested_by)
        && let Some(client) = state.store.actor_for_user(&row.requested_by).await?
    {
        state
            .store
            .add_participant(&change, &row.requested_by, &client.name, "client")
            .await?;
    }
    let members = state.store.members(matter_id).await?;
    let zone = state.store.preferences(&actor.user_id).await?.time_zone;
    let existing: Vec<String> = state
        .store
        .tasks(matter_id)
        .await?
        .into_iter()
        .map(|t| t.title)
        .collect();
    for section in &plan.sections {
        for item in &section.items {
            let title = task_title(item);
            if existing.contains(&title) {
                continue;
            }
            let fields = TaskFields {
                title,
                notes: task_notes(item),
                assignee_user_id: None,
                assignee_role: None,
                due_at: None,
                time_zone: zone.clone(),
                status: "open".into(),
            };
            state.store.create_task(&change, &fields, &members).await?;
        }
    }
    Ok(())
}

/// Both languages: the firm and the client may read different ones.
pub fn task_title(item: &Item) -> String {
    format!("{} / {}", item.title.zh, item.title.en)
        .chars()
        .take(200)
        .collect()
}

pub fn task_notes(item: &Item) -> String {
    let mut notes = vec![item.summary_en.clone()];
    for w in &item.why {
        notes.push(format!("· {} / {}", w.text.zh, w.text.en));
    }
    for b in &item.legal_basis {
        notes.push(format!(
            "§ {}{}{}",
            b.instrument,
            b.number
                .as_deref()
                .map(|n| format!(", {n}"))
                .unwrap_or_default(),
            b.article
                .as_deref()
                .map(|a| format!(", {a}"))
                .unwrap_or_default()
        ));
    }
    notes.push(format!(
        "{} / {}: {} / {}",
        item.owner.text.zh, item.owner.text.en, item.due.text.zh, item.due.text.en
    ));
    notes.push(format!("✓ {} / {}", item.evidence.zh, item.evidence.en));
    notes.extend(item.sources.iter().cloned());
    if !item.verified {
        notes.push(format!("(unverified) {}", item.verification_note));
    }
    notes.push(item.obligation.clone());
    notes.join("\n").chars().take(5000).collect()
}
