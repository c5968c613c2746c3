//! Applications as pages: my applications (`/notary/applications`), an application with the
//! office's and the applicant's forms (`/notary/applications/{id}`), the video session
//! (`/notary/applications/{id}/session`, with its signalling socket), and a certificate's public
//! verification page (`/verify/certificates/{id}`, the QR code's address). The application
//! form itself is the eligibility page's (`/notary/eligibility`): the same answers, checked
//! again. The rules are [`super::actions`]'.

use askama::Template;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde_json::Value;

use super::Rules;
use super::actions::{self, ApplicationView};
use super::application::Status;
use super::certify::{self, CertifyInput};
use super::pages::{Applying, FormValues, page as eligibility_page};
use super::session_actions::{self as sessions, SessionView};
use super::verify::{PublicCertificate, public_certificate};
use super::workflow::{self, ApplicantStep, Booking, Decision, OfficeSettings};
use crate::auth::{CurrentUser, OrgRole};
use crate::ids::MatterId;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::form::one;
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/notary/applications", get(list).post(apply))
        .route("/notary/applications/{id}", get(show))
        .route("/notary/applications/{id}/decision", post(decide))
        .route("/notary/applications/{id}/step", post(applicant_step))
        .route("/notary/applications/{id}/booking", post(book))
        .route("/notary/applications/{id}/certificate", post(issue))
        .route("/notary/applications/{id}/session", get(session))
        .route("/notary/applications/{id}/session/signal", get(signal))
        .route("/notary/offices/{office}/settings", post(settings))
        .route("/verify/certificates/{id}", get(verify_page))
        .route("/static/notary-session.js", get(session_js))
}

#[derive(Template)]
#[template(path = "notary/applications.html")]
struct ListPage {
    ctx: PageCtx,
    applications: Vec<ApplicationView>,
    /// Offices the reader administers: (slug, name, settings).
    offices: Vec<(String, String, OfficeSettings)>,
}

impl ListPage {
    fn status(&self, a: &ApplicationView) -> String {
        status_words(&self.ctx, a.status)
    }
}

fn status_words(ctx: &PageCtx, status: Status) -> String {
    ctx.t(&format!("notary.application_status.{}", status.as_str()))
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
) -> Result<Response> {
    let applications = actions::list(&state, &actor).await?;
    let mut offices = Vec::new();
    for m in actor
        .memberships
        .iter()
        .filter(|m| m.role == OrgRole::OrgAdmin)
    {
        if let Ok((_, settings)) = workflow::office_settings(&state, &m.organization_id).await {
            let name = ctx.pick(&m.name_zh, &m.name_en).to_owned();
            offices.push((m.slug.clone(), name, settings));
        }
    }
    Ok(render(ListPage {
        ctx,
        applications,
        offices,
    })?
    .into_response())
}

/// The pre-check's answers as the form sent them.
fn answers(pairs: &[(String, String)]) -> FormValues {
    let f = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    FormValues {
        date: f("date"),
        nationality: f("nationality"),
        mainland_resident: f("mainland_resident"),
        residence_country: f("residence_country"),
        days_resident: f("days_resident"),
        residence_status: f("residence_status"),
        matter: f("matter"),
        use_in: f("use_in"),
        needs_interpreter: f("needs_interpreter"),
        disposes_property: f("disposes_property"),
    }
}

/// The application form (on the eligibility page): a refusal shows the page again with the
/// answer, the reasons in words and what was typed.
async fn apply(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let v = answers(&pairs);
    let mut body = v.to_json();
    let (office, venue, purpose) = (
        one(&pairs, "office"),
        one(&pairs, "venue"),
        one(&pairs, "purpose"),
    );
    if let Value::Object(map) = &mut body {
        map.insert("office".into(), Value::String(office.clone()));
        map.insert("venue".into(), Value::String(venue.clone()));
        map.insert("purpose".into(), Value::String(purpose.clone()));
    }
    match actions::apply(&state, &actor, &body).await {
        Ok(a) => Ok(Redirect::to(&format!("/notary/applications/{}", a.id)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::InvalidValues { .. })) => {
            let message = e.info().message(ctx.lang());
            let applying = Applying {
                office,
                venue,
                purpose,
                error: Some((e.status(), message)),
            };
            eligibility_page(&state, ctx, v, applying).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "notary/application.html")]
struct ShowPage {
    ctx: PageCtx,
    a: ApplicationView,
    /// Draft certificate text, for the notary's form.
    draft_zh: String,
    draft_en: String,
    retention: super::keep::RetentionPanel,
}

impl ShowPage {
    fn status(&self) -> String {
        status_words(&self.ctx, self.a.status)
    }

    fn venue(&self) -> String {
        self.ctx
            .t(&format!("notary.venue.{}", self.a.venue.as_str()))
    }

    fn venue_is(&self, code: &str) -> bool {
        self.a.venue.as_str() == code
    }

    fn office_side(&self) -> bool {
        self.a.office_staff || self.a.my_role.as_deref() == Some("notary")
    }

    fn applicant(&self) -> bool {
        self.a.my_role.as_deref() == Some("applicant")
    }

    fn is(&self, status: &str) -> bool {
        self.a.status.as_str() == status
    }

    /// The refusal grounds: (id, words).
    fn grounds(&self) -> Vec<(String, String)> {
        Rules::get()
            .refusal_grounds
            .iter()
            .map(|g| (g.id.clone(), self.ctx.pick(&g.zh, &g.en).to_owned()))
            .collect()
    }

    fn venues(&self) -> Vec<(&'static str, String)> {
        super::application::Venue::ALL
            .iter()
            .map(|v| {
                (
                    v.as_str(),
                    self.ctx.t(&format!("notary.venue.{}", v.as_str())),
                )
            })
            .collect()
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let a = actions::view(&state, &actor, &id).await?;
    let (draft_zh, draft_en) = super::register::draft(
        &a.matter_type,
        &a.applicant_name,
        &super::register::register_day(crate::ids::now()).to_string(),
    );
    let retention = super::keep::panel(&state, &actor, &id).await?;
    Ok(render(ShowPage {
        ctx,
        a,
        draft_zh,
        draft_en,
        retention,
    })?
    .into_response())
}

fn back(id: &MatterId) -> Redirect {
    Redirect::to(&format!("/notary/applications/{}", id.as_str()))
}

fn version(pairs: &[(String, String)]) -> i64 {
    one(pairs, "version").trim().parse().unwrap_or(0)
}

async fn decide(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let ground = one(&pairs, "ground");
    let input = Decision {
        step: one(&pairs, "step"),
        ground: (!ground.is_empty()).then_some(ground),
        note: one(&pairs, "note"),
        version: version(&pairs),
    };
    workflow::decide(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

async fn applicant_step(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = ApplicantStep {
        step: one(&pairs, "step"),
        note: one(&pairs, "note"),
        version: version(&pairs),
    };
    workflow::applicant_step(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

async fn book(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let minutes = one(&pairs, "duration_minutes");
    let input = Booking {
        starts: one(&pairs, "starts"),
        time_zone: one(&pairs, "time_zone"),
        duration_minutes: minutes.trim().parse().ok(),
        venue: Some(one(&pairs, "venue")),
        place: one(&pairs, "place"),
        version: version(&pairs),
    };
    workflow::book(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

async fn issue(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let abroad = one(&pairs, "use_abroad");
    let input = CertifyInput {
        text_zh: one(&pairs, "text_zh"),
        text_en: one(&pairs, "text_en"),
        use_abroad: (!abroad.trim().is_empty()).then_some(abroad),
        version: version(&pairs),
    };
    certify::certify(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

async fn settings(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(office): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let input = OfficeSettings {
        abbreviation: one(&pairs, "abbreviation"),
        series: one(&pairs, "series"),
        own_device_sessions: one(&pairs, "own_device_sessions") == "yes",
    };
    workflow::set_office_settings(&state, &actor, &office, &input).await?;
    Ok(Redirect::to("/notary/applications"))
}

#[derive(Template)]
#[template(path = "notary/session.html")]
struct SessionPage {
    ctx: PageCtx,
    a: ApplicationView,
    s: SessionView,
}

impl SessionPage {
    fn notary(&self) -> bool {
        self.s.side == "notary"
    }

    fn step_words(&self, step: &str) -> String {
        self.ctx.t(&format!("notary.session.step.{step}"))
    }

    /// The session's state for the script: its id, side and ICE servers.
    fn config(&self) -> String {
        serde_json::json!({
            "id": self.a.id,
            "side": self.s.side,
            "ice": self.s.ice_servers,
        })
        .to_string()
    }
}

async fn session(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let s = sessions::view(&state, &actor, &id).await?;
    let a = actions::view(&state, &actor, &id).await?;
    Ok(render(SessionPage { ctx, a, s })?.into_response())
}

/// A browser on another site must not open a session's socket with the reader's cookie: the
/// `Origin` it sends must be this deployment's public address (scheme, host and port) when one
/// is set (a proxy in front may rewrite `Host`), else this server's `Host`.
fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok());
    let Some(origin) = origin.map(|o| o.trim_end_matches('/')) else {
        return false;
    };
    if !public_url.trim().is_empty() {
        let public = public_url.trim().trim_end_matches('/');
        // The origin of the public address: its path, if any, is not part of it.
        let end = public
            .find("://")
            .and_then(|i| public[i + 3..].find('/').map(|j| i + 3 + j))
            .unwrap_or(public.len());
        return origin.eq_ignore_ascii_case(&public[..end]);
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    host.is_some_and(|host| {
        origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
    })
}

/// The session's signalling socket: the applicant's and the notary's browsers exchange their
/// offers, answers and ICE candidates through it while the session is booked.
async fn signal(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response> {
    if !same_origin(&headers, &state.settings.public_url) {
        return Err(AppError::Forbidden);
    }
    let id = MatterId::from_path(&id)?;
    let (_, row, side) = sessions::in_session(&state, &actor, &id).await?;
    if row.status() != Status::Booked {
        return Err(AppError::Conflict("application_state"));
    }
    let hub = state.signals.clone();
    let room = row.matter_id;
    Ok(upgrade
        .max_message_size(super::signal::MAX_MESSAGE)
        .on_upgrade(move |socket| async move { hub.serve(room, side, socket).await })
        .into_response())
}

async fn session_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/notary-session.js"),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "notary/certificate.html")]
struct VerifyPage {
    ctx: PageCtx,
    c: PublicCertificate,
}

impl VerifyPage {
    fn route_steps(&self) -> Vec<String> {
        self.c
            .route
            .as_ref()
            .map(|r| {
                r.steps
                    .iter()
                    .map(|(en, zh)| self.ctx.pick(zh, en).to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn route_name(&self) -> String {
        self.c
            .route
            .as_ref()
            .map(|r| self.ctx.pick(&r.zh, &r.en).to_owned())
            .unwrap_or_default()
    }
}

/// A certificate's public page: anyone (no sign-in) sees what the register says of it, the
/// PDF's hash, and the record and receipt to check it with `corridor verify receipt` or the
/// `/verify` form.
async fn verify_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response> {
    let c = public_certificate(&state, &id).await?;
    Ok((StatusCode::OK, render(VerifyPage { ctx, c })?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(host: &str, origin: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, host.parse().unwrap());
        h.insert(header::ORIGIN, origin.parse().unwrap());
        h
    }

    #[test]
    fn the_socket_opens_only_from_this_site() {
        assert!(same_origin(
            &headers("127.0.0.1:8080", "http://127.0.0.1:8080"),
            ""
        ));
        assert!(!same_origin(
            &headers("127.0.0.1:8080", "https://evil.example"),
            ""
        ));
        // Behind a proxy that rewrites Host, the public address decides, scheme included.
        let public = "https://corridor.example/";
        assert!(same_origin(
            &headers("backend:8080", "https://corridor.example"),
            public
        ));
        assert!(!same_origin(
            &headers("backend:8080", "http://corridor.example"),
            public
        ));
        assert!(!same_origin(
            &headers("corridor.example", "https://corridor.example.evil"),
            public
        ));
        assert!(same_origin(
            &headers("x", "https://corridor.example"),
            "https://corridor.example/app"
        ));
        let mut no_origin = HeaderMap::new();
        no_origin.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(!same_origin(&no_origin, ""));
    }
}
