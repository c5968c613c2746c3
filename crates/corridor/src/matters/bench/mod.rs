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

use std::time::Instant;

use crate::db::Store;

mod client;
mod seed;
mod server;

use client::*;
use seed::*;
use server::*;
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
        // Flush what loading the database left unwritten first, so the disk's backlog is not
        // counted against the upload. The upload is written to disk; on a slow disk it runs at
        // the disk's speed (compare `dd if=/dev/zero bs=4M count=256 conv=fsync`).
        let _ = tokio::process::Command::new("sync").status().await;
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
        // An upload is answered once its entry is durable in the log; the outbox rows that
        // record the indices are written right after, so the last batch may lag a moment.
        let mut anchored = count_anchored(&store).await?;
        let deadline = Instant::now() + std::time::Duration::from_secs(10);
        while (anchored as usize) < args.documents && Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            anchored = count_anchored(&store).await?;
        }
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
