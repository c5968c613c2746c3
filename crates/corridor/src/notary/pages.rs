//! The eligibility pre-check as a page (`/notary/eligibility`): a GET form (nothing changes, so
//! no CSRF token) that answers in the reader's language, each rule in words with its source.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Rules;
use super::application::Venue;
use super::eligibility::{Answer, Application, Finding, ResidenceStatus, Verdict, check};
use crate::Result;
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::{PageCtx, render};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new().route("/notary/eligibility", get(eligibility))
}

/// The form's fields as typed (all text; the check reads and names them).
#[derive(Debug, Default, Deserialize)]
pub struct FormValues {
    pub date: Option<String>,
    pub nationality: Option<String>,
    pub mainland_resident: Option<String>,
    pub residence_country: Option<String>,
    pub days_resident: Option<String>,
    pub residence_status: Option<String>,
    pub matter: Option<String>,
    pub use_in: Option<String>,
    pub needs_interpreter: Option<String>,
    pub disposes_property: Option<String>,
}

impl FormValues {
    fn asked(&self) -> bool {
        self.date.is_some() || self.nationality.is_some() || self.matter.is_some()
    }

    /// The JSON the API takes: yes/no become booleans, a whole number of days a number; anything
    /// else is passed on as typed, so the check names it.
    pub(super) fn to_json(&self) -> Value {
        let text = |v: &Option<String>| match v.as_deref().map(str::trim) {
            None | Some("") => Value::Null,
            Some(s) => json!(s),
        };
        let flag = |v: &Option<String>| match v.as_deref() {
            Some("yes") => json!(true),
            Some("no") => json!(false),
            _ => text(v),
        };
        let days = match self.days_resident.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) => {
                d.parse::<u64>().map_or_else(|_| json!(d), |n| json!(n))
            }
            _ => text(&self.days_resident),
        };
        json!({
            "date": text(&self.date), "nationality": text(&self.nationality),
            "mainland_resident": flag(&self.mainland_resident),
            "residence_country": text(&self.residence_country), "days_resident": days,
            "residence_status": text(&self.residence_status), "matter": text(&self.matter),
            "use_in": text(&self.use_in), "needs_interpreter": flag(&self.needs_interpreter),
            "disposes_property": flag(&self.disposes_property),
        })
    }
}

#[derive(Template)]
#[template(path = "notary/eligibility.html")]
struct EligibilityPage {
    ctx: PageCtx,
    v: FormValues,
    countries: Vec<(String, String)>,
    matters: Vec<(String, String)>,
    statuses: Vec<(&'static str, String)>,
    error: Option<String>,
    answer: Option<Answer>,
    /// The pilot offices one may apply to (slug, name), for a signed-in reader.
    offices: Vec<(String, String)>,
    venues: Vec<(&'static str, String)>,
    /// What the application form had (office, venue, purpose), to fill it again.
    office: String,
    venue: String,
    purpose: String,
}

impl EligibilityPage {
    /// The value typed in a field, to fill the form again.
    fn value(&self, field: &str) -> &str {
        let v = &self.v;
        let value = match field {
            "date" => &v.date,
            "nationality" => &v.nationality,
            "mainland_resident" => &v.mainland_resident,
            "residence_country" => &v.residence_country,
            "days_resident" => &v.days_resident,
            "residence_status" => &v.residence_status,
            "matter" => &v.matter,
            "use_in" => &v.use_in,
            "needs_interpreter" => &v.needs_interpreter,
            "disposes_property" => &v.disposes_property,
            _ => return "",
        };
        value.as_deref().unwrap_or("")
    }

    fn verdict(&self, a: &Answer) -> String {
        let key = match a.verdict {
            Verdict::Eligible => "eligible",
            Verdict::Ineligible => "ineligible",
            Verdict::EligibleWithConditions => "eligible_with_conditions",
        };
        self.ctx.t(&format!("notary.verdict.{key}"))
    }

    fn verdict_class(&self, a: &Answer) -> &'static str {
        match a.verdict {
            Verdict::Eligible => "eligible",
            Verdict::Ineligible => "ineligible",
            Verdict::EligibleWithConditions => "eligible_with_conditions",
        }
    }

    fn words(&self, f: &Finding) -> String {
        self.ctx.pick(f.zh, f.en).to_owned()
    }

    fn field_label(&self, field: &str) -> String {
        self.ctx.t(&format!("notary.field.{field}"))
    }

    /// The pre-check's fields, sent again with the application.
    fn answer_fields(&self) -> &'static [&'static str] {
        &[
            "date",
            "nationality",
            "mainland_resident",
            "residence_country",
            "days_resident",
            "residence_status",
            "matter",
            "use_in",
            "needs_interpreter",
            "disposes_property",
        ]
    }

    /// Whether a yes/no select holds `want`.
    fn is(&self, field: &str, want: &str) -> bool {
        self.value(field) == want
    }
}

async fn eligibility(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(v): Query<FormValues>,
) -> Result<Response> {
    page(&state, ctx, v, Applying::default()).await
}

/// What an application form sent besides the pre-check's answers, and why it was refused.
#[derive(Default)]
pub(super) struct Applying {
    pub office: String,
    pub venue: String,
    pub purpose: String,
    pub error: Option<(StatusCode, String)>,
}

/// The pre-check page with its answer, and (signed in, not ineligible) the application form
/// that sends the same answers to a pilot office. A refused application shows it again with
/// the reason.
pub(super) async fn page(
    state: &AppState,
    ctx: PageCtx,
    v: FormValues,
    applying: Applying,
) -> Result<Response> {
    let offices = if ctx.actor.is_some() {
        pilot_offices(state, &ctx).await?
    } else {
        Vec::new()
    };
    let venues = Venue::ALL
        .iter()
        .map(|v| (v.as_str(), ctx.t(&format!("notary.venue.{}", v.as_str()))))
        .collect();
    let rules = Rules::get();
    let matters = rules
        .matter_types
        .iter()
        .map(|m| (m.id.clone(), ctx.pick(&m.zh, &m.en).to_owned()))
        .collect();
    let statuses = ResidenceStatus::ALL
        .iter()
        .map(|s| (s.as_str(), ctx.t(&format!("notary.status.{}", s.as_str()))))
        .collect();
    let asked = v.asked();
    let mut page = EligibilityPage {
        countries: ctx.country_options(),
        matters,
        statuses,
        error: None,
        answer: None,
        offices,
        venues,
        office: applying.office,
        venue: applying.venue,
        purpose: applying.purpose,
        v,
        ctx,
    };
    if !asked {
        return Ok(render(page)?.into_response());
    }
    let status = match Application::from_value(&page.v.to_json()) {
        Ok(application) => {
            page.answer = Some(check(&application));
            match applying.error {
                Some((status, message)) => {
                    page.error = Some(message);
                    status
                }
                None => StatusCode::OK,
            }
        }
        Err(e) => {
            page.error = Some(format!(
                "{} ({}): {}",
                page.field_label(&e.field),
                e.field,
                page.ctx.t(&format!("errors.invalid.{}", e.reason))
            ));
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    Ok((status, render(page)?).into_response())
}

/// The offices in the remote notarization pilot: (slug, name in the reader's language).
async fn pilot_offices(state: &AppState, ctx: &PageCtx) -> Result<Vec<(String, String)>> {
    let q = crate::directory::model::OrgQuery {
        kind: Some(crate::directory::model::OrgKind::NotaryOffice),
        pilot: Some(true),
        per_page: Some(100),
        ..Default::default()
    };
    let page = state.store.list_organizations(&q).await?;
    Ok(page
        .items
        .into_iter()
        .filter(|o| o.remote_notarization_pilot)
        .map(|o| (o.slug, ctx.pick(&o.name_zh, &o.name_en).to_owned()))
        .collect())
}
