//! The log's public, read-only C2SP tlog-tiles files under `/ledger/` — `checkpoint`,
//! `tile/<L>/<N>[.p/<W>]`, `tile/entries/<N>[.p/<W>]` — and `keys`, the log's key history,
//! which is all a verifier or a witness needs. Routed beside the verification page; kept apart from the JSON API module so no page
//! imports from it.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;
use crate::web::extract::Path;
use crate::{AppError, Result};

/// GET /ledger/{*path}: the public tlog-tiles files, and `keys`, the log's key history. Full
/// tiles and bundles never change, so they are cacheable forever; the checkpoint, the key
/// history and partial tiles are not.
pub async fn public_file(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Result<Response> {
    let ledger = state.ledger.as_ref().ok_or(AppError::NotFound)?;
    let allowed = path == "checkpoint" || path == "keys" || path.starts_with("tile/");
    if !allowed || path.contains("..") {
        return Err(AppError::NotFound);
    }
    let bytes = ledger
        .store
        .get_public(&path)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("ledger storage: {e}")))?
        .ok_or(AppError::NotFound)?;
    let (content_type, cache) = if path == "checkpoint" || path == "keys" {
        ("text/plain; charset=utf-8", "no-cache")
    } else if path.contains(".p/") {
        ("application/octet-stream", "no-cache")
    } else {
        (
            "application/octet-stream",
            "public, max-age=31536000, immutable",
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache),
        ],
        bytes,
    )
        .into_response())
}
