//! One error type for the whole platform. A handler returns `Result<T>`; the error becomes a
//! response carrying an [`ErrorInfo`], and `web::errors::render` turns it into JSON
//! `{code, message}` under `/api/` or an HTML page elsewhere, in the reader's language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong email or password")]
    BadCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("missing or wrong CSRF token")]
    Csrf,
    #[error("too many attempts")]
    RateLimited,
    /// A field failed validation; `reason` is a message key under `errors.invalid.*`.
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: &'static str },
    /// As `Invalid`, naming the values that failed (every unknown code of a list).
    #[error("invalid {field}: {reason}: {}", .values.join(", "))]
    InvalidValues {
        field: String,
        reason: &'static str,
        values: Vec<String>,
    },
    /// The request could not be read (malformed JSON, wrong form encoding...).
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// What was asked for existed and was destroyed on purpose (content shredded at the end
    /// of its retention); `reason` is a key under `errors.conflict_reason.*`.
    #[error("gone: {0}")]
    Gone(&'static str),
    /// The framework could not read the request (JSON syntax, wrong content type, bad path).
    #[error("unreadable request ({status}): {detail}")]
    Unreadable { status: StatusCode, detail: String },
    /// A part of the platform this node does not run (e.g. search disabled in the settings).
    #[error("{0} is not available on this node")]
    Unavailable(&'static str),
    /// An `Idempotency-Key` sent again with a different request.
    #[error("idempotency key reused for a different request")]
    IdempotencyKeyReused,
    /// An `Idempotency-Key` whose first request is still being answered.
    #[error("idempotency key in use by a request still running")]
    IdempotencyInProgress,
    /// The ledger took the record but no node could append it in time; it stays queued.
    #[error("the ledger has not appended the record yet")]
    LedgerPending,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, reason: &'static str) -> Self {
        AppError::Invalid {
            field: field.into(),
            reason,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            AppError::Invalid { .. } | AppError::InvalidValues { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::Unreadable { status, .. } => *status,
            AppError::Unavailable(_) | AppError::LedgerPending => StatusCode::SERVICE_UNAVAILABLE,
            AppError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::IdempotencyInProgress => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn info(&self) -> ErrorInfo {
        let (code, detail) = match self {
            AppError::NotFound => ("not_found", None),
            AppError::Unauthenticated => ("unauthenticated", None),
            AppError::BadCredentials => ("bad_credentials", None),
            AppError::Forbidden => ("forbidden", None),
            AppError::Csrf => ("csrf_failed", None),
            AppError::RateLimited => ("rate_limited", None),
            AppError::Invalid { field, reason } => (
                "invalid_input",
                Some(Detail::Invalid {
                    field: field.clone(),
                    reason,
                    values: Vec::new(),
                }),
            ),
            AppError::InvalidValues {
                field,
                reason,
                values,
            } => (
                "invalid_input",
                Some(Detail::Invalid {
                    field: field.clone(),
                    reason,
                    values: values.clone(),
                }),
            ),
            AppError::BadRequest(text) => ("bad_request", Some(Detail::Text(text.clone()))),
            AppError::Conflict(what) => ("conflict", Some(Detail::Key(what))),
            AppError::Gone(what) => ("gone", Some(Detail::Key(what))),
            AppError::Unreadable { status, detail } => {
                (code_for_status(*status), Some(Detail::Text(detail.clone())))
            }
            AppError::Unavailable(_) => ("unavailable", None),
            AppError::IdempotencyKeyReused => ("idempotency_key_reused", None),
            AppError::IdempotencyInProgress => ("idempotency_in_progress", None),
            AppError::LedgerPending => ("ledger_pending", None),
            AppError::Internal(_) => ("internal", None),
        };
        ErrorInfo {
            status: self.status(),
            code,
            detail,
        }
    }
}

/// What the error renderer needs: the status, a stable code, and what to say beyond the code.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: Option<Detail>,
}

#[derive(Clone, Debug)]
pub enum Detail {
    /// Text from a parser (serde, form decoding); shown as is after the translated message.
    Text(String),
    /// A message key under `errors.conflict.*`.
    Key(&'static str),
    Invalid {
        field: String,
        reason: &'static str,
        /// The offending values, named after the reason (empty when the field is the news).
        values: Vec<String>,
    },
}

impl ErrorInfo {
    /// The message in the given language.
    pub fn message(&self, locale: &str) -> String {
        let base = rust_i18n::t!(format!("errors.{}", self.code), locale = locale).to_string();
        match &self.detail {
            None => base,
            Some(Detail::Text(text)) => format!("{base}: {text}"),
            Some(Detail::Key(key)) => {
                rust_i18n::t!(format!("errors.conflict_reason.{key}"), locale = locale).to_string()
            }
            Some(Detail::Invalid {
                field,
                reason,
                values,
            }) => {
                let reason = rust_i18n::t!(format!("errors.invalid.{reason}"), locale = locale);
                if values.is_empty() {
                    format!("{base}: {field}: {reason}")
                } else {
                    format!("{base}: {field}: {reason}: {}", values.join(", "))
                }
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let info = self.info();
        match &self {
            AppError::Internal(err) => tracing::error!(error = ?err, "internal error"),
            other => tracing::info!(code = info.code, error = %other, "request refused"),
        }
        // The body is replaced by the renderer; this English JSON is only what a router
        // without the renderer (a unit test) would show.
        let body = serde_json::json!({ "code": info.code, "message": info.message("en") });
        let mut response = (info.status, axum::Json(body)).into_response();
        response.extensions_mut().insert(info);
        response
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            if db.is_unique_violation() {
                return AppError::Conflict("already_exists");
            }
            if db.is_foreign_key_violation() {
                return AppError::Conflict("reference_missing");
            }
        }
        AppError::Internal(err.into())
    }
}

impl From<sqlx::migrate::MigrateError> for AppError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        AppError::Internal(err.into())
    }
}

/// The `code` of an error answer that carries only a status.
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_input",
        StatusCode::UNAUTHORIZED => "unauthenticated",
        StatusCode::FORBIDDEN => "forbidden",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}
