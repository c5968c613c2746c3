//! The enterprise's profile as a page (`/enterprises/{key}/profile`): the enterprise facts in
//! the library's own wording, kept once and used by every new project. The rules are
//! [`super::profiles`]'.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::interview::number;
use super::library_revisions::current;
use super::profile::{EnterpriseProfile, PROFILE_FLAGS, PROFILE_METRICS, SIZES};
use super::profiles::{self, ProfileInput, ProfileView};
use crate::auth::CurrentUser;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::form::one;
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/enterprises/{key}/profile", get(show).post(save))
}

/// One enterprise fact on the form: its code, question, unit, and the answer held.
struct Row {
    code: &'static str,
    question: String,
    unit: String,
    answer: String,
}

#[derive(Template)]
#[template(path = "advisory/profile.html")]
struct ProfilePage {
    ctx: PageCtx,
    v: ProfileView,
    can_change: bool,
    flags: Vec<Row>,
    metrics: Vec<Row>,
    sectors: String,
    sizes: Vec<(&'static str, String)>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: PageCtx,
    v: ProfileView,
    error: Option<String>,
) -> Result<ProfilePage> {
    let lib = current(&state.store).await?;
    let actor = ctx.actor.as_deref().ok_or(AppError::Unauthenticated)?;
    let can_change = super::projects::can_change(actor, &v.organization.id);
    let p = &v.profile;
    let flags = PROFILE_FLAGS
        .iter()
        .map(|code| Row {
            code,
            question: lib
                .questions
                .flags
                .get(*code)
                .map(|w| ctx.pick(&w.zh, &w.en).to_owned())
                .unwrap_or_default(),
            unit: String::new(),
            answer: if p.flags.iter().any(|f| f == code) {
                "yes".into()
            } else if p.flags_false.iter().any(|f| f == code) {
                "no".into()
            } else {
                String::new()
            },
        })
        .collect();
    let metrics = PROFILE_METRICS
        .iter()
        .map(|code| {
            let w = lib.questions.metrics.get(*code);
            Row {
                code,
                question: w
                    .map(|w| ctx.pick(&w.zh, &w.en).to_owned())
                    .unwrap_or_default(),
                unit: w.and_then(|w| w.unit.clone()).unwrap_or_default(),
                answer: p
                    .metrics
                    .get(*code)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let sizes = SIZES
        .iter()
        .map(|s| (*s, ctx.t(&format!("profile.size.{s}"))))
        .collect();
    Ok(ProfilePage {
        sectors: p.sectors_isic.join(" "),
        can_change,
        flags,
        metrics,
        sizes,
        error,
        v,
        ctx,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
) -> Result<Response> {
    let v = profiles::read(&state.store, &actor, &key).await?;
    Ok(render(page(&state, ctx, v, None).await?)?.into_response())
}

/// The form's profile: every fact as answered (`yes`, `no`, or not sure), numbers as typed.
fn from_form(pairs: &[(String, String)]) -> Result<EnterpriseProfile> {
    let mut p = EnterpriseProfile {
        sectors_isic: one(pairs, "sectors")
            .split([' ', ',', ';', '，', '、'])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        size: Some(one(pairs, "size")).filter(|s| !s.is_empty()),
        ownership: Some(one(pairs, "ownership")).filter(|s| !s.is_empty()),
        ..EnterpriseProfile::default()
    };
    for code in PROFILE_FLAGS {
        match one(pairs, &format!("flag.{code}")).as_str() {
            "yes" => p.flags.push(code.to_owned()),
            "no" => p.flags_false.push(code.to_owned()),
            _ => {}
        }
    }
    for code in PROFILE_METRICS {
        let typed = one(pairs, &format!("metric.{code}"));
        if typed.trim().is_empty() {
            continue;
        }
        let n = number(&typed).ok_or_else(|| AppError::InvalidValues {
            field: "metrics".into(),
            reason: "metric_value",
            values: vec![code.to_owned()],
        })?;
        p.metrics.insert(code.to_owned(), n);
    }
    Ok(p)
}

async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let version = crate::web::form::version(&pairs);
    let saved = match from_form(&pairs) {
        Ok(profile) => {
            profiles::save(
                &state.store,
                &actor,
                &key,
                &ProfileInput { profile, version },
            )
            .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(v) => Ok(
            Redirect::to(&format!("/enterprises/{}/profile", v.organization.slug)).into_response(),
        ),
        Err(e @ (AppError::Invalid { .. } | AppError::InvalidValues { .. })) => {
            let mut v = profiles::read(&state.store, &actor, &key).await?;
            if let Ok(typed) = from_form(&pairs) {
                v.profile = typed;
            }
            let message = e.info().message(ctx.lang());
            let page = page(&state, ctx, v, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
        Err(e) => Err(e),
    }
}
