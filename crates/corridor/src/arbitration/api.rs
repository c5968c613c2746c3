//! Arbitration fees over JSON, for anyone (the schedules are published reference data):
//! `GET /api/v1/fees` is `corridor fees --json`, `GET /api/v1/fees/compare` is
//! `corridor fees compare --json`, `POST /api/v1/deadlines` is `corridor deadlines --json`
//! (formats in `docs/arbitration.md`).

use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Error;
use super::deadlines::{self, DeadlineAnswer, DeadlineAsk};
use super::fees::{self, Comparison, FeeAnswer, FeeAsk};
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::extract::{Json, Query};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(fee))
        .routes(routes!(compare))
        .routes(routes!(deadline))
        .merge(super::cases::api::router())
        .merge(super::roster::api::router())
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            // The engine names the field as the CLI's flag; over HTTP it is the parameter.
            Error::Invalid {
                field,
                value,
                reason,
            } => AppError::Unreadable {
                status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                detail: format!("{} {value:?}: {reason}", field.trim_start_matches('-')),
            },
            Error::Data(e) => AppError::Internal(anyhow::anyhow!(e)),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeeQuery {
    /// A schedule id of `data/arbitration/fee_schedules.json` (e.g. `siac_2025_schedule`).
    pub schedule: String,
    /// The amount in dispute in the schedule's currency, at most two decimal places.
    pub amount: String,
    /// The day the arbitration is commenced (`YYYY-MM-DD`): the schedule in force then.
    pub date: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// The amount in dispute, at most two decimal places.
    pub amount: String,
    /// ISO 4217 (`CNY`, `HKD`, `SGD`): every schedule in that currency.
    pub currency: String,
    /// The day the arbitration is commenced (`YYYY-MM-DD`).
    pub date: Option<String>,
}

/// One schedule's fee for an amount: `fee` after the schedule's minimum and maximum,
/// registration or filing fees as `components`, `verified` and `estimate` flags, sources.
#[utoipa::path(get, path = "/api/v1/fees", tag = "arbitration", params(FeeQuery),
    responses((status = 200, body = FeeAnswer), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn fee(Query(q): Query<FeeQuery>) -> Result<Json<FeeAnswer>> {
    Ok(Json(fees::estimate(&FeeAsk {
        schedule: q.schedule,
        amount: q.amount,
        date: q.date,
    })?))
}

/// What the same dispute would cost at every institution with a schedule in the currency;
/// rows whose numbers are not all confirmed are marked as estimates.
#[utoipa::path(get, path = "/api/v1/fees/compare", tag = "arbitration", params(CompareQuery),
    responses((status = 200, body = Comparison), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn compare(Query(q): Query<CompareQuery>) -> Result<Json<Comparison>> {
    Ok(Json(fees::compare(
        &q.amount,
        &q.currency,
        q.date.as_deref(),
    )?))
}

/// Every time limit the event starts under the rule set, counted as the rules say (from the day
/// after the event; a last day on a closed day of the addressee's place moves where the rules
/// say so), each with its article, source and `verified` flag. Nothing is stored.
#[utoipa::path(post, path = "/api/v1/deadlines", tag = "arbitration", request_body = DeadlineAsk,
    responses((status = 200, body = DeadlineAnswer), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn deadline(Json(ask): Json<DeadlineAsk>) -> Result<Json<DeadlineAnswer>> {
    Ok(Json(deadlines::compute(&ask)?))
}
