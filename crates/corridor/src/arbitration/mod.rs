//! Arbitration: the pure rule engines of issue 10 — fees across institutions, time limits counted
//! as each rule set says, and the nationality and conflict screens for a proposed arbitrator.
//!
//! Like `jurisdiction/`, these are pure functions over sourced reference data in `data/arbitration/`
//! (embedded at build time): no I/O, no async, no panics on user input. Every answer carries the
//! `verified` flags and sources of the facts it used; unconfirmed facts are flagged, never hidden.
//!
//! | Engine | Entry point | CLI |
//! |---|---|---|
//! | [`fees`] | [`fees::estimate`], [`fees::compare`] | `corridor fees`, `corridor fees compare` |
//! | [`deadlines`] | [`deadlines::compute`] | `corridor deadlines` |
//! | [`screens`] | [`screens::screen`] (and [`screens::AppointmentIndex`] for a whole roster) | `corridor conflicts screen` |
//!
//! All entry points take text as the user typed it and return `Result<_, Error>`; [`Error::field`]
//! names what was wrong so every front end can say it (CLI exit 2, API 422). See
//! `docs/arbitration.md` for the formats.

pub mod api;
pub mod bench;
mod bench_stored;
pub mod cases;
pub mod deadlines;
pub mod fees;
pub mod pages;
pub mod roster;
pub mod screens;

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// Why a question could not be answered. Everything short of this is an answer with warnings.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A user's value is not acceptable: `field` names it (as the CLI flag or JSON path).
    #[error("{field} {value:?}: {reason}")]
    Invalid {
        field: String,
        value: String,
        reason: String,
    },
    /// An embedded data file is malformed: a build defect, caught by the tests.
    #[error("arbitration data is malformed: {0}")]
    Data(String),
}

impl Error {
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            field: field.into(),
            value: value.into(),
            reason: reason.into(),
        }
    }

    /// Stable machine-readable code for error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::Data(_) => "data",
        }
    }

    /// The field (flag or JSON path) the error is about, if it is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::Data(_) => None,
        }
    }
}

/// A sentence in both languages, with a stable code where a program may want to act on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ArbitrationText)]
pub struct Text {
    pub code: &'static str,
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(code: &'static str, en: impl Into<String>, zh: impl Into<String>) -> Self {
        Text {
            code,
            en: en.into(),
            zh: zh.into(),
        }
    }
}

/// Parses an amount of money as typed: a plain decimal, not negative, at most two decimal places
/// (money is exact: no floats, no exponents).
pub fn parse_amount(field: &str, text: &str) -> Result<Decimal, Error> {
    let t = text.trim();
    let plain = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && t.matches('.').count() <= 1
        && t.rfind('-').is_none_or(|i| i == 0);
    if !plain {
        return Err(Error::invalid(
            field,
            text,
            "not a decimal amount such as 1500000 or 1500000.50",
        ));
    }
    let value = Decimal::from_str(t).map_err(|_| {
        Error::invalid(
            field,
            text,
            "not a decimal amount such as 1500000 or 1500000.50",
        )
    })?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::invalid(field, text, "an amount cannot be negative"));
    }
    let decimals = t.split_once('.').map_or(0, |(_, d)| d.len());
    if decimals > 2 {
        return Err(Error::invalid(field, text, "more than two decimal places"));
    }
    Ok(value)
}

/// Parses a calendar date `YYYY-MM-DD`.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, text, "not a date YYYY-MM-DD"))
}

/// Parses a place code: ISO 3166-1 alpha-2 (HK and MO are their own codes), upper-cased.
pub fn parse_place(field: &str, text: &str) -> Result<String, Error> {
    let t = text.trim().to_ascii_uppercase();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(t)
    } else {
        Err(Error::invalid(
            field,
            text,
            "not a two-letter country code such as CN or SG",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_plain_non_negative_decimals_with_at_most_two_places() {
        assert_eq!(
            parse_amount("--amount", "1500000").unwrap(),
            Decimal::from(1_500_000)
        );
        assert_eq!(parse_amount("--amount", "0.5").unwrap().to_string(), "0.5");
        assert_eq!(
            parse_amount("--amount", "12.34").unwrap().to_string(),
            "12.34"
        );
        for (bad, why) in [
            ("12.345", "more than two decimal places"),
            ("-1", "negative"),
            ("-0.01", "negative"),
            ("1e6", "not a decimal"),
            ("", "not a decimal"),
            ("1,000", "not a decimal"),
            ("1.2.3", "not a decimal"),
            ("NaN", "not a decimal"),
        ] {
            let err = parse_amount("--amount", bad).unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
            assert!(err.starts_with("--amount"), "{err}");
        }
    }

    #[test]
    fn places_are_two_letter_codes() {
        assert_eq!(parse_place("--place", "cn").unwrap(), "CN");
        assert!(parse_place("--place", "China").is_err());
    }
}
