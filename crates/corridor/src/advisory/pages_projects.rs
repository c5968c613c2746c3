//! An enterprise's projects as pages: the list (`/projects`), one project with its plan and
//! what changed since the plan was accepted (`/projects/{id}`), and the forms that save the
//! interview as a project, save changed answers, and accept a changed plan. The rules are
//! [`super::projects`]'; a refused form shows the interview again with the reason, its answers
//! kept.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::diff::PlanDiff;
use super::interview::Interview;
use super::pages::{PlanPage, PlanView, SaveValues};
use super::projects::{self, ProjectDetail, ProjectInput, ProjectQuery, ProjectSummary, STAGES};
use super::referrals::{self, Referral, ReferralQuery};
use super::team::{FirmRef, TeamMatch};
use super::{Library, Plan};
use crate::auth::CurrentUser;
use crate::ids::ProjectId;
use crate::matters::model::OwnerRef;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::page::urlencode;
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/projects", get(list).post(open))
        .route("/projects/{id}", get(show).post(change))
        .route("/projects/{id}/accept", post(accept))
        .route("/projects/{id}/plan.pdf", get(plan_pdf))
}

#[derive(Template)]
#[template(path = "advisory/projects.html")]
struct ListPage {
    ctx: PageCtx,
    projects: Vec<ProjectSummary>,
    total: i64,
    query: ProjectQuery,
    countries: Vec<(String, String)>,
}

impl PlanView for ListPage {
    fn ctx(&self) -> &PageCtx {
        &self.ctx
    }
}

impl ListPage {
    fn stages(&self) -> Vec<(&'static str, String)> {
        STAGES.iter().map(|s| (*s, self.stage(s))).collect()
    }

    fn selected(&self, field: &Option<String>, value: &str) -> bool {
        field.as_deref() == Some(value)
    }

    fn org_name(&self, p: &ProjectSummary) -> String {
        self.ctx
            .pick(&p.organization.name_zh, &p.organization.name_en)
            .to_owned()
    }

    /// The reader's enterprises, whose profiles they keep: (slug, name).
    fn enterprises(&self) -> Vec<(String, String)> {
        self.ctx
            .actor
            .iter()
            .flat_map(|a| a.memberships.iter())
            .filter(|m| m.organization_kind == "enterprise")
            .map(|m| {
                (
                    m.slug.clone(),
                    self.ctx.pick(&m.name_zh, &m.name_en).to_owned(),
                )
            })
            .collect()
    }
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Query(query): Query<ProjectQuery>,
) -> Result<Response> {
    let page = projects::list(&state.store, &actor, &query).await?;
    let countries = super::pages::hosts(&ctx);
    Ok(render(ListPage {
        projects: page.projects,
        total: page.total,
        query,
        countries,
        ctx,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "advisory/project.html")]
struct ShowPage {
    ctx: PageCtx,
    d: ProjectDetail,
    /// The same plan as `d.plan`, where the shared plan rendering looks for it.
    plan: Option<Plan>,
    can_change: bool,
    /// `/plans/new?…` with this project's answers, to change them.
    change_link: String,
    /// Firms matched to the project (for its enterprise's people, who may ask one).
    team: Option<TeamMatch>,
    referrals: Vec<Referral>,
    /// The deployment's library, for the titles of changed items.
    lib: std::sync::Arc<Library>,
}

impl PlanView for ShowPage {
    fn ctx(&self) -> &PageCtx {
        &self.ctx
    }

    fn item_change(&self, urn: &str) -> Option<&'static str> {
        let c = self.d.changes.as_ref()?;
        if c.new.iter().any(|i| i.obligation == urn) {
            Some("new")
        } else if c.changed.iter().any(|i| i.obligation == urn) {
            Some("changed")
        } else {
            None
        }
    }
}

impl ShowPage {
    /// An obligation's title in the reader's language, from the library (its URN if this
    /// library no longer has it).
    fn obligation_title(&self, urn: &str) -> String {
        match self.lib.obligation(urn) {
            Some(o) => self.ctx.pick(&o.title_zh, &o.title_en).to_owned(),
            None => urn.to_owned(),
        }
    }

    fn field_label(&self, field: &str) -> String {
        self.ctx.t(&format!("plan.item_field.{field}"))
    }

    fn fields_text(&self, fields: &[String]) -> String {
        fields
            .iter()
            .map(|f| self.field_label(f))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn changes(&self) -> Option<&PlanDiff> {
        self.d.changes.as_ref()
    }

    fn org_name(&self) -> String {
        let o = &self.d.project.organization;
        self.ctx.pick(&o.name_zh, &o.name_en).to_owned()
    }

    fn name(&self, o: &OwnerRef) -> String {
        self.ctx.pick(&o.name_zh, &o.name_en).to_owned()
    }

    fn firm_name(&self, f: &FirmRef) -> String {
        self.ctx.pick(&f.name_zh, &f.name_en).to_owned()
    }

    fn referral_status(&self, status: &str) -> String {
        self.ctx.t(&format!("referral.status.{status}"))
    }

    fn hours(&self, h: &f64) -> String {
        format!("{h:.1}")
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = ProjectId::from_path(&id)?;
    let d = projects::detail(&state.store, &actor, &id).await?;
    let can_change = projects::can_change(&actor, &d.project.organization.id);
    let team = match can_change {
        true => Some(referrals::team(&state.store, &d).await?),
        false => None,
    };
    let referrals = referrals::list(
        &state,
        &actor,
        &ReferralQuery {
            project: Some(id.as_str().to_owned()),
            status: None,
        },
    )
    .await?
    .referrals;
    let mut pairs = Interview::pairs_of(&d.answers);
    pairs.push(("project".into(), d.project.id.clone()));
    let change_link = format!(
        "/plans/new?{}",
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
    );
    Ok(render(ShowPage {
        plan: Some(d.plan.clone()),
        d,
        can_change,
        change_link,
        team,
        referrals,
        lib: super::library_revisions::current(&state.store).await?,
        ctx,
    })?
    .into_response())
}

/// The project the save form describes: the interview's answers and the save fields.
fn input(
    pairs: &[(String, String)],
    save: &SaveValues,
) -> std::result::Result<ProjectInput, super::InvalidInput> {
    let answers = Interview::from_pairs(pairs).request()?;
    let some = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    Ok(ProjectInput {
        organization: some(&save.organization),
        title: save.title.clone(),
        stage: some(&save.stage),
        value_amount: some(&save.value_amount),
        value_currency: some(&save.value_currency),
        answers,
    })
}

/// Saves the form through `save`, or shows the interview again with why it was refused.
async fn saved<F, Fut>(
    state: &AppState,
    ctx: PageCtx,
    pairs: Vec<(String, String)>,
    save: F,
) -> Result<Response>
where
    F: FnOnce(ProjectInput) -> Fut,
    Fut: std::future::Future<Output = Result<ProjectDetail>>,
{
    let values = SaveValues::from_pairs(&pairs);
    let (field, reason, values_refused) = match input(&pairs, &values) {
        Ok(project) => match save(project).await {
            Ok(d) => {
                return Ok(Redirect::to(&format!("/projects/{}", d.project.id)).into_response());
            }
            Err(AppError::Invalid { field, reason }) => (field, reason, Vec::new()),
            Err(AppError::InvalidValues {
                field,
                reason,
                values,
            }) => (field, reason, values),
            Err(e) => return Err(e),
        },
        Err(e) => (e.field.to_owned(), e.reason, e.values),
    };
    let (_, mut page) = PlanPage::build(state, ctx, pairs, Some(values)).await?;
    page.error = Some(page.invalid_message(&field, reason, &values_refused));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
}

async fn open(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let store = state.store.clone();
    saved(&state, ctx, pairs, |input| async move {
        projects::open_project(&store, &actor, &input).await
    })
    .await
}

async fn change(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let id = ProjectId::from_path(&id)?;
    let store = state.store.clone();
    let mut pairs = pairs;
    pairs.retain(|(k, _)| k != "project");
    pairs.push(("project".into(), id.as_str().to_owned()));
    saved(&state, ctx, pairs, |input| async move {
        projects::change_project(&store, &actor, &id, &input).await
    })
    .await
}

async fn accept(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Redirect> {
    let id = ProjectId::from_path(&id)?;
    let d = projects::accept_plan(&state.store, &actor, &id).await?;
    Ok(Redirect::to(&format!("/projects/{}", d.project.id)))
}

async fn plan_pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = ProjectId::from_path(&id)?;
    super::plan_pdf::render(&state, &actor, &id, ctx.lang()).await
}
