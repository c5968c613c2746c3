//! `corridor ledger keygen | rotate-key | audit`: the log's key, its rotation, and a full
//! check of the log on disk.

use std::path::PathBuf;

use corridor_ledger::keys::{generate_keypair, read_secret_key_file, write_secret_key_file};

use crate::config::Settings;

#[derive(Debug, clap::Subcommand)]
pub enum LedgerCommand {
    /// Write a new Ed25519 key pair for a log (key file mode 0600) and print its vkey.
    Keygen {
        /// The log's name (origin), e.g. `corridor.example/ledger/2026`.
        #[arg(long)]
        name: Option<String>,
        /// Where to write the secret key (default: the configured ledger key file).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Make a new key for the log (`<ledger_key_file>.next`, mode 0600) and print its vkey.
    /// The node that sequences takes it up within a second; checkpoints from then on are signed
    /// by it, and everything signed before stays verifiable with the key history
    /// (`/ledger/keys`). Copy the new key file to every node (see docs/operations.md).
    RotateKey,
    /// Recompute the tree from every entry and check every tile against the checkpoints.
    Audit,
}

pub async fn run(settings: Settings, cmd: LedgerCommand) -> anyhow::Result<()> {
    match cmd {
        LedgerCommand::Keygen { name, out } => {
            let name = name.unwrap_or_else(|| settings.ledger_origin.clone());
            let out = out.unwrap_or_else(|| settings.ledger_key_file());
            if out.exists() {
                anyhow::bail!("{} exists; a log key is never overwritten", out.display());
            }
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let (skey, vkey) = generate_keypair(&name)?;
            write_secret_key_file(&out, &skey)?;
            eprintln!(
                "wrote the secret key to {} (mode 0600); the public key:",
                out.display()
            );
            println!("{vkey}");
            Ok(())
        }
        LedgerCommand::RotateKey => {
            let key_file = settings.ledger_key_file();
            let vkey = crate::anchoring::rotation::request(&key_file)?;
            eprintln!(
                "wrote the new key to {} (mode 0600); copy it under that name beside the key \
                 file of every other node. The sequencing node takes it up within a second \
                 (or when the server next starts). The new public key:",
                crate::anchoring::rotation::next_key_file(&key_file).display()
            );
            println!("{vkey}");
            Ok(())
        }
        LedgerCommand::Audit => {
            let signer = read_secret_key_file(settings.ledger_key_file())?;
            // Wherever the server keeps it: the data directory, or `<files_url>/ledger` on S3.
            let (store, _, _) = crate::anchoring::service::open_storage(&settings)?;
            // After a rotation, each checkpoint is checked under the key for its size; the key
            // file must be one of the log's keys.
            let audited = match crate::anchoring::rotation::stored_history(&store).await? {
                Some(history) if history.contains(&signer.verifier()) => {
                    corridor_ledger::audit::audit_with_history(&store, &history).await
                }
                Some(history) => anyhow::bail!(
                    "the key file's key {} is not one of this log's keys (current: {})",
                    signer.verifier().vkey(),
                    history.current().vkey()
                ),
                None => corridor_ledger::audit::audit(&store, &signer.verifier()).await,
            };
            let report =
                audited.map_err(|e| anyhow::anyhow!("the ledger failed its audit: {e}"))?;
            println!(
                "ledger {} is sound: {} entries, root {}, {} entry bundles, {} tiles, {} signed checkpoints checked",
                report.origin,
                report.tree_size,
                report.root_hash.to_hex(),
                report.bundles_checked,
                report.tiles_checked,
                report.history_checked
            );
            Ok(())
        }
    }
}
