//! `corridor serve`: the whole platform on one address.

use tokio::net::TcpListener;

use crate::app::serve;
use crate::config::Settings;
use crate::state::AppState;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Load the demo data set into an empty database first.
    #[arg(long)]
    pub demo: bool,
}

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let store = super::open_store(&settings).await?;
    if settings.demo {
        super::demo::load_and_report(&store).await?;
    }
    let listener = TcpListener::bind(settings.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(settings = ?settings, "starting");
    println!("Corridor is running at http://{address}/  (Ctrl-C to stop)");
    let state = AppState::open(store.clone(), settings).await?;
    let ledger = state.ledger.clone();
    serve(listener, state, shutdown_signal()).await?;
    if let Some(ledger) = ledger {
        // Finishes the batch in hand, so every acknowledged entry is durable, and gives the
        // writer lock up so another node takes over at once.
        ledger.shutdown().await;
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
