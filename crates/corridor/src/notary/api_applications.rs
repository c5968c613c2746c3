//! Applications, their sessions and certificates over JSON ([`super::actions`],
//! [`super::session_actions`] and [`super::certify`] decide who may do what).

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::actions::{self, ApplicationView};
use super::certify::{self, CertifyInput};
use super::session_actions::{
    self as sessions, IdentityInput, QaInput, SessionStep, SessionView, SignInput,
};
use super::verify::{self, PublicCertificate};
use super::workflow::{self, ApplicantStep, Booking, Decision, OfficeSettings};
use crate::auth::CurrentUser;
use crate::ids::MatterId;
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::extract::{Json, Path};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, apply))
        .routes(routes!(application))
        .routes(routes!(decide))
        .routes(routes!(applicant_step))
        .routes(routes!(book))
        .routes(routes!(issue_certificate))
        .routes(routes!(session))
        .routes(routes!(identity))
        .routes(routes!(consent))
        .routes(routes!(qa))
        .routes(routes!(sign))
        .routes(routes!(hold))
        // Bounded by `web::body_limit` (upload_limit_mb) and `Files::stage` as it streams.
        .routes(routes!(recording).layer(DefaultBodyLimit::disable()))
        .routes(routes!(certificate))
        .routes(routes!(office_settings, set_office_settings))
}

/// The application form's body: the eligibility pre-check's answers (as
/// `POST /api/v1/notary/eligibility` takes them; `date` defaults to today) plus these.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ApplicationForm {
    /// A notary office in the pilot (id or slug).
    office: String,
    /// `mission` (default), `visa_centre`, or `own_device` where the office offers it.
    venue: Option<String>,
    /// What the certificate is for.
    purpose: String,
    /// The day of the pre-check, `YYYY-MM-DD`; today if absent.
    #[schema(format = Date)]
    date: Option<String>,
    /// ISO 3166-1 alpha-2; `CN` for a PRC national.
    nationality: String,
    mainland_resident: bool,
    residence_country: String,
    #[schema(minimum = 0)]
    days_resident: u32,
    residence_status: super::eligibility::ResidenceStatus,
    /// An id of the permitted matter types (`birth`, `entrustment`, …).
    matter: String,
    use_in: String,
    needs_interpreter: bool,
    disposes_property: bool,
}

/// Apply for overseas remote video notarization at a pilot office: the pre-check runs first
/// (422 `ineligible` names the rules not met); the application opens as a matter of kind
/// `notarization` owned by the office, with the applicant in it.
#[utoipa::path(post, path = "/api/v1/notary/applications", tag = "notary", request_body = ApplicationForm,
    security(("bearer" = [])),
    responses((status = 201, body = ApplicationView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn apply(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<ApplicationView>)> {
    let a = actions::apply(&state, &actor, &body).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// My applications, those I handle, and (for a notary or an office's administrator) every
/// application at my offices; newest first, at most 200.
#[utoipa::path(get, path = "/api/v1/notary/applications", tag = "notary", security(("bearer" = [])),
    responses((status = 200, body = [ApplicationView]), (status = 401, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<ApplicationView>>> {
    Ok(Json(actions::list(&state, &actor).await?))
}

/// One application, with its booked session in the reader's time zone.
#[utoipa::path(get, path = "/api/v1/notary/applications/{id}", tag = "notary", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn application(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ApplicationView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(actions::view(&state, &actor, &id).await?))
}

/// The office accepts, asks for more materials (`note` required) or refuses on a listed
/// `ground`. 409 `application_state` when the step does not apply, `application_changed` when the
/// application changed since `version`.
#[utoipa::path(post, path = "/api/v1/notary/applications/{id}/decision", tag = "notary",
    params(("id" = String, Path)), request_body = Decision, security(("bearer" = [])),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<Decision>,
) -> Result<Json<ApplicationView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(workflow::decide(&state, &actor, &id, &input).await?))
}

/// The applicant resubmits (after uploading what the office asked for) or withdraws.
#[utoipa::path(post, path = "/api/v1/notary/applications/{id}/step", tag = "notary",
    params(("id" = String, Path)), request_body = ApplicantStep, security(("bearer" = [])),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn applicant_step(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<ApplicantStep>,
) -> Result<Json<ApplicationView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(
        workflow::applicant_step(&state, &actor, &id, &input).await?,
    ))
}

/// Book (or move) the session: a meeting of kind `notarization_session` in the venue's time
/// zone, each participant seeing it in their own, with its `.ics`.
#[utoipa::path(post, path = "/api/v1/notary/applications/{id}/booking", tag = "notary",
    params(("id" = String, Path)), request_body = Booking, security(("bearer" = [])),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn book(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<Booking>,
) -> Result<Json<ApplicationView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(workflow::book(&state, &actor, &id, &input).await?))
}

/// Issue the certificate after the session: entered in the office's register with the next
/// number of its series and year, rendered to PDF with a QR code to its verification page,
/// filed in the matter (role `certificate`) and anchored.
#[utoipa::path(post, path = "/api/v1/notary/applications/{id}/certificate", tag = "notary",
    params(("id" = String, Path)), request_body = CertifyInput, security(("bearer" = [])),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 503, body = ErrorBody)))]
async fn issue_certificate(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<CertifyInput>,
) -> Result<Json<ApplicationView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(certify::certify(&state, &actor, &id, &input).await?))
}

/// The session as it stands: identity checks, consent, recording, questions and answers,
/// signature, and what still blocks closing it.
#[utoipa::path(get, path = "/api/v1/notary/applications/{id}/session", tag = "notary",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = SessionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn session(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<SessionView>> {
    let id = MatterId::from_path(&id)?;
    Ok(Json(sessions::view(&state, &actor, &id).await?))
}

macro_rules! session_step {
    ($name:ident, $path:literal, $input:ty, $action:path, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "notary", params(("id" = String, Path)),
                    request_body = $input, security(("bearer" = [])),
                    responses((status = 200, body = SessionView), (status = 401, body = ErrorBody),
                              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
                              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
        async fn $name(
            State(state): State<AppState>,
            CurrentUser(actor): CurrentUser,
            Path(id): Path<String>,
            Json(input): Json<$input>,
        ) -> Result<Json<SessionView>> {
            let id = MatterId::from_path(&id)?;
            Ok(Json($action(&state, &actor, &id, &input).await?))
        }
    };
}

session_step!(
    identity,
    "/api/v1/notary/applications/{id}/session/identity",
    IdentityInput,
    sessions::check_identity,
    "The notary records an identity check (`document_checked`, `face_matched`, `residence_checked`), passed or failed; a failed check blocks the signature and the close until checked again."
);
session_step!(
    consent,
    "/api/v1/notary/applications/{id}/session/consent",
    SessionStep,
    sessions::consent,
    "The applicant consents to the session being recorded (before the recording is accepted)."
);
session_step!(
    qa,
    "/api/v1/notary/applications/{id}/session/qa",
    QaInput,
    sessions::add_qa,
    "The notary adds a question and the applicant's answer to the record."
);
session_step!(
    sign,
    "/api/v1/notary/applications/{id}/session/signature",
    SignInput,
    sessions::sign,
    "The applicant signs in session with their full name (identity verified and consent given first)."
);
session_step!(
    hold,
    "/api/v1/notary/applications/{id}/session/hold",
    SessionStep,
    sessions::hold,
    "The notary closes a complete session: the record of questions and answers is filed and anchored, and the application moves to `session_held`. 409 `session_incomplete` names nothing; read `missing`."
);

/// The notary's browser uploads the session's recording (the raw bytes, streamed), with its
/// SHA-256 announced in `X-Content-SHA256`: a recording that does not match is refused (422
/// `hash_mismatch`) and nothing is kept. Filed as a document of role `recording`, seen by the
/// notaries, anchored in the ledger.
#[utoipa::path(put, path = "/api/v1/notary/applications/{id}/session/recording", tag = "notary",
    params(("id" = String, Path),
           ("X-Content-SHA256" = String, Header, description = "SHA-256 of the body, lowercase hex")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "the recording's bytes (a browser's MediaRecorder makes video/webm; send that as Content-Type)"),
    security(("bearer" = [])),
    responses((status = 200, body = SessionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn recording(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<SessionView>> {
    let id = MatterId::from_path(&id)?;
    let announced = headers
        .get("x-content-sha256")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !sessions::is_sha256(&announced) {
        return Err(AppError::invalid("sha256", "sha256"));
    }
    // An outsider's or an early upload is not read at all.
    let seal = sessions::check_recording(&state, &actor, &id).await?;
    let files = state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    let staged = files.stage_sealed(body.into_data_stream(), seal).await?;
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.starts_with("video/") || v.starts_with("audio/"))
        .unwrap_or("video/webm")
        .to_owned();
    Ok(Json(
        sessions::file_recording(&state, &actor, &id, &announced, &content_type, &staged).await?,
    ))
}

/// A certificate as anyone may check it (no sign-in): number, office, matter type, date, the
/// route abroad, the PDF's SHA-256 and its ledger record and receipt, for
/// `corridor verify receipt --file certificate.pdf`. Nothing personal.
#[utoipa::path(get, path = "/api/v1/notary/certificates/{id}", tag = "notary", params(("id" = String, Path)),
    responses((status = 200, body = PublicCertificate), (status = 404, body = ErrorBody)))]
async fn certificate(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PublicCertificate>> {
    Ok(Json(verify::public_certificate(&state, &id).await?))
}

/// A notary office's settings: its certificate numbers' abbreviation and series, and whether
/// it holds sessions on the applicant's own device.
#[utoipa::path(get, path = "/api/v1/notary/offices/{office}/settings", tag = "notary",
    params(("office" = String, Path, description = "id or slug")),
    responses((status = 200, body = OfficeSettings), (status = 404, body = ErrorBody)))]
async fn office_settings(
    State(state): State<AppState>,
    Path(office): Path<String>,
) -> Result<Json<OfficeSettings>> {
    Ok(Json(workflow::office_settings(&state, &office).await?.1))
}

/// The office's administrator changes its settings.
#[utoipa::path(put, path = "/api/v1/notary/offices/{office}/settings", tag = "notary",
    params(("office" = String, Path, description = "id or slug")), request_body = OfficeSettings,
    security(("bearer" = [])),
    responses((status = 200, body = OfficeSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_office_settings(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(office): Path<String>,
    Json(input): Json<OfficeSettings>,
) -> Result<Json<OfficeSettings>> {
    Ok(Json(
        workflow::set_office_settings(&state, &actor, &office, &input).await?,
    ))
}
