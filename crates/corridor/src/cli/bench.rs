//! `corridor bench http`: see `crate::bench`.

use crate::config::Settings;

#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Load a large synthetic directory and drive the HTTP API on loopback.
    Http(crate::bench::HttpArgs),
}

pub async fn run(settings: Settings, cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Http(args) => crate::bench::http(settings, args).await,
    }
}
