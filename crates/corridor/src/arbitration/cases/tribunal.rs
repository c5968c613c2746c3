//! Forming a case's tribunal: a party's counsel (or the secretariat) nominates an arbitrator from
//! the directory for a seat; both screens run at once (the nationality of a sole or presiding
//! arbitrator under the case's rules, and conflicts from the appointment history of every case
//! here) and their answer, with the draft disclosure, is kept with the nomination for the case
//! secretary. The secretariat confirms (the arbitrator joins the case if they have an account)
//! or rejects; a confirmed arbitrator may be challenged by either side's counsel, and the
//! secretariat upholds the challenge (the arbitrator is removed) or dismisses it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::actions::{self, CaseView, loaded};
use super::store::CaseRow;
use super::tribunal_store::{NewNomination, NominationRow};
use crate::arbitration::roster::profile::RosterProfile;
use crate::arbitration::roster::snapshot::party_key;
use crate::arbitration::screens::{
    AppointmentIn, ArbitratorIn, CounselIn, FormerFirmIn, PartyIn, ScreenInput, screen,
};
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::directory::model::Profession;
use crate::ids::{MatterId, PersonKey};
use crate::matters::actions::Loaded;
use crate::matters::store::Change;
use crate::state::AppState;
use crate::{AppError, Result};

/// A nomination as the case shows it, with the screens' answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Nomination {
    pub id: String,
    pub person: String,
    pub name_en: String,
    pub name_zh: String,
    /// `sole`, `presiding` or `co_arbitrator`.
    pub seat_role: String,
    /// `claimant`, `respondent` or `institution`.
    pub side: String,
    /// `proposed`, `confirmed`, `rejected`, `challenged` or `removed`.
    pub status: String,
    /// The screens at nomination: `neutrality`, `findings`, `summary`, `disclosure`.
    #[schema(value_type = Object)]
    pub screen: Value,
    pub challenge: Option<String>,
    /// The day the challenge's grounds became known, when it was brought after `challenge_due`.
    pub challenge_learned_on: Option<String>,
    /// For a confirmed arbitrator: the last day to challenge under the case's rules, counted
    /// from the confirmation as the notice of appointment, with the article and its wording. A
    /// challenge after it must name the day its grounds became known, and come within the same
    /// limit from that day.
    #[schema(value_type = Option<String>, format = Date)]
    pub challenge_due: Option<chrono::NaiveDate>,
    pub challenge_rule: Option<String>,
    #[serde(skip)]
    pub confirmed_on: Option<chrono::NaiveDate>,
    /// The arbitrator's disclosures in this case, newest first (for every participant).
    pub disclosures: Vec<crate::arbitration::roster::actions::DisclosureItem>,
    /// The nominee's account, for the page to offer them the disclosure form.
    #[serde(skip)]
    pub email: Option<String>,
    /// The arbitrator has a Corridor account (and so signs the award themselves; without one,
    /// the institution records their signed counterpart).
    pub has_account: bool,
    pub version: i64,
}

/// A candidate for a seat.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNominationInput {
    /// The arbitrator in the directory (slug or id of a person whose profession is arbitrator).
    pub person: String,
    /// `sole`, `presiding` or `co_arbitrator`.
    pub seat_role: String,
    /// The arbitrator's Corridor account, who joins the case when confirmed.
    #[serde(default)]
    pub email: Option<String>,
}

/// A step of a nomination: `confirm`, `reject`, `challenge` (with `grounds`), `uphold` or
/// `dismiss` (a challenge), with the version read.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NominationStep {
    pub action: String,
    pub version: i64,
    #[serde(default)]
    pub grounds: Option<String>,
    /// For a challenge after the limit from the appointment: the day the grounds became known.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub learned_on: Option<chrono::NaiveDate>,
}

pub fn view(n: NominationRow) -> Result<Nomination> {
    Ok(Nomination {
        screen: serde_json::from_str(&n.screen).map_err(anyhow::Error::from)?,
        id: n.id,
        person: n.person_slug,
        name_en: n.person_name_en,
        name_zh: n.person_name_zh,
        seat_role: n.seat_role,
        side: n.side,
        status: n.status,
        challenge: n.challenge,
        challenge_learned_on: n.challenge_learned_on,
        challenge_due: None,
        challenge_rule: None,
        confirmed_on: n.decided_at.map(|d| d.date_naive()),
        disclosures: Vec::new(),
        email: n.email,
        has_account: false,
        version: n.version,
    })
}

/// The last day to challenge under `rules` counted from `day` (the notice of appointment, or
/// the day the grounds became known) at `place`, with the rule's article and wording; `None`
/// when the rule set has no challenge limit.
fn challenge_limit(
    rules: &str,
    place: &str,
    day: chrono::NaiveDate,
) -> Option<(chrono::NaiveDate, String)> {
    let answer =
        crate::arbitration::deadlines::compute(&crate::arbitration::deadlines::DeadlineAsk {
            rules: rules.to_owned(),
            event: "appointment_notified".into(),
            date: day.to_string(),
            place: Some(place.to_owned()),
            procedure: None,
            extensions: Vec::new(),
        });
    answer.ok().and_then(|a| {
        a.deadlines
            .into_iter()
            .find(|d| d.action.to_lowercase().contains("challeng"))
            .map(|d| (d.due, format!("{} {}: {}", d.rule_set, d.article, d.action)))
    })
}

/// Whether a challenge brought `today` is in time: by the limit from the appointment, or by the
/// same limit from the day its grounds became known (which cannot be before the appointment
/// nor after today). Without a limit in the rule set, any day is.
pub fn challenge_in_time(
    today: chrono::NaiveDate,
    from_appointment: Option<chrono::NaiveDate>,
    from_learning: Option<chrono::NaiveDate>,
) -> bool {
    match from_appointment {
        None => true,
        Some(due) => today <= due || from_learning.is_some_and(|d| today <= d),
    }
}

/// Sets each seated arbitrator's challenge deadline under `rules`, counted at `place`.
pub fn with_challenge_deadlines(
    mut list: Vec<Nomination>,
    rules: &str,
    place: &str,
) -> Vec<Nomination> {
    for n in list
        .iter_mut()
        .filter(|n| matches!(n.status.as_str(), "confirmed" | "challenged"))
    {
        let Some(on) = n.confirmed_on else { continue };
        if let Some((due, rule)) = challenge_limit(rules, place, on) {
            n.challenge_due = Some(due);
            n.challenge_rule = Some(rule);
        }
    }
    list
}

/// The side the actor nominates for: the secretariat nominates for the institution, counsel for
/// their party; anyone else may not.
fn nominating_side(m: &Loaded) -> Result<&'static str> {
    if m.standing.staff {
        return Ok("institution");
    }
    match m.standing.role.as_deref() {
        Some("claimant" | "claimant_counsel") => Ok("claimant"),
        Some("respondent" | "respondent_counsel") => Ok("respondent"),
        _ => Err(AppError::Forbidden),
    }
}

/// The law firms of the case's counsel, by side.
pub(super) async fn counsel_firms(
    state: &AppState,
    id: &MatterId,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for m in state.store.members(id).await? {
        let side = match m.role.as_str() {
            "claimant_counsel" => "claimant",
            "respondent_counsel" => "respondent",
            _ => continue,
        };
        if let Some(a) = state.store.actor_for_user(&m.user_id).await? {
            for firm in a.memberships.iter().filter(|f| {
                matches!(
                    f.organization_kind.as_str(),
                    "local_law_firm" | "foreign_law_firm"
                )
            }) {
                out.push((firm.slug.clone(), side.to_owned()));
            }
        }
    }
    Ok(out)
}

/// Nominates a candidate and screens them.
pub async fn nominate(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &NewNominationInput,
) -> Result<CaseView> {
    let (m, case) = loaded(state, actor, id).await?;
    let side = nominating_side(&m)?;
    if case.status != "accepted" {
        return Err(AppError::Conflict("case_not_accepted"));
    }
    let seat_role = input.seat_role.trim();
    if !seat_allowed(case.arbitrators, side, seat_role) {
        return Err(AppError::invalid("seat_role", "seat_role"));
    }
    let key = PersonKey::parse(&input.person)
        .ok_or_else(|| AppError::invalid("person", "unknown_arbitrator"))?;
    let person = state
        .store
        .find_person(&key)
        .await?
        .filter(|p| p.profession == Profession::Arbitrator)
        .ok_or_else(|| AppError::invalid("person", "unknown_arbitrator"))?;
    // Checked here: the seat, the award's signatures and the disclosure form look it up.
    let email = input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(crate::auth::store::normalize_email)
        .transpose()?;
    let email = email.as_deref();
    let firms = counsel_firms(state, id).await?;
    let history = state.store.appointment_history(Some(&person.id)).await?;
    let former_firms = match state.store.roster_profile(&person.id).await? {
        Some(p) => {
            serde_json::from_str::<RosterProfile>(&p.facts)
                .map_err(anyhow::Error::from)?
                .former_firms
        }
        None => Vec::new(),
    };
    let appointed_by = match side {
        "claimant" => party_key(&case.claimant),
        "respondent" => party_key(&case.respondent),
        _ => "institution".to_owned(),
    };
    let counsel_firm = firms
        .iter()
        .find(|(_, s)| s == side)
        .map(|(f, _)| f.clone());
    let arbitrator = ArbitratorIn {
        id: person.id.clone(),
        name: Some(person.name_en.clone()),
        nationalities: person.nationalities.clone(),
        firm: person.organization_slug.clone(),
        former_firms: former_firms
            .into_iter()
            .map(|f| FormerFirmIn {
                firm: f.firm,
                until: f.until.to_string(),
            })
            .collect(),
    };
    let appointments = history
        .into_iter()
        .map(|h| AppointmentIn {
            arbitrator: h.person_id,
            date: h.appointed_on,
            // Parties are named as the cases here key them (recorded ones as typed).
            appointed_by: party_key(&h.appointed_by),
            counsel_firm: h.counsel_firm,
        })
        .collect();
    let input_screen = screen_input(&case, seat_role, &firms, arbitrator, appointments);
    let answer = screen(&input_screen)?;
    let screen_json = serde_json::to_string(&answer).map_err(anyhow::Error::from)?;
    state
        .store
        .insert_nomination(
            &Who::from(actor),
            &case,
            &NewNomination {
                person_id: &person.id,
                seat_role,
                side,
                appointed_by: &appointed_by,
                counsel_firm: counsel_firm.as_deref(),
                email,
                screen: &screen_json,
            },
        )
        .await?;
    actions::view(state, actor, id).await
}

/// The account a nominee's email names, if any. An address that cannot be an account (stored
/// before nominations checked them) names none.
pub async fn account_of(state: &AppState, email: Option<&str>) -> Result<Option<String>> {
    let Some(email) = email else {
        return Ok(None);
    };
    match state.store.user_id_by_email(email).await {
        Ok(user) => Ok(user),
        Err(AppError::Invalid { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What the screens are asked about a candidate for `seat_role` in `case`, today.
pub(super) fn screen_input(
    case: &CaseRow,
    seat_role: &str,
    firms: &[(String, String)],
    arbitrator: ArbitratorIn,
    appointments: Vec<AppointmentIn>,
) -> ScreenInput {
    ScreenInput {
        date: crate::jurisdiction::today().to_string(),
        rules: case.rules.clone(),
        role: seat_role.to_owned(),
        arbitrator,
        parties: vec![
            party("claimant", &case.claimant, &case.claimant_nationality),
            party("respondent", &case.respondent, &case.respondent_nationality),
        ],
        counsel: firms
            .iter()
            .map(|(firm, side)| CounselIn {
                firm: firm.clone(),
                side: side.clone(),
            })
            .collect(),
        appointments,
    }
}

/// Whether `seat_role` is a seat the actor's `side` fills in a tribunal of `arbitrators`.
pub(super) fn seat_allowed(arbitrators: i64, side: &str, seat_role: &str) -> bool {
    match (arbitrators, side) {
        (1, _) => seat_role == "sole",
        (_, "institution") => matches!(seat_role, "presiding" | "co_arbitrator"),
        _ => seat_role == "co_arbitrator",
    }
}

fn party(side: &str, name: &str, nationality: &str) -> PartyIn {
    PartyIn {
        id: party_key(name),
        name: Some(name.to_owned()),
        side: side.to_owned(),
        kind: None,
        nationalities: vec![nationality.to_owned()],
        controlled_from: Vec::new(),
        affiliates: Vec::new(),
    }
}

/// Refuses a challenge out of time (422 `challenge_out_of_time` naming `learned_on`): after the
/// limit from the appointment, it must name the day its grounds became known and come within
/// the limit from then.
fn challenge_timely(
    case: &CaseRow,
    row: &NominationRow,
    learned_on: Option<chrono::NaiveDate>,
) -> Result<()> {
    let today = crate::jurisdiction::today();
    let Some(appointed) = row.decided_at.map(|d| d.date_naive()) else {
        return Ok(());
    };
    if learned_on.is_some_and(|d| d < appointed || d > today) {
        return Err(AppError::invalid("learned_on", "date_out_of_range"));
    }
    let due = challenge_limit(&case.rules, &case.seat, appointed).map(|d| d.0);
    let from_learning = learned_on
        .and_then(|d| challenge_limit(&case.rules, &case.seat, d))
        .map(|d| d.0);
    if challenge_in_time(today, due, from_learning) {
        Ok(())
    } else {
        Err(AppError::invalid("learned_on", "challenge_out_of_time"))
    }
}

/// Confirms, rejects, challenges, or decides a challenge.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    nomination: &str,
    input: &NominationStep,
) -> Result<CaseView> {
    let (m, case) = loaded(state, actor, id).await?;
    let row = state
        .store
        .nominations(&case.matter_id)
        .await?
        .into_iter()
        .find(|n| n.id == nomination)
        .ok_or(AppError::NotFound)?;
    let counsel = matches!(
        m.standing.role.as_deref(),
        Some("claimant_counsel" | "respondent_counsel")
    );
    let (from, to, grounds) = match input.action.as_str() {
        "confirm" | "reject" | "uphold" | "dismiss" if !m.standing.staff => {
            return Err(AppError::Forbidden);
        }
        "challenge" if !counsel => return Err(AppError::Forbidden),
        "confirm" => ("proposed", "confirmed", None),
        "reject" => ("proposed", "rejected", None),
        "uphold" => ("challenged", "removed", None),
        "dismiss" => ("challenged", "confirmed", None),
        "challenge" => {
            let g = input.grounds.as_deref().unwrap_or_default();
            let g = crate::directory::validate::text("grounds", g, true, 5000)?;
            challenge_timely(&case, &row, input.learned_on)?;
            ("confirmed", "challenged", Some(g))
        }
        other => {
            return Err(AppError::InvalidValues {
                field: "action".into(),
                reason: "unknown_value",
                values: vec![other.to_owned()],
            });
        }
    };
    let learned = input.learned_on.map(|d| d.to_string());
    let who = Who::from(actor);
    if !state
        .store
        .move_nomination(
            &who,
            &case,
            &row.id,
            input.version,
            from,
            to,
            grounds.as_deref().map(|g| (g, learned.as_deref())),
        )
        .await?
    {
        return Err(AppError::Conflict("nomination_changed"));
    }
    // A seat taken or lost changes the roster's history.
    crate::arbitration::roster::snapshot::changed();
    let seat = if row.seat_role == "co_arbitrator" {
        "arbitrator"
    } else {
        "presiding_arbitrator"
    };
    let account = account_of(state, row.email.as_deref()).await?;
    if let Some(user) = account {
        let base = state.settings.public_url();
        let change = Change {
            who: &who,
            actor_id: &actor.user_id,
            matter: &m.row,
            base: &base,
        };
        let members = state.store.members(id).await?;
        let member = members.iter().find(|p| p.user_id == user);
        match (to, member) {
            ("confirmed", None) => {
                if let Some(a) = state.store.actor_for_user(&user).await? {
                    state
                        .store
                        .add_participant(&change, &user, &a.name, seat)
                        .await?;
                }
            }
            ("removed", Some(p)) => {
                state
                    .store
                    .remove_participant(&who, &actor.user_id, &m.row, p)
                    .await?;
            }
            _ => {}
        }
    }
    actions::view(state, actor, id).await
}

#[cfg(test)]
mod tests {
    use super::challenge_in_time;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_challenge_is_in_time_by_either_limit() {
        let due = Some(d("2026-03-16"));
        assert!(
            challenge_in_time(d("2026-03-16"), due, None),
            "the last day counts"
        );
        assert!(!challenge_in_time(d("2026-03-17"), due, None));
        // Grounds learnt later: their own limit runs from when they were learnt.
        assert!(challenge_in_time(
            d("2026-06-01"),
            due,
            Some(d("2026-06-10"))
        ));
        assert!(!challenge_in_time(
            d("2026-06-11"),
            due,
            Some(d("2026-06-10"))
        ));
        // No limit in the rule set: any day.
        assert!(challenge_in_time(d("2030-01-01"), None, None));
    }
}
