//! The roster ranked for a seat in a case, for the secretariat: every arbitrator on the
//! institution's panel or recommended to it, screened against the appointment history of the
//! whole roster (cases here and appointments recorded from elsewhere), and ordered by
//! [`crate::arbitration::roster::rank`].

use serde::Deserialize;
use utoipa::IntoParams;

use super::actions::loaded;
use super::tribunal::{counsel_firms, screen_input, seat_allowed};
use crate::arbitration::roster::rank::{Candidacy, for_case};
use crate::arbitration::screens::{ArbitratorIn, Case};
use crate::auth::Actor;
use crate::ids::MatterId;
use crate::state::AppState;
use crate::{AppError, Result};

/// How many ranked candidates are returned.
pub const KEEP: usize = 50;

#[derive(Clone, Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CandidatesQuery {
    /// `sole`, `presiding` or `co_arbitrator`: the seat the institution fills.
    pub seat_role: String,
}

/// The best [`KEEP`] candidates for the seat (the case's secretariat only; 403 to its parties).
/// Arbitrators nominated in the case before (whatever became of it) are left out.
pub async fn ranked(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    seat_role: &str,
) -> Result<Vec<Candidacy>> {
    let (m, case) = loaded(state, actor, id).await?;
    if !m.standing.staff {
        return Err(AppError::Forbidden);
    }
    let seat_role = seat_role.trim();
    if !seat_allowed(case.arbitrators, "institution", seat_role) {
        return Err(AppError::invalid("seat_role", "seat_role"));
    }
    let firms = counsel_firms(state, id).await?;
    // The case is what the screens check; the arbitrator of the input is not read by it.
    let placeholder = ArbitratorIn {
        id: String::new(),
        name: None,
        nationalities: Vec::new(),
        firm: None,
        former_firms: Vec::new(),
    };
    let screened = Case::parse(&screen_input(
        &case,
        seat_role,
        &firms,
        placeholder,
        Vec::new(),
    ))?;
    let nominated: Vec<String> = state
        .store
        .nominations(&case.matter_id)
        .await?
        .into_iter()
        .map(|n| n.person_id)
        .collect();
    let snapshot = state.roster.get(&state.store).await?;
    let pool: Vec<_> = snapshot
        .entries
        .iter()
        .filter(|e| e.listed_by(&case.institution_slug) && !nominated.contains(&e.person.id))
        .collect();
    Ok(for_case(
        &screened,
        &pool,
        &snapshot.index,
        &case.language,
        crate::jurisdiction::today(),
        KEEP,
    ))
}
