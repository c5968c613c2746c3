//! The steps taken on an application, for the API and the pages alike: the office accepts
//! (the deciding notary takes charge), asks for more materials or refuses on a listed ground,
//! and books the session across time zones; the applicant resubmits or withdraws. Also the
//! office's own settings. Which step leads where is [`super::application`]'s.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Rules;
use super::actions::{ApplicationView, loaded, office_side, view};
use super::application::{Status, Step, Venue, next};
use super::store::{ApplicationRow, Move, OfficeRow};
use crate::auth::audit::Who;
use crate::auth::{Actor, OrgRole};
use crate::directory::model::OrgKind;
use crate::directory::validate::text;
use crate::ids::{MatterId, OrganizationKey};
use crate::matters::actions::Loaded;
use crate::matters::model::NewMeeting;
use crate::state::AppState;
use crate::{AppError, Result};

/// The office's answer to an application.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `accept`, `request_more` or `refuse`.
    pub step: String,
    /// With `refuse`: an id of the refusal grounds (`dispute`, `false_materials`, …).
    #[serde(default)]
    pub ground: Option<String>,
    /// To the applicant: what more is needed, or why refused. Required with `request_more`.
    #[serde(default)]
    pub note: String,
    /// The version read; a decision on an older one is a 409.
    pub version: i64,
}

/// The applicant's own steps.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantStep {
    /// `resubmit` (after the office asked for more; upload the materials first) or `withdraw`.
    pub step: String,
    #[serde(default)]
    pub note: String,
    pub version: i64,
}

/// A session slot, in the time zone of the place where the applicant sits.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Booking {
    /// Wall-clock start at the venue, `YYYY-MM-DDTHH:MM`.
    pub starts: String,
    /// IANA zone of the venue, e.g. `Asia/Bangkok`.
    pub time_zone: String,
    /// Minutes; default 30 (sessions take 20–30 minutes).
    #[serde(default)]
    pub duration_minutes: Option<i64>,
    /// `mission`, `visa_centre` or `own_device`; the application's if absent.
    #[serde(default)]
    pub venue: Option<String>,
    /// Which mission or centre, e.g. "Chinese Embassy in Bangkok, consular section".
    #[serde(default)]
    pub place: String,
    pub version: i64,
}

/// An office's own settings.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeSettings {
    /// The office's abbreviation in its certificate numbers: province character + office
    /// character, e.g. `渝明`.
    pub abbreviation: String,
    /// The certificate series word, e.g. `证字` or `外证字`.
    pub series: String,
    /// Sessions may be held on the applicant's own device (not only at a mission or centre).
    #[serde(default)]
    pub own_device_sessions: bool,
}

/// Moves the application one step and writes its timeline event and notices (to everyone in
/// it but the actor); 409 `application_state` when the step does not apply, 409
/// `application_changed` when someone moved it first.
pub(super) async fn take_step(
    state: &AppState,
    actor: &Actor,
    m: &Loaded,
    row: &ApplicationRow,
    step: Step,
    version: i64,
    change: Move<'_>,
) -> Result<()> {
    if version != row.version {
        return Err(AppError::Conflict("application_changed"));
    }
    if next(row.status(), step) != Some(change.to) {
        return Err(AppError::Conflict("application_state"));
    }
    let members = state
        .store
        .members(&MatterId::from_stored(m.row.id.clone()))
        .await?;
    let recipients: Vec<_> = members
        .iter()
        .filter(|p| p.user_id != actor.user_id)
        .collect();
    let moved = state
        .store
        .move_application(
            &Who::from(actor),
            row,
            &change,
            &recipients,
            &state.settings.public_url(),
        )
        .await?;
    if moved {
        // Leaving the booked state ends the session's signalling (held, refused, withdrawn).
        if row.status() == Status::Booked && change.to != Status::Booked {
            state.signals.close(&row.matter_id);
        }
        Ok(())
    } else {
        Err(AppError::Conflict("application_changed"))
    }
}

fn to_of(row: &ApplicationRow, step: Step) -> Result<Status> {
    next(row.status(), step).ok_or(AppError::Conflict("application_state"))
}

/// The office accepts (the deciding notary takes charge and joins the matter), asks for more
/// materials (with a note) or refuses on a listed ground.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &Decision,
) -> Result<ApplicationView> {
    let (m, row) = loaded(state, actor, id).await?;
    office_side(actor, &m)?;
    let step = match input.step.trim() {
        "accept" => Step::Accept,
        "request_more" => Step::RequestMore,
        "refuse" => Step::Refuse,
        _ => return Err(AppError::invalid("step", "unknown_step")),
    };
    let note = text("note", &input.note, step == Step::RequestMore, 2_000)?;
    let ground = match step {
        Step::Refuse => {
            let g = input.ground.as_deref().map(str::trim).unwrap_or_default();
            Some(
                Rules::get()
                    .refusal_ground(g)
                    .map(|g| g.id.as_str())
                    .ok_or_else(|| AppError::invalid("ground", "unknown_ground"))?,
            )
        }
        _ => None,
    };
    let to = to_of(&row, step)?;
    let event = match step {
        Step::Accept => "application_accepted",
        Step::RequestMore => "application_more_requested",
        _ => "application_refused",
    };
    let notary = (step == Step::Accept).then_some(actor.user_id.as_str());
    take_step(
        state,
        actor,
        &m,
        &row,
        step,
        input.version,
        Move {
            to,
            event,
            ground,
            note: &note,
            notary_id: notary,
            meeting_id: None,
        },
    )
    .await?;
    if step == Step::Accept && m.standing.role.is_none() {
        state
            .store
            .add_participant(
                &crate::matters::store::Change {
                    who: &Who::from(actor),
                    actor_id: &actor.user_id,
                    matter: &m.row,
                    base: &state.settings.public_url(),
                },
                &actor.user_id,
                &actor.name,
                "notary",
            )
            .await?;
    }
    view(state, actor, id).await
}

/// The applicant resubmits after the office asked for more, or withdraws.
pub async fn applicant_step(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &ApplicantStep,
) -> Result<ApplicationView> {
    let (m, row) = loaded(state, actor, id).await?;
    if row.applicant_id != actor.user_id {
        return Err(AppError::Forbidden);
    }
    let (step, event) = match input.step.trim() {
        "resubmit" => (Step::Resubmit, "application_resubmitted"),
        "withdraw" => (Step::Withdraw, "application_withdrawn"),
        _ => return Err(AppError::invalid("step", "unknown_step")),
    };
    let note = text("note", &input.note, false, 2_000)?;
    let to = to_of(&row, step)?;
    take_step(
        state,
        actor,
        &m,
        &row,
        step,
        input.version,
        Move {
            to,
            event,
            ground: None,
            note: &note,
            notary_id: None,
            meeting_id: None,
        },
    )
    .await?;
    view(state, actor, id).await
}

/// Books (or moves) the session: a matter meeting of kind `notarization_session` in the
/// venue's time zone, with the session page as its link; every participant sees it in their
/// own zone and gets its `.ics`.
pub async fn book(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &Booking,
) -> Result<ApplicationView> {
    let (m, row) = loaded(state, actor, id).await?;
    office_side(actor, &m)?;
    let to = to_of(&row, Step::Book)?;
    if input.version != row.version {
        return Err(AppError::Conflict("application_changed"));
    }
    let venue = match input
        .venue
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(v) => Venue::parse(v).ok_or_else(|| AppError::invalid("venue", "unknown_venue"))?,
        None => Venue::parse(&row.venue).unwrap_or(Venue::Mission),
    };
    let own_device = state
        .store
        .notary_office(&row.office_id)
        .await?
        .is_some_and(|o| o.own_device_sessions);
    if !venue.allowed(own_device) {
        return Err(AppError::invalid("venue", "own_device_not_offered"));
    }
    let place = text("place", &input.place, venue != Venue::OwnDevice, 300)?;
    let minutes = input.duration_minutes.unwrap_or(30);
    // Rebooking moves the session's meeting (calendars update it) instead of adding another.
    let rebooked = row
        .meeting_id
        .clone()
        .map(crate::ids::MeetingId::from_stored);
    let meeting = NewMeeting {
        kind: "notarization_session".into(),
        title: format!("{} — {}", row.reference, row.title)
            .chars()
            .take(200)
            .collect(),
        starts: input.starts.clone(),
        duration_minutes: Some(minutes),
        time_zone: input.time_zone.clone(),
        location: place,
        online_url: format!(
            "{}/notary/applications/{}/session",
            state.settings.public_url(),
            row.matter_id
        ),
    };
    let meeting = match &rebooked {
        Some(meeting_id) => {
            crate::matters::actions::move_meeting(state, actor, id, meeting_id, &meeting).await?
        }
        None => crate::matters::actions::create_meeting(state, actor, id, &meeting).await?,
    };
    take_step(
        state,
        actor,
        &m,
        &row,
        Step::Book,
        input.version,
        Move {
            to,
            event: "session_booked",
            ground: None,
            note: &row.note,
            notary_id: Some(actor.user_id.as_str()).filter(|_| row.notary_id.is_none()),
            meeting_id: Some(&meeting.id),
        },
    )
    .await?;
    view(state, actor, id).await
}

/// The office's settings; 404 for an organization that is not a notary office.
pub async fn office_settings(state: &AppState, office: &str) -> Result<(String, OfficeSettings)> {
    let key = OrganizationKey::parse(office).ok_or(AppError::NotFound)?;
    let org = state
        .store
        .find_organization(&key)
        .await?
        .filter(|o| o.kind == OrgKind::NotaryOffice)
        .ok_or(AppError::NotFound)?;
    let row = state.store.notary_office(&org.id).await?;
    Ok((
        org.id,
        row.map(|r| OfficeSettings {
            abbreviation: r.abbreviation,
            series: r.series,
            own_device_sessions: r.own_device_sessions,
        })
        .unwrap_or(OfficeSettings {
            abbreviation: String::new(),
            series: "证字".into(),
            own_device_sessions: false,
        }),
    ))
}

/// The office's administrator sets the abbreviation and series of its certificate numbers
/// and whether it holds sessions on the applicant's own device.
pub async fn set_office_settings(
    state: &AppState,
    actor: &Actor,
    office: &str,
    input: &OfficeSettings,
) -> Result<OfficeSettings> {
    let (org_id, _) = office_settings(state, office).await?;
    if actor.role_in(&org_id) != Some(OrgRole::OrgAdmin) {
        return Err(AppError::Forbidden);
    }
    // The number's own checks name what is wrong with either part.
    super::certificate::CertificateNumber::new(
        2026,
        input.abbreviation.trim(),
        input.series.trim(),
        1,
    )
    .map_err(|e| match e {
        super::certificate::NumberError::Series => AppError::invalid("series", "series"),
        _ => AppError::invalid("abbreviation", "abbreviation"),
    })?;
    let row = OfficeRow {
        organization_id: org_id,
        abbreviation: input.abbreviation.trim().to_owned(),
        series: input.series.trim().to_owned(),
        own_device_sessions: input.own_device_sessions,
    };
    state
        .store
        .set_notary_office(&Who::from(actor), &row)
        .await?;
    Ok(OfficeSettings {
        abbreviation: row.abbreviation,
        series: row.series,
        own_device_sessions: row.own_device_sessions,
    })
}
