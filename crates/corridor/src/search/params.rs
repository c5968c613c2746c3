//! The search parameters of `GET /api/v1/search` and the `/search` page: one query-string
//! shape, read by both front ends.

use serde::Deserialize;
use utoipa::IntoParams;

use super::query::{RawFilters, parse};
use crate::Result;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words in Chinese and/or English, `"exact phrases"`, and filters such as `type:case`,
    /// `country:ID`, `sector:construction`, `year:2024`, `lang:zh`, `title:仲裁`.
    pub q: Option<String>,
    /// `guide`, `case`, `organization`, `person`, `country`; several separated by commas.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-2 codes, comma-separated.
    pub country: Option<String>,
    pub sector: Option<String>,
    /// `zh` or `en`.
    pub lang: Option<String>,
    pub year: Option<String>,
    /// 1-based; results past the 1,000th are not served (`(page - 1) * per_page <= 1000`).
    #[param(minimum = 1, maximum = 101)]
    pub page: Option<u32>,
    /// 1–50, default 10.
    #[param(minimum = 1, maximum = 50)]
    pub per_page: Option<u32>,
}

impl SearchParams {
    pub fn request(&self) -> Result<super::SearchRequest> {
        let (limit, offset) = super::paging(self.page, self.per_page)?;
        parse(
            self.q.as_deref().unwrap_or_default(),
            RawFilters::from_options(
                &self.kind,
                &self.country,
                &self.sector,
                &self.lang,
                &self.year,
            ),
            limit,
            offset,
        )
    }
}
