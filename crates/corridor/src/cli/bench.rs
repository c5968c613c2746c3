//! `corridor bench http` (see `crate::bench`), `corridor bench search` (see
//! `crate::search::bench`), `corridor bench matters` (see `crate::matters::bench`),
//! `corridor bench notary` (see `crate::notary::bench`), `corridor bench arbitration` (see
//! `crate::arbitration::bench`) and `corridor bench advisory` (see `crate::advisory::bench`).

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
    /// Notary: eligibility checks per second on one core, and `verify bundle` on a 1 GiB
    /// evidence bundle (MB/s, as a ratio of plain SHA-256 over the same bytes).
    Notary(crate::notary::bench::NotaryBenchArgs),
    /// Arbitration screens and deadlines in process: one candidate (p50/p99) and a whole roster
    /// ranked against 1,000,000 past appointments; 100,000 cases' deadlines after a holiday change.
    Arbitration(crate::arbitration::bench::ArbitrationBenchArgs),
    /// Advisory plans (pure): generation per project on one core, and stored plans re-evaluated
    /// and diffed against a changed obligations library.
    Advisory(crate::advisory::bench::AdvisoryBenchArgs),
}

pub async fn run(settings: Settings, cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Http(args) => crate::bench::http(settings, args).await,
        BenchCommand::Search(args) => crate::search::bench::run(args).await,
        BenchCommand::Matters(args) => crate::matters::bench::run(args).await,
        BenchCommand::Notary(args) => crate::notary::bench::run(args).await,
        BenchCommand::Arbitration(args) => crate::arbitration::bench::run(args).await,
        BenchCommand::Advisory(args) => crate::advisory::bench::run(args).await,
    }
}
