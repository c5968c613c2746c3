//! The jurisdiction questions over JSON: `/api/v1/jurisdiction/awards`, `/judgments`,
//! `/documents`, `/countries` and `/countries/{cc}`. No database; the answers are those of
//! [`super::answer`], documented in `docs/jurisdiction.md`.

use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::answer::{
    self, AskError, AwardAnswer, AwardAsk, CountryFacts, CountrySummary, JudgmentAnswer,
    JudgmentAsk, RouteAnswer, RouteAsk,
};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(award))
        .routes(routes!(judgment))
        .routes(routes!(document))
        .routes(routes!(countries))
        .routes(routes!(country))
}

impl From<AskError> for AppError {
    fn from(err: AskError) -> Self {
        match err {
            AskError::Invalid { field, reason, .. } => AppError::invalid(field, reason),
            AskError::Data(e) => AppError::Internal(e.into()),
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AwardParams {
    /// Seat of arbitration: ISO 3166-1 alpha-2, `HK` or `MO` (`CN` is the Mainland).
    pub seat: String,
    /// Where enforcement is sought.
    pub enforce_in: String,
    /// `yes` (default) or `no`: whether the relationship is commercial.
    pub commercial: Option<String>,
    /// `YYYY-MM-DD` between 1958-01-01 and 2100-12-31 (default: today).
    pub date: Option<String>,
    /// Administering institution, free text (e.g. `CIETAC`).
    pub institution: Option<String>,
}

impl From<AwardParams> for AwardAsk {
    fn from(p: AwardParams) -> Self {
        AwardAsk {
            seat: p.seat,
            enforce_in: p.enforce_in,
            commercial: p.commercial,
            date: p.date,
            institution: p.institution,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct JudgmentParams {
    /// Where the court that gave the judgment sits.
    pub court_in: String,
    /// Where recognition and enforcement is sought.
    pub enforce_in: String,
    /// `YYYY-MM-DD` between 1958-01-01 and 2100-12-31 (default: today).
    pub date: Option<String>,
}

impl From<JudgmentParams> for JudgmentAsk {
    fn from(p: JudgmentParams) -> Self {
        JudgmentAsk {
            court_in: p.court_in,
            enforce_in: p.enforce_in,
            date: p.date,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RouteParams {
    /// Where the public document is issued.
    pub from: String,
    /// Where it is to be used.
    pub to: String,
    /// `YYYY-MM-DD` between 1958-01-01 and 2100-12-31 (default: today).
    pub date: Option<String>,
}

impl From<RouteParams> for RouteAsk {
    fn from(p: RouteParams) -> Self {
        RouteAsk {
            from: p.from,
            to: p.to,
            date: p.date,
        }
    }
}

/// Will an arbitral award made at `seat` be recognised and enforced in `enforce_in`, and how.
#[utoipa::path(get, path = "/api/v1/jurisdiction/awards", tag = "jurisdiction", params(AwardParams),
    responses((status = 200, body = AwardAnswer), (status = 400, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn award(Query(params): Query<AwardParams>) -> Result<Json<AwardAnswer>> {
    Ok(Json(answer::ask_award(&params.into(), super::today())?))
}

/// Will a court judgment given in `court_in` be recognised and enforced in `enforce_in`.
#[utoipa::path(get, path = "/api/v1/jurisdiction/judgments", tag = "jurisdiction", params(JudgmentParams),
    responses((status = 200, body = JudgmentAnswer), (status = 400, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn judgment(Query(params): Query<JudgmentParams>) -> Result<Json<JudgmentAnswer>> {
    Ok(Json(answer::ask_judgment(&params.into(), super::today())?))
}

/// How a public document issued in `from` is made acceptable in `to`: apostille, consular
/// legalization or a Mainland–SAR route, step by step.
#[utoipa::path(get, path = "/api/v1/jurisdiction/documents", tag = "jurisdiction", params(RouteParams),
    responses((status = 200, body = RouteAnswer), (status = 400, body = crate::openapi::ErrorBody),
              (status = 422, body = crate::openapi::ErrorBody)))]
async fn document(Query(params): Query<RouteParams>) -> Result<Json<RouteAnswer>> {
    Ok(Json(answer::ask_route(&params.into(), super::today())?))
}

/// Every country and region the questions accept; places with a profile (ASEAN, CN, HK, MO) first.
#[utoipa::path(get, path = "/api/v1/jurisdiction/countries", tag = "jurisdiction",
    responses((status = 200, body = Vec<CountrySummary>)))]
async fn countries() -> Result<Json<Vec<CountrySummary>>> {
    Ok(Json(answer::countries()?))
}

/// Everything the data holds about one country or region, each fact with its source and
/// `verified` flag.
#[utoipa::path(get, path = "/api/v1/jurisdiction/countries/{cc}", tag = "jurisdiction",
    params(("cc" = String, Path, description = "ISO 3166-1 alpha-2, HK or MO")),
    responses((status = 200, body = CountryFacts), (status = 422, body = crate::openapi::ErrorBody)))]
async fn country(Path(cc): Path<String>) -> Result<Json<CountryFacts>> {
    Ok(Json(answer::country_facts(&cc)?))
}
