//! The video session of a booked application, step by step, for the API and the session page:
//! the notary records identity checks and the questions and answers, uploads the recording
//! (refused unless it matches the hash announced with it) and closes the session; the
//! applicant consents to the recording and signs. [`super::session`] says what is allowed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::actions::{loaded, office_side};
use super::application::{Status, Step};
use super::session::{IDENTITY_STEPS, IdentityCheck, QaPair, Recording, Session, Signature};
use super::signal::Side;
use super::store::{ApplicationRow, Move};
use super::workflow::take_step;
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::directory::validate::text;
use crate::ids::MatterId;
use crate::matters::actions::{DocumentMeta, Loaded, file_document, file_generated};
use crate::matters::files::Staged;
use crate::state::AppState;
use crate::{AppError, Result};

/// What the applicant signs, in both languages.
pub const STATEMENT: &str = "我确认询问笔录及所签文书的内容属实，系本人真实意思表示。 / I confirm that the record of \
     questions and answers and the document I sign are true and express my own will.";

/// An ICE server the browsers use (TURN, when configured).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IceServer {
    pub urls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub application_status: Status,
    /// The reader's side: `applicant` or `notary` (the office's notaries).
    pub side: String,
    pub session: Session,
    /// What still blocks closing the session, in order (identity steps, `consent`,
    /// `recording`, `qa`, `signature`).
    pub missing: Vec<String>,
    pub identity_verified: bool,
    pub identity_steps: Vec<String>,
    /// The statement the applicant signs.
    pub statement: String,
    pub version: i64,
    /// For `RTCPeerConnection`; empty on one network.
    pub ice_servers: Vec<IceServer>,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityInput {
    /// `document_checked`, `face_matched` or `residence_checked`.
    pub step: String,
    pub passed: bool,
    #[serde(default)]
    pub note: String,
    /// The session's version read; absent = whatever it is now.
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QaInput {
    pub question: String,
    pub answer: String,
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInput {
    /// The applicant's full name as on the application.
    pub name: String,
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionStep {
    #[serde(default)]
    pub version: Option<i64>,
}

/// Where the actor sits in the session: the applicant, or the office (a notary or the
/// office's administrator, or the notary in charge); anyone else in the matter is refused.
pub fn side_of(actor: &Actor, m: &Loaded, row: &ApplicationRow) -> Result<Side> {
    if row.applicant_id == actor.user_id {
        Ok(Side::Applicant)
    } else {
        office_side(actor, m).map(|_| Side::Notary)
    }
}

fn ice_servers(state: &AppState) -> Vec<IceServer> {
    let s = &state.settings;
    if s.turn_url.trim().is_empty() {
        return Vec::new();
    }
    vec![IceServer {
        urls: vec![s.turn_url.trim().to_owned()],
        username: Some(s.turn_username.clone()).filter(|u| !u.is_empty()),
        credential: Some(s.turn_credential.clone()).filter(|c| !c.is_empty()),
    }]
}

/// The application (its session, booked) as the actor sees it, and their side.
pub async fn in_session(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
) -> Result<(Loaded, ApplicationRow, Side)> {
    let (m, row) = loaded(state, actor, id).await?;
    let side = side_of(actor, &m, &row)?;
    Ok((m, row, side))
}

pub async fn view(state: &AppState, actor: &Actor, id: &MatterId) -> Result<SessionView> {
    let (_, row, side) = in_session(state, actor, id).await?;
    let (session, version) = state
        .store
        .notary_session(&row.matter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SessionView {
        application_status: row.status(),
        side: side.as_str().into(),
        missing: session.missing().into_iter().map(str::to_owned).collect(),
        identity_verified: session.identity_verified(),
        identity_steps: IDENTITY_STEPS.iter().map(|s| s.to_string()).collect(),
        statement: STATEMENT.into(),
        session,
        version,
        ice_servers: ice_servers(state),
    })
}

fn refused(reason: &'static str) -> AppError {
    AppError::Conflict(reason)
}

/// Applies `change` to the booked session as `side` and writes it; 409 `application_state`
/// unless the session is booked, `session_changed` if `version` is not the current one (or
/// someone wrote in between).
async fn change(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    side: Side,
    version: Option<i64>,
    what: &str,
    change: impl FnOnce(&mut Session) -> Result<()>,
) -> Result<SessionView> {
    let (_, row, actual) = in_session(state, actor, id).await?;
    if actual != side {
        return Err(AppError::Forbidden);
    }
    if row.status() != Status::Booked {
        return Err(refused("application_state"));
    }
    let (mut session, current) = state
        .store
        .notary_session(&row.matter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if version.is_some_and(|v| v != current) {
        return Err(refused("session_changed"));
    }
    change(&mut session)?;
    let saved = state
        .store
        .save_notary_session(
            &Who::from(actor),
            &row.matter_id,
            &row.office_id,
            &session,
            current,
            what,
        )
        .await?;
    if !saved {
        return Err(refused("session_changed"));
    }
    view(state, actor, id).await
}

pub async fn check_identity(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &IdentityInput,
) -> Result<SessionView> {
    let step = input.step.trim().to_owned();
    let note = text("note", &input.note, false, 1_000)?;
    let what = format!("identity {step} passed={}", input.passed);
    change(state, actor, id, Side::Notary, input.version, &what, |s| {
        s.check_identity(&step).map_err(|r| match r {
            "unknown_identity_step" => AppError::invalid("step", "unknown_identity_step"),
            other => refused(other),
        })?;
        s.identity.push(IdentityCheck {
            step,
            passed: input.passed,
            note,
            at: crate::ids::now(),
        });
        Ok(())
    })
    .await
}

pub async fn consent(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &SessionStep,
) -> Result<SessionView> {
    change(
        state,
        actor,
        id,
        Side::Applicant,
        input.version,
        "consent",
        |s| {
            s.consent().map_err(refused)?;
            s.consent_at = Some(crate::ids::now());
            Ok(())
        },
    )
    .await
}

pub async fn add_qa(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &QaInput,
) -> Result<SessionView> {
    let question = text("question", &input.question, true, 2_000)?;
    let answer = text("answer", &input.answer, true, 4_000)?;
    change(state, actor, id, Side::Notary, input.version, "qa", |s| {
        s.ask().map_err(refused)?;
        s.qa.push(QaPair {
            question,
            answer,
            at: crate::ids::now(),
        });
        Ok(())
    })
    .await
}

fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

pub async fn sign(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &SignInput,
) -> Result<SessionView> {
    let name = text("name", &input.name, true, 200)?;
    let (_, row, _) = in_session(state, actor, id).await?;
    if !same_name(&name, &row.applicant_name) {
        return Err(AppError::invalid("name", "name_mismatch"));
    }
    change(
        state,
        actor,
        id,
        Side::Applicant,
        input.version,
        "sign",
        |s| {
            s.sign().map_err(refused)?;
            let at = crate::ids::now();
            s.signature = Some(Signature {
                sha256: super::session::signature_digest(&row.matter_id, &name, STATEMENT, at),
                name,
                statement: STATEMENT.into(),
                at,
            });
            Ok(())
        },
    )
    .await
}

/// Before a recording's bytes are read: the notary's side, the session booked, consent given
/// and no recording yet.
/// Returns the seal the recording streams into (a notarization's content is sealed).
pub async fn check_recording(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
) -> Result<Option<crate::matters::files::Seal>> {
    let (m, row, side) = in_session(state, actor, id).await?;
    if side != Side::Notary {
        return Err(AppError::Forbidden);
    }
    if row.status() != Status::Booked {
        return Err(refused("application_state"));
    }
    let (session, _) = state
        .store
        .notary_session(&row.matter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    session.record().map_err(refused)?;
    crate::matters::actions::filing_seal(state, &m.row).await
}

/// Whether `text` is a SHA-256 in lowercase hex.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Files the staged recording (role `recording`, seen by the notaries, anchored) if its hash is
/// the one announced; otherwise it is dropped and the answer is 422 `hash_mismatch`.
pub async fn file_recording(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    announced: &str,
    content_type: &str,
    staged: &Staged,
) -> Result<SessionView> {
    let files = state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    if staged.sha256 != announced {
        files.discard(staged).await;
        return Err(AppError::invalid("sha256", "hash_mismatch"));
    }
    if let Err(e) = check_recording(state, actor, id).await {
        files.discard(staged).await;
        return Err(e);
    }
    let (_, row, _) = in_session(state, actor, id).await?;
    let doc = file_document(
        state,
        actor,
        id,
        &DocumentMeta {
            role: "recording".into(),
            name: format!("{} session recording.webm", row.reference),
            content_type: content_type.into(),
            visible_to: "notary".into(),
            replaces: None,
        },
        staged,
        None,
    )
    .await?;
    let recording = Recording {
        document_id: doc.id,
        sha256: doc.sha256,
        size: doc.size,
    };
    change(state, actor, id, Side::Notary, None, "recording", |s| {
        s.record().map_err(refused)?;
        s.recording = Some(recording);
        Ok(())
    })
    .await
}

/// The record of questions and answers as a text file, in the session's order.
fn qa_record(row: &ApplicationRow, session: &Session) -> String {
    let mut out = format!(
        "询问笔录 / Record of questions and answers\n{} — {}\n{}\n\n",
        row.reference, row.title, row.office_name_zh
    );
    for c in &session.identity {
        out.push_str(&format!(
            "[{}] identity {} {} {}\n",
            c.at.format("%Y-%m-%d %H:%M:%S UTC"),
            c.step,
            if c.passed { "passed" } else { "FAILED" },
            c.note
        ));
    }
    if let Some(at) = session.consent_at {
        out.push_str(&format!(
            "[{}] 申请人同意录音录像 / the applicant consented to the recording\n",
            at.format("%Y-%m-%d %H:%M:%S UTC")
        ));
    }
    out.push('\n');
    for (i, qa) in session.qa.iter().enumerate() {
        out.push_str(&format!(
            "{}. [{}]\n问 Q: {}\n答 A: {}\n\n",
            i + 1,
            qa.at.format("%H:%M:%S UTC"),
            qa.question,
            qa.answer
        ));
    }
    if let Some(s) = &session.signature {
        out.push_str(&format!(
            "签名 Signed: {} ({}) at {}\nSHA-256 {}\n",
            s.name,
            s.statement,
            s.at.format("%Y-%m-%d %H:%M:%S UTC"),
            s.sha256
        ));
    }
    if let Some(r) = &session.recording {
        out.push_str(&format!(
            "录像 Recording: SHA-256 {} ({} bytes)\n",
            r.sha256, r.size
        ));
    }
    out
}

/// The notary closes a complete session: the record of questions and answers is filed (role
/// `qa_record`, anchored) and the application moves to `session_held`. 409
/// `session_incomplete` while anything is missing (see [`SessionView::missing`]).
pub async fn hold(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &SessionStep,
) -> Result<SessionView> {
    let (m, row, side) = in_session(state, actor, id).await?;
    if side != Side::Notary {
        return Err(AppError::Forbidden);
    }
    // Checked before any work: without a store nothing could be filed.
    state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    let (mut session, _) = state
        .store
        .notary_session(&row.matter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if session.held_at.is_none() {
        change(state, actor, id, Side::Notary, input.version, "hold", |s| {
            s.hold().map_err(refused)?;
            s.held_at = Some(crate::ids::now());
            session = s.clone();
            Ok(())
        })
        .await?;
    }
    // Each part of the close is done once; a close that stopped half way goes on here: the
    // record of questions and answers is filed if it is not yet, then the application moves.
    let filed = state
        .store
        .documents(id)
        .await?
        .iter()
        .any(|d| d.role == "qa_record");
    if !filed {
        let meta = DocumentMeta {
            role: "qa_record".into(),
            name: format!("{} record of questions and answers.txt", row.reference),
            content_type: "text/plain; charset=utf-8".into(),
            visible_to: String::new(),
            replaces: None,
        };
        file_generated(
            state,
            actor,
            id,
            &meta,
            qa_record(&row, &session).into_bytes(),
        )
        .await?;
    }
    let row = state
        .store
        .notary_application(&row.matter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status() == Status::Booked {
        take_step(
            state,
            actor,
            &m,
            &row,
            Step::Hold,
            row.version,
            Move {
                to: Status::SessionHeld,
                event: "session_held",
                ground: None,
                note: &row.note,
                notary_id: None,
                meeting_id: None,
            },
        )
        .await?;
    }
    view(state, actor, id).await
}
