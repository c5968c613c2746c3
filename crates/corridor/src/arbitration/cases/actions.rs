//! Arbitration cases for the API and the pages alike: filing (which opens the case's matter at
//! the institution), the secretariat's acceptance, procedural events whose time limits become
//! the case's deadlines and reminder tasks, and the enforcement of the award abroad.
//!
//! Who sees a case is the matter's rule: its participants (the parties, their counsel, the
//! tribunal) and the institution's case secretaries; to anyone else it does not exist (404).
//! Only the secretariat accepts, rejects and records events; the secretariat and counsel record
//! enforcement proceedings.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::filing::{EVENTS, Enforcement, EnforcementInput, FilingInput, PartyInput};
use super::store::{CaseRow, EnforcementRow};
use crate::arbitration::deadlines::{self, Deadline, DeadlineAsk};
use crate::arbitration::fees::{Comparison, compare};
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::directory::model::OrgKind;
use crate::directory::validate::{country, text};
use crate::ids::{MatterId, OrganizationKey};
use crate::matters::actions::{Loaded, load};
use crate::matters::kind::MatterKind;
use crate::matters::model::OwnerRef;
use crate::matters::store::Change;
use crate::matters::store_work::TaskFields;
use crate::state::AppState;
use crate::{AppError, Result};

/// A procedural event as recorded.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseEvent {
    pub event: String,
    pub happened_on: String,
    pub place: Option<String>,
}

/// An enforcement proceeding abroad.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EnforcementView {
    pub id: String,
    pub country: String,
    pub court: String,
    pub filed_on: String,
    pub grounds: Vec<String>,
    pub decision: String,
    pub decided_on: Option<String>,
    pub prior_report: String,
    pub note: String,
    pub version: i64,
    /// Will an award of this seat be recognised there, as the jurisdiction engine says
    /// (`covered`, `not_covered`, `domestic`, `unknown`), with the regime.
    pub coverage: String,
    pub regime: String,
}

/// A case as its participants and the secretariat read it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseView {
    /// The matter's id (the case file, messages, hearings and tasks are the matter's).
    pub id: String,
    pub reference: String,
    pub title: String,
    /// `filed`, `accepted` or `rejected`.
    pub status: String,
    pub institution: OwnerRef,
    pub claimant: PartyInput,
    pub respondent: PartyInput,
    pub claims: String,
    pub amount: String,
    pub currency: String,
    pub agreement: String,
    pub seat: String,
    pub language: String,
    pub rules: String,
    pub arbitrators: i64,
    pub expedited: bool,
    pub filed_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub decision_note: Option<String>,
    /// The reader's role in the case; `null` for the secretariat.
    pub my_role: Option<String>,
    /// The reader is the institution's secretariat.
    pub secretariat: bool,
    /// What the dispute would cost at each institution with a schedule in its currency, on
    /// the filing date (rows not confirmed are marked as estimates); `null` when no schedule
    /// is in that currency.
    pub fees: Option<Comparison>,
    pub events: Vec<CaseEvent>,
    /// Every time limit the recorded events start, counted today with the current holidays.
    pub deadlines: Vec<Deadline>,
    /// An award is in the case file (a document of role `award`, anchored in the ledger).
    pub award_filed: bool,
    pub enforcements: Vec<EnforcementView>,
    /// Extensions granted, oldest first (the deadlines above already count them).
    pub extensions: Vec<super::extensions::Extension>,
    /// Nominations to the tribunal, with the screens' answers, in the order made.
    pub tribunal: Vec<super::tribunal::Nomination>,
    /// The award, once drafted; the institution and the tribunal see the draft, the parties
    /// see it once signed.
    pub award: Option<super::award::Award>,
}

/// The secretariat's answer to a filing.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseDecision {
    #[serde(default)]
    pub note: String,
}

/// An event that starts time limits.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvent {
    /// `notice_of_arbitration_received`, `appointment_notified`, `tribunal_constituted` or
    /// `award_received`.
    pub event: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The addressee's place, whose holidays count (ISO 3166-1 alpha-2); the seat's if absent.
    #[serde(default)]
    pub place: Option<String>,
}

/// The case the actor may see (404 otherwise, and for a matter of another kind), with where
/// they stand in it: every case action starts here.
pub(super) async fn loaded(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
) -> Result<(Loaded, CaseRow)> {
    let m = load(state, actor, id).await?;
    if m.row.kind() != MatterKind::ArbitrationCase {
        return Err(AppError::NotFound);
    }
    let row = state
        .store
        .arbitration_case(id.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((m, row))
}

fn secretariat(m: &Loaded) -> Result<()> {
    if m.standing.staff {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Files a request for arbitration: the case's matter opens at the institution with the filer
/// as claimant or claimant's counsel; the same dispute filed again while live is refused (409).
pub async fn file(state: &AppState, actor: &Actor, input: &FilingInput) -> Result<CaseView> {
    let filing = input.check()?;
    let key = OrganizationKey::parse(&input.institution)
        .ok_or_else(|| AppError::invalid("institution", "unknown_institution"))?;
    let institution = state
        .store
        .find_organization(&key)
        .await?
        .filter(|o| o.kind == OrgKind::ArbitrationInstitution)
        .ok_or_else(|| AppError::invalid("institution", "unknown_institution"))?;
    if state
        .store
        .live_case_with_key(&filing.key(&institution.id))
        .await?
    {
        return Err(AppError::Conflict("duplicate_filing"));
    }
    let who = Who::from(actor);
    let title: String = format!("{} v. {}", filing.claimant.0, filing.respondent.0)
        .chars()
        .take(200)
        .collect();
    let matter = state
        .store
        .create_matter_as(
            &who,
            &actor.user_id,
            filing.filed_as,
            MatterKind::ArbitrationCase,
            &institution.id,
            &institution.slug,
            &title,
        )
        .await?;
    if !state
        .store
        .insert_case(&who, matter.as_str(), &institution.id, &filing)
        .await?
    {
        // Filed twice at once: the other one won; this matter closes empty.
        let row = state
            .store
            .matter_row(&matter)
            .await?
            .ok_or(AppError::NotFound)?;
        state
            .store
            .change_matter(&who, &actor.user_id, &row, &row.title, "closed")
            .await?;
        return Err(AppError::Conflict("duplicate_filing"));
    }
    view(state, actor, &matter).await
}

/// The case, with its fees, deadlines and enforcement.
pub async fn view(state: &AppState, actor: &Actor, id: &MatterId) -> Result<CaseView> {
    let (m, row) = loaded(state, actor, id).await?;
    let events = state.store.case_events(&row.matter_id).await?;
    let extensions = state.store.case_extensions(&row.matter_id).await?;
    let mut deadlines = Vec::new();
    for e in &events {
        let ask = DeadlineAsk {
            rules: row.rules.clone(),
            event: e.event.clone(),
            date: e.happened_on.clone(),
            place: e.place.clone().or_else(|| Some(row.seat.clone())),
            procedure: None,
            extensions: super::extensions::for_event(&extensions, &e.event),
        };
        // A rule set without limits for this event answers with none; a grant the engine no
        // longer accepts (its data changed) leaves the limits counted without it.
        let answer = deadlines::compute(&ask).or_else(|_| {
            deadlines::compute(&DeadlineAsk {
                extensions: Vec::new(),
                ..ask.clone()
            })
        });
        if let Ok(answer) = answer {
            deadlines.extend(answer.deadlines);
        }
    }
    deadlines.sort_by_key(|d| d.due);
    let award_filed = award_filed(state, id).await?;
    let filed_on = row.filed_at.date_naive().to_string();
    let fees = compare(&row.amount, &row.currency, Some(&filed_on)).ok();
    let tribunal = state
        .store
        .nominations(&row.matter_id)
        .await?
        .into_iter()
        .map(super::tribunal::view)
        .map(|n| {
            // The screens and the draft disclosure are the secretariat's working papers.
            n.map(|mut n| {
                if !m.standing.staff {
                    n.screen = serde_json::Value::Null;
                }
                n
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut tribunal = super::tribunal::with_challenge_deadlines(tribunal, &row.rules, &row.seat);
    for n in &mut tribunal {
        n.has_account = super::tribunal::account_of(state, n.email.as_deref())
            .await?
            .is_some();
        n.disclosures = state
            .store
            .disclosures(None, Some(&n.id))
            .await?
            .into_iter()
            .map(crate::arbitration::roster::actions::disclosure_item)
            .collect();
    }
    let tribunal_member = matches!(
        m.standing.role.as_deref(),
        Some("arbitrator" | "presiding_arbitrator")
    );
    let award = match state.store.case_award(&row.matter_id).await? {
        Some(a) if a.status == "signed" || m.standing.staff || tribunal_member => {
            Some(super::award::view(a)?)
        }
        _ => None,
    };
    let enforcements = state
        .store
        .enforcements(&row.matter_id)
        .await?
        .into_iter()
        .map(|e| enforcement_view(&row.seat, e))
        .collect::<Result<_>>()?;
    Ok(CaseView {
        id: row.matter_id,
        reference: row.reference,
        title: row.title,
        status: row.status,
        institution: OwnerRef {
            id: row.institution_id,
            slug: row.institution_slug,
            name_en: row.institution_name_en,
            name_zh: row.institution_name_zh,
        },
        claimant: PartyInput {
            name: row.claimant,
            nationality: row.claimant_nationality,
        },
        respondent: PartyInput {
            name: row.respondent,
            nationality: row.respondent_nationality,
        },
        claims: row.claims,
        amount: row.amount,
        currency: row.currency,
        agreement: row.agreement,
        seat: row.seat,
        language: row.language,
        rules: row.rules,
        arbitrators: row.arbitrators,
        expedited: row.expedited,
        filed_at: row.filed_at,
        decided_at: row.decided_at,
        decision_note: row.decision_note,
        my_role: m.standing.role.clone(),
        secretariat: m.standing.staff,
        fees,
        events: events
            .into_iter()
            .map(|e| CaseEvent {
                event: e.event,
                happened_on: e.happened_on,
                place: e.place,
            })
            .collect(),
        deadlines,
        award_filed,
        enforcements,
        tribunal,
        award,
        extensions,
    })
}

/// Whether the case file holds an award (a document of role `award`).
async fn award_filed(state: &AppState, id: &MatterId) -> Result<bool> {
    Ok(state
        .store
        .documents(id)
        .await?
        .iter()
        .any(|d| d.role == "award"))
}

fn enforcement_view(seat: &str, e: EnforcementRow) -> Result<EnforcementView> {
    let q = crate::jurisdiction::AwardQuery {
        seat: seat.to_owned(),
        institution: None,
        enforcing_state: e.country.clone(),
        commercial: true,
        date: NaiveDate::parse_from_str(&e.filed_on, "%Y-%m-%d")
            .unwrap_or_else(|_| crate::jurisdiction::today()),
    };
    let (coverage, regime) = match crate::jurisdiction::award_enforceability(q) {
        Ok(a) => (
            serde_json::to_value(a.coverage)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            serde_json::to_value(a.regime)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        ),
        Err(_) => ("unknown".into(), String::new()),
    };
    Ok(EnforcementView {
        grounds: serde_json::from_str(&e.grounds).map_err(anyhow::Error::from)?,
        id: e.id,
        country: e.country,
        court: e.court,
        filed_on: e.filed_on,
        decision: e.decision,
        decided_on: e.decided_on,
        prior_report: e.prior_report,
        note: e.note,
        version: e.version,
        coverage,
        regime,
    })
}

/// The cases the actor is in, and every case at institutions where they are the secretariat.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<CaseView>> {
    let institutions: Vec<String> = actor
        .memberships
        .iter()
        .filter(|m| {
            MatterKind::ArbitrationCase
                .rules()
                .staff_roles
                .contains(&m.role)
        })
        .map(|m| m.organization_id.clone())
        .collect();
    let mut out = Vec::new();
    for row in state.store.cases_for(&actor.user_id, &institutions).await? {
        out.push(view(state, actor, &MatterId::from_stored(row.matter_id)).await?);
    }
    Ok(out)
}

/// Accepts (`accepted`) or rejects (`rejected`) a filed case: the secretariat's decision. A
/// rejected case's matter closes.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    status: &'static str,
    input: &CaseDecision,
) -> Result<CaseView> {
    let (m, row) = loaded(state, actor, id).await?;
    secretariat(&m)?;
    let note = text("note", &input.note, false, 2000)?;
    let who = Who::from(actor);
    if !state.store.decide_case(&who, &row, status, &note).await? {
        return Err(AppError::Conflict("case_decided"));
    }
    if status == "rejected" {
        state
            .store
            .change_matter(&who, &actor.user_id, &m.row, &m.row.title, "closed")
            .await?;
    }
    view(state, actor, id).await
}

/// Records an event of an accepted case (the secretariat); every time limit it starts becomes
/// a reminder task, due on the limit's day (end of day, the institution's time), for the
/// role that must act where the case has that role.
pub async fn record_event(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &NewEvent,
) -> Result<CaseView> {
    let (m, row) = loaded(state, actor, id).await?;
    secretariat(&m)?;
    if row.status != "accepted" {
        return Err(AppError::Conflict("case_not_accepted"));
    }
    let event = input.event.trim();
    if !EVENTS.contains(&event) {
        return Err(AppError::InvalidValues {
            field: "event".into(),
            reason: "unknown_value",
            values: vec![event.to_owned()],
        });
    }
    let date = NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("date", "date"))?;
    let place = match input
        .place
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(p) => Some(country("place", p)?),
    };
    let answer = deadlines::compute(&DeadlineAsk {
        rules: row.rules.clone(),
        event: event.to_owned(),
        date: date.to_string(),
        place: place.clone().or_else(|| Some(row.seat.clone())),
        procedure: None,
        extensions: Vec::new(),
    })?;
    let who = Who::from(actor);
    state
        .store
        .record_case_event(&who, &row, event, &date.to_string(), place.as_deref())
        .await?;
    let base = state.settings.public_url();
    let change = Change {
        who: &who,
        actor_id: &actor.user_id,
        matter: &m.row,
        base: &base,
    };
    let members = state.store.members(id).await?;
    let zone = "Asia/Shanghai";
    for d in &answer.deadlines {
        let due_at = crate::matters::when::local_to_utc(
            "due",
            &format!("{}T23:59", d.due),
            zone.parse().map_err(|_| anyhow::anyhow!("zone"))?,
        )?;
        let role = d
            .actor
            .as_deref()
            .filter(|a| MatterKind::ArbitrationCase.has_role(a))
            .map(str::to_owned);
        let title: String = format!("{} {}: {}", d.rule_set, d.article, d.action)
            .chars()
            .take(200)
            .collect();
        let fields = TaskFields {
            title,
            notes: format!(
                "{}{}",
                d.evidence,
                if d.verified {
                    String::new()
                } else {
                    " (unverified limit / 期限未经核实)".into()
                }
            ),
            assignee_user_id: None,
            assignee_role: role,
            due_at: Some(due_at),
            time_zone: zone.into(),
            status: "open".into(),
        };
        state.store.create_task(&change, &fields, &members).await?;
    }
    view(state, actor, id).await
}

fn may_record_enforcement(m: &Loaded) -> Result<()> {
    let counsel = matches!(
        m.standing.role.as_deref(),
        Some("claimant_counsel" | "respondent_counsel")
    );
    if m.standing.staff || counsel {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Records an enforcement proceeding of the case's award (the secretariat or counsel); the
/// award must be in the case file.
pub async fn add_enforcement(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &EnforcementInput,
) -> Result<CaseView> {
    let (m, row) = loaded(state, actor, id).await?;
    may_record_enforcement(&m)?;
    let e: Enforcement = input.check()?;
    if !award_filed(state, id).await? {
        return Err(AppError::Conflict("no_award"));
    }
    state
        .store
        .insert_enforcement(&Who::from(actor), &row, &e)
        .await?;
    view(state, actor, id).await
}

/// Changes a proceeding (its decision, most often), if nobody changed it since it was read.
pub async fn edit_enforcement(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    enforcement: &str,
    input: &EnforcementInput,
) -> Result<CaseView> {
    let (m, row) = loaded(state, actor, id).await?;
    may_record_enforcement(&m)?;
    if !state
        .store
        .enforcements(&row.matter_id)
        .await?
        .iter()
        .any(|e| e.id == enforcement)
    {
        return Err(AppError::NotFound);
    }
    let version = input
        .version
        .ok_or_else(|| AppError::invalid("version", "required"))?;
    let e = input.check()?;
    if !state
        .store
        .update_enforcement(&Who::from(actor), &row, enforcement, version, &e)
        .await?
    {
        return Err(AppError::Conflict("enforcement_changed"));
    }
    view(state, actor, id).await
}
