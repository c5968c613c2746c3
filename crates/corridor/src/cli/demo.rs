//! `corridor demo`: load the demo data set and print the demo sign-ins.

use crate::config::Settings;
use crate::db::Store;
use crate::demo::{self, Outcome};

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let store = super::open_store(&settings).await?;
    load_and_report(&store).await?;
    store.close().await;
    Ok(())
}

pub async fn load_and_report(store: &Store) -> anyhow::Result<()> {
    match demo::load(store).await? {
        Outcome::Loaded {
            organizations,
            people,
            users,
        } => {
            println!(
                "Loaded demo data: {organizations} organizations, {people} people, {users} users."
            );
        }
        Outcome::NotEmpty => {
            println!(
                "The database already holds data; demo data is loaded only into an empty database."
            );
        }
    }
    print!("{}", demo::credentials_table()?);
    Ok(())
}
