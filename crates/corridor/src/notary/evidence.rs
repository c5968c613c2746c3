//! Evidence files for the API and the pages alike: a notary opens a file (a matter of kind
//! `evidence` at the office), records items (a witnessed test purchase, what an on-site action
//! found) with their documents and chain of custody, captures web pages through the server's
//! own browser, and exports the whole file as a portable evidence bundle that anyone can check
//! offline. A partner in Hong Kong, added to one file as `hk_partner`, records custody there
//! and exports the bundle ([`super::evidence_bundle`]); they see nothing else of the office.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::custody::{self, Event};
use super::store_evidence::{ItemRow, NewItem};
use crate::auth::audit::Who;
use crate::auth::{Actor, OrgRole};
use crate::directory::model::OrgKind;
use crate::directory::validate::text;
use crate::ids::{DocumentId, MatterId};
use crate::matters::actions::{DocumentMeta, Loaded, file_generated, load};
use crate::matters::kind::MatterKind;
use crate::matters::model::{Document, Matter};
use crate::state::AppState;
use crate::{AppError, Result};

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvidenceFile {
    /// The notary office (id or slug); the first notary office the reader works at if absent.
    #[serde(default)]
    pub office: Option<String>,
    pub title: String,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItemInput {
    pub label: String,
    /// `test_purchase`, `on_site`, `web_capture` or `other`.
    pub kind: String,
    #[serde(default)]
    pub description: String,
    /// Documents of this file that show the item (photos, the receipt), by id.
    #[serde(default)]
    pub documents: Vec<String>,
    /// Who collected it, where and when (RFC 3339, e.g. `2026-12-04T10:30:00+08:00`).
    pub holder: String,
    #[serde(default)]
    pub place: String,
    pub happened_at: String,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustodyEvent {
    /// `sealed`, `handed_over`, `couriered`, `received`, `opened` or `returned`.
    pub event: String,
    /// Who holds the item after the event.
    pub holder: String,
    /// RFC 3339.
    pub happened_at: String,
    #[serde(default)]
    pub place: String,
    /// The seal applied (`sealed`) or found (`received`, `opened`).
    #[serde(default)]
    pub seal_number: String,
    /// The courier's waybill number (`couriered`).
    #[serde(default)]
    pub courier_id: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaptureInput {
    /// The page, `http` or `https`.
    pub url: String,
    #[serde(default)]
    pub label: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CustodyView {
    pub seq: i64,
    #[serde(flatten)]
    pub event: Event,
    /// The event found a seal other than the one last applied.
    pub seal_broken: bool,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ItemView {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub description: String,
    /// The item's documents the reader may see.
    pub documents: Vec<Document>,
    pub custody: Vec<CustodyView>,
    /// The seal the item is under now, if sealed.
    pub sealed_with: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EvidenceView {
    pub matter: Matter,
    pub items: Vec<ItemView>,
    /// Bundles exported so far (documents of role `bundle`), newest last.
    pub bundles: Vec<Document>,
    /// Every document of the file the reader may see (photos to attach to an item).
    pub documents: Vec<Document>,
}

/// The evidence file the actor may see (404 otherwise, and for a matter of another kind).
pub async fn loaded(state: &AppState, actor: &Actor, id: &MatterId) -> Result<Loaded> {
    let m = load(state, actor, id).await?;
    if m.row.kind() != MatterKind::Evidence {
        return Err(AppError::NotFound);
    }
    Ok(m)
}

/// The office's notaries (and administrators), and the file's notaries and assistants who work
/// at the office: a participant role alone, given to someone outside it, is not enough.
fn office_side(actor: &Actor, m: &Loaded) -> Result<()> {
    let role = m.standing.role.as_deref();
    let member = actor.role_in(&m.row.owner_org_id).is_some();
    if m.standing.staff || (member && matches!(role, Some("notary" | "assistant"))) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A closed file takes no new evidence (its retention has started); custody goes on, since the
/// items still move (returned, destroyed), and it can still be exported.
fn still_open(m: &Loaded) -> Result<()> {
    if m.row.status == "closed" {
        return Err(AppError::Conflict("evidence_file_closed"));
    }
    Ok(())
}

/// The office's side or the partner in Hong Kong: who handles items and exports the file.
pub(super) fn handlers(actor: &Actor, m: &Loaded) -> Result<()> {
    if m.standing.role.as_deref() == Some("hk_partner") {
        Ok(())
    } else {
        office_side(actor, m)
    }
}

fn instant(field: &'static str, text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| AppError::invalid(field, "date_time"))
}

fn refused(r: custody::Refusal) -> AppError {
    AppError::invalid(r.field, r.reason)
}

/// A notary (or administrator) of a notary office opens an evidence file there.
pub async fn open(
    state: &AppState,
    actor: &Actor,
    input: &NewEvidenceFile,
) -> Result<EvidenceView> {
    let title = text("title", &input.title, true, 200)?;
    let wanted = input
        .office
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    let office = actor
        .memberships
        .iter()
        .filter(|m| m.organization_kind == OrgKind::NotaryOffice.as_str())
        .filter(|m| matches!(m.role, OrgRole::Notary | OrgRole::OrgAdmin))
        .find(|m| wanted.is_none_or(|w| m.organization_id == w || m.slug == w))
        .ok_or_else(|| AppError::invalid("office", "not_a_notary"))?;
    let id = state
        .store
        .create_matter_as(
            &Who::from(actor),
            &actor.user_id,
            "notary",
            MatterKind::Evidence,
            &office.organization_id,
            &office.slug,
            &title,
        )
        .await?;
    view(state, actor, &id).await
}

pub async fn view(state: &AppState, actor: &Actor, id: &MatterId) -> Result<EvidenceView> {
    let m = loaded(state, actor, id).await?;
    let docs = state.store.documents(id).await?;
    let visible: Vec<Document> = docs
        .into_iter()
        .filter(|d| {
            m.standing.can_see(
                &crate::matters::kind::split_roles(&d.visible_to),
                d.filed_by == actor.user_id,
            )
        })
        .map(|d| d.view())
        .collect();
    let events = state.store.custody_events(id.as_str()).await?;
    let items = state
        .store
        .evidence_items(id.as_str())
        .await?
        .into_iter()
        .map(|item| {
            let chain: Vec<_> = events.iter().filter(|e| e.item_id == item.id).collect();
            let plain: Vec<Event> = chain.iter().map(|e| e.event()).collect();
            let wanted = crate::matters::kind::split_roles(&item.documents);
            ItemView {
                documents: visible
                    .iter()
                    .filter(|d| wanted.contains(&d.id))
                    .cloned()
                    .collect(),
                custody: chain
                    .iter()
                    .map(|e| CustodyView {
                        seq: e.seq,
                        event: e.event(),
                        seal_broken: e.seal_broken,
                        recorded_at: e.recorded_at,
                    })
                    .collect(),
                sealed_with: custody::current_seal(&plain).map(str::to_owned),
                id: item.id,
                label: item.label,
                kind: item.kind,
                description: item.description,
            }
        })
        .collect();
    let bundles = visible
        .iter()
        .filter(|d| d.role == "bundle")
        .cloned()
        .collect();
    Ok(EvidenceView {
        matter: m.view(),
        items,
        bundles,
        documents: visible,
    })
}

/// Records an item with its documents and the first event of its chain (`collected`).
pub async fn add_item(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &NewItemInput,
) -> Result<EvidenceView> {
    let m = loaded(state, actor, id).await?;
    office_side(actor, &m)?;
    still_open(&m)?;
    let kind = input.kind.trim();
    if !custody::ITEM_KINDS.contains(&kind) {
        return Err(AppError::invalid("kind", "unknown_item_kind"));
    }
    let mut documents = Vec::new();
    for d in &input.documents {
        let doc = DocumentId::parse(d.trim())
            .map_err(|_| AppError::invalid("documents", "unknown_document"))?;
        state
            .store
            .document(id, &doc)
            .await?
            .ok_or_else(|| AppError::invalid("documents", "unknown_document"))?;
        documents.push(doc.as_str().to_owned());
    }
    let first = Event {
        event: "collected".into(),
        holder: text("holder", &input.holder, true, 200)?,
        happened_at: instant("happened_at", &input.happened_at)?,
        place: text("place", &input.place, false, 300)?,
        seal_number: String::new(),
        courier_id: String::new(),
        note: String::new(),
    };
    custody::check(&[], &first).map_err(refused)?;
    state
        .store
        .insert_evidence_item(
            &Who::from(actor),
            &NewItem {
                matter_id: id.as_str(),
                office_id: &m.row.owner_org_id,
                label: &text("label", &input.label, true, 200)?,
                kind,
                description: &text("description", &input.description, false, 4_000)?,
                documents: &documents,
                first: &first,
            },
        )
        .await?;
    view(state, actor, id).await
}

/// Appends an event to an item's chain of custody (the office or the partner in Hong Kong).
pub async fn add_custody(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    item_id: &str,
    input: &NewCustodyEvent,
) -> Result<EvidenceView> {
    let m = loaded(state, actor, id).await?;
    handlers(actor, &m)?;
    let item = state
        .store
        .evidence_item(id.as_str(), item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let event = Event {
        event: input.event.trim().to_owned(),
        holder: text("holder", &input.holder, false, 200)?,
        happened_at: instant("happened_at", &input.happened_at)?,
        place: text("place", &input.place, false, 300)?,
        seal_number: text("seal_number", &input.seal_number, false, 100)?,
        courier_id: text("courier_id", &input.courier_id, false, 100)?,
        note: text("note", &input.note, false, 2_000)?,
    };
    let chain: Vec<Event> = chain_of(state, id, &item).await?;
    custody::check(&chain, &event).map_err(refused)?;
    let broken = custody::seal_broken(&chain, &event);
    let appended = state
        .store
        .append_custody(
            &Who::from(actor),
            &item,
            &m.row.owner_org_id,
            chain.len() as i64,
            &event,
            broken,
        )
        .await?;
    if !appended {
        return Err(AppError::Conflict("custody_changed"));
    }
    view(state, actor, id).await
}

async fn chain_of(state: &AppState, id: &MatterId, item: &ItemRow) -> Result<Vec<Event>> {
    Ok(state
        .store
        .custody_events(id.as_str())
        .await?
        .iter()
        .filter(|e| e.item_id == item.id)
        .map(|e| e.event())
        .collect())
}

/// Captures a web page with the server's browser and records it as an item of kind
/// `web_capture`: the screenshot, the DOM, the HAR and the manifest, each filed and anchored.
pub async fn capture(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &CaptureInput,
) -> Result<EvidenceView> {
    let m = loaded(state, actor, id).await?;
    office_side(actor, &m)?;
    still_open(&m)?;
    let url = url::Url::parse(input.url.trim()).map_err(|_| AppError::invalid("url", "url"))?;
    // Everything is checked before the browser starts, so a refusal files nothing.
    let label = match input.label.trim() {
        "" => url.as_str().chars().take(200).collect(),
        l => text("label", l, true, 200)?,
    };
    let browser = super::capture::find_browser(&state.settings.capture_browser)
        .ok_or(AppError::Unavailable("web capture"))?;
    let captured = super::capture::capture(
        &browser,
        &url,
        state.settings.capture_private_addresses,
        std::time::Duration::from_secs(20),
    )
    .await
    .map_err(|e| match e {
        super::capture::CaptureError::Refused(_) => AppError::invalid("url", "capture_refused"),
        super::capture::CaptureError::Failed(why) => {
            tracing::info!(%why, "web capture failed");
            AppError::invalid("url", "capture_failed")
        }
        super::capture::CaptureError::NoBrowser(why) => {
            tracing::warn!(%why, "no capture browser");
            AppError::Unavailable("web capture")
        }
    })?;
    // Filing the files and recording the item run to the end even if the request is cut off
    // meanwhile (its timeout), so a capture is never left half filed.
    let files = captured.files();
    let place = url.host_str().unwrap_or_default().to_owned();
    let office = m.row.owner_org_id.clone();
    let (task_state, task_actor, task_id) = (state.clone(), actor.clone(), id.clone());
    tokio::spawn(async move {
        record_capture(
            &task_state,
            &task_actor,
            &task_id,
            &office,
            &label,
            place,
            files,
        )
        .await
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))??;
    view(state, actor, id).await
}

/// Files a capture's files and records its item.
async fn record_capture(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    office: &str,
    label: &str,
    place: String,
    files: Vec<(&'static str, &'static str, Vec<u8>)>,
) -> Result<()> {
    // The file may have been closed while the browser ran.
    still_open(&loaded(state, actor, id).await?)?;
    let mut documents = Vec::new();
    for (name, content_type, bytes) in files {
        let role = match name {
            "screenshot.png" => "screenshot",
            "dom.html" => "dom",
            "capture.har" => "har",
            _ => "capture_manifest",
        };
        let meta = DocumentMeta {
            role: role.into(),
            name: name.into(),
            content_type: content_type.into(),
            visible_to: String::new(),
            replaces: None,
        };
        let doc = file_generated(state, actor, id, &meta, bytes).await?;
        documents.push(doc.id);
    }
    let first = Event {
        event: "captured".into(),
        holder: actor.name.clone(),
        happened_at: Utc::now(),
        place,
        seal_number: String::new(),
        courier_id: String::new(),
        note: String::new(),
    };
    state
        .store
        .insert_evidence_item(
            &Who::from(actor),
            &NewItem {
                matter_id: id.as_str(),
                office_id: office,
                label,
                kind: "web_capture",
                description: "",
                documents: &documents,
                first: &first,
            },
        )
        .await?;
    Ok(())
}
