//! Request body limits: small for forms and JSON, the upload limit for document uploads,
//! which stream and enforce their own limit as they go (`matters::files`).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppError;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub body: u64,
    pub upload: u64,
}

/// Document uploads: `POST /api/v1/matters/{id}/documents` and the page form's twin, and a
/// notarization session's recording (`PUT /api/v1/notary/applications/{id}/session/recording`).
fn is_upload(method: &Method, path: &str) -> bool {
    let document = method == Method::POST
        && path.ends_with("/documents")
        && (path.starts_with("/api/v1/matters/") || path.starts_with("/matters/"));
    let recording = method == Method::PUT
        && path.starts_with("/api/v1/notary/applications/")
        && path.ends_with("/session/recording");
    document || recording
}

pub async fn limit(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let limit = if is_upload(request.method(), request.uri().path()) {
        limits.upload
    } else {
        limits.body
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return AppError::Unreadable {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            detail: format!("the limit is {limit} bytes"),
        }
        .into_response();
    }
    // A body without a length (chunked) is cut at the limit while it is read; extractors
    // answer 413 when they meet the cut.
    let request = request.map(|body| {
        Body::new(http_body_util::Limited::new(
            body,
            usize::try_from(limit).unwrap_or(usize::MAX),
        ))
    });
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_document_uploads_get_the_upload_limit() {
        assert!(is_upload(&Method::POST, "/api/v1/matters/abc/documents"));
        assert!(is_upload(&Method::POST, "/matters/abc/documents"));
        assert!(!is_upload(&Method::GET, "/api/v1/matters/abc/documents"));
        assert!(!is_upload(&Method::POST, "/api/v1/organizations"));
        assert!(!is_upload(&Method::POST, "/api/v1/documents"));
        assert!(is_upload(
            &Method::PUT,
            "/api/v1/notary/applications/abc/session/recording"
        ));
        assert!(!is_upload(
            &Method::POST,
            "/api/v1/notary/applications/abc/session/recording"
        ));
    }
}
