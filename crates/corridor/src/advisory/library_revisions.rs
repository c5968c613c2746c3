//! The deployment's obligations library and its revisions, for the API and the pages alike:
//! the library a deployment uses ([`current`]), proposals, publication (which checks every
//! stored plan against the new version at once, so the publication can say how many plans it
//! changed) and rejection. The rules are [`super::library_edit`]'s.

use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::library::{Library, LibraryError};
use super::library_check::check_against_library_of;
use super::library_edit::{self, FieldChange};
use super::library_store::{NewRevision, PublicationRow, Published, RevisionRow};
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::db::Store;
use crate::directory::validate::text;
use crate::ids::LibraryRevisionId;
use crate::matters::model::OwnerRef;
use crate::{AppError, Result};

fn internal(e: LibraryError) -> AppError {
    AppError::Internal(anyhow::anyhow!(e))
}

/// The version a publication gives the library: the build file's version, then the
/// deployment's publication number.
pub fn version_name(file_version: &str, publication: i64) -> String {
    format!("{file_version}+local.{publication}")
}

/// The deployment's current revisions: (revision id, URN, the entry).
type Current = Vec<(String, String, Value)>;

async fn published_entries(store: &Store) -> Result<Current> {
    store
        .published_library_entries()
        .await?
        .into_iter()
        .map(|(id, urn, body)| {
            Ok((
                id,
                urn,
                serde_json::from_str(&body).map_err(anyhow::Error::from)?,
            ))
        })
        .collect()
}

/// The entries of [`published_entries`], as [`Library::revised`] and the checks take them.
fn entries(published: &Current) -> Vec<Value> {
    published.iter().map(|(_, _, e)| e.clone()).collect()
}

/// The library this deployment uses: the build's file with its published revisions. One small
/// query per call finds the newest publication; the library made for it is kept in memory
/// (keyed by number and digest, so nodes and databases never share a stale one).
pub async fn current(store: &Store) -> Result<Arc<Library>> {
    static EMBEDDED: OnceLock<Arc<Library>> = OnceLock::new();
    static MADE: Mutex<Vec<(String, Arc<Library>)>> = Mutex::new(Vec::new());
    let file = Library::get().map_err(internal)?;
    let embedded = EMBEDDED.get_or_init(|| Arc::new(file.clone())).clone();
    let Some((number, digest)) = store.latest_library_publication().await? else {
        return Ok(embedded);
    };
    let key = format!("{number}:{digest}");
    if let Some((_, lib)) = made_lock(&MADE).iter().find(|(k, _)| *k == key) {
        return Ok(lib.clone());
    }
    let revisions = entries(&published_entries(store).await?);
    let lib = Arc::new(
        Library::revised(&revisions, &version_name(&embedded.version, number)).map_err(internal)?,
    );
    let mut made = made_lock(&MADE);
    made.retain(|(k, _)| *k != key);
    made.push((key, lib.clone()));
    if made.len() > 8 {
        made.remove(0);
    }
    Ok(lib)
}

fn made_lock(
    m: &'static Mutex<Vec<(String, Arc<Library>)>>,
) -> std::sync::MutexGuard<'static, Vec<(String, Arc<Library>)>> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

// --- What the API and the pages show ---------------------------------------------------

/// A proposed, published, superseded or rejected revision of one entry.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Revision {
    pub id: String,
    pub urn: String,
    /// `draft`, `published`, `superseded` or `rejected`.
    pub state: String,
    /// Why: what changed, on what authority.
    pub note: String,
    /// The whole entry as proposed, in the file's format.
    #[schema(value_type = Object)]
    pub entry: Value,
    /// The revision it was drafted over; `null` when over the build's entry (or a new one).
    pub base_revision: Option<String>,
    pub author: String,
    #[serde(skip)]
    pub author_id: String,
    /// The law firm it was proposed for; `null` for a bureau officer.
    pub organization: Option<OwnerRef>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub publication: Option<i64>,
    /// A draft with a source can be published.
    pub has_source: bool,
    /// For a draft: what it would change in the current entry (every field of a new entry).
    /// For a published revision: what its publication changed.
    pub changes: Vec<FieldChange>,
    /// A draft whose entry was revised since it was drafted cannot be published as it is.
    pub stale: bool,
}

/// One publication: a new version of the library, what it changed, and what that did to the
/// stored plans.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Publication {
    pub number: i64,
    pub version: String,
    pub revision_id: String,
    pub urn: String,
    pub title_en: String,
    pub title_zh: String,
    pub changes: Vec<FieldChange>,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
    /// Stored plans re-evaluated against this version and how many it changed (`null` while
    /// the check has not finished).
    pub plans_checked: Option<i64>,
    pub plans_changed: Option<i64>,
}

/// One entry of the library as a list shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EntrySummary {
    pub urn: String,
    pub jurisdiction: String,
    pub topic: String,
    pub title_en: String,
    pub title_zh: String,
    pub status: String,
    pub effective_from: String,
    pub effective_to: Option<String>,
    pub verified: bool,
    pub sources: Vec<String>,
    /// The deployment's current revision of the entry, if it revised the build's.
    pub revision: Option<String>,
}

/// The library this deployment uses.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LibraryOverview {
    pub version: String,
    pub disclaimer: String,
    pub entries: Vec<EntrySummary>,
    /// The newest publications, newest first.
    pub publications: Vec<Publication>,
}

/// One entry, whole, with its revisions the reader may see.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EntryDetail {
    pub version: String,
    pub summary: EntrySummary,
    #[schema(value_type = Object)]
    pub entry: Value,
    pub revisions: Vec<Revision>,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
pub struct LibraryQuery {
    /// Only this jurisdiction's entries (`CN`, `VN`, ...).
    pub jurisdiction: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
pub struct RevisionQuery {
    /// Only revisions in this state.
    pub state: Option<String>,
}

/// A proposal: the whole entry in the file's format, and why.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct ProposeRevision {
    #[schema(value_type = Object)]
    pub entry: Value,
    pub note: String,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct RejectRevision {
    #[serde(default)]
    pub note: String,
}

fn summary(o: &super::library::Obligation, published: &Current) -> EntrySummary {
    EntrySummary {
        urn: o.urn.clone(),
        jurisdiction: o.jurisdiction.clone(),
        topic: o.topic.clone(),
        title_en: o.title_en.clone(),
        title_zh: o.title_zh.clone(),
        status: o.status.clone(),
        effective_from: o.effective_from.to_string(),
        effective_to: o.effective_to.map(|d| d.to_string()),
        verified: o.verified,
        sources: o.sources.clone(),
        revision: published
            .iter()
            .find(|(_, urn, _)| *urn == o.urn)
            .map(|(id, _, _)| id.clone()),
    }
}

fn publication(row: PublicationRow, file_version: &str) -> Result<Publication> {
    let entry: Value = serde_json::from_str(&row.body).map_err(anyhow::Error::from)?;
    Ok(Publication {
        number: row.number,
        version: version_name(file_version, row.number),
        revision_id: row.revision_id,
        urn: row.urn,
        title_en: entry["title_en"].as_str().unwrap_or_default().to_owned(),
        title_zh: entry["title_zh"].as_str().unwrap_or_default().to_owned(),
        changes: serde_json::from_str(&row.changes).map_err(anyhow::Error::from)?,
        published_by: row.publisher_name,
        published_at: row.published_at,
        plans_checked: row.plans_checked,
        plans_changed: row.plans_changed,
    })
}

fn file_version() -> Result<String> {
    Ok(Library::get().map_err(internal)?.version.clone())
}

/// The library as this deployment uses it, with its newest publications.
pub async fn overview(store: &Store, q: &LibraryQuery) -> Result<LibraryOverview> {
    let lib = current(store).await?;
    let published = published_entries(store).await?;
    let jurisdiction = q
        .jurisdiction
        .as_deref()
        .map(|j| j.trim().to_ascii_uppercase())
        .filter(|j| !j.is_empty());
    if let Some(j) = &jurisdiction
        && !super::library::JURISDICTIONS.contains(&j.as_str())
    {
        return Err(AppError::invalid("jurisdiction", "unknown_country"));
    }
    let file = file_version()?;
    let publications = store
        .library_publications(20)
        .await?
        .into_iter()
        .map(|p| publication(p, &file))
        .collect::<Result<_>>()?;
    Ok(LibraryOverview {
        version: lib.version.clone(),
        disclaimer: lib.disclaimer.clone(),
        entries: lib
            .obligations
            .iter()
            .filter(|o| jurisdiction.as_ref().is_none_or(|j| *j == o.jurisdiction))
            .map(|o| summary(o, &published))
            .collect(),
        publications,
    })
}

/// One entry, with the revisions of it the reader may see.
pub async fn entry(store: &Store, actor: Option<&Actor>, urn: &str) -> Result<EntryDetail> {
    let lib = current(store).await?;
    let o = lib.obligation(urn).ok_or(AppError::NotFound)?;
    let published = published_entries(store).await?;
    let mut revisions = Vec::new();
    for row in store.library_revisions(Some(urn), None, 200).await? {
        if readable(actor, &row) {
            revisions.push(view(store, &lib, &published, row).await?);
        }
    }
    Ok(EntryDetail {
        version: lib.version.clone(),
        summary: summary(o, &published),
        entry: o.entry.clone(),
        revisions,
    })
}

fn readable(actor: Option<&Actor>, row: &RevisionRow) -> bool {
    library_edit::can_read(
        actor,
        &row.state,
        &row.author_id,
        row.author_org_id.as_deref(),
    )
}

/// A revision as shown; `published` (the current revisions) tells whether a draft is stale.
async fn view(
    store: &Store,
    lib: &Library,
    published: &Current,
    row: RevisionRow,
) -> Result<Revision> {
    let entry: Value = serde_json::from_str(&row.body).map_err(anyhow::Error::from)?;
    let current = lib.obligation(&row.urn);
    let (changes, stale) = match (row.state.as_str(), row.publication) {
        ("draft", _) => {
            let current_revision = published
                .iter()
                .find(|(_, urn, _)| *urn == row.urn)
                .map(|(id, _, _)| id);
            (
                library_edit::changes(current.map(|o| &o.entry), &entry),
                current_revision != row.base_revision.as_ref(),
            )
        }
        (_, Some(n)) => match store.library_publication(n).await? {
            Some(p) => (
                serde_json::from_str(&p.changes).map_err(anyhow::Error::from)?,
                false,
            ),
            None => (Vec::new(), false),
        },
        _ => (
            library_edit::changes(current.map(|o| &o.entry), &entry),
            false,
        ),
    };
    Ok(Revision {
        id: row.id,
        urn: row.urn,
        state: row.state,
        note: row.note,
        has_source: library_edit::has_source(&entry),
        entry,
        base_revision: row.base_revision,
        author: row.author_name,
        author_id: row.author_id,
        organization: match (
            row.author_org_id,
            row.org_slug,
            row.org_name_en,
            row.org_name_zh,
        ) {
            (Some(id), Some(slug), Some(name_en), Some(name_zh)) => Some(OwnerRef {
                id,
                slug,
                name_en,
                name_zh,
            }),
            _ => None,
        },
        created_at: row.created_at,
        decided_at: row.decided_at,
        decision_note: row.decision_note,
        publication: row.publication,
        changes,
        stale,
    })
}

/// Revisions the reader may see, newest first (the bureau: all; a firm's lawyers: their
/// firm's and every published one).
pub async fn list(store: &Store, actor: &Actor, q: &RevisionQuery) -> Result<Vec<Revision>> {
    let state = match q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if library_edit::STATES.contains(&s) => Some(s),
        Some(_) => return Err(AppError::invalid("state", "unknown_state")),
        None => None,
    };
    let lib = current(store).await?;
    let published = published_entries(store).await?;
    let mut out = Vec::new();
    for row in store.library_revisions(None, state, 200).await? {
        if readable(Some(actor), &row) {
            out.push(view(store, &lib, &published, row).await?);
        }
    }
    Ok(out)
}

pub async fn get(store: &Store, actor: Option<&Actor>, id: &LibraryRevisionId) -> Result<Revision> {
    let row = store
        .library_revision(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !readable(actor, &row) {
        return Err(AppError::NotFound);
    }
    let lib = current(store).await?;
    let published = published_entries(store).await?;
    view(store, &lib, &published, row).await
}

/// Proposes a revision of an entry (or a new entry), checked against the library it would join.
pub async fn propose(store: &Store, actor: &Actor, input: &ProposeRevision) -> Result<Revision> {
    let Some(org) = library_edit::proposer(actor) else {
        return Err(AppError::Forbidden);
    };
    let note = text("note", &input.note, true, 2000)?;
    let body = serde_json::to_string(&input.entry).map_err(anyhow::Error::from)?;
    if body.len() > 64 * 1024 {
        return Err(AppError::invalid("entry", "too_long"));
    }
    let urn = library_edit::urn_of(&input.entry)?.to_owned();
    let published = published_entries(store).await?;
    library_edit::check_entry(&input.entry, &entries(&published))?;
    let base = published
        .iter()
        .find(|(_, u, _)| *u == urn)
        .map(|(id, _, _)| id.as_str());
    let id = store
        .insert_library_revision(
            &Who::from(actor),
            &NewRevision {
                urn: &urn,
                body: &body,
                base_revision: base,
                note: &note,
                author_org_id: org.map(|m| m.organization_id.as_str()),
            },
        )
        .await?;
    get(store, Some(actor), &id).await
}

/// Publishes a draft: a new version of the library. Every stored plan is then checked against
/// it before the answer, so the publication says how many plans it changed.
pub async fn publish(store: &Store, actor: &Actor, id: &LibraryRevisionId) -> Result<Publication> {
    let row = store
        .library_revision(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !readable(Some(actor), &row) {
        return Err(AppError::NotFound);
    }
    if !library_edit::can_publish(actor) {
        return Err(AppError::Forbidden);
    }
    let entry: Value = serde_json::from_str(&row.body).map_err(anyhow::Error::from)?;
    if !library_edit::has_source(&entry) {
        return Err(AppError::invalid("entry.sources", "no_source"));
    }
    let before = current(store).await?;
    // Checked again: another entry may have been published since this one was drafted.
    library_edit::check_entry(&entry, &entries(&published_entries(store).await?))?;
    let changes = library_edit::changes(before.obligation(&row.urn).map(|o| &o.entry), &entry);
    let changes_json = serde_json::to_string(&changes).map_err(anyhow::Error::from)?;
    let number = match store
        .publish_library_revision(&Who::from(actor), &row, &changes_json)
        .await?
    {
        Published::As(n) => n,
        Published::Stale => return Err(AppError::Conflict("library_entry_changed")),
        Published::NotDraft => return Err(AppError::Conflict("revision_decided")),
    };
    let lib = current(store).await?;
    let checked = check_against_library_of(store, &lib, crate::jurisdiction::today()).await?;
    store
        .record_publication_check(number, checked.checked, checked.changed)
        .await?;
    let row = store
        .library_publication(number)
        .await?
        .ok_or(AppError::NotFound)?;
    publication(row, &file_version()?)
}

/// Rejects a draft (the bureau), or withdraws it (its author).
pub async fn reject(
    store: &Store,
    actor: &Actor,
    id: &LibraryRevisionId,
    input: &RejectRevision,
) -> Result<Revision> {
    let row = store
        .library_revision(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !readable(Some(actor), &row) {
        return Err(AppError::NotFound);
    }
    if !library_edit::can_reject(actor, &row.author_id) {
        return Err(AppError::Forbidden);
    }
    let note = text("note", &input.note, false, 2000)?;
    if !store
        .reject_library_revision(&Who::from(actor), &row, &note)
        .await?
    {
        return Err(AppError::Conflict("revision_decided"));
    }
    get(store, Some(actor), id).await
}

/// One publication: what it changed and what that did to the stored plans.
pub async fn publication_of(store: &Store, number: i64) -> Result<Publication> {
    let row = store
        .library_publication(number)
        .await?
        .ok_or(AppError::NotFound)?;
    publication(row, &file_version()?)
}
