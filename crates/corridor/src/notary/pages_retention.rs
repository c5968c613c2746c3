//! The retention of a notarial file as page forms: the office confirms the class with the rule
//! it relied on or holds the file (`/notary/matters/{id}/retention`), and closes an evidence
//! file (`/notary/evidence/{id}/close`). The section itself is `templates/notary/_retention.html`,
//! shown on the application's and the evidence file's pages. The rules are [`super::keep`]'s.

use axum::extract::State;
use axum::response::Redirect;
use axum::routing::post;

use super::keep::{self, EVIDENCE_ACT, RetentionInput, RetentionView};
use super::retention::RetentionClass;
use crate::auth::CurrentUser;
use crate::ids::MatterId;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::form::one;
use crate::{AppError, Result};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/notary/matters/{id}/retention", post(change))
        .route("/notary/evidence/{id}/close", post(close))
}

fn back(id: &MatterId, v: &RetentionView) -> Redirect {
    let page = if v.act == EVIDENCE_ACT {
        "evidence"
    } else {
        "applications"
    };
    Redirect::to(&format!("/notary/{page}/{}#retention", id.as_str()))
}

fn class(text: &str) -> Result<Option<RetentionClass>> {
    match text.trim() {
        "" => Ok(None),
        code => RetentionClass::parse(code)
            .map(Some)
            .ok_or_else(|| AppError::invalid("confirmed_class", "unknown_retention_class")),
    }
}

async fn change(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = RetentionInput {
        confirmed_class: class(&one(&pairs, "confirmed_class"))?,
        confirmed_basis: one(&pairs, "confirmed_basis"),
        hold: matches!(one(&pairs, "hold").as_str(), "yes" | "on" | "true"),
        hold_reason: one(&pairs, "hold_reason"),
        version: crate::web::form::version(&pairs),
    };
    let v = keep::change(&state, &actor, &id, &input).await?;
    Ok(back(&id, &v))
}

async fn close(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let v = keep::close_evidence(&state, &actor, &id).await?;
    Ok(back(&id, &v))
}
