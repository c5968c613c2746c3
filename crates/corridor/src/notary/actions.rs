//! Applications for overseas remote video notarization, for the API and the pages alike: the
//! applicant applies (the eligibility pre-check runs first and an ineligible application is
//! refused with its reasons), the office accepts, asks for more or refuses with a listed
//! ground, and books the session ([`super::workflow`] takes those steps).
//!
//! Who sees an application is the matter's rule: the applicant and the notary in charge are
//! its participants, and every notary (and administrator) of the office sees the office's
//! applications; to anyone else it does not exist (404).

use chrono::Utc;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::Rules;
use super::application::{Status, Venue};
use super::eligibility::{Application, Finding, Verdict, check};
use super::store::{ApplicationRow, NewApplication};
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::directory::model::OrgKind;
use crate::directory::validate::text;
use crate::ids::{MatterId, OrganizationKey};
use crate::matters::actions::{Loaded, load};
use crate::matters::kind::MatterKind;
use crate::matters::model::{Meeting, OwnerRef};
use crate::state::AppState;
use crate::{AppError, Result};

/// A ground of refusal, in both languages.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GroundView {
    pub id: String,
    pub en: String,
    pub zh: String,
}

/// An application as the applicant and the office read it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ApplicationView {
    /// The matter's id (documents, messages and the session's meeting are the matter's).
    pub id: String,
    pub reference: String,
    pub title: String,
    pub status: Status,
    pub office: OwnerRef,
    pub applicant_name: String,
    /// A `matter_types` id of `remote_notarization_cn.json`, with its words.
    pub matter_type: String,
    pub matter_type_en: String,
    pub matter_type_zh: String,
    /// What the certificate is for, in the applicant's words.
    pub purpose: String,
    pub venue: Venue,
    pub residence_country: String,
    /// The pre-check's verdict on the day of the application, and its conditions.
    pub verdict: Verdict,
    pub conditions: Vec<Finding>,
    pub ground: Option<GroundView>,
    /// The office's last note to the applicant (what more is needed, why refused).
    pub note: String,
    /// The session, once booked.
    pub meeting: Option<Meeting>,
    /// The reader's role (`applicant`, `notary`); `null` for the office's other notaries.
    pub my_role: Option<String>,
    /// The reader works at the office.
    pub office_staff: bool,
    /// For the next change: a step taken on an older version is a 409.
    pub version: i64,
    pub applied_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
    /// The register entry, once certified (`/verify/certificates/{id}`).
    pub certificate_id: Option<String>,
    pub certificate_number: Option<String>,
}

/// The application the actor may see (404 otherwise, and for a matter of another kind).
pub async fn loaded(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
) -> Result<(Loaded, ApplicationRow)> {
    let m = load(state, actor, id).await?;
    if m.row.kind() != MatterKind::Notarization {
        return Err(AppError::NotFound);
    }
    let row = state
        .store
        .notary_application(id.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((m, row))
}

/// The office's notaries and administrators. The participant role `notary` alone is not
/// enough: whoever is added to the matter as `notary` but does not (or no longer) work at the
/// office takes no step for it.
pub(super) fn office_side(actor: &Actor, m: &Loaded) -> Result<()> {
    let member = actor.role_in(&m.row.owner_org_id).is_some();
    if m.standing.staff || (member && m.standing.role.as_deref() == Some("notary")) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn pilot_office(org: &crate::directory::model::Organization) -> bool {
    org.kind == OrgKind::NotaryOffice && org.remote_notarization_pilot
}

/// Applies: the pre-check runs on the answers (today's date unless given); an ineligible
/// application is a 422 `ineligible` naming the rules not met. The application opens as a
/// matter of kind `notarization` at the office, with the applicant in it.
pub async fn apply(state: &AppState, actor: &Actor, body: &Value) -> Result<ApplicationView> {
    let Some(fields) = body.as_object() else {
        return Err(AppError::BadRequest("a JSON object is expected".into()));
    };
    let mut answers: Map<String, Value> = fields.clone();
    let take = |answers: &mut Map<String, Value>, key: &str| match answers.remove(key) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Ok(String::new()),
        Some(_) => Err(AppError::invalid(key, "text")),
    };
    let office_key = take(&mut answers, "office")?;
    let venue_text = take(&mut answers, "venue")?;
    let purpose = take(&mut answers, "purpose")?;
    if answers.get("date").is_none_or(Value::is_null) {
        let today = Utc::now().date_naive().to_string();
        answers.insert("date".into(), Value::String(today));
    }
    let application = Application::from_value(&Value::Object(answers.clone()))?;
    let office = OrganizationKey::parse(office_key.trim())
        .ok_or_else(|| AppError::invalid("office", "unknown_office"))?;
    let office = state
        .store
        .find_organization(&office)
        .await?
        .filter(pilot_office)
        .ok_or_else(|| AppError::invalid("office", "unknown_office"))?;
    let settings = state.store.notary_office(&office.id).await?;
    let venue = Venue::parse(if venue_text.trim().is_empty() {
        "mission"
    } else {
        &venue_text
    })
    .ok_or_else(|| AppError::invalid("venue", "unknown_venue"))?;
    if !venue.allowed(settings.is_some_and(|s| s.own_device_sessions)) {
        return Err(AppError::invalid("venue", "own_device_not_offered"));
    }
    let purpose = text("purpose", &purpose, true, 2_000)?;
    let answer = check(&application);
    if answer.verdict == Verdict::Ineligible {
        return Err(AppError::InvalidValues {
            field: "eligibility".into(),
            reason: "ineligible",
            values: answer.reasons.iter().map(|r| r.code.to_string()).collect(),
        });
    }
    let kind = Rules::get()
        .matter(&application.matter)
        .ok_or_else(|| AppError::invalid("matter", "matter_type"))?;
    let who = Who::from(actor);
    let title: String = format!("{} / {} — {}", kind.zh, kind.en, actor.name)
        .chars()
        .take(200)
        .collect();
    let matter = state
        .store
        .create_matter_as(
            &who,
            &actor.user_id,
            "applicant",
            MatterKind::Notarization,
            &office.id,
            &office.slug,
            &title,
        )
        .await?;
    let conditions: Vec<&str> = answer.conditions.iter().map(|c| c.code).collect();
    state
        .store
        .insert_application(
            &who,
            matter.as_str(),
            &office.id,
            &actor.user_id,
            &NewApplication {
                matter_type: &kind.id,
                purpose: &purpose,
                venue: venue.as_str(),
                residence_country: &application.residence_country,
                answers: &Value::Object(answers).to_string(),
                verdict: answer.verdict.as_str(),
                conditions: &conditions.join(" "),
            },
        )
        .await?;
    view(state, actor, &matter).await
}

/// The applications the actor made or handles, and (for a notary or administrator) every
/// application at their offices; newest first, at most 200.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<ApplicationView>> {
    let offices: Vec<String> = actor
        .memberships
        .iter()
        .filter(|m| {
            MatterKind::Notarization
                .rules()
                .staff_roles
                .contains(&m.role)
        })
        .map(|m| m.organization_id.clone())
        .collect();
    let rows = state
        .store
        .notary_applications(&actor.user_id, &offices)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let role = (row.applicant_id == actor.user_id)
            .then(|| "applicant".to_string())
            .or_else(|| {
                (row.notary_id.as_deref() == Some(actor.user_id.as_str()))
                    .then(|| "notary".to_string())
            });
        let staff = offices.contains(&row.office_id);
        out.push(render(row, role, staff, None, None));
    }
    Ok(out)
}

fn render(
    row: ApplicationRow,
    my_role: Option<String>,
    office_staff: bool,
    meeting: Option<Meeting>,
    certificate: Option<(String, String)>,
) -> ApplicationView {
    let rules = Rules::get();
    let (en, zh) = rules
        .matter(&row.matter_type)
        .map(|m| (m.en.clone(), m.zh.clone()))
        .unwrap_or_default();
    let conditions = super::eligibility::conditions_by_code(&row.conditions);
    let ground = row
        .ground
        .as_deref()
        .and_then(|g| rules.refusal_ground(g))
        .map(|g| GroundView {
            id: g.id.clone(),
            en: g.en.clone(),
            zh: g.zh.clone(),
        });
    ApplicationView {
        status: row.status(),
        venue: Venue::parse(&row.venue).unwrap_or(Venue::Mission),
        verdict: Verdict::parse(&row.verdict).unwrap_or(Verdict::Eligible),
        id: row.matter_id,
        reference: row.reference,
        title: row.title,
        office: OwnerRef {
            id: row.office_id,
            slug: row.office_slug,
            name_en: row.office_name_en,
            name_zh: row.office_name_zh,
        },
        applicant_name: row.applicant_name,
        matter_type: row.matter_type,
        matter_type_en: en,
        matter_type_zh: zh,
        purpose: row.purpose,
        residence_country: row.residence_country,
        conditions,
        ground,
        note: row.note,
        meeting,
        my_role,
        office_staff,
        version: row.version,
        applied_at: row.applied_at,
        updated_at: row.updated_at,
        certificate_id: certificate.as_ref().map(|c| c.0.clone()),
        certificate_number: certificate.map(|c| c.1),
    }
}

/// One application, with its booked session in the reader's time zone.
pub async fn view(state: &AppState, actor: &Actor, id: &MatterId) -> Result<ApplicationView> {
    let (m, row) = loaded(state, actor, id).await?;
    viewed(state, actor, &m, row).await
}

pub(super) async fn viewed(
    state: &AppState,
    actor: &Actor,
    m: &Loaded,
    row: ApplicationRow,
) -> Result<ApplicationView> {
    let meeting = match &row.meeting_id {
        Some(meeting_id) => {
            let reader = crate::matters::when::stored_zone(
                &state.store.preferences(&actor.user_id).await?.time_zone,
            );
            let mid = crate::ids::MeetingId::from_stored(meeting_id.clone());
            state
                .store
                .meeting(&MatterId::from_stored(row.matter_id.clone()), &mid)
                .await?
                .map(|r| crate::matters::actions::meeting_view(r, reader))
        }
        None => None,
    };
    let certificate = state
        .store
        .register_entry_for(&row.matter_id)
        .await?
        .map(|e| (e.id, e.number));
    Ok(render(
        row,
        m.standing.role.clone(),
        m.standing.staff,
        meeting,
        certificate,
    ))
}
