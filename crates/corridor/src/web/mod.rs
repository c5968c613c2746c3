//! What every page shares: the layout context, the language switch, static assets.

pub mod body_limit;
pub mod errors;
pub mod extract;
pub mod form;
pub mod idempotency;
pub mod locale;
pub mod page;
pub mod read_cache;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

pub use locale::Locale;
pub use page::PageCtx;

use crate::web::extract::{Path, Query};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new()
        .route("/lang/{code}", get(switch_language))
        .route("/static/htmx.min.js", get(htmx))
        .route("/static/corridor.css", get(css))
        .route("/static/corridor.js", get(js))
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Only same-site paths are followed, so `next` cannot send a reader elsewhere. A control
/// character (newline, NUL, DEL...) cannot go into a `Location` header, so such a path is
/// not followed either: building the redirect would fail after the work was done (a sign-in
/// whose session would be lost).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Sets the language cookie and returns the reader to where they were.
async fn switch_language(Path(code): Path<String>, Query(next): Query<Next>) -> Response {
    let Some(locale) = Locale::parse(&code) else {
        return crate::AppError::invalid("lang", "unknown_value").into_response();
    };
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale::COOKIE_NAME,
        locale.tag()
    );
    let mut response = Redirect::to(&safe_next(next.next.as_deref())).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// htmx 2.0.11 from the npm package `htmx.org`, vendored so pages work offline.
async fn htmx() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/htmx.min.js"),
    )
}

async fn css() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../static/corridor.css"),
    )
}

async fn js() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/corridor.js"),
    )
}

/// Renders a page template; a template error is an internal error, never a panic.
pub fn render(page: impl askama::Template) -> crate::Result<axum::response::Html<String>> {
    page.render()
        .map(axum::response::Html)
        .map_err(|e| crate::AppError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_only_follows_local_paths() {
        assert_eq!(
            safe_next(Some("/directory?country=VN")),
            "/directory?country=VN"
        );
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        for control in [
            "/\n",
            "/\0",
            "/\u{1}",
            "/\u{7f}",
            "/a\r\nSet-Cookie: x=1",
            "/\u{85}",
        ] {
            assert_eq!(safe_next(Some(control)), "/", "{control:?}");
        }
        assert_eq!(safe_next(Some("/directory?q=律师")), "/directory?q=律师");
    }
}
