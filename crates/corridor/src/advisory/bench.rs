//! `corridor bench advisory`: plan generation per project on one core (target ≤ 1 ms),
//! re-evaluating many plans against a changed library with the diff in memory, and the same
//! with the plans stored: read, re-evaluated, compared and their changes recorded in SQLite and
//! PostgreSQL (`bench_stored.rs`; target 10,000 plans ≤ 5 s).
//!
//! Projects are synthetic and deterministic: every host country × entry mode, with flags and
//! metrics drawn by a fixed pseudo-random sequence so that items, questions and not-applicable
//! branches all occur.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::Value;

use super::library::{JURISDICTIONS, Library};
use super::plan::{Plan, generate};
use super::project::PlanRequest;
use super::vocab::EntryMode;
use super::{Project, ScheduleFees, diff};

#[derive(Debug, clap::Args)]
pub struct AdvisoryBenchArgs {
    /// Plans generated one by one for the per-plan timing.
    #[arg(long, default_value_t = 2_000)]
    pub plans: usize,
    /// Stored plans re-evaluated against the changed library.
    #[arg(long, default_value_t = 10_000)]
    pub stored: usize,
    /// Also run the stored check on PostgreSQL (a server URL; a scratch database is made and
    /// dropped).
    #[arg(long)]
    pub postgres_url: Option<String>,
}

/// A small deterministic generator (no dependency, same numbers on every machine).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The `i`-th synthetic project.
pub fn synthetic_request(lib: &Library, i: usize) -> PlanRequest {
    let mut r = Lcg(i as u64 + 1);
    let hosts = &JURISDICTIONS[1..];
    let country = hosts[i % hosts.len()];
    let mode = EntryMode::ALL[(i / hosts.len()) % EntryMode::ALL.len()];
    let sectors = [
        "C", "C2520", "D351", "F", "G47", "J61", "K6430", "L", "H49", "B06",
    ];
    let mut req = PlanRequest {
        date: Some("2026-12-01".into()),
        country: country.into(),
        entry_mode: mode.code().into(),
        sectors_isic: vec![sectors[r.next() as usize % sectors.len()].into()],
        ownership: Some(if r.chance(30) { "SOE" } else { "private" }.into()),
        ..Default::default()
    };
    for f in &lib.flags {
        match r.next() % 3 {
            0 => req.flags.push(f.clone()),
            1 => req.flags_false.push(f.clone()),
            _ => {}
        }
    }
    for m in &lib.metrics {
        if r.chance(60) {
            req.metrics
                .insert(m.clone(), (r.next() % 1_000_000) as f64 * 1_000.0);
        }
    }
    // Half the projects give a value, so the clause's fee estimate is part of the work.
    if r.chance(50) {
        let currency = ["CNY", "USD", "HKD", "SGD"][r.next() as usize % 4];
        req.value = Some(super::ProjectValue {
            amount: ((r.next() % 1_000_000 + 1) * 1_000).to_string(),
            currency: currency.into(),
        });
    }
    req
}

/// The embedded library with typical edits: a threshold raised, an obligation ended, one
/// removed, one added, a source added. Used by the benchmark and by the diff tests.
pub fn changed_library(lib_json: &str) -> Library {
    let mut v: Value = serde_json::from_str(lib_json).expect("embedded library is JSON");
    v["library_version"] = Value::from("bench-changed");
    let obligations = v["obligations"].as_array_mut().expect("obligations");
    for o in obligations.iter_mut() {
        let id = o["id"].as_str().unwrap_or_default().to_owned();
        if id == "urn:corridor:obl:cn:odi:ndrc-order-11:non-sensitive-filing" {
            o["applies_when"]["thresholds"][0]["value"] = Value::from(500_000_000);
        }
        if id == "urn:corridor:obl:vn:labour:decree-219-2025:work-permits" {
            o["sources"]
                .as_array_mut()
                .expect("sources")
                .push(Value::from("https://example.invalid/added-source"));
        }
        if id == "urn:corridor:obl:th:data:pdpa-2019:breach-notification-72h" {
            o["effective_to"] = Value::from("2026-06-30");
        }
    }
    let added = obligations
        .iter()
        .find(|o| o["id"] == "urn:corridor:obl:cn:sanctions:mofcom-unreliable-entity-list")
        .cloned();
    obligations.retain(|o| {
        o["id"]
            != "urn:corridor:obl:cn:anti-corruption:criminal-law-art-164:foreign-official-bribery"
    });
    if let Some(mut a) = added {
        a["id"] = Value::from("urn:corridor:obl:cn:sanctions:bench-added-obligation");
        obligations.push(a);
    }
    Library::parse(&v.to_string()).expect("changed library parses")
}

pub fn embedded_json() -> &'static str {
    include_str!("../../../../data/advisory/obligations.json")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

pub async fn run(args: AdvisoryBenchArgs) -> anyhow::Result<()> {
    let lib = Library::get()?;
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    let projects = |n: usize| -> anyhow::Result<Vec<Project>> {
        (0..n)
            .map(|i| Ok(synthetic_request(lib, i).check(lib, today)?))
            .collect()
    };
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("corridor bench advisory ({build} build, one thread)");

    let ps = projects(args.plans)?;
    let mut times = Vec::with_capacity(ps.len());
    let (mut items, mut questions) = (0usize, 0usize);
    for p in &ps {
        let t = Instant::now();
        let plan = generate(p, lib, &ScheduleFees);
        times.push(t.elapsed());
        items += plan.sections.iter().map(|s| s.items.len()).sum::<usize>();
        questions += plan.questions.len();
    }
    times.sort();
    let total: Duration = times.iter().sum();
    let n = ps.len().max(1);
    println!(
        "plan generation: {} plans, mean {:.3} ms, p50 {:.3} ms, p99 {:.3} ms (target ≤ 1 ms); {:.1} items and {:.1} questions per plan",
        ps.len(),
        total.as_secs_f64() * 1e3 / n as f64,
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        items as f64 / n as f64,
        questions as f64 / n as f64,
    );

    let stored_projects = projects(args.stored)?;
    let stored: Vec<Plan> = stored_projects
        .iter()
        .map(|p| generate(p, lib, &ScheduleFees))
        .collect();
    let changed = changed_library(embedded_json());
    let t = Instant::now();
    let mut affected = 0usize;
    for (p, old) in stored_projects.iter().zip(&stored) {
        let new = generate(p, &changed, &ScheduleFees);
        if !diff(old, &new).is_empty() {
            affected += 1;
        }
    }
    let elapsed = t.elapsed();
    println!(
        "library change, in memory: {} plans re-evaluated and diffed in {:.3} s; {} plans changed",
        stored.len(),
        elapsed.as_secs_f64(),
        affected
    );

    let mut backends = vec![("sqlite", None)];
    if let Some(pg) = &args.postgres_url {
        backends.push(("postgres", Some(pg.clone())));
    }
    for (backend, server) in backends {
        let dir = std::env::temp_dir().join(format!(
            "corridor-bench-advisory-{}",
            &crate::ids::new_id()[..13]
        ));
        std::fs::create_dir_all(&dir)?;
        let (url, scratch) = match &server {
            None => (
                crate::config::sqlite_url_for(&dir.join("corridor.db")),
                None,
            ),
            Some(server) => {
                let (url, name) =
                    crate::db::testing::create_postgres_database(server, "corridor_bench").await?;
                (url, Some((server.clone(), name)))
            }
        };
        let result = super::bench_stored::run(&url, lib, args.stored, today).await;
        if let Some((server, name)) = scratch {
            crate::db::testing::drop_postgres_database(&server, &name).await?;
        }
        std::fs::remove_dir_all(&dir).ok();
        let (elapsed, check) = result?;
        println!(
            "library change, stored [{backend}]: {} plans read, re-evaluated, compared and their changes recorded in {:.3} s \
             (target ≤ 5 s: {:.2}× the target's speed); {} plans changed",
            check.checked,
            elapsed.as_secs_f64(),
            5.0 / elapsed.as_secs_f64().max(1e-9),
            check.changed
        );
    }
    Ok(())
}
