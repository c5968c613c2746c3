//! `corridor witness`: a C2SP tlog-witness a partner office abroad can run. It remembers the
//! latest checkpoint it verified for each log it follows, cosigns a new one only if it is
//! consistent with that, and keeps every checkpoint it was shown.

use std::net::SocketAddr;
use std::path::PathBuf;

use corridor_ledger::cosignature::CosignatureV1Signer;
use corridor_ledger::keys::{random_seed, write_secret_key_file};
use corridor_ledger::note::{Ed25519NoteSigner, Ed25519NoteVerifier};
use corridor_ledger::storage::LedgerStore;
use corridor_ledger::witness::Witness;

use crate::config::Settings;

#[derive(Debug, clap::Subcommand)]
pub enum WitnessCommand {
    /// Create the witness's key (mode 0600) and print its cosignature vkey for logs to trust.
    Keygen {
        /// The witness's name, e.g. `witness.partner-notary.example`.
        #[arg(long)]
        name: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Serve `POST /add-checkpoint` for the logs given with --log.
    Serve {
        #[arg(long)]
        key: PathBuf,
        /// A log's verifier key (vkey); repeat for several logs.
        #[arg(long = "log", required = true)]
        logs: Vec<String>,
        #[arg(long, default_value = "127.0.0.1:8081")]
        listen: SocketAddr,
    },
}

/// The witness key file holds an Ed25519 seed in the signed-note `skey` form; the same seed
/// signs cosignatures (type 0x04), so the file format stays the one the log key uses.
fn read_witness_key(path: &std::path::Path) -> anyhow::Result<CosignatureV1Signer> {
    let signer = corridor_ledger::keys::read_secret_key_file(path)?;
    Ok(CosignatureV1Signer::from_note_signer(&signer)?)
}

pub async fn run(settings: Settings, cmd: WitnessCommand) -> anyhow::Result<()> {
    match cmd {
        WitnessCommand::Keygen { name, out } => {
            if out.exists() {
                anyhow::bail!(
                    "{} exists; a witness key is never overwritten",
                    out.display()
                );
            }
            let seed = random_seed()?;
            let skey = Ed25519NoteSigner::from_seed(&name, &seed)?.skey();
            write_secret_key_file(&out, &skey)?;
            let vkey = CosignatureV1Signer::from_seed(&name, &seed)?.vkey();
            eprintln!(
                "wrote the witness key to {} (mode 0600); its cosignature key:",
                out.display()
            );
            println!("{vkey}");
            Ok(())
        }
        WitnessCommand::Serve { key, logs, listen } => {
            let signer = read_witness_key(&key)?;
            let dir = settings.data_dir.join("witness");
            std::fs::create_dir_all(&dir)?;
            let mut witness = Witness::new(LedgerStore::local(&dir)?, "witness", signer);
            for vkey in &logs {
                let verifier = Ed25519NoteVerifier::from_vkey(vkey.trim())
                    .map_err(|e| anyhow::anyhow!("--log {vkey}: {e}"))?;
                let origin = vkey.split('+').next().unwrap_or_default().to_string();
                witness.add_log(&origin, verifier);
            }
            let app = crate::anchoring::witnessing::witness_router(witness);
            let listener = tokio::net::TcpListener::bind(listen).await?;
            println!(
                "Witness is running at http://{}/add-checkpoint",
                listener.local_addr()?
            );
            axum::serve(listener, app)
                .with_graceful_shutdown(super::serve::shutdown_signal())
                .await?;
            Ok(())
        }
    }
}
