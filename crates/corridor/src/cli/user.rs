//! `corridor user add`: create a user without a browser (the password comes on stdin).

use std::io::Read;

use crate::auth::audit::Who;
use crate::auth::store::NewUser;
use crate::auth::{OrgRole, PlatformRole};
use crate::config::Settings;

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a user. With --org, --role is a role in that organization; without it, a platform
    /// role (platform_admin, bureau_officer).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Organization slug or id the user belongs to.
        #[arg(long)]
        org: Option<String>,
        /// org_admin, lawyer, arbitrator, case_secretary, notary, enterprise_staff;
        /// or platform_admin, bureau_officer without --org.
        #[arg(long)]
        role: Option<String>,
        /// Read the password from standard input (required: passwords never go in arguments).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

pub async fn run(settings: Settings, cmd: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Add {
        email,
        name,
        org,
        role,
        password_stdin: _,
    } = cmd;
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    let store = super::open_store(&settings).await?;
    let (platform_role, memberships) = match (&org, role.as_deref()) {
        (Some(org), role) => {
            let role = role.unwrap_or("lawyer");
            let role = OrgRole::parse(role).ok_or_else(|| {
                anyhow::anyhow!(
                    "unknown organization role {role:?}; one of: {}",
                    names(OrgRole::ALL)
                )
            })?;
            let (org, _) = store
                .resolve_organization(org)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no organization {org:?}"))?;
            (None, vec![(org.id, role)])
        }
        (None, Some(role)) => {
            let role = PlatformRole::parse(role).ok_or_else(|| {
                anyhow::anyhow!(
                    "unknown platform role {role:?}; one of: {} (or give --org)",
                    names(PlatformRole::ALL)
                )
            })?;
            (Some(role), vec![])
        }
        (None, None) => (None, vec![]),
    };
    let id = store
        .add_user(
            &Who::cli(),
            NewUser {
                email: &email,
                name: &name,
                password: &password,
                platform_role,
                memberships,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.info().message("en")))?;
    store.close().await;
    println!("added user {email} ({id})");
    Ok(())
}

fn names<T: std::fmt::Display>(all: &[T]) -> String {
    all.iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
