//! The cross-institution fee estimate as a page (`/fees`): an amount and a currency, every
//! schedule in that currency with its fee, flat fees, total, and whether each number is
//! confirmed in its source. A GET form: nothing changes, no sign-in.

use std::collections::BTreeSet;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::fees::{self, Comparison, Dataset, FeeAnswer};
use super::{Error, Text};
use crate::Result;
use crate::web::extract::Query;
use crate::web::{PageCtx, render};

pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new().route("/fees", get(page))
}

#[derive(Debug, Default, Deserialize)]
pub struct FeeForm {
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub date: Option<String>,
}

#[derive(Template)]
#[template(path = "arbitration/fees.html")]
struct FeesPage {
    ctx: PageCtx,
    form: FeeForm,
    currencies: Vec<String>,
    comparison: Option<Comparison>,
    error: Option<String>,
}

impl FeesPage {
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }

    fn words(&self, t: &Text) -> String {
        self.ctx.pick(&t.zh, &t.en).to_owned()
    }

    fn money(&self, m: &Option<crate::money::Money>) -> String {
        m.map_or_else(|| "—".to_owned(), |m| m.amount_text())
    }

    fn is_currency(&self, c: &str) -> bool {
        self.form.currency.as_deref().unwrap_or("CNY") == c
    }

    fn row_class(&self, a: &FeeAnswer) -> &'static str {
        if a.estimate { "estimate" } else { "confirmed" }
    }
}

async fn page(ctx: PageCtx, Query(form): Query<FeeForm>) -> Result<Response> {
    let currencies: BTreeSet<String> = Dataset::get()
        .map(|d| {
            d.schedules
                .iter()
                .map(|s| s.currency.as_str().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let asked = form.amount.as_deref().is_some_and(|a| !a.trim().is_empty());
    let mut page = FeesPage {
        ctx,
        currencies: currencies.into_iter().collect(),
        comparison: None,
        error: None,
        form,
    };
    if !asked {
        return Ok(render(page)?.into_response());
    }
    let date = page
        .form
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let currency = page.form.currency.clone().unwrap_or_else(|| "CNY".into());
    let amount = page.form.amount.clone().unwrap_or_default();
    let status = match fees::compare(amount.trim(), currency.trim(), date) {
        Ok(c) => {
            page.comparison = Some(c);
            StatusCode::OK
        }
        Err(Error::Invalid {
            field,
            value,
            reason,
        }) => {
            let label = page
                .ctx
                .t(&format!("fees.field.{}", field.trim_start_matches('-')));
            page.error = Some(format!("{label} ({value}): {reason}"));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(e.into()),
    };
    Ok((status, render(page)?).into_response())
}
