//! Renders every error — ours, the framework's, the body limit's, the timeout's — as JSON
//! `{code, message}` under `/api/` and as an HTML page elsewhere, in the reader's language.

use askama::Template;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::{Locale, PageCtx};
use crate::AppError;
use crate::error::{ErrorInfo, code_for_status};

pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageCtx,
    status: u16,
    code: &'static str,
    message: String,
}

pub async fn render(request: Request, next: Next) -> Response {
    let locale = Locale::from_headers(request.headers());
    let path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let wants_json = request.uri().path().starts_with("/api/");
    let is_get = request.method() == Method::GET;
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let info = match response.extensions().get::<ErrorInfo>().cloned() {
        Some(info) => info,
        // A handler that answers 4xx with its own page (a form shown again with its error)
        // has said what it means; only bare framework errors are dressed here.
        None if has_own_body(&response) => return response,
        None => {
            if status.is_server_error() {
                tracing::error!(status = %status, "server error without an AppError");
            }
            for_status(status)
        }
    };
    let message = info.message(locale.tag());
    let auth = response.extensions().get::<crate::auth::Auth>().cloned();
    let page_ctx = |path: String| {
        let mut ctx = PageCtx::bare(locale, path);
        if let Some(auth) = &auth {
            ctx.actor = auth.actor.clone();
            ctx.csrf = auth.csrf.clone();
        }
        ctx
    };
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let mut out = if wants_json {
        (
            status,
            axum::Json(serde_json::json!({ "code": info.code, "message": message })),
        )
            .into_response()
    } else if info.code == "unauthenticated" && is_get {
        let ctx = PageCtx::bare(locale, path);
        return Redirect::to(&ctx.login_url()).into_response();
    } else {
        let page = ErrorPage {
            ctx: page_ctx(path),
            status: status.as_u16(),
            code: info.code,
            message,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, info.code).into_response(),
        }
    };
    if let Some(value) = retry_after {
        out.headers_mut().insert(header::RETRY_AFTER, value);
    }
    out
}

fn has_own_body(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"))
}

/// Errors raised below our handlers (routing, extractors, limits) carry only a status.
fn for_status(status: StatusCode) -> ErrorInfo {
    ErrorInfo {
        status,
        code: code_for_status(status),
        detail: None,
    }
}
