//! `corridor migrate`: bring the database schema up to date.

use crate::config::Settings;

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let store = super::open_store(&settings).await?;
    store.close().await;
    println!(
        "database is up to date ({})",
        crate::db::redact_url(&settings.database_url())
    );
    Ok(())
}
