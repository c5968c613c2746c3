//! Arbitration's calculators as pages, GET forms (nothing changes, no sign-in):
//! - `/fees`: an amount and a currency, every schedule in that currency with its fee, flat fees,
//!   total, and whether each number is confirmed in its source;
//! - `/deadlines`: a rule set, an event and its date, every time limit it starts, counted as the
//!   rules say, with the closed days a due date was moved over.

use std::collections::BTreeSet;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::deadlines::{self, DeadlineAnswer, DeadlineAsk};
use super::fees::{self, Comparison, Dataset, FeeAnswer};
use super::{Error, Text};
use crate::Result;
use crate::web::extract::Query;
use crate::web::{PageCtx, render};

/// An engine's refusal in words: the form's label for the field (the engine names it as the
/// CLI's flag), the value, and the engine's reason.
fn refused(ctx: &PageCtx, form: &str, field: &str, value: &str, reason: &str) -> String {
    let label = ctx.t(&format!("{form}.field.{}", field.trim_start_matches('-')));
    format!("{label} ({value}): {reason}")
}

pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new()
        .route("/fees", get(page))
        .route("/deadlines", get(deadlines_page))
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
            page.error = Some(refused(&page.ctx, "fees", &field, &value, &reason));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(e.into()),
    };
    Ok((status, render(page)?).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct DeadlineForm {
    pub rules: Option<String>,
    pub event: Option<String>,
    pub date: Option<String>,
    pub place: Option<String>,
}

#[derive(Template)]
#[template(path = "arbitration/deadlines.html")]
struct DeadlinesPage {
    ctx: PageCtx,
    form: DeadlineForm,
    /// (id, name) of every rule set.
    rule_sets: Vec<(String, String)>,
    events: Vec<String>,
    answer: Option<DeadlineAnswer>,
    error: Option<String>,
}

impl DeadlinesPage {
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }

    fn words(&self, t: &Text) -> String {
        self.ctx.pick(&t.zh, &t.en).to_owned()
    }

    fn event(&self, code: &str) -> String {
        self.ctx.t(&format!("deadlines.event.{code}"))
    }
}

async fn deadlines_page(ctx: PageCtx, Query(form): Query<DeadlineForm>) -> Result<Response> {
    let data = deadlines::Dataset::get()?;
    let rule_sets = data
        .rule_sets
        .iter()
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    let asked = form.date.as_deref().is_some_and(|d| !d.trim().is_empty());
    let mut page = DeadlinesPage {
        ctx,
        rule_sets,
        events: deadlines::CORE_EVENTS
            .iter()
            .map(|e| e.to_string())
            .collect(),
        answer: None,
        error: None,
        form,
    };
    if !asked {
        return Ok(render(page)?.into_response());
    }
    let some = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_owned();
    let ask = DeadlineAsk {
        rules: some(&page.form.rules),
        event: some(&page.form.event),
        date: some(&page.form.date),
        place: Some(some(&page.form.place)).filter(|p| !p.is_empty()),
        procedure: None,
        extensions: Vec::new(),
    };
    let status = match deadlines::compute(&ask) {
        Ok(a) => {
            page.answer = Some(a);
            StatusCode::OK
        }
        Err(Error::Invalid {
            field,
            value,
            reason,
        }) => {
            page.error = Some(refused(&page.ctx, "deadlines", &field, &value, &reason));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(e.into()),
    };
    Ok((status, render(page)?).into_response())
}
