//! The arbitrator's disclosure in a case (IBA General Standard 3): the screens draft it at
//! nomination; the arbitrator confirms or corrects it, and the statement made is recorded — by
//! the secretariat as received from a nominee, or by the seated arbitrator themselves. It is
//! shown to every participant of the case (the parties are who it is for) and kept in the
//! arbitrator's disclosure history on the roster.

use serde::Deserialize;
use utoipa::ToSchema;

use super::actions::{self, CaseView, loaded};
use crate::arbitration::roster::store::NewDisclosure;
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::directory::validate::text;
use crate::ids::MatterId;
use crate::state::AppState;
use crate::{AppError, Result};

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosureStatement {
    /// The disclosure as the arbitrator makes it: the draft confirmed, or corrected.
    pub statement: String,
}

/// Records the disclosure made on `nomination` (the secretariat, or the nominee once seated);
/// 409 for a nomination that was rejected or removed.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    nomination: &str,
    input: &DisclosureStatement,
) -> Result<CaseView> {
    let (m, case) = loaded(state, actor, id).await?;
    let row = state
        .store
        .nominations(&case.matter_id)
        .await?
        .into_iter()
        .find(|n| n.id == nomination)
        .ok_or(AppError::NotFound)?;
    // The nominee speaks for themselves once seated: an arbitrator of the case whose seat this is.
    let seated = matches!(row.status.as_str(), "confirmed" | "challenged")
        && matches!(
            m.standing.role.as_deref(),
            Some("arbitrator" | "presiding_arbitrator")
        );
    let nominee = seated
        && row
            .email
            .as_deref()
            .is_some_and(|e| e.trim().eq_ignore_ascii_case(actor.email.trim()));
    if !m.standing.staff && !nominee {
        return Err(AppError::Forbidden);
    }
    if matches!(row.status.as_str(), "rejected" | "removed") {
        return Err(AppError::Conflict("nomination_changed"));
    }
    let statement = text("statement", &input.statement, true, 10_000)?;
    let today = crate::jurisdiction::today().to_string();
    state
        .store
        .record_disclosure(
            &Who::from(actor),
            &NewDisclosure {
                person_id: &row.person_id,
                made_on: &today,
                matter_id: Some(&case.matter_id),
                nomination_id: Some(&row.id),
                case_reference: &case.reference,
                statement: &statement,
            },
        )
        .await?;
    actions::view(state, actor, id).await
}
