//! `/admin/outbox`: the platform's email as platform admins read it.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;

use super::MailRecord;
use crate::auth::Auth;
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new().route("/admin/outbox", get(outbox_page))
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    ctx: PageCtx,
    mails: Vec<MailRecord>,
    next_before: Option<String>,
    smtp: bool,
}

#[derive(Deserialize)]
struct OutboxPageQuery {
    before: Option<String>,
}

const PAGE_SIZE: i64 = 50;

async fn outbox_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: Auth,
    Query(q): Query<OutboxPageQuery>,
) -> Result<Html<String>> {
    let actor = auth.actor.ok_or(AppError::Unauthenticated)?;
    super::require_outbox_reader(&actor)?;
    let mails = state
        .store
        .outbox_page(None, q.before.as_deref(), PAGE_SIZE)
        .await?;
    let next_before = (mails.len() as i64 == PAGE_SIZE)
        .then(|| mails.last().map(|m| m.id.clone()))
        .flatten();
    render(OutboxPage {
        ctx,
        mails,
        next_before,
        smtp: !state.settings.smtp_url.trim().is_empty(),
    })
}
