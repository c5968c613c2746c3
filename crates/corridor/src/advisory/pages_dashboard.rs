//! The bureau's view as a page (`/bureau`), with server-drawn SVG bar charts, and as CSV
//! (`/bureau/programme.csv`); JSON is `GET /api/v1/programme`. Programme staff only.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::dashboard::{self, Count, Programme};
use super::pages::PlanView;
use crate::Result;
use crate::auth::CurrentUser;
use crate::state::AppState;
use crate::web::{PageCtx, render};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/bureau", get(page))
        .route("/bureau/programme.csv", get(csv))
}

/// One bar of a chart, laid out: the label, the count, and the bar's length in the SVG's units.
pub struct Bar {
    pub label: String,
    pub count: i64,
    pub width: i64,
    pub y: i64,
}

pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub height: i64,
    pub bars: Vec<Bar>,
}

/// Longest bar, in SVG units; labels take the first 150.
const BAR_MAX: i64 = 220;
const ROW: i64 = 22;

fn chart(
    id: &'static str,
    title: String,
    counts: &[Count],
    label: impl Fn(&str) -> String,
) -> Chart {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .map(|(i, c)| Bar {
            label: label(&c.key),
            count: c.count,
            width: (c.count * BAR_MAX / max).max(1),
            y: i as i64 * ROW,
        })
        .collect();
    Chart {
        id,
        title,
        height: (bars.len() as i64 * ROW).max(ROW),
        bars,
    }
}

#[derive(Template)]
#[template(path = "advisory/bureau.html")]
struct BureauPage {
    ctx: PageCtx,
    p: Programme,
    charts: Vec<Chart>,
}

impl PlanView for BureauPage {
    fn ctx(&self) -> &PageCtx {
        &self.ctx
    }
}

impl BureauPage {
    fn hours(&self, h: &Option<f64>) -> String {
        h.map_or_else(|| "—".to_owned(), |h| format!("{h:.1}"))
    }
}

async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
) -> Result<Response> {
    let p = dashboard::programme(&state.store, &actor).await?;
    let sector_names = super::vocab::SECTION_TITLES;
    let charts = vec![
        chart(
            "by-country",
            ctx.t("bureau.by_country"),
            &p.by_country,
            |k| ctx.country(k),
        ),
        chart(
            "by-sector",
            ctx.t("bureau.by_sector"),
            &p.by_sector,
            |k| match sector_names.iter().find(|(letter, _, _)| *letter == k) {
                Some((_, en, zh)) => format!("{k} {}", ctx.pick(zh, en)),
                None => ctx.t("bureau.sector_unknown"),
            },
        ),
        chart("by-stage", ctx.t("bureau.by_stage"), &p.by_stage, |k| {
            ctx.t(&format!("plan.stage.{k}"))
        }),
    ];
    Ok(render(BureauPage { ctx, p, charts })?.into_response())
}

async fn csv(State(state): State<AppState>, CurrentUser(actor): CurrentUser) -> Result<Response> {
    let p = dashboard::programme(&state.store, &actor).await?;
    let text = dashboard::csv(&p)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"programme.csv\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        text,
    )
        .into_response())
}
