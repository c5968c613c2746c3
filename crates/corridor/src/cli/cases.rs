//! `corridor cases`: arbitration cases from the command line, as a user of the deployment
//! (`--as EMAIL`), through the same actions as the pages and the API — the same rules, the same
//! audit trail. Bodies are the API's JSON on standard input; the answer is the API's JSON on
//! standard output. Exit 0 with an answer, 2 when the input is refused (naming the field), 1
//! for anything else (not found, not allowed, a conflict).
//!
//! Running it needs the database (it is an operator's tool, like `corridor user add`): whoever
//! can run it can act as any user, which the audit log records as that user.

use std::io::Read;

use clap::{Args, Subcommand};
use serde::de::DeserializeOwned;

use crate::AppError;
use crate::arbitration::cases::actions::{self, CaseDecision, NewEvent};
use crate::arbitration::cases::award::{self, AwardDraft, AwardStep};
use crate::arbitration::cases::disclosure::{self, DisclosureStatement};
use crate::arbitration::cases::extensions::{self, NewExtension};
use crate::arbitration::cases::filing::{EnforcementInput, FilingInput};
use crate::arbitration::cases::tribunal::{self, NewNominationInput, NominationStep};
use crate::arbitration::cases::{candidates, typical};
use crate::auth::Actor;
use crate::config::Settings;
use crate::ids::MatterId;
use crate::state::AppState;

#[derive(Debug, Args)]
pub struct CasesArgs {
    /// The user to act as (their email): what they may do, and whose name the audit log shows.
    #[arg(long = "as", value_name = "EMAIL", global = true)]
    pub as_user: Option<String>,
    #[command(subcommand)]
    pub command: CasesCommand,
}

#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// The cases the user is in (a case secretary: every case at their institution).
    List,
    /// One case, as `GET /api/v1/arbitration/cases/{id}` answers it.
    Show { id: String },
    /// File a case (stdin: the filing, as `POST /api/v1/arbitration/cases`).
    File,
    /// Accept a filed case (the secretariat).
    Accept {
        id: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Reject a filed case (the secretariat).
    Reject {
        id: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Record an event that starts time limits (stdin: `{event, date, place}`).
    Event { id: String },
    /// Extend a limit (stdin: `{event, article, extension, note}`).
    Extension { id: String },
    /// Nominate an arbitrator (stdin: `{person, seat_role, email}`).
    Nominate { id: String },
    /// The roster ranked for a seat (the secretariat).
    Candidates {
        id: String,
        #[arg(long)]
        seat_role: String,
    },
    /// A nomination's next step (stdin: `{action, version, grounds, learned_on}`).
    Nomination { id: String, nomination: String },
    /// Record the arbitrator's disclosure on a nomination (stdin: `{statement}`).
    Disclose { id: String, nomination: String },
    /// Draft or redraft the award (stdin: `{reasons, operative, version}`).
    AwardDraft { id: String },
    /// The award's next step (stdin: `{action, version, note}`).
    Award { id: String },
    /// Record an enforcement proceeding abroad (stdin: as the API), or change one (`--edit`).
    Enforcement {
        id: String,
        #[arg(long, value_name = "PROCEEDING")]
        edit: Option<String>,
    },
    /// Publish the closed case as a typical case of the knowledge base (stdin: as the API).
    Publish { id: String },
}

/// A refused input: the process exits 2.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

fn refused(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid { .. }
        | AppError::InvalidValues { .. }
        | AppError::Unreadable { .. }
        | AppError::BadRequest(_) => Refused(e.to_string()).into(),
        other => anyhow::anyhow!("{other}"),
    }
}

fn body<T: DeserializeOwned>() -> anyhow::Result<T> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    serde_json::from_str(&text)
        .map_err(|e| Refused(format!("stdin is not the expected JSON: {e}")).into())
}

fn id(text: &str) -> anyhow::Result<MatterId> {
    MatterId::parse(text).map_err(|_| Refused(format!("{text:?} is not a case id")).into())
}

async fn actor(state: &AppState, email: Option<&str>) -> anyhow::Result<Actor> {
    let email = email.ok_or_else(|| Refused("--as EMAIL is required".into()))?;
    let user = state
        .store
        .user_id_by_email(email)
        .await
        .map_err(refused)?
        .ok_or_else(|| Refused(format!("no user {email:?}")))?;
    state
        .store
        .actor_for_user(&user)
        .await
        .map_err(refused)?
        .ok_or_else(|| Refused(format!("the user {email:?} is not active")).into())
}

fn print(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub async fn run(mut settings: Settings, args: CasesArgs) -> anyhow::Result<()> {
    // A second process must not take the search index's lock from a running server; the
    // server's follower indexes what this command writes.
    settings.search_enabled = false;
    let store = super::open_store(&settings).await?;
    let state = AppState::open(store, settings).await?;
    let who = actor(&state, args.as_user.as_deref()).await?;
    let s = &state;
    let a = &who;
    use CasesCommand as C;
    let view = match args.command {
        C::List => return print(&actions::list(s, a).await.map_err(refused)?),
        C::Show { id: i } => actions::view(s, a, &id(&i)?).await,
        C::File => actions::file(s, a, &body::<FilingInput>()?).await,
        C::Accept { id: i, note } => {
            actions::decide(s, a, &id(&i)?, "accepted", &CaseDecision { note }).await
        }
        C::Reject { id: i, note } => {
            actions::decide(s, a, &id(&i)?, "rejected", &CaseDecision { note }).await
        }
        C::Event { id: i } => actions::record_event(s, a, &id(&i)?, &body::<NewEvent>()?).await,
        C::Extension { id: i } => extensions::grant(s, a, &id(&i)?, &body::<NewExtension>()?).await,
        C::Nominate { id: i } => {
            tribunal::nominate(s, a, &id(&i)?, &body::<NewNominationInput>()?).await
        }
        C::Candidates { id: i, seat_role } => {
            let ranked = candidates::ranked(s, a, &id(&i)?, &seat_role).await;
            return print(&ranked.map_err(refused)?);
        }
        C::Nomination { id: i, nomination } => {
            tribunal::step(s, a, &id(&i)?, &nomination, &body::<NominationStep>()?).await
        }
        C::Disclose { id: i, nomination } => {
            let input = body::<DisclosureStatement>()?;
            disclosure::record(s, a, &id(&i)?, &nomination, &input).await
        }
        C::AwardDraft { id: i } => award::draft(s, a, &id(&i)?, &body::<AwardDraft>()?).await,
        C::Award { id: i } => award::step(s, a, &id(&i)?, &body::<AwardStep>()?).await,
        C::Enforcement { id: i, edit } => {
            let input = body::<EnforcementInput>()?;
            match edit {
                Some(e) => actions::edit_enforcement(s, a, &id(&i)?, &e, &input).await,
                None => actions::add_enforcement(s, a, &id(&i)?, &input).await,
            }
        }
        C::Publish { id: i } => {
            let record = typical::publish(s, a, &id(&i)?, &body()?).await;
            return print(&record.map_err(refused)?);
        }
    };
    print(&view.map_err(refused)?)
}
