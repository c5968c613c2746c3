//! One function per change to a matter: check the policy, validate, write. The API and the
//! pages both call these and only translate HTTP; the rules live in `policy.rs`.

use std::collections::BTreeMap;

use chrono::Duration;

use super::files::Staged;
use super::kind::{MatterKind, STATUSES, parse_roles};
use super::model::*;
use super::policy::{self, Standing};
use super::store::{MatterRow, Member};
use super::store_work::{DocumentRow, Filing, TaskFields};
use super::when;
use crate::anchoring::record::{FileDigest, LedgerRecord, VERSION, new_salt};
use crate::app::AppState;
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::directory::validate::text;
use crate::{AppError, Result};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 14;

/// A matter the actor may see, with where they stand in it.
pub struct Loaded {
    pub row: MatterRow,
    pub standing: Standing,
}

impl Loaded {
    pub fn view(&self) -> Matter {
        self.row
            .view(self.standing.role.clone(), self.standing.staff)
    }
}

/// The matter if the actor is in its circle; otherwise it does not exist (404).
pub async fn load(state: &AppState, actor: &Actor, id: &str) -> Result<Loaded> {
    let row = state
        .store
        .matter_row(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = state.store.participant_role(id, &actor.user_id).await?;
    let standing = policy::standing(actor, row.kind(), &row.owner_org_id, role.as_deref())
        .ok_or(AppError::NotFound)?;
    Ok(Loaded { row, standing })
}

fn require(allowed: bool) -> Result<()> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn kind(text: &str) -> Result<MatterKind> {
    MatterKind::parse(text.trim()).ok_or_else(|| AppError::invalid("kind", "unknown_kind"))
}

fn role(kind: MatterKind, field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if kind.has_role(text) {
        Ok(text.to_string())
    } else {
        Err(AppError::invalid(field, "unknown_role"))
    }
}

pub async fn open_matter(state: &AppState, actor: &Actor, input: &NewMatter) -> Result<Matter> {
    let kind = kind(&input.kind)?;
    let title = text("title", &input.title, true, 200)?;
    let owner = match input
        .organization
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        Some(key) => actor
            .memberships
            .iter()
            .find(|m| m.organization_id == key || m.slug == key)
            .ok_or_else(|| AppError::invalid("organization", "not_a_member"))?,
        None => actor
            .memberships
            .first()
            .ok_or_else(|| AppError::invalid("organization", "not_a_member"))?,
    };
    require(policy::can_open(actor, &owner.organization_id))?;
    let id = state
        .store
        .create_matter(
            &Who::from(actor),
            &actor.user_id,
            kind,
            &owner.organization_id,
            &owner.slug,
            &title,
        )
        .await?;
    Ok(load(state, actor, &id).await?.view())
}

pub async fn change_matter(
    state: &AppState,
    actor: &Actor,
    id: &str,
    input: &MatterChange,
) -> Result<Matter> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_lead())?;
    let title = match &input.title {
        Some(t) => text("title", t, true, 200)?,
        None => m.row.title.clone(),
    };
    let status = match input.status.as_deref().map(str::trim) {
        Some(s) if STATUSES.contains(&s) => s.to_string(),
        Some(_) => return Err(AppError::invalid("status", "unknown_status")),
        None => m.row.status.clone(),
    };
    state
        .store
        .change_matter(&Who::from(actor), &actor.user_id, &m.row, &title, &status)
        .await?;
    Ok(load(state, actor, id).await?.view())
}

/// Adds a known user at once; an unknown email gets a one-time invitation link.
pub async fn add_participant(
    state: &AppState,
    actor: &Actor,
    id: &str,
    input: &NewParticipant,
) -> Result<ParticipantAdded> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_lead())?;
    let role = role(m.row.kind(), "role", &input.role)?;
    let email = crate::auth::store::normalize_email(&input.email)?;
    let who = Who::from(actor);
    if let Some(user_id) = state.store.user_id_by_email(&email).await? {
        let user = state
            .store
            .actor_for_user(&user_id)
            .await?
            .ok_or_else(|| AppError::invalid("email", "inactive_user"))?;
        state
            .store
            .add_participant(
                &who,
                &actor.user_id,
                &m.row,
                &user_id,
                &user.name,
                &role,
                &state.settings.public_url(),
            )
            .await?;
        let participant = state
            .store
            .members(id)
            .await?
            .into_iter()
            .find(|p| p.user_id == user_id)
            .map(participant);
        return Ok(ParticipantAdded {
            participant,
            invitation: None,
            link: None,
        });
    }
    let (invitation, token) = state
        .store
        .invite(
            &who,
            &actor.user_id,
            &m.row,
            &email,
            &role,
            Duration::days(INVITATION_DAYS),
            &state.settings.public_url(),
        )
        .await?;
    Ok(ParticipantAdded {
        participant: None,
        invitation: Some(invitation),
        link: Some(format!(
            "{}/invitations/{token}",
            state.settings.public_url()
        )),
    })
}

pub fn participant(m: Member) -> Participant {
    Participant {
        user_id: m.user_id,
        name: m.name,
        email: m.email,
        role: m.role,
        added_at: m.added_at,
    }
}

pub async fn remove_participant(
    state: &AppState,
    actor: &Actor,
    id: &str,
    user_id: &str,
) -> Result<()> {
    let m = load(state, actor, id).await?;
    // Anyone may leave; only those who lead remove others.
    require(user_id == actor.user_id || m.standing.can_lead())?;
    let members = state.store.members(id).await?;
    let member = members
        .iter()
        .find(|p| p.user_id == user_id)
        .ok_or(AppError::NotFound)?;
    // A matter always keeps someone who leads it.
    let leads = m.row.kind().rules().lead_roles;
    let other_leads = members
        .iter()
        .filter(|p| p.user_id != user_id && leads.contains(&p.role.as_str()))
        .count();
    if leads.contains(&member.role.as_str()) && other_leads == 0 {
        return Err(AppError::Conflict("last_lead"));
    }
    state
        .store
        .remove_participant(&Who::from(actor), &actor.user_id, &m.row, member)
        .await
}

/// What an invitation link shows before it is accepted.
pub struct InvitationView {
    pub id: String,
    pub matter: MatterRow,
    pub role: String,
    /// The address it was sent to; an account made from the link gets this address.
    pub email: String,
}

/// The invitation behind a token, if it can still be used; otherwise why not.
pub async fn invitation(state: &AppState, token: &str) -> Result<InvitationView> {
    let (id, matter_id, role, expires_at, accepted, email) = state
        .store
        .invitation_by_token(token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    if accepted {
        return Err(AppError::Conflict("invitation_used"));
    }
    if expires_at <= crate::ids::now() {
        return Err(AppError::Conflict("invitation_expired"));
    }
    let matter = state
        .store
        .matter_row(&matter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(InvitationView {
        id,
        matter,
        role,
        email,
    })
}

/// Someone invited without an account makes one from the link (name and password; the address
/// is the invited one) and joins. An address that has an account signs in to accept instead.
pub async fn register_by_invitation(
    state: &AppState,
    token: &str,
    input: &Registration,
) -> Result<(String, Matter)> {
    let inv = invitation(state, token).await?;
    if state.store.user_id_by_email(&inv.email).await?.is_some() {
        return Err(AppError::Conflict("email_taken"));
    }
    let user_id = state
        .store
        .add_user(
            &Who {
                user_id: None,
                label: format!("invitation:{}", inv.id),
            },
            crate::auth::store::NewUser {
                email: &inv.email,
                name: &text("name", &input.name, true, 200)?,
                password: &input.password,
                platform_role: None,
                memberships: Vec::new(),
            },
        )
        .await?;
    let actor = state
        .store
        .actor_for_user(&user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let matter = accept_invitation(state, &actor, token).await?;
    Ok((user_id, matter))
}

pub async fn accept_invitation(state: &AppState, actor: &Actor, token: &str) -> Result<Matter> {
    let inv = invitation(state, token).await?;
    state
        .store
        .accept_invitation(
            &Who::from(actor),
            &inv.id,
            &inv.matter,
            &actor.user_id,
            &actor.name,
            &inv.role,
        )
        .await?;
    Ok(load(state, actor, &inv.matter.id).await?.view())
}

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
pub async fn check_filing(state: &AppState, actor: &Actor, id: &str) -> Result<Loaded> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_work())?;
    Ok(m)
}

/// Files a staged upload: validates its metadata, moves the content under its hash, writes the
/// rows with its ledger record queued in the same transaction, then waits (bounded) for the
/// record's index. On any refusal the staged content is dropped. `request_key` (from an
/// `Idempotency-Key`) makes a retried upload answer with the first document.
pub async fn file_document(
    state: &AppState,
    actor: &Actor,
    id: &str,
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
                let doc = state
                    .store
                    .document(id, old)
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
        Ok((m, doc_role.to_string(), visible_to, replaces))
    }
    .await;
    let (m, doc_role, visible_to, replaces) = match checked {
        Ok(v) => v,
        Err(e) => {
            files.discard(staged).await;
            return Err(e);
        }
    };
    files.commit(staged).await?;
    let members = state.store.members(id).await?;
    let name = clean_file_name(&meta.name);
    let doc_id = crate::ids::new_id();
    let queued = state.ledger.as_ref().map(|_| {
        let record = document_record(
            &m.row.id,
            &doc_id,
            &doc_role,
            &staged.sha256,
            crate::ids::now(),
        );
        crate::anchoring::outbox::Queued::new(
            String::from_utf8_lossy(&record.canonical_bytes()).into_owned(),
            request_key.clone(),
        )
    });
    let filed = state
        .store
        .file_document(
            &Who::from(actor),
            &Filing {
                id: &doc_id,
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
            },
            &members,
            &state.settings.public_url(),
        )
        .await?;
    let doc = state
        .store
        .document(id, &filed)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(anchor_index(state, doc).await?.view())
}

/// The ledger index of a filed document, from the outbox once a sequencer has appended its
/// record (waiting up to the ledger's append wait). Still queued: the document answers without
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
        state.store.set_document_anchor(&doc.id, index).await?;
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
    id: &str,
    doc_id: &str,
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
    id: &str,
    doc_id: &str,
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
        vkey: ledger.vkey.clone(),
        origin: ledger.origin().to_string(),
    })
}

pub async fn post_message(
    state: &AppState,
    actor: &Actor,
    id: &str,
    input: &NewMessage,
) -> Result<Message> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_work())?;
    let body = text("body", &input.body, true, 10_000)?;
    let to_roles = parse_roles(m.row.kind(), "to_roles", &input.to_roles.join(" "))?;
    let members = state.store.members(id).await?;
    let msg_id = state
        .store
        .post_message(
            &Who::from(actor),
            &m.row,
            &actor.user_id,
            &actor.name,
            &body,
            &to_roles,
            &members,
            &state.settings.public_url(),
        )
        .await?;
    messages(state, actor, id, false)
        .await?
        .into_iter()
        .find(|msg| msg.id == msg_id)
        .ok_or(AppError::NotFound)
}

/// The messages the actor may read; with `mark_read`, they become read.
pub async fn messages(
    state: &AppState,
    actor: &Actor,
    id: &str,
    mark_read: bool,
) -> Result<Vec<Message>> {
    let m = load(state, actor, id).await?;
    let rows = state.store.messages(id, &actor.user_id).await?;
    let visible: Vec<Message> = rows
        .into_iter()
        .map(
            |(id, author_id, author_name, body, to_roles, created_at, read)| Message {
                to_roles: crate::matters::kind::split_roles(&to_roles),
                id,
                author_id,
                author_name,
                body,
                created_at,
                read,
            },
        )
        .filter(|msg| {
            m.standing
                .can_see(&msg.to_roles, msg.author_id == actor.user_id)
        })
        .collect();
    if mark_read {
        let unread: Vec<String> = visible
            .iter()
            .filter(|m| !m.read)
            .map(|m| m.id.clone())
            .collect();
        if !unread.is_empty() {
            state
                .store
                .mark_messages_read(&actor.user_id, &unread)
                .await?;
        }
    }
    Ok(visible)
}

pub async fn timeline(
    state: &AppState,
    actor: &Actor,
    id: &str,
    locale: &str,
) -> Result<Vec<TimelineEvent>> {
    let m = load(state, actor, id).await?;
    let rows = state.store.timeline(id).await?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, _, _, _, visible)| {
            m.standing
                .can_see(&crate::matters::kind::split_roles(visible), false)
        })
        .map(
            |(id, at, kind, actor_name, object_id, args, _)| TimelineEvent {
                text: super::text::render("event", &kind, &args, locale),
                id,
                at,
                kind,
                actor_name,
                object_id,
            },
        )
        .collect())
}

fn assignee(
    kind: MatterKind,
    members: &[Member],
    email: Option<&str>,
    role_text: Option<&str>,
) -> Result<(Option<String>, Option<String>)> {
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    let role_text = role_text.map(str::trim).filter(|r| !r.is_empty());
    let user = match email {
        Some(e) => {
            let e = e.to_lowercase();
            Some(
                members
                    .iter()
                    .find(|m| m.email == e)
                    .ok_or_else(|| AppError::invalid("assignee_email", "not_a_participant"))?
                    .user_id
                    .clone(),
            )
        }
        None => None,
    };
    let role = match role_text {
        Some(r) => Some(role(kind, "assignee_role", r)?),
        None => None,
    };
    Ok((user, role))
}

pub async fn create_task(
    state: &AppState,
    actor: &Actor,
    id: &str,
    input: &NewTask,
) -> Result<Task> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_work())?;
    let members = state.store.members(id).await?;
    let prefs = state.store.preferences(&actor.user_id).await?;
    let zone_text = input.time_zone.clone().unwrap_or(prefs.time_zone.clone());
    let zone = when::parse_zone("time_zone", &zone_text)?;
    let due_at = match input
        .due
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(d) => Some(when::local_to_utc("due", d, zone)?),
        None => None,
    };
    let (assignee_user_id, assignee_role) = assignee(
        m.row.kind(),
        &members,
        input.assignee_email.as_deref(),
        input.assignee_role.as_deref(),
    )?;
    let fields = TaskFields {
        title: text("title", &input.title, true, 200)?,
        notes: text("notes", &input.notes, false, 5000)?,
        assignee_user_id,
        assignee_role,
        due_at,
        time_zone: zone.name().to_string(),
        status: "open".into(),
    };
    let task_id = state
        .store
        .create_task(
            &Who::from(actor),
            &m.row,
            &actor.user_id,
            &fields,
            &members,
            &state.settings.public_url(),
        )
        .await?;
    task(state, actor, id, &task_id).await
}

pub async fn update_task(
    state: &AppState,
    actor: &Actor,
    id: &str,
    task_id: &str,
    input: &TaskEdit,
) -> Result<Task> {
    let m = load(state, actor, id).await?;
    let old = state
        .store
        .task(id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    require(m.standing.can_edit_task(
        &actor.user_id,
        &old.created_by,
        old.assignee_user_id.as_deref(),
        old.assignee_role.as_deref(),
    ))?;
    if input.version != old.version {
        return Err(AppError::Conflict("task_changed"));
    }
    let members = state.store.members(id).await?;
    let zone_text = input.time_zone.clone().unwrap_or(old.time_zone.clone());
    let zone = when::parse_zone("time_zone", &zone_text)?;
    let due_at = match input.due.as_deref().map(str::trim) {
        Some("") => None,
        Some(d) => Some(when::local_to_utc("due", d, zone)?),
        None => old.due_at,
    };
    let (mut assignee_user_id, mut assignee_role) =
        (old.assignee_user_id.clone(), old.assignee_role.clone());
    if input.assignee_email.is_some() || input.assignee_role.is_some() {
        (assignee_user_id, assignee_role) = assignee(
            m.row.kind(),
            &members,
            input.assignee_email.as_deref(),
            input.assignee_role.as_deref(),
        )?;
    }
    let status = match input.status.as_deref().map(str::trim) {
        Some(s) if ["open", "done", "cancelled"].contains(&s) => s.to_string(),
        Some(_) => return Err(AppError::invalid("status", "unknown_status")),
        None => old.status.clone(),
    };
    let fields = TaskFields {
        title: match &input.title {
            Some(t) => text("title", t, true, 200)?,
            None => old.title.clone(),
        },
        notes: match &input.notes {
            Some(n) => text("notes", n, false, 5000)?,
            None => old.notes.clone(),
        },
        assignee_user_id,
        assignee_role,
        due_at,
        time_zone: zone.name().to_string(),
        status,
    };
    state
        .store
        .update_task(
            &Who::from(actor),
            &m.row,
            &actor.user_id,
            &old,
            input.version,
            &fields,
            &members,
            &state.settings.public_url(),
        )
        .await?;
    task(state, actor, id, task_id).await
}

pub fn task_view(t: super::store_work::TaskRow) -> Task {
    let due_local = t
        .due_at
        .map(|d| when::in_zone(d, when::stored_zone(&t.time_zone)));
    Task {
        id: t.id,
        matter_id: t.matter_id,
        title: t.title,
        notes: t.notes,
        assignee_user_id: t.assignee_user_id,
        assignee_name: t.assignee_name,
        assignee_role: t.assignee_role,
        due_at: t.due_at,
        time_zone: t.time_zone,
        due_local,
        status: t.status,
        version: t.version,
        created_by: t.created_by,
        created_at: t.created_at,
        updated_at: t.updated_at,
    }
}

pub async fn task(state: &AppState, actor: &Actor, id: &str, task_id: &str) -> Result<Task> {
    load(state, actor, id).await?;
    let t = state
        .store
        .task(id, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(task_view(t))
}

/// Open tasks due in the next 7 days (`due_soon`) or already past (`overdue`) across the
/// actor's matters.
pub async fn tasks_due(state: &AppState, actor: &Actor, view: &str) -> Result<Vec<(Task, String)>> {
    let now = crate::ids::now();
    let (from, until) = match view {
        "due_soon" => (Some(now), now + Duration::days(7)),
        "overdue" => (None, now),
        _ => return Err(AppError::invalid("view", "unknown_view")),
    };
    let ids = my_matter_ids(state, actor).await?;
    Ok(state
        .store
        .tasks_due(&ids, from, until)
        .await?
        .into_iter()
        .map(|(t, reference)| (task_view(t), reference))
        .collect())
}

async fn my_matter_ids(state: &AppState, actor: &Actor) -> Result<Vec<String>> {
    let (rows, _) = state
        .store
        .my_matters(actor, None, Some("open"), None, 1, 10_000)
        .await?;
    Ok(rows.into_iter().map(|(r, _)| r.id).collect())
}

pub fn meeting_view(m: super::store_work::MeetingRow, reader_zone: chrono_tz::Tz) -> Meeting {
    Meeting {
        starts_local: when::in_zone(m.starts_at, reader_zone),
        ends_local: when::in_zone(m.ends_at, reader_zone),
        reader_time_zone: reader_zone.name().to_string(),
        id: m.id,
        matter_id: m.matter_id,
        kind: m.kind,
        title: m.title,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        time_zone: m.time_zone,
        location: m.location,
        online_url: m.online_url,
    }
}

pub async fn create_meeting(
    state: &AppState,
    actor: &Actor,
    id: &str,
    input: &NewMeeting,
) -> Result<Meeting> {
    let m = load(state, actor, id).await?;
    require(m.standing.can_work())?;
    let kind = input.kind.trim();
    if !m.row.kind().rules().meeting_kinds.contains(&kind) {
        return Err(AppError::invalid("kind", "unknown_meeting_kind"));
    }
    let zone = when::parse_zone("time_zone", &input.time_zone)?;
    let starts_at = when::local_to_utc("starts", &input.starts, zone)?;
    let minutes = input.duration_minutes.unwrap_or(60);
    if !(5..=24 * 60).contains(&minutes) {
        return Err(AppError::invalid("duration_minutes", "out_of_range"));
    }
    let online_url = input.online_url.trim();
    if !online_url.is_empty()
        && !(online_url.starts_with("https://") || online_url.starts_with("http://"))
    {
        return Err(AppError::invalid("online_url", "url"));
    }
    let members = state.store.members(id).await?;
    let meeting_id = state
        .store
        .create_meeting(
            &Who::from(actor),
            &m.row,
            &actor.user_id,
            kind,
            &text("title", &input.title, true, 200)?,
            starts_at,
            starts_at + Duration::minutes(minutes),
            zone.name(),
            &text("location", &input.location, false, 300)?,
            &text("online_url", online_url, false, 500)?,
            &members,
            &state.settings.public_url(),
        )
        .await?;
    let reader = when::stored_zone(&state.store.preferences(&actor.user_id).await?.time_zone);
    let row = state
        .store
        .meeting(id, &meeting_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(meeting_view(row, reader))
}

/// The `.ics` of one meeting of a matter the actor is in.
pub async fn meeting_ics(
    state: &AppState,
    actor: &Actor,
    id: &str,
    meeting_id: &str,
) -> Result<String> {
    let m = load(state, actor, id).await?;
    let row = state
        .store
        .meeting(id, meeting_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(super::ics::calendar(
        &m.row.reference,
        &[ics_event(state, &row, &m.row.reference)],
    ))
}

pub fn ics_event<'a>(
    state: &AppState,
    row: &'a super::store_work::MeetingRow,
    reference: &'a str,
) -> super::ics::Event<'a> {
    let _ = state;
    super::ics::Event {
        uid: &row.id,
        sequence: row.sequence,
        stamp: row.created_at,
        starts: row.starts_at,
        ends: row.ends_at,
        summary: &row.title,
        description: reference,
        location: &row.location,
        url: &row.online_url,
    }
}

/// A user's private feed of every meeting in their matters.
pub async fn calendar_feed(state: &AppState, token: &str) -> Result<String> {
    let user_id = state
        .store
        .calendar_feed_user(token.trim_end_matches(".ics"))
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = state.store.meetings_of_user(&user_id).await?;
    let events: Vec<_> = rows
        .iter()
        .map(|(row, reference)| super::ics::Event {
            uid: &row.id,
            sequence: row.sequence,
            stamp: row.created_at,
            starts: row.starts_at,
            ends: row.ends_at,
            summary: &row.title,
            description: reference,
            location: &row.location,
            url: &row.online_url,
        })
        .collect();
    Ok(super::ics::calendar("Corridor", &events))
}

/// A new private feed URL (the old one stops working).
pub async fn renew_calendar_feed(state: &AppState, actor: &Actor) -> Result<String> {
    let token = crate::ids::random_token();
    state
        .store
        .renew_calendar_feed(&Who::from(actor), &actor.user_id, &token)
        .await?;
    Ok(format!(
        "{}/calendar/{token}.ics",
        state.settings.public_url()
    ))
}

pub async fn revoke_calendar_feed(state: &AppState, actor: &Actor) -> Result<()> {
    state
        .store
        .revoke_calendar_feed(&Who::from(actor), &actor.user_id)
        .await
}

/// The zone times are shown in and the language email is written in.
pub async fn set_preferences(
    state: &AppState,
    actor: &Actor,
    input: &Preferences,
) -> Result<Preferences> {
    let zone = when::parse_zone("time_zone", &input.time_zone)?;
    let locale = crate::web::Locale::parse(&input.locale)
        .ok_or_else(|| AppError::invalid("locale", "unknown_language"))?;
    let prefs = super::store::Preferences {
        locale: locale.tag().to_string(),
        time_zone: zone.name().to_string(),
    };
    state
        .store
        .set_preferences(&Who::from(actor), &actor.user_id, &prefs)
        .await?;
    Ok(Preferences {
        locale: prefs.locale,
        time_zone: prefs.time_zone,
    })
}

/// Everything in a matter the actor may see.
pub async fn detail(state: &AppState, actor: &Actor, id: &str) -> Result<MatterDetail> {
    let m = load(state, actor, id).await?;
    let reader = when::stored_zone(&state.store.preferences(&actor.user_id).await?.time_zone);
    let documents = state
        .store
        .documents(id)
        .await?
        .into_iter()
        .filter(|d| {
            m.standing.can_see(
                &crate::matters::kind::split_roles(&d.visible_to),
                d.filed_by == actor.user_id,
            )
        })
        .map(|d| d.view())
        .collect();
    let invitations = if m.standing.can_lead() {
        state.store.open_invitations(id).await?
    } else {
        Vec::new()
    };
    let unread_messages = state
        .store
        .messages(id, &actor.user_id)
        .await?
        .into_iter()
        .filter(|(_, author, _, _, to_roles, _, read)| {
            !read
                && m.standing.can_see(
                    &crate::matters::kind::split_roles(to_roles),
                    author == &actor.user_id,
                )
        })
        .count() as i64;
    Ok(MatterDetail {
        participants: state
            .store
            .members(id)
            .await?
            .into_iter()
            .map(participant)
            .collect(),
        invitations,
        documents,
        tasks: state
            .store
            .tasks(id)
            .await?
            .into_iter()
            .map(task_view)
            .collect(),
        meetings: state
            .store
            .meetings(id)
            .await?
            .into_iter()
            .map(|row| meeting_view(row, reader))
            .collect(),
        unread_messages,
        matter: m.view(),
    })
}

pub async fn my_matters(state: &AppState, actor: &Actor, q: &MatterQuery) -> Result<MatterPage> {
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(kind(k)?),
        None => None,
    };
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if STATUSES.contains(&s) => Some(s),
        Some(_) => return Err(AppError::invalid("status", "unknown_status")),
        None => None,
    };
    let role = match q.role.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if MatterKind::ALL.iter().any(|k| k.has_role(r)) => Some(r),
        Some(_) => return Err(AppError::invalid("role", "unknown_role")),
        None => None,
    };
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(25);
    if !(1..=10_000).contains(&page) {
        return Err(AppError::invalid("page", "out_of_range"));
    }
    if !(1..=100).contains(&per_page) {
        return Err(AppError::invalid("per_page", "out_of_range"));
    }
    let (rows, total) = state
        .store
        .my_matters(actor, kind, status, role, page, per_page)
        .await?;
    Ok(MatterPage {
        items: rows
            .into_iter()
            .map(|(row, role)| {
                let staff = policy::standing(actor, row.kind(), &row.owner_org_id, role.as_deref())
                    .is_some_and(|s| s.staff);
                row.view(role, staff)
            })
            .collect(),
        total,
        page,
        per_page,
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
