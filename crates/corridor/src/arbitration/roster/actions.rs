//! The roster's actions, one per change, shared by the API and the pages: read and search the
//! roster, keep a profile, record recommendations, outside appointments and disclosures. Who may
//! is [`super::policy`]'s to say.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::policy;
use super::profile::RosterProfile;
use super::search::{Entry, Recommendation, RosterFilter, RosterQuery, Seats, search};
use super::snapshot::RosterCache;
use super::store::{DisclosureRow, HistoryRow, NewAppointment, NewDisclosure, RecommendationRow};
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::db::Store;
use crate::directory::model::{CooperationTerm, OrgKind, Page, Person, Profession};
use crate::directory::validate::text;
use crate::ids::{OrganizationId, OrganizationKey, PersonKey};
use crate::{AppError, Result};

/// One appointment in the history, as the panel's keepers read it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HistoryItem {
    /// `here` (a case in this deployment) or `recorded` (elsewhere, as recorded).
    pub source: String,
    pub appointed_on: String,
    pub seat_role: String,
    pub institution: String,
    pub case_reference: String,
    pub appointed_by: String,
    pub counsel_firm: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DisclosureItem {
    pub id: String,
    pub made_on: String,
    pub case_reference: String,
    /// The case here it was made in, if any.
    pub matter_id: Option<String>,
    pub statement: String,
}

/// One arbitrator's roster entry as read: the history and disclosures only for the keepers.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RosterView {
    pub entry: Entry,
    /// The reader keeps this entry (and so reads history, disclosures and blocked days).
    pub keeper: bool,
    pub can_edit: bool,
    pub history: Option<Vec<HistoryItem>>,
    pub disclosures: Option<Vec<DisclosureItem>>,
}

/// A profile to save, with the version it was read at (0 for the first).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    pub profile: RosterProfile,
    pub version: i64,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationInput {
    /// The institution whose panel the arbitrator is recommended to (id or slug).
    pub institution: String,
    /// The partner institution that recommends (id or slug).
    pub recommended_by: String,
    pub recommended_on: NaiveDate,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentInput {
    pub appointed_on: NaiveDate,
    /// `sole`, `presiding` or `co_arbitrator`.
    pub seat_role: String,
    /// The institution (or `ad hoc`).
    pub institution: String,
    pub case_reference: String,
    /// The party (or affiliate) that appointed, or the institution.
    pub appointed_by: String,
    /// The firm that acted as that party's counsel (directory slug, or its name).
    #[serde(default)]
    pub counsel_firm: Option<String>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosureInput {
    pub made_on: NaiveDate,
    pub case_reference: String,
    pub statement: String,
}

fn recommendation(r: RecommendationRow) -> Recommendation {
    Recommendation {
        institution: r.institution_slug,
        institution_name_en: r.institution_name_en,
        institution_name_zh: r.institution_name_zh,
        recommended_by: r.recommended_by_slug,
        recommended_by_name_en: r.recommended_by_name_en,
        recommended_by_name_zh: r.recommended_by_name_zh,
        agreement_id: r.agreement_id,
        agreement_signed_on: r.agreement_signed_on.to_string(),
        recommended_on: r.recommended_on,
    }
}

fn profile_of(facts: &str) -> Result<RosterProfile> {
    serde_json::from_str(facts).map_err(|e| AppError::Internal(e.into()))
}

/// Builds entries for `people` from the roster's tables and their seats held.
fn assemble(
    people: Vec<Person>,
    mut profiles: HashMap<String, (RosterProfile, i64)>,
    recommendations: Vec<RecommendationRow>,
    seats: HashMap<String, Seats>,
) -> Vec<Entry> {
    let mut recs: HashMap<String, Vec<Recommendation>> = HashMap::new();
    for r in recommendations {
        recs.entry(r.person_id.clone())
            .or_default()
            .push(recommendation(r));
    }
    people
        .into_iter()
        .map(|person| {
            let (profile, version) = profiles.remove(&person.id).unwrap_or_default();
            Entry {
                recommendations: recs.remove(&person.id).unwrap_or_default(),
                seats: seats.get(&person.id).cloned().unwrap_or_default(),
                profile,
                version,
                person,
            }
        })
        .collect()
}

/// Every arbitrator with their roster entry, by name.
pub async fn entries(store: &Store) -> Result<Vec<Entry>> {
    let people = store.arbitrators().await?;
    let profiles = store
        .roster_profiles()
        .await?
        .into_iter()
        .map(|r| Ok((r.person_id, (profile_of(&r.facts)?, r.version))))
        .collect::<Result<HashMap<_, _>>>()?;
    let recs = store.roster_recommendations(None).await?;
    let mut seats: HashMap<String, Seats> = HashMap::new();
    for (person, role, n, pending) in store.seat_counts().await? {
        seats.entry(person).or_default().add(&role, n, pending);
    }
    Ok(assemble(people, profiles, recs, seats))
}

/// The institutions (slugs) whose keepers keep this entry.
fn institutions(e: &Entry) -> Vec<&str> {
    let mut out: Vec<&str> = e.person.rosters.iter().map(String::as_str).collect();
    out.extend(e.recommendations.iter().map(|r| r.institution.as_str()));
    out
}

/// Blocked days and the availability note are the keepers'.
fn public(mut e: Entry) -> Entry {
    e.profile.availability.blocked.clear();
    e.profile.availability.note.clear();
    e
}

fn shown(actor: Option<&Actor>, e: Entry) -> Entry {
    if actor.is_some_and(|a| policy::keeps(a, &institutions(&e))) {
        e
    } else {
        public(e)
    }
}

/// The roster search: anyone may search; a page of matches by name. It reads the roster's
/// snapshot (see [`super::snapshot`]): a roster of 10,000 with a million past appointments
/// cannot be read from the database per keystroke.
pub async fn find(
    cache: &RosterCache,
    store: &Store,
    actor: Option<&Actor>,
    q: &RosterQuery,
) -> Result<Page<Entry>> {
    let filter = RosterFilter::parse(q)?;
    let per_page = q.per_page.unwrap_or(20);
    let page = q.page.unwrap_or(1);
    if !(1..=100).contains(&per_page) || !(1..=100_000).contains(&page) {
        return Err(AppError::invalid("page", "out_of_range"));
    }
    // Blocked days are the keepers': others filter on availability without them, so a search
    // by day cannot reveal them.
    let snapshot = cache.get(store).await?;
    let keeper = |e: &Entry| actor.is_some_and(|a| policy::keeps(a, &institutions(e)));
    let (hits, total) = search(&snapshot.entries, &filter, keeper, page, per_page);
    Ok(Page {
        items: hits.into_iter().map(|e| shown(actor, e.clone())).collect(),
        page,
        per_page,
        total: total as i64,
    })
}

/// One arbitrator's entry (404 for anyone who is not an arbitrator in the directory).
async fn entry(store: &Store, key: &str) -> Result<(Entry, Vec<HistoryRow>)> {
    let key = PersonKey::from_path(key)?;
    let person = store
        .find_person(&key)
        .await?
        .filter(|p| p.profession == Profession::Arbitrator)
        .ok_or(AppError::NotFound)?;
    let profile = store
        .roster_profile(&person.id)
        .await?
        .map(|r| Ok::<_, AppError>((person.id.clone(), (profile_of(&r.facts)?, r.version))))
        .transpose()?;
    let recs = store.roster_recommendations(Some(&person.id)).await?;
    let history = store.appointment_history(Some(&person.id)).await?;
    let mut seats = Seats::default();
    for h in &history {
        seats.add(&h.seat_role, 1, i64::from(h.pending));
    }
    let seats = HashMap::from([(person.id.clone(), seats)]);
    let e = assemble(vec![person], profile.into_iter().collect(), recs, seats);
    let e = e.into_iter().next().ok_or(AppError::NotFound)?;
    Ok((e, history))
}

pub async fn read(store: &Store, actor: Option<&Actor>, key: &str) -> Result<RosterView> {
    let (e, history) = entry(store, key).await?;
    let panels = institutions(&e);
    let keeper = actor.is_some_and(|a| policy::keeps(a, &panels));
    let can_edit = actor
        .is_some_and(|a| policy::can_edit_profile(a, &panels, e.person.organization_id.as_deref()));
    let (history, disclosures) = if keeper {
        let disclosures = store.disclosures(Some(&e.person.id), None).await?;
        (
            Some(history.into_iter().rev().map(history_item).collect()),
            Some(disclosures.into_iter().map(disclosure_item).collect()),
        )
    } else {
        (None, None)
    };
    Ok(RosterView {
        entry: if keeper { e } else { public(e) },
        keeper,
        can_edit,
        history,
        disclosures,
    })
}

fn history_item(h: HistoryRow) -> HistoryItem {
    HistoryItem {
        source: h.source,
        appointed_on: h.appointed_on,
        seat_role: h.seat_role,
        institution: h.institution,
        case_reference: h.case_reference,
        appointed_by: h.appointed_by,
        counsel_firm: h.counsel_firm,
    }
}

pub fn disclosure_item(d: DisclosureRow) -> DisclosureItem {
    DisclosureItem {
        id: d.id,
        made_on: d.made_on,
        case_reference: d.case_reference,
        matter_id: d.matter_id,
        statement: d.statement,
    }
}

/// The entry `key` names, if the actor keeps it (404 if it is no arbitrator, 403 otherwise).
async fn kept(store: &Store, actor: &Actor, key: &str) -> Result<Entry> {
    let (e, _) = entry(store, key).await?;
    if !policy::keeps(actor, &institutions(&e)) {
        return Err(AppError::Forbidden);
    }
    Ok(e)
}

/// Saves the profile; 409 when someone saved it since it was read. Former firms named by a
/// directory organization are kept as its slug, as the conflict screen compares counsel's.
pub async fn save(
    store: &Store,
    actor: &Actor,
    key: &str,
    input: &ProfileInput,
) -> Result<RosterView> {
    let (e, _) = entry(store, key).await?;
    if !policy::can_edit_profile(
        actor,
        &institutions(&e),
        e.person.organization_id.as_deref(),
    ) {
        return Err(AppError::Forbidden);
    }
    let mut profile = input.profile.checked(crate::jurisdiction::today())?;
    if !policy::keeps(actor, &institutions(&e)) {
        // The arbitrator's own firm keeps what it knows; the panel's designation, the former
        // firms the conflict screen relies on, and the blocked days (which the firm does not
        // see) stay as the keepers left them.
        let kept = e.profile.clone();
        profile.overseas_expert = kept.overseas_expert;
        profile.former_firms = kept.former_firms;
        profile.availability.blocked = kept.availability.blocked;
        profile.availability.note = kept.availability.note;
    }
    for f in &mut profile.former_firms {
        if let Some(key) = OrganizationKey::parse(&f.firm)
            && let Some(org) = store.find_organization(&key).await?
        {
            f.firm = org.slug;
        }
    }
    let facts = serde_json::to_string(&profile).map_err(anyhow::Error::from)?;
    if !store
        .save_roster_profile(&Who::from(actor), &e.person.id, &facts, input.version)
        .await?
    {
        return Err(AppError::Conflict("profile_changed"));
    }
    super::snapshot::changed();
    read(store, Some(actor), &e.person.id).await
}

/// An arbitration institution by id or slug, or a 422 naming `field`.
async fn institution(
    store: &Store,
    field: &str,
    key: &str,
) -> Result<crate::directory::model::Organization> {
    let k = OrganizationKey::parse(key)
        .ok_or_else(|| AppError::invalid(field, "unknown_institution"))?;
    store
        .find_organization(&k)
        .await?
        .filter(|o| o.kind == OrgKind::ArbitrationInstitution)
        .ok_or_else(|| AppError::invalid(field, "unknown_institution"))
}

/// Records that `recommended_by` recommends the arbitrator to `institution`'s panel, under their
/// cooperation agreement with the mutual recommendation term (422 `no_recommendation_term`
/// without one); 409 when already recorded.
pub async fn recommend(
    store: &Store,
    actor: &Actor,
    key: &str,
    input: &RecommendationInput,
) -> Result<RosterView> {
    let (e, _) = entry(store, key).await?;
    let to = institution(store, "institution", &input.institution).await?;
    let by = institution(store, "recommended_by", &input.recommended_by).await?;
    if !policy::can_recommend(actor, &to.id, &by.id) {
        return Err(AppError::Forbidden);
    }
    if to.id == by.id {
        return Err(AppError::invalid(
            "recommended_by",
            "no_recommendation_term",
        ));
    }
    // An institution recommends its own panel's arbitrators (programme staff may record any).
    if !actor.is_programme_staff() && !e.person.rosters.contains(&by.slug) {
        return Err(AppError::invalid("recommended_by", "not_on_panel"));
    }
    if input.recommended_on > crate::jurisdiction::today() {
        return Err(AppError::invalid("recommended_on", "date_out_of_range"));
    }
    let id = OrganizationId::parse(&to.id).map_err(|_| AppError::NotFound)?;
    let agreement = store
        .agreements(Some(&id))
        .await?
        .into_iter()
        .find(|a| {
            let pair = [a.institution.id.as_str(), a.counterpart.id.as_str()];
            pair.contains(&to.id.as_str())
                && pair.contains(&by.id.as_str())
                && a.terms
                    .contains(&CooperationTerm::MutualRosterRecommendation)
        })
        .ok_or_else(|| AppError::invalid("recommended_by", "no_recommendation_term"))?;
    let on = input.recommended_on.to_string();
    if !store
        .add_roster_recommendation(
            &Who::from(actor),
            &e.person.id,
            (&to.id, &by.id, &agreement.id),
            &on,
        )
        .await?
    {
        return Err(AppError::Conflict("already_exists"));
    }
    super::snapshot::changed();
    read(store, Some(actor), &e.person.id).await
}

/// Withdraws a recommendation (either institution's secretariat); 404 when there is none.
pub async fn withdraw(
    store: &Store,
    actor: &Actor,
    key: &str,
    institution_key: &str,
    by_key: &str,
) -> Result<RosterView> {
    let (e, _) = entry(store, key).await?;
    let to = institution(store, "institution", institution_key).await?;
    let by = institution(store, "recommended_by", by_key).await?;
    if !policy::can_recommend(actor, &to.id, &by.id) {
        return Err(AppError::Forbidden);
    }
    if !store
        .remove_roster_recommendation(&Who::from(actor), &e.person.id, &to.id, &by.id)
        .await?
    {
        return Err(AppError::NotFound);
    }
    super::snapshot::changed();
    read(store, Some(actor), &e.person.id).await
}

/// Records an appointment outside this deployment (the panel's keepers), which the conflict
/// screen then counts.
pub async fn record_appointment(
    store: &Store,
    actor: &Actor,
    key: &str,
    input: &AppointmentInput,
) -> Result<RosterView> {
    let e = kept(store, actor, key).await?;
    if !matches!(
        input.seat_role.trim(),
        "sole" | "presiding" | "co_arbitrator"
    ) {
        return Err(AppError::invalid("seat_role", "seat_role"));
    }
    if input.appointed_on > crate::jurisdiction::today() {
        return Err(AppError::invalid("appointed_on", "date_out_of_range"));
    }
    let counsel = input
        .counsel_firm
        .as_deref()
        .map(|f| text("counsel_firm", f, false, 200))
        .transpose()?
        .filter(|f| !f.is_empty());
    let on = input.appointed_on.to_string();
    store
        .record_appointment(
            &Who::from(actor),
            &e.person.id,
            &NewAppointment {
                appointed_on: &on,
                seat_role: input.seat_role.trim(),
                institution: &text("institution", &input.institution, true, 200)?,
                case_reference: &text("case_reference", &input.case_reference, true, 100)?,
                appointed_by: &text("appointed_by", &input.appointed_by, true, 200)?,
                counsel_firm: counsel.as_deref(),
            },
        )
        .await?;
    super::snapshot::changed();
    read(store, Some(actor), &e.person.id).await
}

/// Records a disclosure the arbitrator made elsewhere (the panel's keepers).
pub async fn record_disclosure(
    store: &Store,
    actor: &Actor,
    key: &str,
    input: &DisclosureInput,
) -> Result<RosterView> {
    let e = kept(store, actor, key).await?;
    if input.made_on > crate::jurisdiction::today() {
        return Err(AppError::invalid("made_on", "date_out_of_range"));
    }
    let on = input.made_on.to_string();
    store
        .record_disclosure(
            &Who::from(actor),
            &NewDisclosure {
                person_id: &e.person.id,
                made_on: &on,
                matter_id: None,
                nomination_id: None,
                case_reference: &text("case_reference", &input.case_reference, true, 100)?,
                statement: &text("statement", &input.statement, true, 5000)?,
            },
        )
        .await?;
    read(store, Some(actor), &e.person.id).await
}
