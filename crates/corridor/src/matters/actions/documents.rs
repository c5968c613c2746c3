//! Filing documents: staged uploads filed by hash, anchored through the ledger's outbox, read
//! back with access checked every time, and their receipts.

use std::collections::BTreeMap;

use crate::anchoring::record::{FileDigest, LedgerRecord, VERSION, new_salt};
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::ids::{DocumentId, MatterId};
use crate::matters::files::{Seal, Staged};
use crate::matters::kind::parse_roles;
use crate::matters::model::*;
use crate::matters::store::MatterRow;
use crate::matters::store_documents::{DocumentRow, Filing};
use crate::matters::store_keys::KeyState;
use crate::state::AppState;
use crate::{AppError, Result};

use super::{Loaded, load, require};

/// What an upload says about the file besides its bytes.
#[derive(Clone, Debug, Default)]
pub struct DocumentMeta {
    pub role: String,
    pub name: String,
    pub content_type: String,
    pub visible_to: String,
    pub replaces: Option<String>,
}

/// A file name is metadata only: keep its last path part, without control or
/// direction-changing characters.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    let cleaned: String = cleaned.chars().take(200).collect();
    if cleaned.is_empty() {
        "document".into()
    } else {
        cleaned
    }
}

fn content_type(text: &str) -> String {
    let t = text.trim();
    let ok = !t.is_empty()
        && t.len() <= 100
        && t.contains('/')
        && t.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    if ok {
        t.to_string()
    } else {
        "application/octet-stream".into()
    }
}

/// May the actor file into this matter? Checked before an upload is read, and again after.
pub async fn check_filing(state: &AppState, actor: &Actor, id: &MatterId) -> Result<Loaded> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_work())?;
    Ok(m)
}

/// The seal a matter's new content is stored under, for kinds that seal content: its key,
/// made on the first filing. A matter whose key was shredded takes no new content.
pub async fn filing_seal(state: &AppState, matter: &MatterRow) -> Result<Option<Seal>> {
    if !matter.kind().rules().sealed {
        return Ok(None);
    }
    match state.store.ensure_matter_key(&matter.id).await? {
        KeyState::Active(key) => Ok(Some(Seal {
            matter_id: matter.id.clone(),
            key,
        })),
        KeyState::Shredded(_) => Err(AppError::Gone("content_shredded")),
        KeyState::Absent => Err(AppError::Internal(anyhow::anyhow!(
            "no key for matter {} after making one",
            matter.id
        ))),
    }
}

/// The seal to read a matter's content with: `None` where the kind does not seal or nothing
/// was sealed yet; 410 once the key was shredded, for every reader alike.
pub async fn reading_seal(state: &AppState, matter: &MatterRow) -> Result<Option<Seal>> {
    if !matter.kind().rules().sealed {
        return Ok(None);
    }
    match state.store.matter_key(&matter.id).await? {
        KeyState::Active(key) => Ok(Some(Seal {
            matter_id: matter.id.clone(),
            key,
        })),
        KeyState::Shredded(_) => Err(AppError::Gone("content_shredded")),
        KeyState::Absent => Ok(None),
    }
}

/// Files a staged upload: validates its metadata, moves the content under its hash, writes the
/// rows with its ledger record queued in the same transaction, then waits (bounded) for the
/// record's index. On any refusal the staged content is dropped. `request_key` (from an
/// `Idempotency-Key`) makes a retried upload answer with the first document.
pub async fn file_document(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    meta: &DocumentMeta,
    staged: &Staged,
    request_key: Option<String>,
) -> Result<Document> {
    let files = state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    let checked = async {
        let m = check_filing(state, actor, id).await?;
        let kind = m.row.kind();
        let doc_role = meta.role.trim();
        if !kind.rules().document_roles.contains(&doc_role) {
            return Err(AppError::invalid("role", "unknown_document_role"));
        }
        let visible_to = parse_roles(kind, "visible_to", &meta.visible_to)?;
        let replaces = match meta
            .replaces
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            Some(old) => {
                let old = DocumentId::parse(old)
                    .map_err(|_| AppError::invalid("replaces", "unknown_document"))?;
                let doc = state
                    .store
                    .document(id, &old)
                    .await?
                    .ok_or_else(|| AppError::invalid("replaces", "unknown_document"))?;
                if !m.standing.can_see(
                    &crate::matters::kind::split_roles(&doc.visible_to),
                    doc.filed_by == actor.user_id,
                ) {
                    return Err(AppError::invalid("replaces", "unknown_document"));
                }
                Some(doc)
            }
            None => None,
        };
        let seal = filing_seal(state, &m.row).await?;
        Ok((m, doc_role.to_string(), visible_to, replaces, seal))
    }
    .await;
    let (m, doc_role, visible_to, replaces, seal) = match checked {
        Ok(v) => v,
        Err(e) => {
            files.discard(staged).await;
            return Err(e);
        }
    };
    if let Err(e) = files.commit(staged, seal.as_ref()).await {
        files.discard(staged).await;
        return Err(e.into());
    }
    let members = state.store.members(id).await?;
    let name = clean_file_name(&meta.name);
    let doc_id = crate::ids::new_id();
    let at = crate::ids::now();
    let queued = state.ledger.as_ref().map(|_| {
        let record = document_record(&m.row.id, &doc_id, &doc_role, &staged.sha256, at);
        crate::anchoring::outbox::Queued::new(
            String::from_utf8_lossy(&record.canonical_bytes()).into_owned(),
            request_key.clone(),
        )
    });
    let filing = Filing {
        id: &doc_id,
        at,
        anchor: queued.as_ref(),
        request_key: request_key.as_deref(),
        matter: &m.row,
        actor_id: &actor.user_id,
        role: &doc_role,
        name: &name,
        content_type: &content_type(&meta.content_type),
        sha256: &staged.sha256,
        size: staged.size as i64,
        visible_to: &visible_to,
        replaces: replaces.as_ref(),
    };
    let earlier = state
        .store
        .file_document(
            &Who::from(actor),
            &filing,
            &members,
            &state.settings.public_url(),
        )
        .await?;
    let doc = match earlier {
        // A retry: the document the first attempt filed.
        Some(earlier) => state
            .store
            .document(id, &DocumentId::from_stored(earlier))
            .await?
            .ok_or(AppError::NotFound)?,
        // Everything the row holds is at hand; reading it back would cost a round trip.
        None => filing.row(&actor.name),
    };
    Ok(anchor_index(state, doc).await?.view())
}

/// Files bytes the server made (a rendered PDF, a capture, a record) as a document of the
/// matter, through the same staging and filing as an upload (stored by hash, anchored).
pub async fn file_generated(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    meta: &DocumentMeta,
    bytes: Vec<u8>,
) -> Result<Document> {
    let files = state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    let body =
        futures_util::stream::once(
            async move { Ok::<_, std::io::Error>(bytes::Bytes::from(bytes)) },
        );
    // Sealed as it is staged where the matter seals content: a large capture or recording
    // never lies in the store as plaintext, even for a moment.
    let m = check_filing(state, actor, id).await?;
    let seal = filing_seal(state, &m.row).await?;
    let staged = files.stage_sealed(body, seal).await?;
    file_document(state, actor, id, meta, &staged, None).await
}

/// The ledger index of a filed document, from the outbox once a sequencer has appended its
/// record (waiting up to the ledger's append wait). Reads join the outbox for it, so nothing
/// is written back here. Still queued: the document answers without
/// an index, and its receipt says so.
async fn anchor_index(state: &AppState, mut doc: DocumentRow) -> Result<DocumentRow> {
    let (Some(ledger), None, Some(entry)) =
        (&state.ledger, doc.ledger_index, doc.ledger_entry_id.clone())
    else {
        return Ok(doc);
    };
    if let Some(index) = ledger
        .wait_appended(&entry, crate::anchoring::service::APPEND_WAIT)
        .await
        .map_err(AppError::Internal)?
    {
        doc.ledger_index = Some(index as i64);
    }
    Ok(doc)
}

/// The leaf for a filed document: the matter only as a digest, the document's role and hash;
/// never a name or content.
pub fn document_record(
    matter_id: &str,
    doc_id: &str,
    role: &str,
    sha256: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> LedgerRecord {
    use sha2::{Digest, Sha256};
    LedgerRecord {
        at: at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        files: vec![FileDigest {
            role: role.to_string(),
            sha256: sha256.to_string(),
        }],
        kind: "matter_document".into(),
        meta: BTreeMap::from([(
            "matter".to_string(),
            hex::encode(Sha256::digest(matter_id.as_bytes())),
        )]),
        salt: new_salt(),
        subject: doc_id.to_string(),
        v: VERSION,
    }
}

/// A document the actor may read; others (including restricted ones) do not exist for them.
pub async fn readable_document(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    doc_id: &DocumentId,
) -> Result<(Loaded, DocumentRow)> {
    let m = load(state, actor, id).await?;
    let doc = state
        .store
        .document(id, doc_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let visible = crate::matters::kind::split_roles(&doc.visible_to);
    if !m.standing.can_see(&visible, doc.filed_by == actor.user_id) {
        return Err(AppError::NotFound);
    }
    Ok((m, doc))
}

pub async fn document_receipt(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    doc_id: &DocumentId,
) -> Result<DocumentReceipt> {
    let (_, doc) = readable_document(state, actor, id, doc_id).await?;
    let ledger = state
        .ledger
        .as_ref()
        .ok_or(AppError::Unavailable("ledger"))?;
    let doc = anchor_index(state, doc).await?;
    let (Some(index), Some(record)) = (doc.ledger_index, doc.ledger_record) else {
        return Err(AppError::Conflict("not_anchored"));
    };
    let proof = ledger
        .receipt_when_covered(index as u64, ledger.receipt_wait())
        .await
        .map_err(|_| AppError::Conflict("not_yet_covered"))?;
    Ok(DocumentReceipt {
        index,
        record,
        receipt: proof.encode(),
        vkey: ledger.vkey(),
        origin: ledger.origin().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_metadata_without_paths_or_controls() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\li\\合同.pdf"), "合同.pdf");
        assert_eq!(clean_file_name("a\u{0}b\nc\u{202E}fdp.exe"), "abcfdp.exe");
        assert_eq!(clean_file_name("/"), "document");
        assert_eq!(clean_file_name(".hidden"), "hidden");
    }

    #[test]
    fn a_document_leaf_holds_the_matter_as_a_digest_and_no_name() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-04T10:00:00Z")
            .unwrap()
            .to_utc();
        let r = document_record("matter-1", "doc-1", "evidence", &"a".repeat(64), at);
        let text = String::from_utf8(r.canonical_bytes()).unwrap();
        assert!(!text.contains("matter-1"), "{text}");
        assert!(text.contains("\"kind\":\"matter_document\""));
        assert!(text.contains("\"role\":\"evidence\""));
        assert_eq!(LedgerRecord::parse(text.as_bytes()).unwrap(), r);
    }
}
