//! `corridor bench http` (see `crate::bench`), `corridor bench search` (see
//! `crate::search::bench`), `corridor bench matters` (see `crate::matters::bench`) and
//! `corridor bench advisory` (see `crate::advisory::bench`).

use crate::config::Settings;

#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Load a large synthetic directory and drive the HTTP API on loopback.
    Http(crate::bench::HttpArgs),
    /// Corridor's search against SQLite FTS5 and PostgreSQL full-text search on a synthetic
    /// bilingual corpus: indexing rate, p50/p99 latency, recall@10.
    Search(crate::search::bench::SearchBenchArgs),
    /// Matters through a `corridor serve` child: a large file streamed up and down (MB/s,
    /// server RSS), "my matters" among many (p50/p99), anchored documents per second.
    Matters(crate::matters::bench::MattersBenchArgs),
    /// Advisory plans (pure): generation per project on one core, and stored plans re-evaluated
    /// and diffed against a changed obligations library.
    Advisory(crate::advisory::bench::AdvisoryBenchArgs),
}

pub async fn run(settings: Settings, cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Http(args) => crate::bench::http(settings, args).await,
        BenchCommand::Search(args) => crate::search::bench::run(args).await,
        BenchCommand::Matters(args) => crate::matters::bench::run(args).await,
        BenchCommand::Advisory(args) => crate::advisory::bench::run(args).await,
    }
}
