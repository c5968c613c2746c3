//! An enterprise's outbound projects and their plans, kept (issue 12 §1 and §3): who may open
//! and read them, and what a project shows when its answers, the day or the library change.
//! The API and the pages call these and only translate HTTP; the SQL is in `store.rs`.
//!
//! A project keeps the plan its enterprise last accepted (made when the project was opened or
//! changed, or accepted again). Reading a project makes the plan afresh — the current library,
//! today — and shows what differs from the accepted one (`changes`: items new, changed, gone).
//! After an upgrade brings a new library, `library_check.rs` walks every stored plan once and
//! records which ones change, so lists can flag them without making every plan.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::diff::{PlanDiff, diff_stored};
use super::library::Library;
use super::library_revisions::current;
use super::profile::EnterpriseProfile;
use super::store::{ProjectFields, ProjectFilter, ProjectRow, StoredPlan};
use super::{Plan, PlanRequest, ProjectValue, ScheduleFees, plan_with};
use crate::auth::audit::Who;
use crate::auth::{Actor, Membership, PlatformRole};
use crate::db::Store;
use crate::directory::validate::text;
use crate::ids::ProjectId;
use crate::matters::model::OwnerRef;
use crate::money::{Money, TypedMoneyError};
use crate::{AppError, Result};

/// Where a project is, from first look to done.
pub const STAGES: [&str; 5] = ["exploring", "negotiating", "signed", "operating", "closed"];

/// A project as its enterprise describes it.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    /// The enterprise (id or slug); may be left out by a member of exactly one enterprise.
    #[serde(default)]
    pub organization: Option<String>,
    pub title: String,
    /// `exploring` (the default), `negotiating`, `signed`, `operating` or `closed`.
    #[serde(default)]
    pub stage: Option<String>,
    /// The project's value, an exact decimal (`50000000`, `1250000.50`), with its currency.
    #[serde(default)]
    pub value_amount: Option<String>,
    /// ISO 4217, e.g. `USD`; required with `value_amount`.
    #[serde(default)]
    pub value_currency: Option<String>,
    /// The answers, as `corridor plan` reads them (`docs/advisory.md`). A `date` fixes the day
    /// the plan is for; without one the plan is for the day it is read.
    pub answers: PlanRequest,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectSummary {
    pub id: String,
    pub organization: OwnerRef,
    pub title: String,
    pub country: String,
    pub entry_mode: String,
    pub stage: String,
    pub value_amount: Option<String>,
    pub value_currency: Option<String>,
    /// The library version of the plan last accepted.
    pub library_version: String,
    /// A newer library changes this project's plan (see `changes` on the project).
    pub plan_changed: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectDetail {
    #[serde(flatten)]
    pub project: ProjectSummary,
    pub answers: PlanRequest,
    /// The plan for these answers as the library this server has makes it today.
    pub plan: Plan,
    /// What differs from the plan last accepted (a newer library, a later day); `null` when
    /// nothing does.
    pub changes: Option<PlanDiff>,
    /// The day the accepted plan was for.
    #[schema(value_type = String, format = Date)]
    pub accepted_plan_date: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectPage {
    pub projects: Vec<ProjectSummary>,
    pub total: i64,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Host country, alpha-2.
    pub country: Option<String>,
    /// One of the stages.
    pub stage: Option<String>,
    /// 1-based; 50 projects a page.
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<i64>,
}

pub const PAGE_SIZE: i64 = 50;

// --- Who may do what -------------------------------------------------------------------

/// The enterprise a member opens a project for: the one named, or their only enterprise.
/// Anyone who is not a member of that enterprise may not (403).
pub fn enterprise_of<'a>(actor: &'a Actor, key: Option<&str>) -> Result<&'a Membership> {
    let mut enterprises = actor
        .memberships
        .iter()
        .filter(|m| m.organization_kind == "enterprise");
    match key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(key) => enterprises
            .find(|m| m.organization_id == key || m.slug == key)
            .ok_or(AppError::Forbidden),
        None => {
            let first = enterprises.next().ok_or(AppError::Forbidden)?;
            if enterprises.next().is_some() {
                return Err(AppError::invalid("organization", "required"));
            }
            Ok(first)
        }
    }
}

/// The enterprise's own people, and the bureau's officers (the programme's view), read a
/// project; to anyone else it does not exist.
pub fn can_read(actor: &Actor, org_id: &str) -> bool {
    actor.role_in(org_id).is_some() || actor.platform_role == Some(PlatformRole::BureauOfficer)
}

/// Only the enterprise's own people change it.
pub fn can_change(actor: &Actor, org_id: &str) -> bool {
    actor.role_in(org_id).is_some()
}

// --- Checking what was sent ------------------------------------------------------------

/// What the project says, checked, and the answers the plan is made from: the enterprise's
/// profile fills in what the answers do not say, and the project's value (when it has one) is
/// the plan's `value`, the amount its fee estimate is for.
fn fields(
    input: &ProjectInput,
    profile: Option<&EnterpriseProfile>,
) -> Result<(ProjectFields, PlanRequest)> {
    let title = text("title", &input.title, true, 200)?;
    let stage = match input.stage.as_deref().map(str::trim) {
        None | Some("") => STAGES[0].to_owned(),
        Some(s) if STAGES.contains(&s) => s.to_owned(),
        Some(_) => return Err(AppError::invalid("stage", "unknown_stage")),
    };
    let amount = input
        .value_amount
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let currency = input
        .value_currency
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let (value_amount, value_currency) = match (amount, currency) {
        (None, None) => (None, None),
        (Some(_), None) => return Err(AppError::invalid("value_currency", "required")),
        (None, Some(_)) => return Err(AppError::invalid("value_amount", "required")),
        (Some(a), Some(c)) => {
            let money = Money::parse_positive(c, a).map_err(|e| match e {
                TypedMoneyError::Currency => AppError::invalid("value_currency", "currency"),
                TypedMoneyError::Amount => AppError::invalid("value_amount", "amount"),
            })?;
            (
                Some(money.amount_text()),
                Some(money.currency().as_str().to_owned()),
            )
        }
    };
    let mut request = input.answers.clone();
    if let Some(p) = profile {
        p.fill(&mut request);
    }
    if let (Some(amount), Some(currency)) = (&value_amount, &value_currency) {
        request.value = Some(ProjectValue {
            amount: amount.clone(),
            currency: currency.clone(),
        });
    }
    let answers = serde_json::to_string(&request).map_err(anyhow::Error::from)?;
    let fields = ProjectFields {
        title,
        country: request.country.trim().to_ascii_uppercase(),
        entry_mode: request.entry_mode.trim().to_owned(),
        sector: request
            .sectors_isic
            .first()
            .and_then(|c| c.trim().chars().next())
            .filter(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_uppercase().to_string())
            .unwrap_or_default(),
        stage,
        value_amount,
        value_currency,
        answers,
    };
    Ok((fields, request))
}

/// The plan for `request` today (or on its own date), and the form it is stored in.
pub(super) fn make_plan(
    lib: &Library,
    request: &PlanRequest,
    today: NaiveDate,
) -> Result<(Plan, StoredPlan)> {
    let plan = plan_with(lib, request, today, &ScheduleFees)?;
    let json = serde_json::to_string(&plan).map_err(anyhow::Error::from)?;
    let stored = StoredPlan {
        json,
        library_version: plan.library_version.clone(),
        date: plan.date.to_string(),
    };
    Ok((plan, stored))
}

/// Stored answers against the current library: a flag or metric a newer library dropped is
/// left out rather than refused (it was valid when given).
pub(super) fn known_answers(stored: &str, lib: &Library) -> Result<PlanRequest> {
    let mut r: PlanRequest = serde_json::from_str(stored).map_err(anyhow::Error::from)?;
    r.flags.retain(|f| lib.flags.contains(f));
    r.flags_false.retain(|f| lib.flags.contains(f));
    r.metrics.retain(|m, _| lib.metrics.contains(m));
    Ok(r)
}

// --- Actions ---------------------------------------------------------------------------

impl ProjectRow {
    pub fn summary(&self) -> ProjectSummary {
        ProjectSummary {
            id: self.id.clone(),
            organization: OwnerRef {
                id: self.org_id.clone(),
                slug: self.org_slug.clone(),
                name_en: self.org_name_en.clone(),
                name_zh: self.org_name_zh.clone(),
            },
            title: self.title.clone(),
            country: self.country.clone(),
            entry_mode: self.entry_mode.clone(),
            stage: self.stage.clone(),
            value_amount: self.value_amount.clone(),
            value_currency: self.value_currency.clone(),
            library_version: self.library_version.clone(),
            plan_changed: self.changes.is_some(),
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// The project if the actor may read it — its enterprise, the bureau, or a firm that accepted
/// a referral of it; otherwise it does not exist (404).
pub async fn load(store: &Store, actor: &Actor, id: &ProjectId) -> Result<ProjectRow> {
    let row = store.project(id).await?.ok_or(AppError::NotFound)?;
    if can_read(actor, &row.org_id) {
        return Ok(row);
    }
    let firms: Vec<String> = actor
        .memberships
        .iter()
        .map(|m| m.organization_id.clone())
        .collect();
    if store.engaged_on(&row.id, &firms).await? {
        return Ok(row);
    }
    Err(AppError::NotFound)
}

/// The project's answers as this library reads them, and its plan made from them today.
pub fn plan_today(lib: &Library, row: &ProjectRow) -> Result<(PlanRequest, Plan)> {
    let answers = known_answers(&row.answers, lib)?;
    let plan = plan_with(lib, &answers, crate::jurisdiction::today(), &ScheduleFees)?;
    Ok((answers, plan))
}

/// Whose records a list shows the actor: the organizations they belong to, or (`None`) every
/// one for a bureau officer.
pub fn visible_orgs(actor: &Actor) -> Option<Vec<String>> {
    (actor.platform_role != Some(PlatformRole::BureauOfficer)).then(|| {
        actor
            .memberships
            .iter()
            .map(|m| m.organization_id.clone())
            .collect()
    })
}

pub async fn open_project(
    store: &Store,
    actor: &Actor,
    input: &ProjectInput,
) -> Result<ProjectDetail> {
    let org = enterprise_of(actor, input.organization.as_deref())?;
    let today = crate::jurisdiction::today();
    let lib = current(store).await?;
    let profile = super::profiles::of(store, &org.organization_id).await?;
    let (fields, request) = fields(input, profile.as_ref().map(|p| &p.0))?;
    let (_, plan) = make_plan(&lib, &request, today)?;
    let id = store
        .insert_project(&Who::from(actor), &org.organization_id, &fields, &plan)
        .await?;
    detail(store, actor, &id).await
}

pub async fn detail(store: &Store, actor: &Actor, id: &ProjectId) -> Result<ProjectDetail> {
    let row = load(store, actor, id).await?;
    let (answers, plan) = plan_today(&*current(store).await?, &row)?;
    let accepted: Value = serde_json::from_str(&row.plan).map_err(anyhow::Error::from)?;
    let fresh = serde_json::to_value(&plan).map_err(anyhow::Error::from)?;
    let changes = diff_stored(&accepted, &fresh);
    Ok(ProjectDetail {
        project: row.summary(),
        answers,
        plan,
        changes: (!changes.is_empty()).then_some(changes),
        accepted_plan_date: row.plan_date.clone(),
    })
}

/// The projects the actor may read: their enterprises', those their firms accepted a referral
/// of, and for a bureau officer every one.
pub async fn list(store: &Store, actor: &Actor, q: &ProjectQuery) -> Result<ProjectPage> {
    let orgs = visible_orgs(actor);
    let stage = match q.stage.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if STAGES.contains(&s) => Some(s.to_owned()),
        Some(_) => return Err(AppError::invalid("stage", "unknown_stage")),
        None => None,
    };
    let page = q.page.unwrap_or(1);
    if !(1..=10_000).contains(&page) {
        return Err(AppError::invalid("page", "out_of_range"));
    }
    let (rows, total) = store
        .projects(&ProjectFilter {
            orgs,
            country: q
                .country
                .as_deref()
                .map(|c| c.trim().to_ascii_uppercase())
                .filter(|c| !c.is_empty()),
            stage,
            limit: PAGE_SIZE,
            offset: (page - 1).saturating_mul(PAGE_SIZE),
        })
        .await?;
    Ok(ProjectPage {
        projects: rows.iter().map(ProjectRow::summary).collect(),
        total,
    })
}

/// Replaces what the project says; the new plan is accepted as made. The enterprise stays.
pub async fn change_project(
    store: &Store,
    actor: &Actor,
    id: &ProjectId,
    input: &ProjectInput,
) -> Result<ProjectDetail> {
    let row = load(store, actor, id).await?;
    if !can_change(actor, &row.org_id) {
        return Err(AppError::Forbidden);
    }
    let lib = current(store).await?;
    let profile = super::profiles::of(store, &row.org_id).await?;
    let (fields, request) = fields(input, profile.as_ref().map(|p| &p.0))?;
    let (_, plan) = make_plan(&lib, &request, crate::jurisdiction::today())?;
    if !store
        .update_project(&Who::from(actor), &row, &fields, &plan)
        .await?
    {
        return Err(AppError::Conflict("project_changed"));
    }
    detail(store, actor, id).await
}

/// Accepts the plan as it is made today: `changes` are counted from it from now on.
pub async fn accept_plan(store: &Store, actor: &Actor, id: &ProjectId) -> Result<ProjectDetail> {
    let row = load(store, actor, id).await?;
    if !can_change(actor, &row.org_id) {
        return Err(AppError::Forbidden);
    }
    let lib = current(store).await?;
    let answers = known_answers(&row.answers, &lib)?;
    let (_, plan) = make_plan(&lib, &answers, crate::jurisdiction::today())?;
    if !store.accept_plan(&Who::from(actor), &row, &plan).await? {
        return Err(AppError::Conflict("project_changed"));
    }
    detail(store, actor, id).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::OrgRole;

    fn member(org: &str, kind: &str) -> Membership {
        Membership {
            organization_id: format!("id-{org}"),
            slug: org.to_owned(),
            name_en: org.to_owned(),
            name_zh: org.to_owned(),
            role: OrgRole::EnterpriseStaff,
            organization_kind: kind.to_owned(),
            organization_country: "CN".to_owned(),
        }
    }

    fn actor(memberships: Vec<Membership>, platform_role: Option<PlatformRole>) -> Actor {
        Actor {
            user_id: "u".into(),
            email: "u@example.test".into(),
            name: "U".into(),
            platform_role,
            memberships,
            csrf_token: None,
        }
    }

    #[test]
    fn projects_are_opened_by_members_of_an_enterprise_for_it() {
        let one = actor(
            vec![
                member("acme", "enterprise"),
                member("firm", "local_law_firm"),
            ],
            None,
        );
        assert_eq!(enterprise_of(&one, None).unwrap().slug, "acme");
        assert_eq!(enterprise_of(&one, Some("acme")).unwrap().slug, "acme");
        assert!(matches!(
            enterprise_of(&one, Some("firm")),
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            enterprise_of(&one, Some("other")),
            Err(AppError::Forbidden)
        ));
        let two = actor(
            vec![member("acme", "enterprise"), member("beta", "enterprise")],
            None,
        );
        assert!(matches!(
            enterprise_of(&two, None),
            Err(AppError::Invalid { .. })
        ));
        assert_eq!(enterprise_of(&two, Some("id-beta")).unwrap().slug, "beta");
        let officer = actor(vec![], Some(PlatformRole::BureauOfficer));
        assert!(matches!(
            enterprise_of(&officer, None),
            Err(AppError::Forbidden)
        ));
    }

    #[test]
    fn the_enterprise_and_the_bureau_read_a_project_and_only_the_enterprise_changes_it() {
        let staff = actor(vec![member("acme", "enterprise")], None);
        let stranger = actor(vec![member("beta", "enterprise")], None);
        let officer = actor(vec![], Some(PlatformRole::BureauOfficer));
        let admin = actor(vec![], Some(PlatformRole::PlatformAdmin));
        assert!(can_read(&staff, "id-acme") && can_change(&staff, "id-acme"));
        assert!(!can_read(&stranger, "id-acme") && !can_change(&stranger, "id-acme"));
        assert!(can_read(&officer, "id-acme") && !can_change(&officer, "id-acme"));
        assert!(
            !can_read(&admin, "id-acme"),
            "platform admins run the platform, not plans"
        );
    }

    fn input(value: Option<(&str, &str)>, stage: Option<&str>) -> ProjectInput {
        ProjectInput {
            organization: None,
            title: "Hai Phong plant".into(),
            stage: stage.map(str::to_owned),
            value_amount: value.map(|v| v.0.to_owned()),
            value_currency: value.map(|v| v.1.to_owned()),
            answers: PlanRequest {
                country: "vn".into(),
                entry_mode: "greenfield".into(),
                ..PlanRequest::default()
            },
        }
    }

    #[test]
    fn values_are_exact_and_stages_known() {
        let i = input(Some(("1250000.5", "usd")), Some("signed"));
        let (f, request) = fields(&i, None).unwrap();
        assert_eq!(
            request.value,
            Some(ProjectValue {
                amount: "1250000.50".into(),
                currency: "USD".into()
            }),
            "the plan's fee estimate is for the project's value"
        );
        assert_eq!(f.value_amount.as_deref(), Some("1250000.50"));
        assert_eq!(f.value_currency.as_deref(), Some("USD"));
        assert_eq!((f.country.as_str(), f.stage.as_str()), ("VN", "signed"));
        let i = input(None, None);
        assert_eq!(fields(&i, None).unwrap().0.stage, "exploring");
        for (value, stage, field) in [
            (Some(("12.345", "USD")), None, "value_amount"),
            (Some(("-1", "USD")), None, "value_amount"),
            (Some(("0", "USD")), None, "value_amount"),
            (Some(("1e6", "USD")), None, "value_amount"),
            (Some(("100", "US")), None, "value_currency"),
            (None, Some("dreaming"), "stage"),
        ] {
            let i = input(value, stage);
            match fields(&i, None) {
                Err(AppError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
