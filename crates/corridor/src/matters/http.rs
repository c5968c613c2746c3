//! The HTTP pieces the JSON API and the pages share: a multipart upload streamed into staging,
//! and document, PDF and calendar answers. Neither front end imports the other.

use axum::body::Body;
use axum::extract::Multipart;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use serde::Serialize;
use utoipa::ToSchema;

use super::actions::{self, DocumentMeta};
use super::model::*;
use crate::auth::Actor;
use crate::ids::{DocumentId, MatterId};
use crate::state::AppState;
use crate::{AppError, Result};

/// Reads a multipart upload: the metadata fields and the file, streamed into staging. Fields
/// may come in any order.
pub async fn read_upload(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    multipart: Multipart,
) -> Result<Document> {
    let (meta, staged) = stage_upload(state, actor, id, multipart).await?;
    actions::file_document(state, actor, id, &meta, &staged, None).await
}

/// Reads a multipart upload: the metadata fields and the file, streamed into staging. Fields
/// may come in any order.
pub async fn stage_upload(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    mut multipart: Multipart,
) -> Result<(DocumentMeta, super::files::Staged)> {
    let files = state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    // An outsider's upload is not read at all.
    let m = actions::check_filing(state, actor, id).await?;
    if m.row.kind().rules().status_by_workflow && m.row.status == "closed" {
        return Err(AppError::Conflict("matter_closed"));
    }
    // A sealed matter's upload is sealed as it streams, never stored plain.
    let seal = actions::filing_seal(state, &m.row).await?;
    let mut meta = DocumentMeta::default();
    let mut staged = None;
    let bad = |e: axum::extract::multipart::MultipartError| AppError::Unreadable {
        status: e.status(),
        detail: e.body_text(),
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                if let Some(s) = &staged {
                    files.discard(s).await;
                }
                return Err(bad(e));
            }
        };
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" if staged.is_none() => {
                meta.name = field.file_name().unwrap_or("document").to_string();
                meta.content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_string();
                staged = Some(
                    files
                        .stage_sealed(field.map_err(|e| e.body_text()), seal.clone())
                        .await?,
                );
            }
            "role" | "visible_to" | "replaces" => {
                let value = field.text().await.map_err(bad)?;
                if value.len() > 1000 {
                    return Err(AppError::invalid(name, "too_long"));
                }
                match name.as_str() {
                    "role" => meta.role = value,
                    "visible_to" => meta.visible_to = value,
                    _ => meta.replaces = Some(value),
                }
            }
            other => {
                if let Some(s) = &staged {
                    files.discard(s).await;
                }
                return Err(AppError::invalid(other.to_string(), "unknown_field"));
            }
        }
    }
    let staged = staged.ok_or_else(|| AppError::invalid("file", "required"))?;
    Ok((meta, staged))
}

/// Streams a document's bytes after checking access.
pub async fn content_response(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    doc_id: &DocumentId,
) -> Result<Response> {
    let (m, doc) = actions::readable_document(state, actor, id, doc_id).await?;
    let files = state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    let seal = actions::reading_seal(state, &m.row).await?;
    let stream = files
        .open_content(&doc.sha256, seal.as_ref())
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("document content: {e}")))?;
    let disposition = format!(
        "attachment; filename=\"document\"; filename*=UTF-8''{}",
        crate::web::page::urlencode(&doc.name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, doc.content_type.clone()),
            (header::CONTENT_LENGTH, doc.size.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

pub fn pdf_response(bytes: Vec<u8>, id: &MatterId) -> Response {
    crate::pdf::response(bytes, &format!("matter-{id}.pdf"))
}

pub fn ics_response(body: String, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.ics\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    pub unread: i64,
    pub items: Vec<Notification>,
}

pub async fn notifications(
    state: &AppState,
    actor: &Actor,
    locale: &str,
) -> Result<NotificationList> {
    let rows = state.store.notifications(&actor.user_id, 100).await?;
    Ok(NotificationList {
        unread: state.store.unread_notifications(&actor.user_id).await?,
        items: rows
            .into_iter()
            .map(
                |(id, matter_id, kind, args, link, created_at, read)| Notification {
                    text: super::text::render("notice", &kind, &args, locale),
                    id,
                    matter_id,
                    kind,
                    link,
                    created_at,
                    read,
                },
            )
            .collect(),
    })
}
