//! Referrals as pages: a law firm's incoming referrals with its conflict check and answer, an
//! enterprise's sent ones (`/referrals`), and the forms behind the project page's team section.
//! The rules are [`super::referrals`]'.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::pages::PlanView;
use super::referrals::{
    self, AcceptReferral, DECLINE_REASONS, DeclineReferral, NewReferral, Referral, ReferralQuery,
};
use crate::Result;
use crate::auth::CurrentUser;
use crate::ids::{ProjectId, ReferralId};
use crate::matters::model::OwnerRef;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::one;
use crate::web::{PageCtx, render};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/referrals", get(list))
        .route("/projects/{id}/referrals", post(refer))
        .route("/referrals/{id}/accept", post(accept))
        .route("/referrals/{id}/decline", post(decline))
        .route("/referrals/{id}/withdraw", post(withdraw))
}

#[derive(Template)]
#[template(path = "advisory/referrals.html")]
struct ListPage {
    ctx: PageCtx,
    referrals: Vec<Referral>,
    /// The reader's own organizations, to tell received referrals from sent ones.
    mine: Vec<String>,
}

impl PlanView for ListPage {
    fn ctx(&self) -> &PageCtx {
        &self.ctx
    }
}

impl ListPage {
    fn received(&self, r: &Referral) -> bool {
        self.mine.contains(&r.firm.id)
    }

    fn sent(&self, r: &Referral) -> bool {
        self.mine.contains(&r.project.enterprise.id)
    }

    fn name(&self, o: &OwnerRef) -> String {
        self.ctx.pick(&o.name_zh, &o.name_en).to_owned()
    }

    fn status(&self, status: &str) -> String {
        self.ctx.t(&format!("referral.status.{status}"))
    }

    fn reasons(&self) -> Vec<(&'static str, String)> {
        DECLINE_REASONS
            .iter()
            .map(|r| (*r, self.ctx.t(&format!("referral.reason.{r}"))))
            .collect()
    }
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<ReferralQuery>,
) -> Result<Response> {
    let referrals = referrals::list(&state, &actor, &q).await?.referrals;
    let mine = actor
        .memberships
        .iter()
        .map(|m| m.organization_id.clone())
        .collect();
    Ok(render(ListPage {
        ctx,
        referrals,
        mine,
    })?
    .into_response())
}

async fn refer(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = ProjectId::from_path(&id)?;
    let input = NewReferral {
        firm: one(&form, "firm"),
        counterparty: one(&form, "counterparty"),
        note: one(&form, "note"),
    };
    referrals::refer(&state.store, &actor, &id, &input).await?;
    Ok(Redirect::to(&format!(
        "/projects/{}#advisory-team",
        id.as_str()
    )))
}

async fn accept(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = ReferralId::from_path(&id)?;
    let input = AcceptReferral {
        no_conflict: one(&form, "no_conflict") == "yes",
    };
    let r = referrals::accept(&state, &actor, &id, &input).await?;
    Ok(Redirect::to(&match r.matter_id {
        Some(m) => format!("/matters/{m}"),
        None => "/referrals".into(),
    }))
}

async fn decline(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = ReferralId::from_path(&id)?;
    let input = DeclineReferral {
        reason: one(&form, "reason"),
    };
    referrals::decline(&state, &actor, &id, &input).await?;
    Ok(Redirect::to("/referrals"))
}

async fn withdraw(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Redirect> {
    let id = ReferralId::from_path(&id)?;
    let r = referrals::withdraw(&state, &actor, &id).await?;
    Ok(Redirect::to(&format!(
        "/projects/{}#advisory-team",
        r.project.id
    )))
}
