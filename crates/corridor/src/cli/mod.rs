//! The command line: `corridor serve | migrate | demo | user | token | config | verify | enforce |
//! route | plan | search | bench`.
//! One file per subcommand; the flags that locate data are global, so every subcommand finds
//! the same database as the server, also while the server runs.

// arbitration (issue 10): fees, deadlines, conflicts
mod arbitration_out;
pub mod conflicts;
pub mod deadlines;
pub mod fees;

mod bench;
mod bundle;
mod cases;
mod config_cmd;
mod demo;
pub mod enforce;
mod ledger;
mod migrate;
mod notary;
pub mod plan;
pub mod route;
mod search;
mod serve;
mod token;
mod user;
pub mod verify;
mod witness;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{LogFormat, Overrides, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "corridor",
    version,
    about = "Corridor: foreign-related legal services platform"
)]
pub struct Cli {
    /// Settings file (default: ./corridor.toml if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where the SQLite database and files live (default ./corridor-data).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Log lines as text or JSON (to stderr).
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    /// Where documents are kept: a local folder by default, or s3://bucket/prefix.
    #[arg(long, global = true, value_name = "URL")]
    pub files_url: Option<String>,
    /// Largest document upload in MiB (default 100).
    #[arg(long, global = true, value_name = "N")]
    pub upload_limit_mb: Option<u64>,
    /// smtp://host:port for email; without it mail goes to the admins' outbox.
    #[arg(long, global = true, value_name = "URL")]
    pub smtp_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the platform: web pages, API, everything.
    Serve(serve::Args),
    /// Apply pending database migrations.
    Migrate,
    /// Load the demo data set into an empty database and print the demo sign-ins.
    Demo,
    /// Manage users.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Configuration helpers.
    #[command(subcommand)]
    Config(config_cmd::ConfigCommand),
    /// The ledger's key and audit.
    #[command(subcommand)]
    Ledger(ledger::LedgerCommand),
    /// Run a witness that cosigns a log's checkpoints.
    #[command(subcommand)]
    Witness(witness::WitnessCommand),
    /// Verify receipts and proofs offline, with the log's public key.
    #[command(subcommand)]
    Verify(verify::VerifyCommand),
    /// Will an arbitral award or a court judgment be enforced in another place (offline).
    #[command(subcommand)]
    Enforce(enforce::EnforceCommand),
    /// How a public document is made acceptable in another place (offline).
    #[command(subcommand)]
    Route(route::RouteCommand),
    /// A legal-service plan for an outbound project, from its JSON on stdin (offline).
    Plan(plan::PlanArgs),
    /// Search guides, cases, the directory and country profiles; or rebuild the index.
    Search(search::Args),
    /// Portable evidence bundles: create one, anchored in this deployment's ledger.
    #[command(subcommand)]
    Bundle(bundle::BundleCommand),
    /// Notary offices: the eligibility pre-check for overseas remote video notarization
    /// (offline), and the retention purge (crypto-shredding).
    #[command(subcommand)]
    Notary(notary::NotaryCommand),
    /// Benchmarks: the HTTP API on loopback, and search against SQLite FTS5 and PostgreSQL.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Arbitration fees of a schedule, or of every schedule in a currency (offline).
    Fees(fees::FeesArgs),
    /// Time limits of an arbitration's rule set from the event that starts them (offline).
    Deadlines(deadlines::DeadlinesArgs),
    /// Nationality and conflict screens for a proposed arbitrator, JSON on stdin (offline).
    #[command(subcommand)]
    Conflicts(conflicts::ConflictsCommand),
    /// Arbitration cases as a user of the deployment (`--as EMAIL`): the API's JSON on stdin
    /// and stdout.
    Cases(cases::CasesArgs),
}

impl Cli {
    pub fn overrides(&self) -> Overrides {
        let mut o = Overrides {
            config_file: self.config.clone(),
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            log_format: self.log_format,
            files_url: self.files_url.clone(),
            upload_limit_mb: self.upload_limit_mb,
            smtp_url: self.smtp_url.clone(),
            ..Default::default()
        };
        if let Command::Serve(args) = &self.command {
            o.listen = args.listen.clone();
            o.demo = args.demo;
        }
        o
    }

    pub fn settings(&self) -> anyhow::Result<Settings> {
        Settings::load(&self.overrides(), std::env::vars())
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // The offline answers are often piped into `head` or `less`: end quietly when the reader
    // goes away, as Unix tools do. (The server keeps Rust's default: a closed socket must not
    // kill it.)
    if matches!(
        cli.command,
        Command::Verify(_)
            | Command::Enforce(_)
            | Command::Route(_)
            | Command::Notary(_)
            | Command::Fees(_)
            | Command::Deadlines(_)
            | Command::Conflicts(_)
            | Command::Plan(_)
    ) {
        sigpipe::reset();
    }
    // Verification is offline and needs no settings, database or runtime.
    if let Command::Verify(cmd) = cli.command {
        return ExitCode::from(verify::run(cmd));
    }
    // So are the jurisdiction questions: the data is compiled in.
    if let Command::Enforce(cmd) = cli.command {
        return ExitCode::from(enforce::run(cmd));
    }
    if let Command::Route(cmd) = cli.command {
        return ExitCode::from(route::run(cmd));
    }
    if let Command::Notary(cmd) = &cli.command
        && cmd.offline()
    {
        let Command::Notary(cmd) = cli.command else {
            return ExitCode::FAILURE;
        };
        return ExitCode::from(notary::run(cmd));
    }
    // The arbitration engines too (fees, deadlines, screens).
    match cli.command {
        Command::Fees(args) => return ExitCode::from(fees::run(args)),
        Command::Deadlines(args) => return ExitCode::from(deadlines::run(args)),
        Command::Conflicts(cmd) => return ExitCode::from(conflicts::run(cmd)),
        _ => {}
    }
    if let Command::Plan(args) = cli.command {
        return ExitCode::from(plan::run(args));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // A refused input exits 2, as the answering commands do.
        Err(err) if err.downcast_ref::<cases::Refused>().is_some() => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Config(cmd) = &cli.command {
        return config_cmd::run(cmd);
    }
    let settings = cli.settings()?;
    init_logging(settings.log_format);
    match cli.command {
        Command::Serve(_) => serve::run(settings).await,
        Command::Migrate => migrate::run(settings).await,
        Command::Demo => demo::run(settings).await,
        Command::User(cmd) => user::run(settings, cmd).await,
        Command::Token(cmd) => token::run(settings, cmd).await,
        Command::Bench(cmd) => bench::run(settings, cmd).await,
        Command::Search(args) => search::run(settings, args).await,
        Command::Ledger(cmd) => ledger::run(settings, cmd).await,
        Command::Witness(cmd) => witness::run(settings, cmd).await,
        Command::Bundle(cmd) => bundle::run(settings, cmd).await,
        Command::Cases(args) => cases::run(settings, args).await,
        Command::Notary(cmd) => notary::run_online(settings, cmd).await,
        Command::Config(_)
        | Command::Verify(_)
        | Command::Enforce(_)
        | Command::Route(_)
        | Command::Fees(_)
        | Command::Deadlines(_)
        | Command::Conflicts(_)
        | Command::Plan(_) => Ok(()),
    }
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Opens the configured database, creating the data directory first.
pub async fn open_store(settings: &Settings) -> anyhow::Result<crate::db::Store> {
    std::fs::create_dir_all(&settings.data_dir)?;
    crate::db::Store::open(&settings.database_url()).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn data_flags_work_after_any_subcommand() {
        let cli = Cli::try_parse_from([
            "corridor",
            "migrate",
            "--data-dir",
            "/tmp/x",
            "--database-url",
            "sqlite:///tmp/x.db",
        ])
        .unwrap();
        assert_eq!(
            cli.data_dir.as_deref(),
            Some(std::path::Path::new("/tmp/x"))
        );
        assert_eq!(cli.database_url.as_deref(), Some("sqlite:///tmp/x.db"));
    }
}
