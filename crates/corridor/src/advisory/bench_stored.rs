//! The stored part of `corridor bench advisory`: after a library change, every stored plan
//! re-evaluated, compared with the accepted one and its changes recorded, in a real database
//! (target: 10,000 plans ≤ 5 s on SQLite and on PostgreSQL). This is exactly what a server runs
//! at start after an upgrade ([`super::library_check::check_against_library`]).
//!
//! The accepted plans are made by [`super::bench::changed_library`] standing in for the older
//! library, and loaded in one transaction; the check then runs against the embedded library.

use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::bench::{changed_library, embedded_json, synthetic_request};
use super::library::Library;
use super::library_check::{LibraryCheck, check_against_library};
use super::{ScheduleFees, generate};
use crate::db::{Store, transaction};
use crate::ids::{new_id, now};

/// Loads `n` projects whose accepted plans the changed library made, then times the check.
pub async fn run(
    url: &str,
    lib: &Library,
    n: usize,
    today: NaiveDate,
) -> anyhow::Result<(Duration, LibraryCheck)> {
    let store = Store::open(url).await?;
    let older = changed_library(embedded_json());
    let org = new_id();
    let user = new_id();
    let at = now();
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let request = synthetic_request(lib, i);
        let project = request.check(&older, today)?;
        let plan = serde_json::to_string(&generate(&project, &older, &ScheduleFees))?;
        rows.push((request, plan));
    }
    transaction!(store, |tx| {
        sqlx::query(
            "INSERT INTO organizations (id, slug, kind, name_zh, name_en, jurisdiction, is_demo, created_at, updated_at) \
             VALUES ($1, 'bench-enterprise', 'enterprise', '基准企业（演示）', 'Bench Enterprise (Demo)', 'CN', TRUE, $2, $2)",
        )
        .bind(&org)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, is_active, created_at) \
             VALUES ($1, 'bench@enterprise.example', 'Bench', '!', TRUE, $2)",
        )
        .bind(&user)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        for (i, (request, plan)) in rows.iter().enumerate() {
            sqlx::query(
                "INSERT INTO advisory_projects (id, org_id, title, country, entry_mode, stage, \
                 value_amount, value_currency, answers, library_version, plan, plan_date, \
                 checked_library, changes, version, created_by, created_at, updated_at, sector) \
                 VALUES ($1, $2, $3, $4, $5, 'exploring', NULL, NULL, $6, $7, $8, $9, $7, NULL, 1, $10, $11, $11, '')",
            )
            .bind(new_id())
            .bind(&org)
            .bind(format!("Bench project {i}"))
            .bind(&request.country)
            .bind(&request.entry_mode)
            .bind(serde_json::to_string(request)?)
            .bind(&older.version)
            .bind(plan)
            .bind(today.to_string())
            .bind(&user)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
    });
    let started = Instant::now();
    let checked = check_against_library(&store, today).await?;
    let elapsed = started.elapsed();
    store.close().await;
    Ok((elapsed, checked))
}
