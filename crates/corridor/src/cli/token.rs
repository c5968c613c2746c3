//! `corridor token create`: issue an API token for a user; the token is the last line printed.

use crate::auth::audit::Who;
use crate::config::Settings;

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create an API token; it is printed once, as the last line.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

pub async fn run(settings: Settings, cmd: TokenCommand) -> anyhow::Result<()> {
    let TokenCommand::Create { email, name } = cmd;
    let store = super::open_store(&settings).await?;
    let user_id = store
        .user_id_by_email(&email)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.info().message("en")))?
        .ok_or_else(|| anyhow::anyhow!("no user with email {email}"))?;
    let (id, token) = store
        .create_token(&Who::cli(), &user_id, &name)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.info().message("en")))?;
    store.close().await;
    eprintln!("created token {id} for {email}; it is shown only once:");
    println!("{token}");
    Ok(())
}
