//! The signed award on paper, filed in its case: rendered to PDF in the arbitration's language,
//! then filed as a document of role `award` through the matters' own filing (stored once by its
//! hash, anchored in the ledger, the participants notified), so its receipt verifies it.

use super::award::{AwardRow, Signature};
use super::store::CaseRow;
use crate::auth::Actor;
use crate::ids::MatterId;
use crate::matters::actions::{DocumentMeta, file_generated};
use crate::pdf::award::{AwardDocument, award};
use crate::state::AppState;
use crate::{AppError, Result};

/// Renders and files the award; the filed document's id.
pub async fn file(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    case: &CaseRow,
    row: &AwardRow,
    signatures: &[Signature],
    tribunal: Vec<String>,
) -> Result<String> {
    let renderer = state.pdf.as_ref().ok_or(AppError::Unavailable("pdf"))?;
    // Checked before any work: without a store nothing could be filed.
    state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    let zh = case.language.starts_with("zh");
    let place = |code: &str| {
        crate::reference::Reference::get()
            .country(code)
            .map(|c| {
                if zh {
                    c.name_zh.clone()
                } else {
                    c.name_en.clone()
                }
            })
            .unwrap_or_else(|| code.to_owned())
    };
    let document = AwardDocument {
        locale: if zh { "zh-CN" } else { "en" }.into(),
        institution: if zh {
            case.institution_name_zh.clone()
        } else {
            case.institution_name_en.clone()
        },
        reference: case.reference.clone(),
        claimant: format!("{} ({})", case.claimant, place(&case.claimant_nationality)),
        respondent: format!(
            "{} ({})",
            case.respondent,
            place(&case.respondent_nationality)
        ),
        seat: place(&case.seat),
        rules: case.rules.clone(),
        tribunal,
        reasons: row.reasons.clone(),
        operative: row.operative.clone(),
        signatures: signatures
            .iter()
            .map(|s| format!("{}, {}", s.name, s.at.format("%Y-%m-%d %H:%M UTC")))
            .collect(),
        issued: crate::ids::now().format("%Y-%m-%d").to_string(),
    };
    let renderer = renderer.clone();
    let pdf = tokio::task::spawn_blocking(move || award(&renderer, &document))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let meta = DocumentMeta {
        role: "award".into(),
        name: format!("{} award.pdf", case.reference),
        content_type: "application/pdf".into(),
        visible_to: String::new(),
        replaces: None,
    };
    let doc = file_generated(state, actor, id, &meta, pdf).await?;
    Ok(doc.id)
}
