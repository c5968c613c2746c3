//! The roster as pages: the search (`/arbitration/roster`), an arbitrator's entry with the
//! keepers' forms (`/arbitration/roster/{person}`), and the roster ranked for a seat in a case
//! (`/arbitration/cases/{id}/candidates`). The rules are [`super::actions`]'.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::actions::{
    self, AppointmentInput, DisclosureInput, ProfileInput, RecommendationInput, RosterView,
};
use super::profile::{
    Availability, AvailabilityStatus, Blocked, Fee, FeeBasis, FormerFirm, LegalSystem,
    RosterProfile,
};
use super::rank::Candidacy;
use super::search::{Entry, RosterQuery};
use crate::arbitration::cases::candidates;
use crate::arbitration::cases::pages::institutions;
use crate::auth::{Auth, CurrentUser, OrgRole};
use crate::directory::model::Page;
use crate::directory::pages::Choices;
use crate::ids::MatterId;
use crate::reference::Reference;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{all, date, one, parse_query};
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/arbitration/roster", get(search))
        .route("/arbitration/roster/{person}", get(show).post(save))
        .route(
            "/arbitration/roster/{person}/recommendations",
            post(recommend),
        )
        .route(
            "/arbitration/roster/{person}/recommendations/withdraw",
            post(withdraw),
        )
        .route(
            "/arbitration/roster/{person}/appointments",
            post(appointment),
        )
        .route("/arbitration/roster/{person}/disclosures", post(disclosure))
        .route("/arbitration/cases/{id}/candidates", get(ranked))
}

/// Codes and labels for the form's choices.
type Options = Vec<(String, String)>;

fn asean_options(ctx: &PageCtx) -> Options {
    Reference::get()
        .countries
        .iter()
        .filter(|c| c.asean_member)
        .map(|c| (c.iso2.clone(), ctx.pick(&c.name_zh, &c.name_en).to_owned()))
        .collect()
}

fn legal_system_options(ctx: &PageCtx) -> Options {
    LegalSystem::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_owned(),
                ctx.t(&format!("roster.legal_system.{}", s.as_str())),
            )
        })
        .collect()
}

fn fee_basis_options(ctx: &PageCtx) -> Options {
    FeeBasis::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_owned(),
                ctx.t(&format!("roster.fee_basis.{}", s.as_str())),
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "arbitration/roster.html")]
struct SearchPage {
    ctx: PageCtx,
    choices: Choices,
    q: RosterQuery,
    found: Page<Entry>,
    panels: Options,
    countries: Options,
    asean: Options,
    legal_systems: Options,
    fee_bases: Options,
    /// The query string without `page`, for the paging links.
    base: String,
}

impl SearchPage {
    fn chosen(&self, v: &Option<String>, code: &str) -> bool {
        v.as_deref() == Some(code)
    }

    fn text(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }

    fn systems(&self, e: &Entry) -> String {
        systems(&self.ctx, e)
    }

    fn page_link(&self, page: u32) -> String {
        if self.base.is_empty() {
            format!("/arbitration/roster?page={page}")
        } else {
            format!("/arbitration/roster?{}&page={page}", self.base)
        }
    }

    fn flag(&self, v: &Option<bool>) -> &'static str {
        match v {
            Some(true) => "true",
            Some(false) => "false",
            None => "",
        }
    }
}

/// The legal systems of an entry, in the reader's language.
fn systems(ctx: &PageCtx, e: &Entry) -> String {
    e.profile
        .legal_systems
        .iter()
        .map(|s| ctx.t(&format!("roster.legal_system.{}", s.as_str())))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn search(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: Auth,
    Query(raw): Query<Vec<(String, String)>>,
) -> Result<Response> {
    let q: RosterQuery = parse_query(&raw)?;
    let found = actions::find(&state.roster, &state.store, auth.actor.as_deref(), &q).await?;
    let base = serde_urlencoded::to_string(
        raw.iter()
            .filter(|(k, v)| k != "page" && !v.trim().is_empty())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    Ok(render(SearchPage {
        choices: Choices::get(),
        panels: institutions(&state, &ctx).await?,
        countries: ctx.country_options(),
        asean: asean_options(&ctx),
        legal_systems: legal_system_options(&ctx),
        fee_bases: fee_basis_options(&ctx),
        base,
        q,
        found,
        ctx,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "arbitration/roster_entry.html")]
struct EntryPage {
    ctx: PageCtx,
    v: RosterView,
    panels: Options,
    asean: Options,
    legal_systems: Options,
    fee_bases: Options,
    /// The reader may record a recommendation (an institution's secretariat, programme staff).
    may_recommend: bool,
    blocked: String,
    former_firms: String,
    error: Option<String>,
}

impl EntryPage {
    fn has_system(&self, code: &str) -> bool {
        self.v
            .entry
            .profile
            .legal_systems
            .iter()
            .any(|s| s.as_str() == code)
    }

    fn has_asean(&self, code: &str) -> bool {
        self.v
            .entry
            .profile
            .asean_experience
            .iter()
            .any(|c| c == code)
    }

    fn systems(&self) -> String {
        systems(&self.ctx, &self.v.entry)
    }

    fn basis(&self) -> &'static str {
        self.v.entry.profile.fee.basis.as_str()
    }

    fn status(&self) -> &'static str {
        self.v.entry.profile.availability.status.as_str()
    }

    fn fee_field(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

async fn entry_page(
    state: &AppState,
    ctx: PageCtx,
    v: RosterView,
    error: Option<String>,
) -> Result<EntryPage> {
    let may_recommend = ctx.actor.as_deref().is_some_and(|a| {
        a.is_programme_staff()
            || a.memberships.iter().any(|m| {
                m.organization_kind == "arbitration_institution"
                    && matches!(m.role, OrgRole::OrgAdmin | OrgRole::CaseSecretary)
            })
    });
    let p = &v.entry.profile;
    let blocked = p
        .availability
        .blocked
        .iter()
        .map(|b| format!("{} {}", b.from, b.until))
        .collect::<Vec<_>>()
        .join("\n");
    let former_firms = p
        .former_firms
        .iter()
        .map(|f| format!("{}, {}", f.firm, f.until))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(EntryPage {
        panels: institutions(state, &ctx).await?,
        asean: asean_options(&ctx),
        legal_systems: legal_system_options(&ctx),
        fee_bases: fee_basis_options(&ctx),
        may_recommend,
        blocked,
        former_firms,
        error,
        v,
        ctx,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: Auth,
    Path(person): Path<String>,
) -> Result<Response> {
    let v = actions::read(&state.store, auth.actor.as_deref(), &person).await?;
    Ok(render(entry_page(&state, ctx, v, None).await?)?.into_response())
}

/// The profile as the form sends it: lines of `from until` for blocked days and of
/// `firm, until` for former firms.
fn profile_of(pairs: &[(String, String)]) -> Result<RosterProfile> {
    let optional = |k: &str| Some(one(pairs, k)).filter(|v| !v.trim().is_empty());
    let mut legal_systems = Vec::new();
    for s in all(pairs, "legal_system") {
        legal_systems.push(
            LegalSystem::parse(&s)
                .ok_or_else(|| AppError::invalid("legal_systems", "unknown_value"))?,
        );
    }
    let basis = FeeBasis::parse(&one(pairs, "fee_basis"))
        .ok_or_else(|| AppError::invalid("fee.basis", "unknown_value"))?;
    let status = AvailabilityStatus::parse(&one(pairs, "status"))
        .ok_or_else(|| AppError::invalid("availability.status", "unknown_value"))?;
    let pending = one(pairs, "pending_cases");
    let pending_cases = if pending.trim().is_empty() {
        0
    } else {
        pending
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("availability.pending_cases", "out_of_range"))?
    };
    let mut blocked = Vec::new();
    for line in one(pairs, "blocked")
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let mut parts = line.split_whitespace();
        let from = date("availability.blocked", parts.next().unwrap_or(""))?;
        let until = parts
            .next()
            .map(|u| date("availability.blocked", u))
            .transpose()?
            .unwrap_or(from);
        blocked.push(Blocked { from, until });
    }
    let mut former_firms = Vec::new();
    for line in one(pairs, "former_firms")
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let (firm, until) = line
            .rsplit_once([',', '，'])
            .ok_or_else(|| AppError::invalid("former_firms.until", "date"))?;
        former_firms.push(FormerFirm {
            firm: firm.trim().to_owned(),
            until: date("former_firms.until", until)?,
        });
    }
    Ok(RosterProfile {
        legal_systems,
        asean_experience: all(pairs, "asean"),
        overseas_expert: one(pairs, "overseas_expert") == "on",
        fee: Fee {
            basis,
            rate: optional("fee_rate"),
            currency: optional("fee_currency"),
            cap: optional("fee_cap"),
        },
        availability: Availability {
            status,
            pending_cases,
            blocked,
            note: one(pairs, "note"),
        },
        former_firms,
    })
}

fn back(slug: &str) -> Response {
    Redirect::to(&format!("/arbitration/roster/{slug}")).into_response()
}

/// A refused form shows the entry again with the reason (422); other errors are error pages.
async fn refused(state: &AppState, ctx: PageCtx, person: &str, e: AppError) -> Result<Response> {
    match e {
        AppError::Invalid { .. } | AppError::InvalidValues { .. } => {
            let v = actions::read(&state.store, ctx.actor.as_deref(), person).await?;
            let message = e.info().message(ctx.lang());
            let page = entry_page(state, ctx, v, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
        e => Err(e),
    }
}

async fn answer(
    state: &AppState,
    ctx: PageCtx,
    person: &str,
    done: Result<RosterView>,
) -> Result<Response> {
    match done {
        Ok(v) => Ok(back(&v.entry.person.slug)),
        Err(e) => refused(state, ctx, person, e).await,
    }
}

async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(person): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let version = crate::web::form::version(&pairs);
    let done = match profile_of(&pairs) {
        Ok(profile) => {
            actions::save(
                &state.store,
                &actor,
                &person,
                &ProfileInput { profile, version },
            )
            .await
        }
        Err(e) => Err(e),
    };
    answer(&state, ctx, &person, done).await
}

async fn recommend(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(person): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let done = match date("recommended_on", &one(&pairs, "recommended_on")) {
        Ok(recommended_on) => {
            let input = RecommendationInput {
                institution: one(&pairs, "institution"),
                recommended_by: one(&pairs, "recommended_by"),
                recommended_on,
            };
            actions::recommend(&state.store, &actor, &person, &input).await
        }
        Err(e) => Err(e),
    };
    answer(&state, ctx, &person, done).await
}

async fn withdraw(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(person): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let done = actions::withdraw(
        &state.store,
        &actor,
        &person,
        &one(&pairs, "institution"),
        &one(&pairs, "recommended_by"),
    )
    .await;
    answer(&state, ctx, &person, done).await
}

async fn appointment(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(person): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let done = match date("appointed_on", &one(&pairs, "appointed_on")) {
        Ok(appointed_on) => {
            let input = AppointmentInput {
                appointed_on,
                seat_role: one(&pairs, "seat_role"),
                institution: one(&pairs, "institution"),
                case_reference: one(&pairs, "case_reference"),
                appointed_by: one(&pairs, "appointed_by"),
                counsel_firm: Some(one(&pairs, "counsel_firm")),
            };
            actions::record_appointment(&state.store, &actor, &person, &input).await
        }
        Err(e) => Err(e),
    };
    answer(&state, ctx, &person, done).await
}

async fn disclosure(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(person): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let done = match date("made_on", &one(&pairs, "made_on")) {
        Ok(made_on) => {
            let input = DisclosureInput {
                made_on,
                case_reference: one(&pairs, "case_reference"),
                statement: one(&pairs, "statement"),
            };
            actions::record_disclosure(&state.store, &actor, &person, &input).await
        }
        Err(e) => Err(e),
    };
    answer(&state, ctx, &person, done).await
}

#[derive(Template)]
#[template(path = "arbitration/candidates.html")]
struct CandidatesPage {
    ctx: PageCtx,
    id: String,
    seat_role: String,
    ranked: Vec<Candidacy>,
}

async fn ranked(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Query(raw): Query<Vec<(String, String)>>,
) -> Result<Response> {
    let matter = MatterId::from_path(&id)?;
    let seat_role = one(&raw, "seat_role");
    let ranked = candidates::ranked(&state, &actor, &matter, &seat_role).await?;
    Ok(render(CandidatesPage {
        ctx,
        id: matter.as_str().to_owned(),
        seat_role,
        ranked,
    })?
    .into_response())
}
