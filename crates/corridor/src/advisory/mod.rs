//! One enterprise, one policy (一企一策): a legal-service plan for an outbound project, made from
//! a sourced obligations library (issue 12).
//!
//! A pure engine, like [`crate::jurisdiction`]: the library (`data/advisory/obligations.json`,
//! with its URNs, sources, verified flags, effective dates and status, and the question wording
//! of `data/advisory/questions.json`) is embedded at build time and checked when first used; the
//! functions here do no I/O.
//!
//! | Function | Input | Output |
//! |---|---|---|
//! | [`PlanRequest::check`] | the contract's JSON `{date, country, entry_mode, sectors_isic, ownership, flags, metrics}` | a [`Project`] or [`InvalidInput`] naming the field and every unknown code |
//! | [`generate`] | project + [`Library`] + [`FeeEstimator`] | a [`Plan`]: four `sections` of items, `questions`, `china_side`, the proposed dispute clause |
//! | [`diff`] | old plan, new plan | [`PlanDiff`]: items new / changed / gone, questions new / gone |
//! | [`team::match_firms`] | directory firms and partnerships + needs | ranked, explained firm matches |
//!
//! The CLI is `corridor plan [--json]` (`cli/plan.rs`); formats and semantics are documented in
//! `docs/advisory.md`.

pub mod api;
pub mod api_library;
pub mod api_referrals;
pub mod bench;
pub mod bench_stored;
pub mod condition;
pub mod dashboard;
pub mod demo;
pub mod diff;
pub mod disputes;
pub mod fees;
pub mod guidance;
pub mod interview;
pub mod library;
pub mod library_check;
pub mod library_edit;
pub mod library_form;
pub mod library_revisions;
pub mod library_store;
pub mod pages;
pub mod pages_dashboard;
pub mod pages_library;
pub mod pages_profile;
pub mod pages_projects;
pub mod pages_referrals;
pub mod plan;
pub mod plan_pdf;
pub mod profile;
pub mod profile_store;
pub mod profiles;
pub mod project;
pub mod projects;
pub mod referrals;
pub mod store;
pub mod store_dashboard;
pub mod store_referrals;
pub mod team;
pub mod vocab;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

pub use diff::{PlanDiff, diff};
pub use disputes::{FeeEstimate, FeeEstimator, NoFeeEstimates};
pub use fees::ScheduleFees;
pub use library::{Library, LibraryError};
pub use plan::{Plan, generate};
pub use project::{InvalidInput, PlanRequest, Project, ProjectValue};

/// A text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: &str, zh: &str) -> Text {
        Text {
            en: en.to_owned(),
            zh: zh.to_owned(),
        }
    }
}

/// Why no plan was made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The input is wrong (exit 2 / 422).
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    /// The embedded library is malformed: a build defect the tests catch.
    #[error(transparent)]
    Library(#[from] LibraryError),
}

/// The whole path of the CLI: check the request against the embedded library, then generate. `today` stands in for a missing `date`.
pub fn plan_for(
    request: &PlanRequest,
    today: NaiveDate,
    fees: &dyn FeeEstimator,
) -> Result<Plan, PlanError> {
    plan_with(Library::get()?, request, today, fees)
}

/// [`plan_for`] with a given library: the deployment's, with its published revisions
/// ([`library_revisions::current`]).
pub fn plan_with(
    lib: &Library,
    request: &PlanRequest,
    today: NaiveDate,
    fees: &dyn FeeEstimator,
) -> Result<Plan, PlanError> {
    let project = request.check(lib, today)?;
    Ok(generate(&project, lib, fees))
}

impl From<PlanError> for crate::AppError {
    fn from(e: PlanError) -> Self {
        match e {
            PlanError::Invalid(e) => crate::AppError::InvalidValues {
                field: e.field.to_owned(),
                reason: e.reason,
                values: e.values,
            },
            PlanError::Library(e) => crate::AppError::Internal(anyhow::anyhow!(e)),
        }
    }
}
