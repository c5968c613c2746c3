//! What reaches a person rather than a matter: invitations (accept, or register with the
//! invited address) and notifications.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::actions;
use super::http::{NotificationList, notifications};
use super::model::*;
use super::pages::sign_in;
use crate::Result;
use crate::auth::CurrentUser;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{PageCtx, render};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new()
        .route("/invitations/{token}", get(invitation).post(accept))
        .route("/invitations/{token}/register", post(register))
        .route("/notifications", get(notifications_page))
        .route("/notifications/read", post(read_all))
}

#[derive(Template)]
#[template(path = "matters/invitation.html")]
struct InvitationPage {
    ctx: PageCtx,
    reference: String,
    title: String,
    role: String,
    token: String,
    email: String,
}

async fn invitation(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Html<String>> {
    let inv = actions::invitation(&state, &token).await?;
    let role = ctx.t(&format!("matters.roles.{}", inv.role));
    render(InvitationPage {
        email: inv.email,
        reference: inv.matter.reference,
        title: inv.matter.title,
        role,
        token,
        ctx,
    })
}

#[derive(Deserialize)]
struct RegisterForm {
    name: String,
    password: String,
}

/// Makes the account and sends the newcomer to sign in with it, straight into the matter.
async fn register(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<RegisterForm>,
) -> Result<Redirect> {
    let input = Registration {
        name: form.name,
        password: form.password,
    };
    let (_, matter) = actions::register_by_invitation(&state, &token, &input).await?;
    let next = crate::web::page::urlencode(&format!("/matters/{}", matter.id));
    Ok(Redirect::to(&format!("/login?next={next}")))
}

async fn accept(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(token): Path<String>,
) -> Result<Redirect> {
    let matter = actions::accept_invitation(&state, &actor, &token).await?;
    Ok(Redirect::to(&format!("/matters/{}", matter.id)))
}

#[derive(Template)]
#[template(path = "matters/notifications.html")]
struct NotificationsPage {
    ctx: PageCtx,
    list: NotificationList,
}

async fn notifications_page(State(state): State<AppState>, ctx: PageCtx) -> Result<Response> {
    let Some(actor) = ctx.actor.clone() else {
        return Ok(sign_in(&ctx));
    };
    let list = notifications(&state, &actor, ctx.lang()).await?;
    Ok(render(NotificationsPage { ctx, list })?.into_response())
}

async fn read_all(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Redirect> {
    state.store.mark_notifications_read(&actor.user_id).await?;
    Ok(Redirect::to("/notifications"))
}
