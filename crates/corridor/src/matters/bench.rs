//! `corridor bench matters`: the matters targets of issue 9, measured through the real HTTP
//! routes of a `corridor serve` child process on loopback (so its memory is its own):
//!
//! - streaming upload and download of one large generated file to the local document store
//!   (MB/s each way, the server's peak RSS during the transfer);
//! - "my matters" (`GET /api/v1/matters`) for a user in `--mine` of `--matters` matters,
//!   p50/p99 over sequential requests from one client;
//! - many small uploads from concurrent clients, each filed and anchored in the ledger
//!   (documents/s).
//!
//! Data is bulk-loaded with set-based SQL (one statement per table) into a fresh database, on
//! SQLite and, with `--postgres-url`, PostgreSQL in the same run.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, Empty, Full, StreamBody};
use hyper::body::Frame;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;

use crate::auth::OrgRole;
use crate::auth::audit::Who;
use crate::auth::store::NewUser;
use crate::db::{Pool, Store};
use crate::ids::now;

#[derive(Debug, clap::Args)]
pub struct MattersBenchArgs {
    /// Size of the streamed file in MiB (0 skips the transfer).
    #[arg(long, default_value_t = 1024)]
    pub file_mb: u64,
    /// Matters in the database (0 skips "my matters").
    #[arg(long, default_value_t = 1_000_000)]
    pub matters: u64,
    /// Matters the measured user takes part in.
    #[arg(long, default_value_t = 10_000)]
    pub mine: u64,
    /// Requests per "my matters" query (one client, keep-alive).
    #[arg(long, default_value_t = 300)]
    pub requests: usize,
    /// Small documents filed and anchored (0 skips the anchoring run).
    #[arg(long, default_value_t = 5_000)]
    pub documents: usize,
    /// Concurrent clients for the anchoring run.
    #[arg(long, default_value_t = 32)]
    pub clients: usize,
    /// Also run against PostgreSQL: a server URL; a fresh database is created and dropped.
    #[arg(long)]
    pub postgres_url: Option<String>,
}

/// The targets of issue 9.
const TARGET_MBPS: f64 = 300.0;
const TARGET_RSS_MB: f64 = 100.0;
const TARGET_P99_MS: f64 = 20.0;
const TARGET_DOCS_PER_S: f64 = 1000.0;

/// Organizations and users the matters are spread over.
const ORGS: u64 = 1_000;
const USERS: u64 = 10_000;

const BOUNDARY: &str = "corridor-bench-boundary-7MA4YWxkTrZu0gW";

struct Line {
    backend: String,
    what: String,
    value: String,
    target: String,
    /// measured / target, oriented so that ≥ 1.0 meets the target.
    ratio: Option<f64>,
}

pub async fn run(args: MattersBenchArgs) -> anyhow::Result<()> {
    let mut targets = vec![("sqlite".to_string(), None)];
    if let Some(pg) = &args.postgres_url {
        targets.push(("postgres".to_string(), Some(pg.clone())));
    }
    println!(
        "corridor bench matters: {} MiB file; {} matters, the user in {}; {} requests per query; \
         {} documents from {} clients",
        args.file_mb, args.matters, args.mine, args.requests, args.documents, args.clients
    );
    println!(
        "the server is a `corridor serve` child process on 127.0.0.1; the load generator is this \
         process; {} CPUs",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut lines = Vec::new();
    for (backend, pg) in targets {
        let dir = std::env::temp_dir().join(format!(
            "corridor-bench-matters-{}",
            &crate::ids::new_id()[..13]
        ));
        std::fs::create_dir_all(&dir)?;
        let (url, cleanup) = match &pg {
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
        let result = one_backend(&backend, &url, &dir, &args, &mut lines).await;
        if let Some((server, name)) = cleanup {
            crate::db::testing::drop_postgres_database(&server, &name).await?;
        }
        std::fs::remove_dir_all(&dir).ok();
        result?;
    }
    print_table(&lines);
    Ok(())
}

async fn one_backend(
    backend: &str,
    url: &str,
    dir: &std::path::Path,
    args: &MattersBenchArgs,
    lines: &mut Vec<Line>,
) -> anyhow::Result<()> {
    let store = Store::open(url).await?;
    let started = Instant::now();
    let seeded = seed(&store, args.matters, args.mine).await?;
    println!(
        "[{backend}] loaded {} matters, {} participations in {:.1} s",
        seeded.matters,
        seeded.participations,
        started.elapsed().as_secs_f64()
    );
    let server = Child::start(dir, url, args.file_mb).await?;
    let addr = server.addr;
    let mut push = |what: String, value: String, target: String, ratio: Option<f64>| {
        lines.push(Line {
            backend: backend.to_string(),
            what,
            value,
            target,
            ratio,
        })
    };

    if args.matters > 0 && args.requests > 0 {
        let queries: [(&str, &str, &str); 4] = [
            (
                "my matters, first page",
                "/api/v1/matters",
                &seeded.me_token,
            ),
            (
                "my matters ?status=open",
                "/api/v1/matters?status=open",
                &seeded.me_token,
            ),
            (
                "my matters ?role=member",
                "/api/v1/matters?role=member",
                &seeded.me_token,
            ),
            (
                "org admin (staff), first page",
                "/api/v1/matters",
                &seeded.admin_token,
            ),
        ];
        for (name, path, token) in queries {
            let (total, lat) = latencies(addr, path, token, args.requests).await?;
            let p50 = pct(&lat, 0.50);
            let p99 = pct(&lat, 0.99);
            println!(
                "[{backend}] {name:<32} total {total:>6}  p50 {p50:>6.2} ms  p99 {p99:>6.2} ms  \
                 max {:>6.2} ms",
                pct(&lat, 1.0)
            );
            push(
                format!("{name} (total {total}) p50 / p99"),
                format!("{p50:.2} / {p99:.2} ms"),
                format!("p99 ≤ {TARGET_P99_MS} ms"),
                Some(TARGET_P99_MS / p99.max(0.001)),
            );
        }
    }

    if args.file_mb > 0 {
        let size = args.file_mb * 1024 * 1024;
        let block = pattern_block();
        let expected = expected_sha256(&block, size);
        let baseline = server.rss_kb("VmRSS");
        let reset = server.reset_peak();
        let started = Instant::now();
        let doc = upload_large(addr, &seeded.me_token, &seeded.upload_matter, &block, size).await?;
        let up = started.elapsed().as_secs_f64();
        anyhow::ensure!(
            doc.1 == expected,
            "the server stored a different SHA-256 ({} ≠ {expected})",
            doc.1
        );
        let peak_up = server.rss_kb("VmHWM");
        let started = Instant::now();
        download_large(
            addr,
            &seeded.me_token,
            &seeded.upload_matter,
            &doc.0,
            &block,
            size,
        )
        .await?;
        let down = started.elapsed().as_secs_f64();
        let peak = server.rss_kb("VmHWM");
        let mbps = |s: f64| size as f64 / 1e6 / s;
        println!(
            "[{backend}] {} MiB up {:.1} s ({:.0} MB/s), down {:.1} s ({:.0} MB/s); server RSS \
             before {} MB, peak {} MB after upload, {} MB after download{}",
            args.file_mb,
            up,
            mbps(up),
            down,
            mbps(down),
            baseline / 1024,
            peak_up / 1024,
            peak / 1024,
            if reset {
                " (peak reset before the transfer)"
            } else {
                " (peak since start: clear_refs refused)"
            }
        );
        push(
            format!("upload {} MiB (multipart, streamed)", args.file_mb),
            format!("{:.0} MB/s", mbps(up)),
            format!("≥ {TARGET_MBPS} MB/s"),
            Some(mbps(up) / TARGET_MBPS),
        );
        push(
            format!("download {} MiB", args.file_mb),
            format!("{:.0} MB/s", mbps(down)),
            format!("≥ {TARGET_MBPS} MB/s"),
            Some(mbps(down) / TARGET_MBPS),
        );
        push(
            format!(
                "server peak RSS during transfer{}",
                if reset { "" } else { " (since start)" }
            ),
            format!("{:.0} MB", peak as f64 / 1024.0),
            format!("< {TARGET_RSS_MB} MB"),
            Some(TARGET_RSS_MB / (peak as f64 / 1024.0).max(0.001)),
        );
    }

    if args.documents > 0 {
        let started = Instant::now();
        let lat = anchor_many(addr, &seeded, args.documents, args.clients).await?;
        let secs = started.elapsed().as_secs_f64();
        let rate = args.documents as f64 / secs;
        let anchored = count_anchored(&store).await?;
        println!(
            "[{backend}] {} documents filed and anchored in {:.2} s: {:.0}/s, p50 {:.1} ms, p99 \
             {:.1} ms per upload; {anchored} rows carry a ledger index",
            args.documents,
            secs,
            rate,
            pct(&lat, 0.5),
            pct(&lat, 0.99)
        );
        anyhow::ensure!(
            anchored as usize >= args.documents,
            "only {anchored} of {} documents were anchored",
            args.documents
        );
        push(
            format!(
                "anchored documents, {} clients (p99 {:.1} ms)",
                args.clients,
                pct(&lat, 0.99)
            ),
            format!("{rate:.0} /s"),
            format!("≥ {TARGET_DOCS_PER_S} /s"),
            Some(rate / TARGET_DOCS_PER_S),
        );
    }

    server.stop().await;
    store.close().await;
    Ok(())
}

fn print_table(lines: &[Line]) {
    println!();
    println!(
        "| backend  | measurement                                         | result            | target          | ratio  |"
    );
    println!(
        "|----------|-----------------------------------------------------|-------------------|-----------------|--------|"
    );
    for l in lines {
        let ratio = l
            .ratio
            .map(|r| format!("{r:.2}{}", if r >= 1.0 { "" } else { " ✗" }))
            .unwrap_or_default();
        println!(
            "| {:<8} | {:<51} | {:<17} | {:<15} | {:<6} |",
            l.backend, l.what, l.value, l.target, ratio
        );
    }
    println!("(ratio = result / target, oriented so that ≥ 1 meets the target)");
}

fn pct(sorted_ms: &[f64], p: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    sorted_ms[((sorted_ms.len() as f64 - 1.0) * p).round() as usize]
}

// ---------------------------------------------------------------------------------------------
// Synthetic data.

struct Seeded {
    matters: u64,
    participations: u64,
    me_token: String,
    admin_token: String,
    /// A matter of the measured user's, for the large file.
    upload_matter: String,
    /// The measured user's matters, for the small uploads.
    my_matters: Vec<String>,
}

fn matter_id(i: u64) -> String {
    format!("01900000-0000-7000-8000-{i:012}")
}

/// Organizations, users, matters with an owner each, and the measured user in every
/// `matters / mine`-th matter (alternately as owner and member), all by set-based SQL. A second
/// user is org admin of organization 0, which owns `matters / ORGS` matters (the staff branch).
async fn seed(store: &Store, matters: u64, mine: u64) -> anyhow::Result<Seeded> {
    let at = now();
    let mine = mine.min(matters);
    let stride = matters.checked_div(mine).map_or(u64::MAX, |s| s.max(1));
    let orgs = ORGS.min(matters.max(1));
    let users = USERS.min(matters.max(1));
    // (sqlite, postgres): row numbers 0..n as `i`, and zero-padded text of an integer.
    let series_sqlite = |n: u64| {
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < {n}) "
        )
    };
    let pad_sqlite = |e: &str| format!("printf('%012d', {e})");
    let pad_pg = |e: &str| format!("lpad(({e})::text, 12, '0')");
    let org =
        |pad: &dyn Fn(&str) -> String, e: &str| format!("'01900002-0000-7000-8000-' || {}", pad(e));
    let user =
        |pad: &dyn Fn(&str) -> String, e: &str| format!("'01900001-0000-7000-8000-' || {}", pad(e));
    let mat =
        |pad: &dyn Fn(&str) -> String, e: &str| format!("'01900000-0000-7000-8000-' || {}", pad(e));
    let statements = |pg: bool| -> Vec<(u64, String)> {
        let pad: &dyn Fn(&str) -> String = if pg { &pad_pg } else { &pad_sqlite };
        let series = |n: u64, body: String| {
            if pg {
                format!("{body} FROM generate_series(0, {}) AS s(i)", n as i64 - 1)
            } else {
                format!("{}{body} FROM s", series_sqlite(n))
            }
        };
        // SQLite's INSERT takes the WITH before INSERT; PostgreSQL takes it in the SELECT.
        let insert = |table_cols: &str, n: u64, select: String| {
            let sql = if pg {
                format!("INSERT INTO {table_cols} {}", series(n, select))
            } else {
                format!(
                    "{}INSERT INTO {table_cols} {select} FROM s",
                    series_sqlite(n)
                )
            };
            (n, sql)
        };
        vec![
            insert(
                "organizations (id, slug, kind, name_zh, name_en, jurisdiction, is_demo, created_at, updated_at)",
                orgs,
                format!(
                    "SELECT {}, 'bench-org-' || i, 'local_law_firm', '基准律所' || i || '（演示）', \
                     'Bench Firm ' || i || ' (Demo)', 'CN', TRUE, $1, $1",
                    org(pad, "i")
                ),
            ),
            insert(
                "users (id, email, name, password_hash, is_active, created_at)",
                users,
                format!(
                    "SELECT {}, 'bench-user-' || i || '@bench.example', 'Bench User ' || i, '!', TRUE, $1",
                    user(pad, "i")
                ),
            ),
            insert(
                "memberships (user_id, organization_id, role)",
                users,
                format!(
                    "SELECT {}, {}, 'lawyer'",
                    user(pad, "i"),
                    org(pad, &format!("i % {orgs}"))
                ),
            ),
            insert(
                "matters (id, kind, owner_org_id, reference, title, status, created_by, created_at, updated_at)",
                matters,
                format!(
                    "SELECT {}, 'general', {}, 'BENCH-' || i, 'Bench matter ' || i, \
                     CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'open' END, {}, $1, $1",
                    mat(pad, "i"),
                    org(pad, &format!("i % {orgs}")),
                    user(pad, &format!("i % {users}"))
                ),
            ),
            insert(
                "matter_participants (matter_id, user_id, role, added_by, added_at)",
                matters,
                format!(
                    "SELECT {}, {}, 'owner', {}, $1",
                    mat(pad, "i"),
                    user(pad, &format!("i % {users}")),
                    user(pad, &format!("i % {users}"))
                ),
            ),
        ]
    };
    macro_rules! fill {
        ($pool:expr, $pg:expr) => {{
            let mut tx = $pool.begin().await?;
            if !$pg {
                // The random inserts into the participants' indexes thrash SQLite's 2 MB
                // default page cache; this connection is the loader's, not the server's.
                sqlx::query("PRAGMA cache_size = -524288")
                    .execute(&mut *tx)
                    .await?;
            }
            for (_, sql) in statements($pg).into_iter().filter(|(n, _)| *n > 0) {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }};
    }
    match store.pool() {
        Pool::Sqlite(pool) => fill!(pool, false),
        Pool::Postgres(pool) => fill!(pool, true),
    }
    // The measured user and the org admin, through the ordinary code path.
    let org0 = format!("01900002-0000-7000-8000-{:012}", 0);
    let me = store
        .add_user(
            &Who::cli(),
            NewUser {
                email: "me@bench.example",
                name: "Bench Me",
                password: "bench-password-not-used",
                platform_role: None,
                memberships: vec![(
                    format!("01900002-0000-7000-8000-{:012}", 1 % orgs),
                    OrgRole::Lawyer,
                )],
            },
        )
        .await?;
    let admin = store
        .add_user(
            &Who::cli(),
            NewUser {
                email: "admin@bench.example",
                name: "Bench Admin",
                password: "bench-password-not-used",
                platform_role: None,
                memberships: vec![(org0, OrgRole::OrgAdmin)],
            },
        )
        .await?;
    let my_matters: Vec<String> = if matters == 0 {
        Vec::new()
    } else {
        (0..mine).map(|k| matter_id(k * stride)).collect()
    };
    macro_rules! mine {
        ($pool:expr) => {{
            let mut tx = $pool.begin().await?;
            for (k, id) in my_matters.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO matter_participants (matter_id, user_id, role, added_by, added_at) \
                     VALUES ($1, $2, $3, $2, $4)",
                )
                .bind(id)
                .bind(&me)
                .bind(if k % 2 == 0 { "owner" } else { "member" })
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }};
    }
    match store.pool() {
        Pool::Sqlite(pool) => mine!(pool),
        Pool::Postgres(pool) => {
            mine!(pool);
            // What autovacuum would have done by the time a database holds this much (the
            // visibility map lets index-only scans skip the heap).
            sqlx::query("VACUUM ANALYZE").execute(pool).await?;
        }
    }
    // Without seeded matters, the transfer and the anchoring need one matter of the user's.
    let (upload_matter, my_matters) = if my_matters.is_empty() {
        let org1 = format!("01900002-0000-7000-8000-{:012}", 1 % orgs);
        let id = store
            .create_matter(
                &Who::cli(),
                &me,
                crate::matters::kind::MatterKind::General,
                &org1,
                "bench-org-1",
                "Bench upload",
            )
            .await?;
        (id.clone(), vec![id])
    } else {
        (my_matters[0].clone(), my_matters)
    };
    Ok(Seeded {
        matters: matters.max(1),
        participations: matters + mine,
        me_token: store.create_token(&Who::cli(), &me, "bench").await?.1,
        admin_token: store.create_token(&Who::cli(), &admin, "bench").await?.1,
        upload_matter,
        my_matters,
    })
}

async fn count_anchored(store: &Store) -> anyhow::Result<i64> {
    let sql = "SELECT COUNT(*) FROM matter_documents WHERE ledger_index IS NOT NULL";
    Ok(match store.pool() {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
        Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
    })
}

// ---------------------------------------------------------------------------------------------
// The server under test: `corridor serve` as a child process.

struct Child {
    child: tokio::process::Child,
    addr: SocketAddr,
    pid: u32,
}

impl Child {
    async fn start(dir: &std::path::Path, url: &str, file_mb: u64) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let mut child = tokio::process::Command::new(exe)
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(dir)
            .args(["--database-url", url])
            .args(["--upload-limit-mb", &(file_mb + 1).to_string()])
            // Search is not under test; a large upload takes longer than the default timeout
            // on a slow disk.
            .env("CORRIDOR_SEARCH_ENABLED", "false")
            .env("CORRIDOR_REQUEST_TIMEOUT_SECS", "3600")
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let pid = child.id().unwrap_or(0);
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = tokio::time::timeout(Duration::from_secs(120), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(rest) = line.split("http://").nth(1)
                    && let Some(addr) = rest.split('/').next()
                {
                    return Ok::<_, anyhow::Error>(addr.parse::<SocketAddr>()?);
                }
            }
            anyhow::bail!("the server exited before listening")
        })
        .await
        .map_err(|_| anyhow::anyhow!("the server did not start within 120 s"))??;
        // Keep draining its stdout so it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self { child, addr, pid })
    }

    /// A line of `/proc/<pid>/status` in KiB (`VmRSS`, `VmHWM`); 0 where unavailable.
    fn rss_kb(&self, field: &str) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(field))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    }

    /// Resets the peak RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux ≥ 4.0).
    fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5").is_ok()
    }

    async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

// ---------------------------------------------------------------------------------------------
// The client.

type Sender<B> = hyper::client::conn::http1::SendRequest<B>;

async fn connect<B>(addr: SocketAddr) -> anyhow::Result<Sender<B>>
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    Ok(sender)
}

/// Sequential GETs on one keep-alive connection after a short warm-up; latencies in ms,
/// sorted, and the `total` of the last answer.
async fn latencies(
    addr: SocketAddr,
    path: &str,
    token: &str,
    requests: usize,
) -> anyhow::Result<(i64, Vec<f64>)> {
    let mut sender = connect::<Empty<Bytes>>(addr).await?;
    let mut lat = Vec::with_capacity(requests);
    let mut total = 0;
    for n in 0..requests + 10.min(requests) {
        let request = hyper::Request::get(path)
            .header("host", "bench")
            .header("authorization", format!("Bearer {token}"))
            .body(Empty::new())?;
        sender.ready().await?;
        let start = Instant::now();
        let response = sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        anyhow::ensure!(
            status.is_success(),
            "GET {path}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        if n >= 10.min(requests) {
            lat.push(elapsed);
        }
        if n == 0 {
            let page: serde_json::Value = serde_json::from_slice(&body)?;
            total = page["total"].as_i64().unwrap_or(0);
            anyhow::ensure!(
                page["items"].as_array().is_some_and(|a| !a.is_empty()),
                "GET {path}: no items"
            );
        }
    }
    lat.sort_by(f64::total_cmp);
    Ok((total, lat))
}

/// 1 MiB of deterministic pseudo-random bytes (xorshift); the file repeats it.
fn pattern_block() -> Bytes {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut block = Vec::with_capacity(1 << 20);
    while block.len() < 1 << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        block.extend_from_slice(&x.to_le_bytes());
    }
    Bytes::from(block)
}

/// The SHA-256 the server must report (computed before the clock starts).
fn expected_sha256(block: &Bytes, size: u64) -> String {
    let mut hasher = Sha256::new();
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        hasher.update(&block[..n]);
        left -= n as u64;
    }
    hex::encode(hasher.finalize())
}

fn multipart_head(file_name: &str) -> String {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"role\"\r\n\r\ndocument\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
}

fn multipart_tail() -> String {
    format!("\r\n--{BOUNDARY}--\r\n")
}

fn upload_request<B>(
    matter: &str,
    token: &str,
    length: u64,
    body: B,
) -> anyhow::Result<hyper::Request<B>> {
    Ok(
        hyper::Request::post(format!("/api/v1/matters/{matter}/documents"))
            .header("host", "bench")
            .header("authorization", format!("Bearer {token}"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header("content-length", length)
            .body(body)?,
    )
}

/// Posts the document answer's (id, sha256).
async fn filed(
    response: hyper::Response<hyper::body::Incoming>,
) -> anyhow::Result<(String, String)> {
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    anyhow::ensure!(
        status == hyper::StatusCode::CREATED,
        "upload: {status} {}",
        String::from_utf8_lossy(&body)
    );
    let doc: serde_json::Value = serde_json::from_slice(&body)?;
    Ok((
        doc["id"].as_str().unwrap_or_default().to_string(),
        doc["sha256"].as_str().unwrap_or_default().to_string(),
    ))
}

/// Streams `size` bytes of the repeated block as a multipart upload; nothing larger than the
/// block is ever held.
async fn upload_large(
    addr: SocketAddr,
    token: &str,
    matter: &str,
    block: &Bytes,
    size: u64,
) -> anyhow::Result<(String, String)> {
    const CHUNK: usize = 256 * 1024;
    let head = Bytes::from(multipart_head("bench.bin"));
    let tail = Bytes::from(multipart_tail());
    let length = head.len() as u64 + size + tail.len() as u64;
    let block = block.clone();
    let chunks = futures_util::stream::unfold(0u64, move |sent| {
        let block = block.clone();
        async move {
            if sent >= size {
                return None;
            }
            let offset = (sent % block.len() as u64) as usize;
            let n = ((size - sent) as usize)
                .min(CHUNK)
                .min(block.len() - offset);
            Some((block.slice(offset..offset + n), sent + n as u64))
        }
    });
    let frames = futures_util::stream::once(async move { head })
        .chain(chunks)
        .chain(futures_util::stream::once(async move { tail }))
        .map(|b| Ok::<_, Infallible>(Frame::data(b)));
    let mut sender = connect::<StreamBody<_>>(addr).await?;
    let request = upload_request(matter, token, length, StreamBody::new(frames))?;
    sender.ready().await?;
    filed(sender.send_request(request).await?).await
}

/// Downloads the content and checks every byte against the pattern as it arrives.
async fn download_large(
    addr: SocketAddr,
    token: &str,
    matter: &str,
    doc: &str,
    block: &Bytes,
    size: u64,
) -> anyhow::Result<()> {
    let mut sender = connect::<Empty<Bytes>>(addr).await?;
    let request = hyper::Request::get(format!("/api/v1/matters/{matter}/documents/{doc}/content"))
        .header("host", "bench")
        .header("authorization", format!("Bearer {token}"))
        .body(Empty::new())?;
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    anyhow::ensure!(
        response.status().is_success(),
        "download: {}",
        response.status()
    );
    let mut body = response.into_body();
    let mut at: u64 = 0;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else {
            continue;
        };
        let mut rest = &data[..];
        while !rest.is_empty() {
            let offset = (at % block.len() as u64) as usize;
            let n = rest.len().min(block.len() - offset);
            anyhow::ensure!(
                rest[..n] == block[offset..offset + n],
                "download: content differs near byte {at}"
            );
            rest = &rest[n..];
            at += n as u64;
        }
    }
    anyhow::ensure!(at == size, "download: {at} bytes of {size}");
    Ok(())
}

/// `documents` small uploads (1 KiB, each different) from `clients` keep-alive connections,
/// spread over the user's matters; latencies in ms, sorted.
async fn anchor_many(
    addr: SocketAddr,
    seeded: &Seeded,
    documents: usize,
    clients: usize,
) -> anyhow::Result<Vec<f64>> {
    let next = Arc::new(AtomicUsize::new(0));
    let matters = Arc::new(seeded.my_matters.clone());
    let token = Arc::new(seeded.me_token.clone());
    let run = crate::ids::new_id();
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let next = next.clone();
        let matters = matters.clone();
        let token = token.clone();
        let run = run.clone();
        tasks.push(tokio::spawn(async move {
            let mut sender = connect::<Full<Bytes>>(addr).await?;
            let mut lat = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= documents {
                    break;
                }
                let mut body = multipart_head(&format!("note-{n}.txt")).into_bytes();
                let line = format!("bench run {run}, document {n}\n");
                while body.len() < 1024 {
                    body.extend_from_slice(line.as_bytes());
                }
                body.extend_from_slice(multipart_tail().as_bytes());
                let matter = &matters[n % matters.len()];
                let request = upload_request(
                    matter,
                    &token,
                    body.len() as u64,
                    Full::new(Bytes::from(body)),
                )?;
                let start = Instant::now();
                sender.ready().await?;
                filed(sender.send_request(request).await?).await?;
                lat.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut all = Vec::with_capacity(documents);
    for task in tasks {
        all.extend(task.await??);
    }
    all.sort_by(f64::total_cmp);
    Ok(all)
}
