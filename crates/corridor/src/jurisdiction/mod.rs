//! Jurisdictions: will an arbitral award, a court judgment or a public document made in one place
//! be accepted in another, and how.
//!
//! A pure engine over sourced reference data in `data/jurisdiction/` (embedded at build time): no
//! I/O, no async, no panics. Unknown or malformed country codes are typed errors
//! ([`Error::UnknownCountry`], [`Error::InvalidCode`]). Every statement in an answer carries its
//! `source` and `verified` flag, and each answer lists in `warnings` every unconfirmed fact it used
//! and every known gap in the data it ran into.
//!
//! # Public API (for wiring routes, pages and CLI)
//!
//! | Function | Input | Output | Suggested route |
//! |---|---|---|---|
//! | [`award_enforceability`] | [`AwardQuery`] `{seat, institution?, enforcing_state, commercial, date}` | [`AwardAssessment`] | `GET /api/v1/jurisdiction/awards?seat=CN&enforcing_state=VN&commercial=true&date=2026-11-30[&institution=CIETAC]` |
//! | [`judgment_enforceability`] | [`JudgmentQuery`] `{rendering_state, enforcing_state, date}` | [`JudgmentAssessment`] | `GET /api/v1/jurisdiction/judgments?rendering_state=CN&enforcing_state=VN&date=..` |
//! | [`document_route`] | [`DocumentQuery`] `{issuing_state, destination_state, date}` | [`DocumentRoute`] | `GET /api/v1/jurisdiction/documents?issuing_state=CN&destination_state=ID&date=..` |
//! | [`Dataset::get`] | — | the parsed data: `new_york_convention`, `apostille`, `apostille_objections`, `bilateral_treaties`, `arrangements`, `rules`, `profiles` (all rows `Serialize`) | `GET /api/v1/jurisdiction/{conventions,treaties,arrangements,countries/{iso2}}` |
//!
//! All three functions return `Result<_, Error>`; map [`Error::code`] (`invalid_code`,
//! `unknown_country`, `data`) to 400/400/500. Query structs derive `Deserialize` so they can be
//! taken straight from a query string; answers derive `Serialize` (enums in `snake_case`).
//! Country codes are ISO 3166-1 alpha-2 as in `data/reference/countries.csv` (HK and MO are their
//! own codes; `CN` means the Mainland). Human-readable text comes in `en` / `zh` pairs beside a
//! stable `code`; values copied from the data (court names, time limits) are in the data's language.
//!
//! [`answer`] turns the assessments into the machine answer the front ends share (checked input,
//! `regime` in the API's vocabulary, typed `steps`, `sources`); `api.rs` and `pages.rs` are the
//! JSON and HTML front ends (the CLI is `cli/enforce.rs` and `cli/route.rs`). Only those two
//! modules do I/O.
//!
//! The `date` is the day the question is asked for (e.g. the day of filing): conventions and
//! arrangements count from their entry into force, never from signature.

pub mod answer;
pub mod api;
mod award;
mod data;
mod document;
mod facts;
mod judgment;
pub mod pages;
pub mod pages_ask;
mod profile;
mod status;

#[cfg(test)]
mod tests;

pub use award::{
    AwardAssessment, AwardQuery, Condition, ConditionStatus, Coverage, Regime, award_enforceability,
};
pub use data::{
    ApostilleObjection, ApostilleParty, Arrangement, BilateralTreaty, Dataset, NycParty, Rule,
};
pub use document::{Certainty, DocumentQuery, DocumentRoute, RouteKind, Step, document_route};
pub use facts::{DateFact, Flag, Sourced, Statement, Warning};
pub use judgment::{JudgmentAssessment, JudgmentQuery, judgment_enforceability};
pub use profile::{
    AwardEnforcement, CountryProfile, Institution, Language, ProfileFact, ProfileStatement, Statute,
};
pub use status::{ApostilleStatus, ConventionStatus, NycStatus};

/// Why a question could not be answered at all. Everything short of this is an answer with
/// warnings.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("invalid country code {0:?}: expected an ISO 3166-1 alpha-2 code such as VN")]
    InvalidCode(String),
    #[error("unknown country code {0}")]
    UnknownCountry(String),
    /// An embedded data file is malformed: a build defect, caught by the tests.
    #[error("jurisdiction data is malformed: {0}")]
    Data(String),
}

impl Error {
    /// Stable machine-readable code for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidCode(_) => "invalid_code",
            Error::UnknownCountry(_) => "unknown_country",
            Error::Data(_) => "data",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The day a question is asked for when it names none. The engine takes the date as input and
/// never reads the clock; the front ends (API, pages) call this.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
