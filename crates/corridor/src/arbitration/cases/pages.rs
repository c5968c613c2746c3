//! Arbitration cases as pages: my cases (`/arbitration/cases`), the filing form
//! (`/arbitration/cases/new`), and a case with the secretariat's and counsel's forms
//! (`/arbitration/cases/{id}`). The rules are [`super::actions`]'.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::actions::{self, CaseDecision, CaseView, NewEvent};
use super::award::{self, AwardDraft, AwardStep};
use super::disclosure::{self, DisclosureStatement};
use super::filing::{DECISIONS, EVENTS, EnforcementInput, FilingInput, NYC_GROUNDS, PartyInput};
use super::tribunal::{self, NewNominationInput, Nomination, NominationStep};
use super::typical::{self, PublishInput};
use crate::arbitration::deadlines::Dataset;
use crate::auth::CurrentUser;
use crate::directory::model::{OrgKind, OrgQuery};
use crate::ids::MatterId;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::form::{date, one};
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/arbitration/cases", get(list).post(file))
        .route("/arbitration/cases/new", get(new_case))
        .route("/arbitration/cases/{id}", get(show))
        .route("/arbitration/cases/{id}/accept", post(accept))
        .route("/arbitration/cases/{id}/reject", post(reject))
        .route("/arbitration/cases/{id}/events", post(event))
        .route(
            "/arbitration/cases/{id}/enforcements",
            post(add_enforcement),
        )
        .route(
            "/arbitration/cases/{id}/enforcements/{enforcement}",
            post(edit_enforcement),
        )
        .route("/arbitration/cases/{id}/nominations", post(nominate))
        .route(
            "/arbitration/cases/{id}/nominations/{nomination}/disclosure",
            post(disclose),
        )
        .route("/arbitration/cases/{id}/publish", post(publish))
        .route("/arbitration/cases/{id}/award", post(award_form))
        .route("/arbitration/cases/{id}/extensions", post(extension))
        .route("/arbitration/cases/{id}/award/step", post(award_step))
        .route(
            "/arbitration/cases/{id}/nominations/{nomination}",
            post(nomination_step),
        )
}

#[derive(Template)]
#[template(path = "arbitration/cases.html")]
struct ListPage {
    ctx: PageCtx,
    cases: Vec<CaseView>,
}

#[derive(Template)]
#[template(path = "arbitration/case_new.html")]
struct NewPage {
    ctx: PageCtx,
    form: FilingInput,
    institutions: Vec<(String, String)>,
    countries: Vec<(String, String)>,
    rule_sets: Vec<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "arbitration/case.html")]
struct ShowPage {
    ctx: PageCtx,
    c: CaseView,
    countries: Vec<(String, String)>,
}

impl ShowPage {
    fn events(&self) -> Vec<(&'static str, String)> {
        EVENTS
            .iter()
            .map(|e| (*e, self.ctx.t(&format!("cases.event.{e}"))))
            .collect()
    }

    fn decisions(&self) -> Vec<(&'static str, String)> {
        DECISIONS
            .iter()
            .map(|d| (*d, self.ctx.t(&format!("cases.decision.{d}"))))
            .collect()
    }

    fn grounds(&self) -> &'static [&'static str] {
        &NYC_GROUNDS
    }

    /// The knowledge base's vocabularies, for publishing the case as a typical case.
    fn sectors(&self) -> &'static [&'static str] {
        crate::search::query::SECTORS
    }

    fn contracts(&self) -> &'static [&'static str] {
        crate::knowledge::case::CONTRACT_TYPES
    }

    fn outcomes(&self) -> &'static [&'static str] {
        crate::knowledge::case::OUTCOMES
    }

    /// The nationality screen's verdict (`ok`, `needs_agreement`, `advisory`), in words.
    fn verdict(&self, n: &Nomination) -> String {
        let v = n.screen["neutrality"]["verdict"].as_str().unwrap_or("");
        self.ctx.t(&format!("cases.verdict.{v}"))
    }

    /// The conflict screen's findings: (code, list).
    fn findings(&self, n: &Nomination) -> Vec<(String, String)> {
        n.screen["findings"]
            .as_array()
            .map(|f| {
                f.iter()
                    .map(|x| {
                        let s = |k: &str| x[k].as_str().unwrap_or("").to_owned();
                        (s("code"), s("list"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The draft disclosure in the reader's language (the secretariat's); for the nominee, the
    /// last disclosure made, to correct.
    fn disclosure(&self, n: &Nomination) -> String {
        let d = &n.screen["disclosure"];
        let draft = self.ctx.pick(
            d["zh"].as_str().unwrap_or(""),
            d["en"].as_str().unwrap_or(""),
        );
        match n.disclosures.first() {
            Some(made) if draft.is_empty() => made.statement.clone(),
            _ => draft.to_owned(),
        }
    }

    /// Seats whose arbitrator has no account and has not signed the approved award: the
    /// secretariat records their signed counterpart. (nomination, name)
    fn counterparts(&self) -> Vec<(String, String)> {
        let Some(a) = self.c.award.as_ref().filter(|a| a.status == "approved") else {
            return Vec::new();
        };
        if !self.c.secretariat {
            return Vec::new();
        }
        self.c
            .tribunal
            .iter()
            .filter(|n| matches!(n.status.as_str(), "confirmed" | "challenged") && !n.has_account)
            .filter(|n| {
                !a.signatures
                    .iter()
                    .any(|s| s.nomination.as_deref() == Some(n.id.as_str()))
            })
            .map(|n| {
                (
                    n.id.clone(),
                    self.ctx.pick(&n.name_zh, &n.name_en).to_owned(),
                )
            })
            .collect()
    }

    /// The secretariat, or the nominee themselves, records the disclosure made.
    fn may_disclose(&self, n: &Nomination) -> bool {
        let live = !matches!(n.status.as_str(), "rejected" | "removed");
        let nominee = match (self.ctx.actor.as_deref(), n.email.as_deref()) {
            (Some(a), Some(e)) => a.email.trim().eq_ignore_ascii_case(e.trim()),
            _ => false,
        };
        live && (self.c.secretariat || nominee)
    }

    /// The steps the reader may take on a nomination: (action, label).
    fn steps(&self, n: &Nomination) -> Vec<(&'static str, String)> {
        let t = |a: &str| self.ctx.t(&format!("cases.step.{a}"));
        let counsel = matches!(
            self.c.my_role.as_deref(),
            Some("claimant_counsel" | "respondent_counsel")
        );
        match (n.status.as_str(), self.c.secretariat, counsel) {
            ("proposed", true, _) => vec![("confirm", t("confirm")), ("reject", t("reject"))],
            ("challenged", true, _) => vec![("uphold", t("uphold")), ("dismiss", t("dismiss"))],
            ("confirmed", _, true) => vec![("challenge", t("challenge"))],
            _ => Vec::new(),
        }
    }

    /// The award steps the reader may take: (action, label).
    fn award_steps(&self) -> Vec<(&'static str, String)> {
        let Some(a) = &self.c.award else {
            return Vec::new();
        };
        let t = |a: &str| self.ctx.t(&format!("cases.award_step.{a}"));
        let role = self.c.my_role.as_deref();
        let drafter = award::is_drafter(role, self.c.arbitrators);
        let member = matches!(role, Some("arbitrator" | "presiding_arbitrator"));
        match a.status.as_str() {
            "draft" if drafter => vec![("submit", t("submit"))],
            "scrutiny" if self.c.secretariat => {
                vec![("approve", t("approve")), ("return", t("return"))]
            }
            "approved" | "signing" if member => vec![("sign", t("sign"))],
            _ => Vec::new(),
        }
    }

    /// The presiding (or sole) arbitrator may draft while there is no award or it is a draft.
    fn may_draft(&self) -> bool {
        let drafter = award::is_drafter(self.c.my_role.as_deref(), self.c.arbitrators);
        drafter && self.c.award.as_ref().is_none_or(|a| a.status == "draft")
    }

    fn needs_note(&self, action: &str) -> bool {
        action == "return"
    }

    fn needs_grounds(&self, action: &str) -> bool {
        action == "challenge"
    }

    fn may_nominate(&self) -> bool {
        self.c.status == "accepted"
            && (self.c.secretariat
                || matches!(
                    self.c.my_role.as_deref(),
                    Some("claimant" | "claimant_counsel" | "respondent" | "respondent_counsel")
                ))
    }

    fn may_enforce(&self) -> bool {
        self.c.secretariat
            || matches!(
                self.c.my_role.as_deref(),
                Some("claimant_counsel" | "respondent_counsel")
            )
    }
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
) -> Result<Response> {
    let cases = actions::list(&state, &actor).await?;
    Ok(render(ListPage { ctx, cases })?.into_response())
}

pub(crate) async fn institutions(state: &AppState, ctx: &PageCtx) -> Result<Vec<(String, String)>> {
    let page = state
        .store
        .list_organizations(&OrgQuery {
            kind: Some(OrgKind::ArbitrationInstitution),
            per_page: Some(100),
            ..OrgQuery::default()
        })
        .await?;
    Ok(page
        .items
        .into_iter()
        .map(|o| (o.slug.clone(), ctx.pick(&o.name_zh, &o.name_en).to_owned()))
        .collect())
}

async fn new_page(
    state: &AppState,
    ctx: PageCtx,
    form: FilingInput,
    error: Option<String>,
) -> Result<NewPage> {
    Ok(NewPage {
        institutions: institutions(state, &ctx).await?,
        countries: ctx.country_options(),
        rule_sets: Dataset::get()
            .map(|d| d.rule_set_ids().into_iter().map(str::to_owned).collect())
            .unwrap_or_default(),
        form,
        error,
        ctx,
    })
}

async fn new_case(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(_actor): CurrentUser,
) -> Result<Response> {
    let form = FilingInput {
        arbitrators: 3,
        language: "zh".into(),
        currency: "CNY".into(),
        seat: "CN".into(),
        ..FilingInput::default()
    };
    Ok(render(new_page(&state, ctx, form, None).await?)?.into_response())
}

fn filing_of(pairs: &[(String, String)]) -> FilingInput {
    let f = |k: &str| one(pairs, k);
    FilingInput {
        institution: f("institution"),
        filed_as: Some(f("filed_as")),
        claimant: PartyInput {
            name: f("claimant_name"),
            nationality: f("claimant_nationality"),
        },
        respondent: PartyInput {
            name: f("respondent_name"),
            nationality: f("respondent_nationality"),
        },
        claims: f("claims"),
        amount: f("amount"),
        currency: f("currency"),
        agreement: f("agreement"),
        seat: f("seat"),
        language: f("language"),
        rules: f("rules"),
        arbitrators: f("arbitrators").trim().parse().unwrap_or(0),
        expedited: f("expedited") == "yes",
    }
}

/// The filing form; a mistake shows it again with what was typed and why (422).
async fn file(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let form = filing_of(&pairs);
    match actions::file(&state, &actor, &form).await {
        Ok(c) => Ok(Redirect::to(&format!("/arbitration/cases/{}", c.id)).into_response()),
        Err(
            e @ (AppError::Invalid { .. } | AppError::InvalidValues { .. } | AppError::Conflict(_)),
        ) => {
            let message = e.info().message(ctx.lang());
            let status = e.status();
            let page = new_page(&state, ctx, form, Some(message)).await?;
            Ok((status, render(page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let c = actions::view(&state, &actor, &id).await?;
    Ok(render(ShowPage {
        countries: ctx.country_options(),
        c,
        ctx,
    })?
    .into_response())
}

fn back(id: &MatterId) -> Redirect {
    Redirect::to(&format!("/arbitration/cases/{}", id.as_str()))
}

/// The secretariat's decision on a filing, from its form.
async fn decide(
    state: &AppState,
    actor: &crate::auth::Actor,
    id: &str,
    status: &'static str,
    pairs: &[(String, String)],
) -> Result<Redirect> {
    let id = MatterId::from_path(id)?;
    let input = CaseDecision {
        note: one(pairs, "note"),
    };
    actions::decide(state, actor, &id, status, &input).await?;
    Ok(back(&id))
}

async fn accept(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    decide(&state, &actor, &id, "accepted", &pairs).await
}

async fn reject(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    decide(&state, &actor, &id, "rejected", &pairs).await
}

async fn event(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = NewEvent {
        event: one(&pairs, "event"),
        date: one(&pairs, "date"),
        place: Some(one(&pairs, "place")),
    };
    actions::record_event(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

fn enforcement_of(pairs: &[(String, String)]) -> EnforcementInput {
    let f = |k: &str| one(pairs, k);
    EnforcementInput {
        country: f("country"),
        court: f("court"),
        filed_on: f("filed_on"),
        grounds: pairs
            .iter()
            .filter(|(k, _)| k == "grounds")
            .map(|(_, v)| v.clone())
            .collect(),
        decision: Some(f("decision")),
        decided_on: Some(f("decided_on")),
        prior_report: Some(f("prior_report")),
        note: f("note"),
        version: f("version").trim().parse().ok(),
    }
}

async fn add_enforcement(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    actions::add_enforcement(&state, &actor, &id, &enforcement_of(&pairs)).await?;
    Ok(back(&id))
}

async fn edit_enforcement(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, enforcement)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    actions::edit_enforcement(&state, &actor, &id, &enforcement, &enforcement_of(&pairs)).await?;
    Ok(back(&id))
}

async fn nominate(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = NewNominationInput {
        person: one(&pairs, "person"),
        seat_role: one(&pairs, "seat_role"),
        email: Some(one(&pairs, "email")),
    };
    tribunal::nominate(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

async fn nomination_step(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, nomination)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = NominationStep {
        action: one(&pairs, "action"),
        version: crate::web::form::version(&pairs),
        grounds: Some(one(&pairs, "grounds")),
        learned_on: match one(&pairs, "learned_on").trim() {
            "" => None,
            d => Some(date("learned_on", d)?),
        },
    };
    tribunal::step(&state, &actor, &id, &nomination, &input).await?;
    Ok(back(&id))
}

async fn award_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = AwardDraft {
        reasons: one(&pairs, "reasons"),
        operative: one(&pairs, "operative"),
        version: crate::web::form::version(&pairs),
    };
    award::draft(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

async fn award_step(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = AwardStep {
        action: one(&pairs, "action"),
        version: crate::web::form::version(&pairs),
        note: Some(one(&pairs, "note")),
        nomination: Some(one(&pairs, "nomination")).filter(|n| !n.is_empty()),
    };
    award::step(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

async fn extension(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = super::extensions::NewExtension {
        event: one(&pairs, "event"),
        article: one(&pairs, "article"),
        extension: one(&pairs, "extension"),
        note: one(&pairs, "note"),
    };
    super::extensions::grant(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

async fn disclose(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, nomination)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = DisclosureStatement {
        statement: one(&pairs, "statement"),
    };
    disclosure::record(&state, &actor, &id, &nomination, &input).await?;
    Ok(back(&id))
}

async fn publish(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let f = |k: &str| one(&pairs, k);
    let input = PublishInput {
        sector: f("sector"),
        contract_type: f("contract_type"),
        outcome: f("outcome"),
        title_zh: Some(f("title_zh")),
        title_en: Some(f("title_en")),
        summary_zh: f("summary_zh"),
        summary_en: f("summary_en"),
        outcome_zh: f("outcome_zh"),
        outcome_en: f("outcome_en"),
        lessons_zh: f("lessons_zh"),
        lessons_en: f("lessons_en"),
    };
    let record = typical::publish(&state, &actor, &id, &input).await?;
    Ok(Redirect::to(&format!("/cases/{}", record.slug)))
}
