//! The HTTP pieces the JSON API and the pages share: a guide's address (`/guides/{cc}?lang=`)
//! and the case library's filter parameters. Neither front end imports the other.

use serde::Deserialize;
use utoipa::IntoParams;

use super::case::ENFORCEMENT_RESULTS;
use super::guide::LANGS;
use super::store::{CaseFilter, Guide};
use crate::search::query::SECTORS;
use crate::state::AppState;
use crate::{AppError, Result};

/// Checks `cc` and `lang` as they appear in a guide's address.
pub fn guide_key(cc: &str, lang: &str) -> Result<(String, String)> {
    let cc = cc.to_ascii_uppercase();
    if crate::reference::Reference::get().country(&cc).is_none() {
        return Err(AppError::NotFound);
    }
    let lang = LANGS
        .iter()
        .find(|l| {
            l.eq_ignore_ascii_case(lang) || (lang.eq_ignore_ascii_case("zh") && **l == "zh-CN")
        })
        .ok_or(AppError::NotFound)?;
    Ok((cc, lang.to_string()))
}

/// The guide at `cc`/`lang` as they appear in an address; 404 for an unknown country,
/// language or guide.
pub async fn find_guide(state: &AppState, cc: &str, lang: &str) -> Result<Guide> {
    let (cc, lang) = guide_key(cc, lang)?;
    state
        .store
        .guide(&cc, &lang)
        .await?
        .ok_or(AppError::NotFound)
}

pub fn guide_url(country: &str, lang: &str) -> String {
    format!("/guides/{}?lang={lang}", country.to_lowercase())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseParams {
    /// e.g. `construction`.
    pub sector: Option<String>,
    /// Cases that touch this country (parties, seat or enforcement).
    pub country: Option<String>,
    /// Cases whose award or judgment was taken to this country for enforcement.
    pub enforced_in: Option<String>,
    /// With `enforced_in`: `enforced`, `refused`, `partially_enforced`, `pending`.
    pub result: Option<String>,
    /// `true` for demo cases only, `false` for real ones only.
    pub demo: Option<bool>,
}

impl CaseParams {
    pub fn filter(&self) -> Result<CaseFilter> {
        let country = |field: &'static str, v: &Option<String>| -> Result<Option<String>> {
            match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => {
                    let cc = v.to_ascii_uppercase();
                    crate::reference::Reference::get()
                        .country(&cc)
                        .map(|_| Some(cc))
                        .ok_or_else(|| AppError::invalid(field, "unknown_country"))
                }
            }
        };
        let one_of =
            |field: &'static str, v: &Option<String>, allowed: &[&str]| -> Result<Option<String>> {
                match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                    None => Ok(None),
                    Some(v) if allowed.contains(&v) => Ok(Some(v.to_string())),
                    Some(_) => Err(AppError::invalid(field, "unknown_value")),
                }
            };
        if self.result.is_some()
            && self
                .enforced_in
                .as_deref()
                .is_none_or(|v| v.trim().is_empty())
        {
            // A result means "the result of enforcement in a country": without the country it
            // would silently filter nothing.
            return Err(AppError::invalid("result", "case_result_needs_country"));
        }
        Ok(CaseFilter {
            sector: one_of("sector", &self.sector, SECTORS)?,
            country: country("country", &self.country)?,
            enforced_in: country("enforced_in", &self.enforced_in)?,
            result: one_of("result", &self.result, ENFORCEMENT_RESULTS)?,
            demo: self.demo,
        })
    }
}
