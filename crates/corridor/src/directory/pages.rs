//! Directory pages: the home page's programme figures, organization and people search (with
//! htmx partial results), profiles, and the organization edit form.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;

use super::actions::{self, OrganizationProfile, profile};
use super::model::*;
use super::policy;
use crate::auth::{Actor, CurrentUser};
use crate::ids::{OrganizationId, OrganizationKey, PartnershipId, PersonKey};
use crate::reference::{Country, Language, PracticeArea, Reference};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{all, is_htmx, one, parse_query};
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new()
        .route("/", get(home))
        .route("/directory", get(directory))
        .route("/organizations/{key}", get(organization_page))
        .route(
            "/organizations/{key}/edit",
            get(edit_page).post(edit_submit),
        )
        .route("/organizations/{key}/partnerships", post(add_partnership))
        .route("/partnerships/{id}/delete", post(end_partnership))
        .route("/people", get(people))
        .route("/people/{key}", get(person_page))
}

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    ctx: PageCtx,
    stats: ProgrammeStats,
}

async fn home(State(state): State<AppState>, ctx: PageCtx) -> Result<Html<String>> {
    let stats = state.store.programme_stats().await?;
    render(HomePage { ctx, stats })
}

/// The lists a filter form offers.
pub struct Choices {
    pub kinds: &'static [OrgKind],
    pub countries: &'static [Country],
    pub languages: &'static [Language],
    pub practice_areas: &'static [PracticeArea],
}

impl Choices {
    pub(crate) fn get() -> Self {
        let r = Reference::get();
        Self {
            kinds: OrgKind::ALL,
            countries: &r.countries,
            languages: &r.languages,
            practice_areas: &r.practice_areas,
        }
    }
}

/// A search of organizations with its results, shared by the full page and the htmx partial.
pub struct OrgSearch {
    query: OrgQuery,
    results: Page<Organization>,
    choices: Choices,
}

impl OrgSearch {
    fn selected(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn kind_selected(&self, kind: &OrgKind) -> bool {
        self.query.kind == Some(*kind)
    }

    fn q(&self) -> &str {
        self.query.q.as_deref().unwrap_or("")
    }

    /// The link to another page of the same search.
    fn page_link(&self, page: u32) -> String {
        let q = &self.query;
        let pairs = [
            ("q", q.q.clone()),
            ("kind", q.kind.map(|k| k.as_str().to_string())),
            ("country", q.country.clone()),
            ("practice_area", q.practice_area.clone()),
            ("language", q.language.clone()),
            ("partner_country", q.partner_country.clone()),
            ("pilot", q.pilot.map(|p| p.to_string())),
            ("page", Some(page.to_string())),
        ];
        let pairs: Vec<(&str, String)> = pairs
            .into_iter()
            .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
            .collect();
        format!(
            "/directory?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

#[derive(Template)]
#[template(path = "directory/organizations.html")]
struct DirectoryPage {
    ctx: PageCtx,
    s: OrgSearch,
}

#[derive(Template)]
#[template(path = "directory/_org_results.html")]
struct DirectoryResults {
    ctx: PageCtx,
    s: OrgSearch,
}

/// Empty form fields arrive as `key=`; they mean "no filter".
fn blank_to_none(value: &mut Option<String>) {
    if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
        *value = None;
    }
}

async fn directory(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    Query(raw): Query<Vec<(String, String)>>,
) -> Result<Html<String>> {
    let mut query: OrgQuery = parse_query(&raw)?;
    for field in [
        &mut query.q,
        &mut query.country,
        &mut query.practice_area,
        &mut query.language,
        &mut query.partner_country,
    ] {
        blank_to_none(field);
    }
    let results = state.store.list_organizations(&query).await?;
    let s = OrgSearch {
        query,
        results,
        choices: Choices::get(),
    };
    if is_htmx(&headers) {
        render(DirectoryResults { ctx, s })
    } else {
        render(DirectoryPage { ctx, s })
    }
}

#[derive(Template)]
#[template(path = "directory/organization.html")]
struct OrganizationPage {
    ctx: PageCtx,
    p: OrganizationProfile,
    can_edit: bool,
}

async fn organization_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(key): Path<String>,
) -> Result<Html<String>> {
    let p = profile(&state, &OrganizationKey::from_path(&key)?).await?;
    let can_edit = ctx
        .actor
        .as_deref()
        .is_some_and(|a| policy::can_edit_organization(a, &p.organization.id));
    render(OrganizationPage { ctx, p, can_edit })
}

#[derive(Template)]
#[template(path = "directory/edit.html")]
struct EditPage {
    ctx: PageCtx,
    org: Organization,
    choices: Choices,
    can_reclassify: bool,
    partnerships: Vec<Partnership>,
    foreign_firms: Vec<Organization>,
    error: Option<String>,
}

async fn edit_form(
    state: &AppState,
    ctx: PageCtx,
    actor: &Actor,
    org: Organization,
    error: Option<String>,
) -> Result<Html<String>> {
    let partnerships = state
        .store
        .partnerships(Some(&OrganizationId::from_stored(org.id.clone())))
        .await?;
    let foreign_firms = if org.kind == OrgKind::LocalLawFirm {
        state
            .store
            .list_organizations(&OrgQuery {
                kind: Some(OrgKind::ForeignLawFirm),
                per_page: Some(100),
                ..Default::default()
            })
            .await?
            .items
    } else {
        Vec::new()
    };
    render(EditPage {
        ctx,
        can_reclassify: policy::can_change_classification(actor),
        org,
        choices: Choices::get(),
        partnerships,
        foreign_firms,
        error,
    })
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
) -> Result<Html<String>> {
    let org = state
        .store
        .find_organization(&OrganizationKey::from_path(&key)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::can_edit_organization(&actor, &org.id) {
        return Err(AppError::Forbidden);
    }
    edit_form(&state, ctx, &actor, org, None).await
}

async fn edit_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let current = state
        .store
        .find_organization(&OrganizationKey::from_path(&key)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::can_edit_organization(&actor, &current.id) {
        return Err(AppError::Forbidden);
    }
    let reclassify = policy::can_change_classification(&actor);
    let kind = if reclassify {
        OrgKind::parse(&one(&form, "kind"))
            .ok_or_else(|| AppError::invalid("kind", "unknown_value"))?
    } else {
        current.kind
    };
    let input = OrganizationInput {
        slug: Some(current.slug.clone()),
        kind,
        name_zh: one(&form, "name_zh"),
        name_en: one(&form, "name_en"),
        jurisdiction: if reclassify {
            one(&form, "jurisdiction")
        } else {
            current.jurisdiction.clone()
        },
        city_en: one(&form, "city_en"),
        city_zh: one(&form, "city_zh"),
        languages: all(&form, "languages"),
        practice_areas: all(&form, "practice_areas"),
        email: one(&form, "email"),
        phone: one(&form, "phone"),
        website: one(&form, "website"),
        description_en: one(&form, "description_en"),
        description_zh: one(&form, "description_zh"),
        remote_notarization_pilot: if reclassify {
            one(&form, "remote_notarization_pilot") == "on"
        } else {
            current.remote_notarization_pilot
        },
    };
    let id = OrganizationId::from_stored(current.id.clone());
    match actions::update_organization(&state, &actor, &id.into(), &input).await {
        Ok(org) => Ok(Redirect::to(&format!("/organizations/{}", org.slug)).into_response()),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let message = err.info().message(ctx.lang());
            let page = edit_form(&state, ctx, &actor, current, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err),
    }
}

async fn add_partnership(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let org = state
        .store
        .find_organization(&OrganizationKey::from_path(&key)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let since = NaiveDate::parse_from_str(one(&form, "since").trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("since", "date"))?;
    let input = PartnershipInput {
        local_firm: org.id.clone(),
        foreign_firm: one(&form, "foreign_firm"),
        countries: all(&form, "countries"),
        since,
        scope_en: one(&form, "scope_en"),
        scope_zh: one(&form, "scope_zh"),
    };
    actions::create_partnership(&state, &actor, &input).await?;
    Ok(Redirect::to(&format!("/organizations/{}/edit", org.slug)).into_response())
}

async fn end_partnership(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let partnership =
        actions::end_partnership(&state, &actor, &PartnershipId::from_path(&id)?).await?;
    Ok(Redirect::to(&format!(
        "/organizations/{}/edit",
        partnership.local_firm.slug
    ))
    .into_response())
}

pub struct PersonSearch {
    query: PersonQuery,
    results: Page<Person>,
    choices: Choices,
}

impl PersonSearch {
    fn selected(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn profession_selected(&self, p: &Profession) -> bool {
        self.query.profession == Some(*p)
    }

    fn professions(&self) -> &'static [Profession] {
        Profession::ALL
    }

    fn overseas_only(&self) -> bool {
        self.query.overseas == Some(true)
    }

    fn q(&self) -> &str {
        self.query.q.as_deref().unwrap_or("")
    }

    fn page_link(&self, page: u32) -> String {
        let q = &self.query;
        let pairs = [
            ("q", q.q.clone()),
            ("profession", q.profession.map(|k| k.as_str().to_string())),
            ("country", q.country.clone()),
            ("nationality", q.nationality.clone()),
            ("language", q.language.clone()),
            ("expertise", q.expertise.clone()),
            ("roster", q.roster.clone()),
            ("overseas", q.overseas.map(|o| o.to_string())),
            ("page", Some(page.to_string())),
        ];
        let pairs: Vec<(&str, String)> = pairs
            .into_iter()
            .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
            .collect();
        format!(
            "/people?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

#[derive(Template)]
#[template(path = "directory/people.html")]
struct PeoplePage {
    ctx: PageCtx,
    s: PersonSearch,
}

#[derive(Template)]
#[template(path = "directory/_people_results.html")]
struct PeopleResults {
    ctx: PageCtx,
    s: PersonSearch,
}

async fn people(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    Query(raw): Query<Vec<(String, String)>>,
) -> Result<Html<String>> {
    let query: PersonQuery = parse_query(&raw)?;
    let results = state.store.list_people(&query).await?;
    let s = PersonSearch {
        query,
        results,
        choices: Choices::get(),
    };
    if is_htmx(&headers) {
        render(PeopleResults { ctx, s })
    } else {
        render(PeoplePage { ctx, s })
    }
}

#[derive(Template)]
#[template(path = "directory/person.html")]
struct PersonPage {
    ctx: PageCtx,
    person: Person,
}

async fn person_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(key): Path<String>,
) -> Result<Html<String>> {
    let person = state
        .store
        .find_person(&PersonKey::from_path(&key)?)
        .await?
        .ok_or(AppError::NotFound)?;
    render(PersonPage { ctx, person })
}
