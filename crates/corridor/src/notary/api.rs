//! The eligibility pre-check over JSON: `POST /api/v1/notary/eligibility`. No database and no
//! sign-in: anyone abroad may ask before applying. The answer is [`super::eligibility::check`]'s.

use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::eligibility::{Answer, Application, ResidenceStatus, check};
use crate::state::AppState;
use crate::web::extract::Json;
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(eligibility))
}

/// The applicant's answers (every field required; see `docs/notary.md`). The body is read field by
/// field so that a 422 names the first bad one.
#[derive(ToSchema)]
pub struct EligibilityInput {
    /// The day the question is asked for, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub date: String,
    /// ISO 3166-1 alpha-2; `CN` for a PRC national.
    pub nationality: String,
    /// A resident of the Mainland (内地居民), not of Hong Kong, Macao or Taiwan.
    pub mainland_resident: bool,
    /// Where the applicant lives (the mission's country), alpha-2.
    pub residence_country: String,
    /// Consecutive days of residence there.
    #[schema(minimum = 0)]
    pub days_resident: u32,
    pub residence_status: ResidenceStatus,
    /// An id of the permitted matter types (`birth`, `entrustment`, `no_criminal_record`, ...);
    /// any other matter is answered `ineligible` with code `matter_type`.
    pub matter: String,
    /// Where the certificate is to be used, alpha-2 (`CN` = the Mainland).
    pub use_in: String,
    /// An interpreter or assistant would stand between applicant and notary.
    pub needs_interpreter: bool,
    /// The declaration disposes of property.
    pub disposes_property: bool,
}

impl From<super::eligibility::InputError> for AppError {
    fn from(e: super::eligibility::InputError) -> Self {
        AppError::invalid(e.field, e.reason)
    }
}

/// May this person apply for overseas remote video notarization (海外远程视频公证) of this matter:
/// the verdict, the rules not met (`reasons`) and the conditions, each with its words in English
/// and Chinese and its source.
#[utoipa::path(post, path = "/api/v1/notary/eligibility", tag = "notary", request_body = EligibilityInput,
    responses((status = 200, body = Answer), (status = 400, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn eligibility(Json(body): Json<Value>) -> Result<Json<Answer>> {
    Ok(Json(check(&Application::from_value(&body)?)))
}
