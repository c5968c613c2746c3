//! An evidence file exported as a portable evidence bundle (see [`super::bundle`]): every
//! item's documents, the chains of custody, the manifest anchored in the ledger and its
//! receipt, filed in the matter as a document of role `bundle`.

use std::path::PathBuf;

use bytes::Bytes;

use super::evidence::{handlers, loaded, view};
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::ids::MatterId;
use crate::matters::actions::{DocumentMeta, file_document};
use crate::matters::model::Document;
use crate::state::AppState;
use crate::{AppError, Result};

/// A name for an archive path segment: no separators or control characters.
fn segment(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim().trim_matches('.').to_owned();
    if s.is_empty() {
        "item".into()
    } else {
        s.chars().take(80).collect()
    }
}

/// Exports the file as a portable evidence bundle: every item's documents under
/// `files/NN-label/`, the chains of custody as `files/custody.json`, the manifest anchored in
/// the ledger and its receipt; the bundle is filed in the matter (role `bundle`).
pub async fn bundle(state: &AppState, actor: &Actor, id: &MatterId) -> Result<Document> {
    // The manifest is anchored before the bundle is filed: the whole runs in a task of its own,
    // to the end even if the request is cut off (its timeout on a large file), so no anchored
    // bundle goes unfiled.
    let (state, actor, id) = (state.clone(), actor.clone(), id.clone());
    tokio::spawn(async move { make_bundle(&state, &actor, &id).await })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
}

async fn make_bundle(state: &AppState, actor: &Actor, id: &MatterId) -> Result<Document> {
    let m = loaded(state, actor, id).await?;
    handlers(actor, &m)?;
    let files = state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    let ledger = state
        .ledger
        .as_ref()
        .ok_or(AppError::Unavailable("ledger"))?;
    let view = view(state, actor, id).await?;
    if view.items.is_empty() {
        return Err(AppError::Conflict("no_evidence_items"));
    }
    // The key the file's documents are read with is the one the bundle is sealed under when
    // filed (a 410 once it is shredded).
    let seal = crate::matters::actions::filing_seal(state, &m.row).await?;
    let dir = tempfile::tempdir().map_err(|e| AppError::Internal(e.into()))?;
    let mut inputs = Vec::new();
    for (n, item) in view.items.iter().enumerate() {
        let folder = format!("{:02}-{}", n + 1, segment(&item.label));
        for (k, doc) in item.documents.iter().enumerate() {
            let path: PathBuf = dir.path().join(format!("{n}-{k}"));
            let mut out = tokio::fs::File::create(&path)
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            let mut blob = files
                .open_content(&doc.sha256, seal.as_ref())
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            use futures_util::StreamExt;
            use tokio::io::AsyncWriteExt;
            while let Some(chunk) = blob.next().await {
                let chunk = chunk.map_err(|e| AppError::Internal(e.into()))?;
                out.write_all(&chunk)
                    .await
                    .map_err(|e| AppError::Internal(e.into()))?;
            }
            out.flush()
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            inputs.push(super::bundle::BundleInput {
                // Numbered: two photos may share a file name.
                name: format!("{folder}/{:02}-{}", k + 1, segment(&doc.name)),
                source: path,
            });
        }
    }
    let custody = serde_json::to_vec_pretty(&serde_json::json!({
        "matter": view.matter.reference,
        "items": view.items.iter().map(|i| serde_json::json!({
            "label": i.label, "kind": i.kind, "description": i.description,
            "documents": i.documents.iter().map(|d| serde_json::json!({"name": d.name, "sha256": d.sha256})).collect::<Vec<_>>(),
            "custody": i.custody,
        })).collect::<Vec<_>>(),
    }))
    .map_err(|e| AppError::Internal(e.into()))?;
    let custody_path = dir.path().join("custody.json");
    tokio::fs::write(&custody_path, custody)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    inputs.push(super::bundle::BundleInput {
        name: "custody.json".into(),
        source: custody_path,
    });
    let subject = id.as_str().to_owned();
    let prepared = tokio::task::spawn_blocking(move || {
        super::bundle::prepare(&subject, crate::ids::now(), &inputs)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let anchored = super::bundle::anchor_in_ledger(ledger, &Who::from(actor), &prepared).await?;
    let receipt = anchored.receipt.clone().unwrap_or_default();
    let tar = dir.path().join("bundle.tar");
    let tar_path = tar.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tar_path)?);
        use std::io::Write;
        prepared.write(&anchored.record, &receipt, out)?.flush()?;
        Ok(())
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(AppError::Internal)?;
    let file = tokio::fs::File::open(&tar)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let body = futures_util::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 256 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    // Sealed as it streams, where the file's content is sealed (no second pass when filed).
    let staged = files.stage_sealed(body, seal).await?;
    file_document(
        state,
        actor,
        id,
        &DocumentMeta {
            role: "bundle".into(),
            name: format!("{} evidence bundle.tar", view.matter.reference),
            content_type: "application/x-tar".into(),
            visible_to: String::new(),
            replaces: None,
        },
        &staged,
        None,
    )
    .await
}
