//! `corridor bundle create`: packs evidence files into a portable evidence bundle, anchored in
//! this deployment's ledger (see `docs/notary.md`). On SQLite the ledger's writer lock is held by
//! a running server, so run it with the server stopped (or on a node of a PostgreSQL deployment,
//! where the sequencing node appends the record).

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::auth::audit::Who;
use crate::config::Settings;
use crate::notary::bundle::{self, BundleInput};

#[derive(Debug, clap::Subcommand)]
pub enum BundleCommand {
    /// Hash the files, anchor the manifest in the ledger, write the bundle; print its receipt
    /// facts and the log's vkey (for `corridor verify bundle`) as JSON.
    Create {
        /// The platform's opaque id of the evidence (goes into the public ledger: no names).
        #[arg(long)]
        subject: String,
        /// Where to write the bundle (a tar archive); never overwritten.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Evidence files; each is stored under `files/` with its file name.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

pub async fn run(settings: Settings, cmd: BundleCommand) -> anyhow::Result<()> {
    let BundleCommand::Create {
        subject,
        out,
        files,
    } = cmd;
    if out.exists() {
        anyhow::bail!("{} exists; a bundle is never overwritten", out.display());
    }
    let inputs = files
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .ok_or_else(|| anyhow::anyhow!("{}: not a file name", path.display()))?;
            Ok(BundleInput {
                name: name.to_string(),
                source: path.clone(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let prepared =
        tokio::task::spawn_blocking(move || bundle::prepare(&subject, crate::ids::now(), &inputs))
            .await??;
    if !settings.ledger_enabled {
        anyhow::bail!("the ledger is disabled in the settings (ledger_enabled = false)");
    }
    let store = super::open_store(&settings).await?;
    let ledger = crate::anchoring::service::open(&settings, &store).await?;
    let anchored = bundle::anchor_in_ledger(&ledger, &Who::cli(), &prepared).await;
    ledger.shutdown().await;
    store.close().await;
    let anchored = anchored?;
    let receipt = anchored.receipt.clone().unwrap_or_default();
    let written = tokio::task::spawn_blocking({
        let out = out.clone();
        let record = anchored.record.clone();
        move || -> anyhow::Result<u64> {
            // Written beside the target and renamed, so a failure never leaves half a bundle.
            let dir = out.parent().filter(|d| !d.as_os_str().is_empty());
            let tmp = tempfile::NamedTempFile::new_in(dir.unwrap_or(std::path::Path::new(".")))?;
            let file = std::io::BufWriter::with_capacity(1 << 20, tmp.reopen()?);
            prepared.write(&record, &receipt, file)?.flush()?;
            tmp.persist_noclobber(&out).map_err(|e| e.error)?;
            Ok(std::fs::metadata(&out)?.len())
        }
    })
    .await??;
    println!(
        "{}",
        json!({"bundle": out.display().to_string(), "bytes": written, "index": anchored.index,
               "origin": anchored.origin, "vkey": anchored.vkey})
    );
    Ok(())
}
