//! Sign-in and sign-out pages, the account page (API tokens), and the audit log page.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use super::audit::{AuditRecord, Who};
use super::sign_in::Gate;
use super::store::ApiTokenInfo;
use super::{Auth, CurrentUser, SESSION_COOKIE};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::{PageCtx, render, safe_next};
use crate::{AppError, Result};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/account", get(account_page))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/admin/audit", get(audit_page))
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    ctx: PageCtx,
    next: String,
    email: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(ctx: PageCtx, Query(q): Query<NextQuery>) -> Result<Response> {
    if ctx.signed_in() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    Ok(render(LoginPage {
        ctx,
        next: safe_next(q.next.as_deref()),
        email: String::new(),
        error: None,
    })?
    .into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
    #[allow(dead_code)]
    csrf: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ctx: PageCtx,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let ip = peer.ip().to_string();
    let history = state
        .store
        .sign_in_history(&form.email, &ip, crate::ids::now())
        .await?;
    let next = safe_next(form.next.as_deref());
    let again = |ctx: PageCtx, error: &str, status| -> Result<Response> {
        let message = ctx.t(error).to_string();
        Ok((
            status,
            render(LoginPage {
                ctx,
                next: next.clone(),
                email: form.email.clone(),
                error: Some(message),
            })?,
        )
            .into_response())
    };
    if let Gate::Wait { retry_after_secs } = super::sign_in::gate(&history, crate::ids::now()) {
        tracing::warn!(%ip, retry_after_secs, "sign-in rate limited");
        let mut response = again(
            ctx,
            "auth.rate_limited",
            axum::http::StatusCode::TOO_MANY_REQUESTS,
        )?;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        return Ok(response);
    }
    let user = state
        .store
        .check_password(&form.email, &form.password)
        .await?;
    state
        .store
        .record_login_attempt(&form.email, &ip, user.is_some())
        .await?;
    let Some(user_id) = user else {
        tracing::info!(%ip, "sign-in refused: wrong email or password");
        return again(
            ctx,
            "auth.bad_credentials",
            axum::http::StatusCode::UNAUTHORIZED,
        );
    };
    let idle = chrono::Duration::hours(state.settings.session_idle_hours);
    let secret = state.store.create_session(&user_id, idle).await?;
    let cookie = Cookie::build((SESSION_COOKIE, secret))
        .path("/")
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .same_site(SameSite::Lax)
        .build();
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Result<Response> {
    if let Some(secret) = crate::web::locale::cookie_value(&headers, SESSION_COOKIE) {
        state.store.end_session(&secret).await?;
    }
    let mut response = Redirect::to("/").into_response();
    let expired = format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    ctx: PageCtx,
    tokens: Vec<ApiTokenInfo>,
    /// A token just created, shown once.
    new_token: Option<String>,
}

async fn account_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
) -> Result<Html<String>> {
    let tokens = state.store.list_tokens(&actor.user_id).await?;
    render(AccountPage {
        ctx,
        tokens,
        new_token: None,
    })
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
    #[allow(dead_code)]
    csrf: Option<String>,
}

async fn create_token(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Form(form): Form<TokenForm>,
) -> Result<Html<String>> {
    let (_, token) = state
        .store
        .create_token(&Who::from(&*actor), &actor.user_id, &form.name)
        .await?;
    let tokens = state.store.list_tokens(&actor.user_id).await?;
    render(AccountPage {
        ctx,
        tokens,
        new_token: Some(token),
    })
}

async fn revoke_token(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Redirect> {
    state
        .store
        .revoke_token(&Who::from(&*actor), &actor.user_id, &id)
        .await?;
    Ok(Redirect::to("/account"))
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: PageCtx,
    events: Vec<AuditRecord>,
    next_before: Option<String>,
}

#[derive(Deserialize)]
struct AuditPageQuery {
    before: Option<String>,
}

const AUDIT_PAGE_SIZE: i64 = 50;

async fn audit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: Auth,
    Query(q): Query<AuditPageQuery>,
) -> Result<Html<String>> {
    let actor = auth.actor.ok_or(AppError::Unauthenticated)?;
    let scope = super::policy::audit_scope(&actor, None)?;
    let events = state
        .store
        .audit_page(scope.as_deref(), q.before.as_deref(), AUDIT_PAGE_SIZE)
        .await?;
    let next_before = (events.len() as i64 == AUDIT_PAGE_SIZE)
        .then(|| events.last().map(|e| e.id.clone()))
        .flatten();
    render(AuditPage {
        ctx,
        events,
        next_before,
    })
}
