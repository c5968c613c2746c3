//! Extractors whose rejections are [`AppError`]s, so a malformed body, query or path gets the
//! same `{code, message}` answer as any other mistake.
//!
//! They also refuse the NUL character (U+0000) in every text they read. PostgreSQL cannot
//! store it in `TEXT` and answers with an encoding error, which would surface as a 500;
//! SQLite would store it and echo it back. No field of ours has a use for it, so it is
//! refused here, once, for every handler.

use axum::body::Bytes;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::AppError;

/// The part of the request that carried a NUL character.
fn refuse_nul(part: &'static str) -> AppError {
    AppError::invalid(part, "nul_character")
}

/// Percent-encoded NUL (`%00`) in a URL path, query or form body. A raw NUL byte cannot
/// appear in a URL (hyper refuses it), but a form body could carry one.
fn has_encoded_nul(text: &[u8]) -> bool {
    text.contains(&0) || text.windows(3).any(|w| w == b"%00")
}

/// `\u0000` in JSON text, outside a preceding escape: the only way JSON can spell NUL (a raw
/// control character is a syntax error). `"\\u0000"` is a backslash and letters, and passes.
fn json_has_nul(text: &[u8]) -> bool {
    let mut backslashes = 0usize;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\\' {
            backslashes += 1;
            continue;
        }
        if backslashes % 2 == 1 && b == b'u' && text[i + 1..].starts_with(b"0000") {
            return true;
        }
        backslashes = 0;
    }
    false
}

pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let (parts, body) = request.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| AppError::Unreadable {
                status: e.status(),
                detail: e.body_text(),
            })?;
        if json_has_nul(&bytes) {
            return Err(refuse_nul("body"));
        }
        let request = Request::from_parts(parts, axum::body::Body::from(bytes));
        let axum::Json(value) = axum::Json::<T>::from_request(request, state).await?;
        Ok(Json(value))
    }
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        if has_encoded_nul(parts.uri.query().unwrap_or_default().as_bytes()) {
            return Err(refuse_nul("query"));
        }
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        if has_encoded_nul(parts.uri.path().as_bytes()) {
            return Err(refuse_nul("path"));
        }
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Path(value))
    }
}

pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        // A GET form reads the query; any other method reads the body.
        if has_encoded_nul(request.uri().query().unwrap_or_default().as_bytes()) {
            return Err(refuse_nul("query"));
        }
        let (parts, body) = request.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| AppError::Unreadable {
                status: e.status(),
                detail: e.body_text(),
            })?;
        if has_encoded_nul(&bytes) {
            return Err(refuse_nul("body"));
        }
        let request = Request::from_parts(parts, axum::body::Body::from(bytes));
        let axum::Form(value) = axum::Form::<T>::from_request(request, state).await?;
        Ok(Form(value))
    }
}

macro_rules! from_rejection {
    ($($ty:ty),+) => {$(
        impl From<$ty> for AppError {
            fn from(rejection: $ty) -> Self {
                AppError::Unreadable { status: rejection.status(), detail: rejection.body_text() }
            }
        }
    )+};
}

from_rejection!(JsonRejection, QueryRejection, PathRejection, FormRejection);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_nul_is_found_only_as_an_escape() {
        assert!(json_has_nul(br#"{"id": "\u0000"}"#));
        assert!(
            json_has_nul(br#"{"id": "a\\\u0000"}"#),
            "an escaped backslash, then NUL"
        );
        assert!(
            !json_has_nul(br#"{"id": "\\u0000"}"#),
            "a backslash and the letters u0000"
        );
        assert!(!json_has_nul(br#"{"id": "u0000", "n": "\u00e9"}"#));
    }

    #[test]
    fn encoded_nul_is_found_in_urls_and_form_bodies() {
        assert!(has_encoded_nul(b"organization=%00"));
        assert!(has_encoded_nul(b"a=b\0"));
        assert!(!has_encoded_nul(b"q=%2500&page=100"));
    }
}
