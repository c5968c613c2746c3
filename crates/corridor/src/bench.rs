//! `corridor bench http`: loads a synthetic directory (10,000 organizations and 50,000 people by
//! default) into a fresh database, starts the real server on loopback, and drives it with a
//! keep-alive load generator in the same process. Reports requests/s and latency percentiles
//! per scenario, on SQLite and, with `--postgres-url`, on PostgreSQL in the same run.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use tokio::net::{TcpListener, TcpStream};

use crate::app::serve;
use crate::config::Settings;
use crate::db::{Pool, Store};
use crate::ids::{new_id, now};
use crate::state::AppState;

#[derive(Debug, clap::Args)]
pub struct HttpArgs {
    #[arg(long, default_value_t = 10_000)]
    pub orgs: usize,
    #[arg(long, default_value_t = 50_000)]
    pub people: usize,
    /// Seconds per scenario.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 32)]
    pub connections: usize,
    /// Also run against PostgreSQL: a server URL; a fresh database is created and dropped.
    #[arg(long)]
    pub postgres_url: Option<String>,
}

const COUNTRIES: [&str; 12] = [
    "VN", "TH", "ID", "MY", "SG", "PH", "KH", "LA", "MM", "BN", "CN", "HK",
];
const KINDS: [&str; 4] = [
    "local_law_firm",
    "foreign_law_firm",
    "notary_office",
    "enterprise",
];
const AREAS: [&str; 6] = [
    "trade",
    "maritime",
    "ip",
    "tax",
    "construction",
    "dispute_resolution",
];

pub async fn http(_settings: Settings, args: HttpArgs) -> anyhow::Result<()> {
    let dir = tempfile_dir()?;
    let sqlite_url = crate::config::sqlite_url_for(&dir.join("bench.db"));
    let mut targets = vec![("sqlite".to_string(), sqlite_url, None)];
    if let Some(pg) = &args.postgres_url {
        let (url, name) =
            crate::db::testing::create_postgres_database(pg, "corridor_bench").await?;
        targets.push(("postgres".to_string(), url, Some((pg.clone(), name))));
    }
    println!(
        "corridor bench http: {} organizations, {} people, {} connections, {} s per scenario",
        args.orgs, args.people, args.connections, args.duration
    );
    for (backend, url, cleanup) in targets {
        let store = Store::open(&url).await?;
        let started = Instant::now();
        seed(&store, args.orgs, args.people).await?;
        println!(
            "[{backend}] loaded in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        // The same server twice: without and with the per-node read cache, so the report shows
        // what the database path alone delivers and what the cache adds.
        for cache_secs in [0, 2] {
            let settings = Settings {
                read_cache_secs: cache_secs,
                ledger_enabled: false,
                ..Settings::default()
            };
            let listener = TcpListener::bind("127.0.0.1:0").await?;
            let addr = listener.local_addr()?;
            let state = AppState::new(store.clone(), settings);
            let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
            let server = tokio::spawn(serve(listener, state, async {
                let _ = stop_rx.await;
            }));
            let mode = if cache_secs == 0 { "no cache" } else { "cache" };
            for scenario in scenarios(args.orgs) {
                let report = drive(
                    addr,
                    &scenario,
                    args.connections,
                    Duration::from_secs(args.duration),
                )
                .await?;
                println!("[{backend}, {mode:<8}] {:<48} {report}", scenario.name);
            }
            let _ = stop_tx.send(());
            server.await??;
        }
        store.close().await;
        if let Some((server_url, name)) = cleanup {
            crate::db::testing::drop_postgres_database(&server_url, &name).await?;
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("corridor-bench-{}", &new_id()[..13]));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

struct Scenario {
    name: &'static str,
    paths: Vec<String>,
}

fn scenarios(orgs: usize) -> Vec<Scenario> {
    vec![
        Scenario {
            name: "GET /api/v1/organizations?country=CC",
            paths: COUNTRIES
                .iter()
                .map(|c| format!("/api/v1/organizations?country={c}"))
                .collect(),
        },
        Scenario {
            name: "GET /api/v1/organizations?practice_area&language",
            paths: AREAS
                .iter()
                .map(|a| {
                    format!("/api/v1/organizations?practice_area={a}&language=en&sort=-updated")
                })
                .collect(),
        },
        Scenario {
            name: "GET /organizations/{slug} (profile page)",
            paths: (0..200)
                .map(|i| format!("/organizations/bench-org-{}", (i * 7919) % orgs.max(1)))
                .collect(),
        },
        Scenario {
            name: "GET /directory?country=CC (search page)",
            paths: COUNTRIES
                .iter()
                .map(|c| format!("/directory?country={c}"))
                .collect(),
        },
    ]
}

/// Inserts the synthetic directory in a few large transactions.
async fn seed(store: &Store, orgs: usize, people: usize) -> anyhow::Result<()> {
    let at = now();
    let org_ids: Vec<String> = (0..orgs).map(|_| new_id()).collect();
    macro_rules! fill {
        ($pool:expr) => {{
            let mut tx = $pool.begin().await?;
            for (i, id) in org_ids.iter().enumerate() {
                let country = COUNTRIES[i % COUNTRIES.len()];
                sqlx::query(
                    "INSERT INTO organizations (id, slug, kind, name_zh, name_en, jurisdiction, city_en, city_zh, \
                     description_en, is_demo, created_at, updated_at, languages, practice_areas) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, $10, $10, $11, $12)",
                )
                .bind(id)
                .bind(format!("bench-org-{i}"))
                .bind(KINDS[i % KINDS.len()])
                .bind(format!("基准机构{i}（演示）"))
                .bind(format!("Bench Organization {i} (Demo)"))
                .bind(country)
                .bind("City")
                .bind("城市")
                .bind("A synthetic organization for load testing.")
                .bind(at)
                .bind("[\"en\",\"zh\"]")
                .bind(format!("[\"{}\"]", AREAS[i % AREAS.len()]))
                .execute(&mut *tx)
                .await?;
                let tags = [("language", "en"), ("language", "zh"), ("practice_area", AREAS[i % AREAS.len()])];
                let name_en = format!("Bench Organization {i} (Demo)");
                if let Some(rows) = crate::directory::tag_rows(id, &tags, &name_en, at) {
                    let q = sqlx::query(sqlx::AssertSqlSafe(rows.text.clone()));
                    crate::db::bind_params!(q, &rows.params).execute(&mut *tx).await?;
                }
            }
            for i in 0..people {
                let id = new_id();
                sqlx::query(
                    "INSERT INTO people (id, slug, profession, name_zh, name_en, organization_id, based_in, is_demo, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $8)",
                )
                .bind(&id)
                .bind(format!("bench-person-{i}"))
                .bind(["lawyer", "arbitrator", "notary"][i % 3])
                .bind(format!("基准人员{i}"))
                .bind(format!("Bench Person {i}"))
                .bind(&org_ids[i % org_ids.len().max(1)])
                .bind(COUNTRIES[i % COUNTRIES.len()])
                .bind(at)
                .execute(&mut *tx)
                .await?;
                sqlx::query("INSERT INTO person_tags (person_id, facet, value) VALUES ($1, 'language', 'en')")
                    .bind(&id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }};
    }
    match store.pool() {
        Pool::Sqlite(pool) => fill!(pool),
        Pool::Postgres(pool) => {
            fill!(pool);
            // What autovacuum does to a live database soon after a load: statistics, and the
            // visibility map that lets a count be answered from an index alone.
            sqlx::query("VACUUM ANALYZE").execute(pool).await?;
        }
    }
    Ok(())
}

struct Report {
    requests: usize,
    errors: usize,
    seconds: f64,
    latencies_us: Vec<u32>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |p: f64| -> f64 {
            if self.latencies_us.is_empty() {
                return 0.0;
            }
            let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
            self.latencies_us[i] as f64 / 1000.0
        };
        write!(
            f,
            "{:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms  ({} requests, {} errors)",
            self.requests as f64 / self.seconds,
            pct(0.50),
            pct(0.99),
            pct(1.0),
            self.requests,
            self.errors
        )
    }
}

async fn drive(
    addr: std::net::SocketAddr,
    scenario: &Scenario,
    connections: usize,
    duration: Duration,
) -> anyhow::Result<Report> {
    let stop = Arc::new(AtomicBool::new(false));
    let paths = Arc::new(scenario.paths.clone());
    let mut tasks = Vec::new();
    for c in 0..connections {
        let stop = stop.clone();
        let paths = paths.clone();
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            let (mut sender, conn) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
            tokio::spawn(conn);
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let mut i = c;
            while !stop.load(Ordering::Relaxed) {
                let path = &paths[i % paths.len()];
                i += 1;
                let request = hyper::Request::get(path.as_str())
                    .header("host", "bench")
                    .body(Empty::<Bytes>::new())?;
                let start = Instant::now();
                let response = sender.send_request(request).await?;
                let ok = response.status().is_success();
                response.into_body().collect().await?;
                latencies.push(start.elapsed().as_micros().min(u32::MAX as u128) as u32);
                if !ok {
                    errors += 1;
                }
            }
            Ok::<_, anyhow::Error>((latencies, errors))
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut latencies_us = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (l, e) = task.await??;
        latencies_us.extend(l);
        errors += e;
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies_us.sort_unstable();
    Ok(Report {
        requests: latencies_us.len(),
        errors,
        seconds,
        latencies_us,
    })
}
