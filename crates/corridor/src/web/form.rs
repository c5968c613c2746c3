//! Helpers the pages of every domain share: htmx requests, GET forms with blank fields, and
//! repeated form fields read as pairs.

use axum::http::{HeaderMap, StatusCode};

use crate::{AppError, Result};

pub fn is_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request")
}

/// Reads a typed query from pairs, dropping empty values so a blank select means "any".
pub fn parse_query<T: serde::de::DeserializeOwned>(raw: &[(String, String)]) -> Result<T> {
    let kept: Vec<&(String, String)> = raw.iter().filter(|(_, v)| !v.trim().is_empty()).collect();
    let text =
        serde_urlencoded::to_string(kept).map_err(|e| AppError::BadRequest(e.to_string()))?;
    serde_urlencoded::from_str(&text).map_err(|e| AppError::Unreadable {
        status: StatusCode::BAD_REQUEST,
        detail: e.to_string(),
    })
}

pub fn all(form: &[(String, String)], key: &str) -> Vec<String> {
    form.iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .collect()
}

/// A day as a date field sends it (`YYYY-MM-DD`), or a 422 naming `field`.
pub fn date(field: &str, text: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field.to_owned(), "date"))
}

pub fn one(form: &[(String, String)], key: &str) -> String {
    form.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// A form's `version` for an optimistic check: missing or unreadable is -1, which matches no
/// stored version, so the change is refused as stale (409) rather than read as new.
pub fn version(form: &[(String, String)]) -> i64 {
    one(form, "version").trim().parse().unwrap_or(-1)
}
