//! The plan as a page (`/plans/new`): the enterprise describes its project in plain words, gets
//! its plan at once, and is asked only what the plan still needs. A GET form: nothing is
//! stored and no sign-in is needed. A member of an enterprise may then save it as a project
//! (`pages_projects.rs`); `?project=<id>` opens a saved project's answers to change them.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::disputes::{Candidate, DisputeClause};
use super::guidance::{ChinaTopic, Risk};
use super::interview::{Fact, Interview};
use super::projects::{self, ProjectSummary, STAGES};
use super::vocab::{EntryMode, SECTION_TITLES};
use super::{Plan, PlanError, ScheduleFees, Text, plan_with};
use crate::Result;
use crate::auth::Actor;
use crate::ids::ProjectId;
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::{PageCtx, render};

/// This module's pages.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/plans/new", get(interview))
}

/// What a plan's rendering (`advisory/_plan.html`) asks of the page that includes it.
pub trait PlanView {
    fn ctx(&self) -> &PageCtx;

    fn words<'a>(&self, text: &'a Text) -> &'a str {
        self.ctx().pick(&text.zh, &text.en)
    }

    fn risk_code(&self, risk: &Risk) -> &'static str {
        match risk {
            Risk::High => "high",
            Risk::Medium => "medium",
            Risk::Low => "low",
        }
    }

    fn risk(&self, risk: &Risk) -> String {
        self.ctx().t(&format!("plan.risk.{}", self.risk_code(risk)))
    }

    fn china_status(&self, status: &str) -> String {
        self.ctx().t(&format!("plan.china_status.{status}"))
    }

    fn china_topic(&self, topic: &ChinaTopic) -> &'static str {
        match topic {
            ChinaTopic::OutboundInvestmentFilings => "outbound_investment_filings",
            ChinaTopic::ForeignExchangeRegistration => "foreign_exchange_registration",
            ChinaTopic::DataExportRoute => "data_export_route",
            ChinaTopic::ExportControl => "export_control",
            ChinaTopic::Sanctions => "sanctions",
        }
    }

    fn coverage(&self, value: &crate::jurisdiction::Coverage) -> String {
        let code = serde_json::to_value(value)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.ctx().t(&format!("jurisdiction.coverage.{code}"))
    }

    fn is_proposed(&self, clause: &DisputeClause, candidate: &Candidate) -> bool {
        clause
            .proposed
            .as_ref()
            .is_some_and(|p| p.institution == candidate.institution && p.seat == candidate.seat)
    }

    fn entry_mode_words(&self, code: &str) -> String {
        match EntryMode::parse(code) {
            Some(m) => self.words(&m.text()).to_owned(),
            None => code.to_owned(),
        }
    }

    fn count_items(&self, plan: &Plan) -> usize {
        plan.sections.iter().map(|s| s.items.len()).sum()
    }

    /// `new` or `changed` when the page compares the plan with an accepted one.
    fn item_change(&self, _urn: &str) -> Option<&'static str> {
        None
    }

    fn change_label(&self, change: &str) -> String {
        self.ctx().t(&format!("plan.change.{change}"))
    }

    fn stage(&self, code: &str) -> String {
        self.ctx().t(&format!("plan.stage.{code}"))
    }
}

/// The fields of the save form, as typed (or as the project has them).
#[derive(Clone, Debug, Default)]
pub struct SaveValues {
    pub title: String,
    pub stage: String,
    pub value_amount: String,
    pub value_currency: String,
    pub organization: String,
}

impl SaveValues {
    pub fn of(project: &ProjectSummary) -> SaveValues {
        SaveValues {
            title: project.title.clone(),
            stage: project.stage.clone(),
            value_amount: project.value_amount.clone().unwrap_or_default(),
            value_currency: project.value_currency.clone().unwrap_or_default(),
            organization: project.organization.id.clone(),
        }
    }

    pub fn from_pairs(pairs: &[(String, String)]) -> SaveValues {
        let one = |key: &str| crate::web::form::one(pairs, key).trim().to_owned();
        SaveValues {
            title: one("title"),
            stage: one("stage"),
            value_amount: one("value_amount"),
            value_currency: one("value_currency"),
            organization: one("organization"),
        }
    }
}

/// The keys of the save form, which the interview's hidden copy of the answers leaves out.
const SAVE_KEYS: [&str; 7] = [
    "title",
    "stage",
    "value_amount",
    "value_currency",
    "organization",
    "project",
    "csrf",
];

#[derive(Template)]
#[template(path = "advisory/plan.html")]
pub struct PlanPage {
    pub ctx: PageCtx,
    pub form: Interview,
    /// The interview's fields as sent, carried by the save form.
    pub pairs: Vec<(String, String)>,
    /// The ten host countries: (code, name in the reader's language).
    pub countries: Vec<(String, String)>,
    /// Where counterparty assets may be: every country of the reference data.
    pub places: Vec<(String, String)>,
    pub error: Option<String>,
    pub plan: Option<Plan>,
    pub facts: Vec<Fact>,
    /// The reader's enterprises (id, name): who may save the plan as a project.
    pub enterprises: Vec<(String, String)>,
    /// The saved project these answers change.
    pub project: Option<ProjectSummary>,
    pub save: SaveValues,
}

impl PlanView for PlanPage {
    fn ctx(&self) -> &PageCtx {
        &self.ctx
    }
}

impl PlanPage {
    fn modes(&self) -> Vec<(&'static str, String)> {
        EntryMode::ALL
            .iter()
            .map(|m| (m.code(), self.words(&m.text()).to_owned()))
            .collect()
    }

    fn sections(&self) -> Vec<(&'static str, &'static str)> {
        SECTION_TITLES
            .iter()
            .map(|(letter, en, zh)| (*letter, self.ctx.pick(zh, en)))
            .collect()
    }

    fn stages(&self) -> Vec<(&'static str, String)> {
        STAGES.iter().map(|s| (*s, self.stage(s))).collect()
    }

    fn has_asset(&self, code: &str) -> bool {
        self.form.assets.iter().any(|a| a == code)
    }

    fn save_action(&self) -> String {
        match &self.project {
            Some(p) => format!("/projects/{}", p.id),
            None => "/projects".into(),
        }
    }

    /// The interview as a page: empty, or with the plan for `pairs` (and `error` if they are
    /// not right, with status 422).
    pub async fn build(
        state: &AppState,
        ctx: PageCtx,
        pairs: Vec<(String, String)>,
        save: Option<SaveValues>,
    ) -> Result<(StatusCode, PlanPage)> {
        let lib = super::library_revisions::current(&state.store).await?;
        // A fresh interview of an enterprise's member starts from the enterprise's profile.
        let pairs = match (pairs.is_empty(), ctx.actor.as_deref()) {
            (true, Some(actor)) => profile_pairs(state, actor).await?,
            _ => pairs,
        };
        let form = Interview::from_pairs(&pairs);
        let enterprises = ctx
            .actor
            .as_deref()
            .map(|a| {
                a.memberships
                    .iter()
                    .filter(|m| m.organization_kind == "enterprise")
                    .map(|m| {
                        (
                            m.organization_id.clone(),
                            ctx.pick(&m.name_zh, &m.name_en).to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let project = match (
            ctx.actor.as_deref(),
            crate::web::form::one(&pairs, "project"),
        ) {
            (Some(actor), key) if !key.is_empty() => {
                let id = ProjectId::from_path(&key)?;
                let row = projects::load(&state.store, actor, &id).await?;
                projects::can_change(actor, &row.org_id).then(|| row.summary())
            }
            _ => None,
        };
        let save = save.unwrap_or_else(|| project.as_ref().map(SaveValues::of).unwrap_or_default());
        let kept = pairs
            .into_iter()
            .filter(|(k, _)| !SAVE_KEYS.contains(&k.as_str()))
            .collect();
        let mut page = PlanPage {
            countries: hosts(&ctx),
            places: ctx.country_options(),
            error: None,
            plan: None,
            facts: Vec::new(),
            pairs: kept,
            enterprises,
            project,
            save,
            form,
            ctx,
        };
        if !page.form.started() {
            return Ok((StatusCode::OK, page));
        }
        let today = crate::jurisdiction::today();
        let planned = page
            .form
            .request()
            .map_err(PlanError::from)
            .and_then(|request| plan_with(&lib, &request, today, &ScheduleFees));
        match planned {
            Ok(plan) => {
                page.facts = page.form.facts(&plan, &lib);
                page.plan = Some(plan);
                Ok((StatusCode::OK, page))
            }
            Err(PlanError::Invalid(e)) => {
                page.error = Some(page.invalid_message(e.field, e.reason, &e.values));
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A refused field in words: the question it answers, why, and the values refused.
    pub fn invalid_message(&self, field: &str, reason: &str, values: &[String]) -> String {
        let label = self.ctx.t(&format!("plan.field.{field}"));
        let reason = self.ctx.t(&format!("errors.invalid.{reason}"));
        if values.is_empty() {
            format!("{label}: {reason}")
        } else {
            format!("{label}: {reason} ({})", values.join(", "))
        }
    }
}

/// The interview's fields for the profile of the actor's first enterprise (none without one).
async fn profile_pairs(state: &AppState, actor: &Actor) -> Result<Vec<(String, String)>> {
    let Some(m) = actor
        .memberships
        .iter()
        .find(|m| m.organization_kind == "enterprise")
    else {
        return Ok(Vec::new());
    };
    Ok(
        match super::profiles::of(&state.store, &m.organization_id).await? {
            Some((profile, _, _)) => Interview::pairs_of(&profile.request())
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            None => Vec::new(),
        },
    )
}

/// The ten host countries the library covers, as form options.
pub(super) fn hosts(ctx: &PageCtx) -> Vec<(String, String)> {
    super::library::JURISDICTIONS
        .iter()
        .filter(|c| **c != "CN")
        .map(|c| (c.to_string(), format!("{} ({c})", ctx.country(c))))
        .collect()
}

async fn interview(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response> {
    let (status, page) = PlanPage::build(&state, ctx, pairs, None).await?;
    Ok((status, render(page)?).into_response())
}
