//! `corridor witness`: a C2SP tlog-witness a partner office abroad can run. It remembers the
//! latest checkpoint it verified for each log it follows, cosigns a new one only if it is
//! consistent with that, and keeps every checkpoint it was shown.
//!
//! The witness cosigns with a key of its own (C2SP tlog-cosignature, type 0x04, kept in the
//! signed-note `skey` form with that type), never with a log's note-signing key: `serve`
//! refuses a note key file, so a deployment's log key cannot double as its witness key.

use std::net::SocketAddr;
use std::path::PathBuf;

use corridor_ledger::keys::{
    generate_cosigner_keypair, read_cosigner_key_file, write_secret_key_file,
};
use corridor_ledger::note::Ed25519NoteVerifier;
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
        /// A log's verifier key (vkey); repeat for several logs, and for each key of a log
        /// that rotated its key (any of them is accepted for that origin).
        #[arg(long = "log", required = true)]
        logs: Vec<String>,
        #[arg(long, default_value = "127.0.0.1:8081")]
        listen: SocketAddr,
    },
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
            let (skey, vkey) = generate_cosigner_keypair(&name)?;
            write_secret_key_file(&out, &skey)?;
            eprintln!(
                "wrote the witness key to {} (mode 0600); its cosignature key:",
                out.display()
            );
            println!("{vkey}");
            Ok(())
        }
        WitnessCommand::Serve { key, logs, listen } => {
            let signer = read_cosigner_key_file(&key)
                .map_err(|e| anyhow::anyhow!("{e} (create one with `corridor witness keygen`)"))?;
            let cosigner_vkey = signer.vkey();
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
                "Witness is running at http://{}/add-checkpoint; its cosignature key: {cosigner_vkey}",
                listener.local_addr()?
            );
            axum::serve(listener, app)
                .with_graceful_shutdown(super::serve::shutdown_signal())
                .await?;
            Ok(())
        }
    }
}
