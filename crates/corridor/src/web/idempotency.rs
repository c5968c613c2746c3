//! `Idempotency-Key` for any POST: the first successful answer to (user, key) is kept, and a
//! retry of the same request gets that answer again instead of doing the work twice. The same
//! key with a different request is refused (422 `idempotency_key_reused`); a retry while the
//! first request still runs gets 409 `idempotency_in_progress`. A request that fails gives its
//! key back, so the retry runs again. Keys are per user and kept in the database, so a retry
//! may reach any node.
//!
//! A claim left by a node that died mid-request is taken over after [`STALE_AFTER`]. Work that
//! leaves durable effects before the answer is stored (an outbox row, a stored document)
//! should key them by [`Claim::token`], so the taken-over request finds them instead of
//! repeating them — the ledger's outbox does (`request_key`).
//!
//! # Usage
//!
//! Most handlers wrap their work in [`once`]:
//!
//! ```text
//! use crate::web::idempotency::{self, IdempotencyKey};
//!
//! async fn upload(State(state): State<AppState>, CurrentUser(actor): CurrentUser,
//!                 headers: HeaderMap, /* ... */) -> Result<Response> {
//!     let key = IdempotencyKey::from_headers(&headers)?;          // None without the header
//!     // ... read the request; for a multipart upload: store the file (content-addressed, so
//!     // storing it twice is harmless) and digest what identifies the request:
//!     let digest = idempotency::request_digest(&[matter_id.as_bytes(), role.as_bytes(),
//!                                                 sha256.as_bytes()]);
//!     idempotency::once(&state.store, &actor.user_id, "matters.documents", key.as_ref(),
//!                       &digest, |token| async move {
//!         // token: Some("<user>:<key>") when the request carries a key
//!         let doc = file_document(&state, /* ... */).await?;
//!         Ok((StatusCode::CREATED, doc))                          // any T: Serialize
//!     }).await
//! }
//! ```
//!
//! [`begin`] and [`Claim::finish`] are the same steps, for a handler that needs them apart.

use std::future::Future;

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::Store;
use crate::db::dispatch;
use crate::{AppError, Result};

pub const HEADER: &str = "idempotency-key";
/// Set on an answer given again from the store.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
/// A claim older than this whose request never answered is taken over by a retry. Longer than
/// any request may run (the request timeout), so a live request is never overtaken.
pub const STALE_AFTER: chrono::Duration = chrono::Duration::minutes(2);

/// How long an answer is kept for retries. A client retries within minutes of a failure; a
/// day later the key may be reused for a new request (Stripe keeps keys 24 hours too).
pub const KEEP_ANSWERS: chrono::Duration = chrono::Duration::hours(24);

/// Forgets answers and abandoned claims made before `before`. Returns how many went.
pub async fn forget_before(store: &Store, before: chrono::DateTime<chrono::Utc>) -> Result<u64> {
    Ok(dispatch!(store, |pool| {
        sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected()
    }))
}

/// A checked `Idempotency-Key` header: 1–200 visible ASCII characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// `Ok(None)` without the header; 422 `invalid_input` when it is malformed.
    pub fn from_headers(headers: &HeaderMap) -> Result<Option<Self>> {
        let Some(value) = headers.get(HEADER) else {
            return Ok(None);
        };
        let text = value
            .to_str()
            .map_err(|_| AppError::invalid("Idempotency-Key", "idempotency_key"))?;
        Self::parse(text).map(Some)
    }

    pub fn parse(text: &str) -> Result<Self> {
        let ok =
            !text.is_empty() && text.len() <= 200 && text.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(Self(text.to_string()))
        } else {
            Err(AppError::invalid("Idempotency-Key", "idempotency_key"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// SHA-256 over the parts that identify a request, each length-prefixed (so `["ab","c"]` and
/// `["a","bc"]` differ). Hex.
pub fn request_digest(parts: &[&[u8]]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hex::encode(hash.finalize())
}

/// What [`begin`] found.
pub enum Begun {
    /// The first request's answer, to send as is.
    Replay(Response),
    /// This request does the work; report its answer with [`Claim::finish`].
    Claimed(Claim),
}

/// The right to answer (user, key). Dropped without [`Claim::finish`] (the handler failed),
/// it is given back, so a retry runs the request again.
pub struct Claim {
    store: Store,
    user_id: String,
    key: String,
    finished: bool,
}

impl Claim {
    /// `"<user id>:<key>"`: key durable side effects by it (see the module docs).
    pub fn token(&self) -> String {
        format!("{}:{}", self.user_id, self.key)
    }

    /// Stores the answer (JSON) for retries and returns it.
    pub async fn finish<T: Serialize>(mut self, status: StatusCode, body: &T) -> Result<Response> {
        let json = serde_json::to_string(body).map_err(|e| AppError::Internal(e.into()))?;
        dispatch!(self.store, |pool| {
            sqlx::query(
                "UPDATE idempotency_keys SET response_status = $1, response_body = $2 \
                 WHERE user_id = $3 AND key = $4",
            )
            .bind(i32::from(status.as_u16()))
            .bind(&json)
            .bind(&self.user_id)
            .bind(&self.key)
            .execute(pool)
            .await?;
        });
        self.finished = true;
        Ok(json_response(status, json, false))
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let (store, user_id, key) = (self.store.clone(), self.user_id.clone(), self.key.clone());
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                let gone: Result<(), sqlx::Error> = async {
                    dispatch!(store, |pool| {
                        sqlx::query(
                            "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 \
                             AND response_status IS NULL",
                        )
                        .bind(&user_id)
                        .bind(&key)
                        .execute(pool)
                        .await?;
                    });
                    Ok(())
                }
                .await;
                if let Err(e) = gone {
                    tracing::warn!(error = %e, "cannot give an idempotency key back");
                }
            });
        }
    }
}

#[derive(sqlx::FromRow)]
struct Stored {
    scope: String,
    request_digest: String,
    response_status: Option<i32>,
    response_body: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
}

/// Claims (user, key) for a request identified by `scope` (e.g. `"ledger.records"`) and
/// `digest` ([`request_digest`]), or finds the stored answer.
///
/// Errors: 422 `idempotency_key_reused` when the key was used for another request;
/// 409 `idempotency_in_progress` while the first request runs.
pub async fn begin(
    store: &Store,
    user_id: &str,
    scope: &str,
    key: &IdempotencyKey,
    digest: &str,
) -> Result<Begun> {
    let now = crate::ids::now();
    let inserted = dispatch!(store, |pool| {
        sqlx::query(
            "INSERT INTO idempotency_keys (user_id, key, scope, request_digest, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(key.as_str())
        .bind(scope)
        .bind(digest)
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected()
    });
    let claim = Claim {
        store: store.clone(),
        user_id: user_id.to_string(),
        key: key.as_str().to_string(),
        finished: false,
    };
    if inserted == 1 {
        return Ok(Begun::Claimed(claim));
    }
    let found: Option<Stored> = dispatch!(store, |pool| {
        sqlx::query_as(
            "SELECT scope, request_digest, response_status, response_body, created_at \
             FROM idempotency_keys WHERE user_id = $1 AND key = $2",
        )
        .bind(user_id)
        .bind(key.as_str())
        .fetch_optional(pool)
        .await?
    });
    // Given back between our insert and our read: nothing to defend, so refuse softly.
    let Some(found) = found else {
        forget(claim);
        return Err(AppError::IdempotencyInProgress);
    };
    if found.scope != scope || found.request_digest != digest {
        forget(claim);
        return Err(AppError::IdempotencyKeyReused);
    }
    if let (Some(status), Some(body)) = (found.response_status, found.response_body) {
        forget(claim);
        let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
        return Ok(Begun::Replay(json_response(status, body, true)));
    }
    if now - found.created_at < STALE_AFTER {
        forget(claim);
        return Err(AppError::IdempotencyInProgress);
    }
    // The first request's node died before answering: take the claim over (one retry wins).
    let taken = dispatch!(store, |pool| {
        sqlx::query(
            "UPDATE idempotency_keys SET created_at = $1 WHERE user_id = $2 AND key = $3 \
             AND created_at = $4 AND response_status IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(key.as_str())
        .bind(found.created_at)
        .execute(pool)
        .await?
        .rows_affected()
    });
    if taken == 1 {
        Ok(Begun::Claimed(claim))
    } else {
        forget(claim);
        Err(AppError::IdempotencyInProgress)
    }
}

/// Runs `work` once per (user, key): without a key it just runs; with one, a retry of the same
/// request gets the stored answer. `work` receives [`Claim::token`] when there is a key.
pub async fn once<T, F, Fut>(
    store: &Store,
    user_id: &str,
    scope: &str,
    key: Option<&IdempotencyKey>,
    digest: &str,
    work: F,
) -> Result<Response>
where
    T: Serialize,
    F: FnOnce(Option<String>) -> Fut,
    Fut: Future<Output = Result<(StatusCode, T)>>,
{
    let Some(key) = key else {
        let (status, body) = work(None).await?;
        let json = serde_json::to_string(&body).map_err(|e| AppError::Internal(e.into()))?;
        return Ok(json_response(status, json, false));
    };
    match begin(store, user_id, scope, key, digest).await? {
        Begun::Replay(response) => Ok(response),
        Begun::Claimed(claim) => {
            let (status, body) = work(Some(claim.token())).await?;
            claim.finish(status, &body).await
        }
    }
}

/// A claim this request does not own: dropping it must not give the key back.
fn forget(mut claim: Claim) {
    claim.finished = true;
}

fn json_response(status: StatusCode, json: String, replayed: bool) -> Response {
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response();
    if replayed {
        response.headers_mut().insert(
            HeaderName::from_static(REPLAYED_HEADER),
            HeaderValue::from_static("true"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(IdempotencyKey::parse("retry-7f3a").is_ok());
        assert!(IdempotencyKey::parse("").is_err());
        assert!(IdempotencyKey::parse("has space").is_err());
        assert!(IdempotencyKey::parse("键").is_err());
        assert!(IdempotencyKey::parse(&"k".repeat(201)).is_err());
    }

    #[test]
    fn digests_separate_their_parts() {
        assert_ne!(
            request_digest(&[b"ab", b"c"]),
            request_digest(&[b"a", b"bc"])
        );
        assert_eq!(request_digest(&[b"x"]), request_digest(&[b"x"]));
    }
}
