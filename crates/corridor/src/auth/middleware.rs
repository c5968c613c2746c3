//! Authentication and CSRF checks, run once per request before any handler.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};

use super::{Auth, CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, same_secret};
use crate::state::AppState;
use crate::web::locale::cookie_value;
use crate::{AppError, ids};

pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    match resolve(&state, &mut request).await {
        Ok(set_csrf_cookie) => {
            let auth = request.extensions().get::<Auth>().cloned();
            let request = match check_csrf(request).await {
                Ok(request) => request,
                Err(err) => return with_auth(err.into_response(), auth),
            };
            let mut response = with_auth(next.run(request).await, auth);
            if let Some(token) = set_csrf_cookie {
                let cookie = Cookie::build((CSRF_COOKIE, token))
                    .path("/")
                    .http_only(true)
                    .secure(state.settings.secure_cookies)
                    .same_site(SameSite::Strict)
                    .build();
                if let Ok(value) = cookie.to_string().parse() {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
        Err(err) => err.into_response(),
    }
}

/// The error renderer, outside this middleware, draws error pages with the reader's name
/// and CSRF token; it finds them on the response.
fn with_auth(mut response: Response, auth: Option<Auth>) -> Response {
    if let Some(auth) = auth {
        response.extensions_mut().insert(auth);
    }
    response
}

/// Puts an [`Auth`] into the request; returns a new anonymous CSRF token to set as a cookie.
async fn resolve(state: &AppState, request: &mut Request) -> Result<Option<String>, AppError> {
    let headers = request.headers();
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthenticated)?;
        let actor = state
            .store
            .actor_for_token(token.trim())
            .await?
            .ok_or(AppError::Unauthenticated)?;
        request.extensions_mut().insert(Auth {
            actor: Some(Arc::new(actor)),
            csrf: String::new(),
            via_token: true,
        });
        return Ok(None);
    }
    let idle = chrono::Duration::hours(state.settings.session_idle_hours);
    let actor = match cookie_value(headers, SESSION_COOKIE) {
        Some(secret) if !secret.is_empty() => state.store.actor_for_session(&secret, idle).await?,
        _ => None,
    };
    let anonymous_csrf = cookie_value(headers, CSRF_COOKIE).filter(|v| v.len() == 43);
    let (csrf, new_cookie) = match (&actor, anonymous_csrf) {
        (Some(actor), _) => (actor.csrf_token.clone().unwrap_or_default(), None),
        (None, Some(existing)) => (existing, None),
        // API clients have no forms; only pages need the anonymous double-submit cookie.
        (None, None) if request.uri().path().starts_with("/api/") => (String::new(), None),
        (None, None) => {
            let token = ids::random_token();
            (token.clone(), Some(token))
        }
    };
    request.extensions_mut().insert(Auth {
        actor: actor.map(Arc::new),
        csrf,
        via_token: false,
    });
    Ok(new_cookie)
}

/// Every state-changing request made with a cookie must echo the CSRF token, in the form
/// field `csrf` or the `X-CSRF-Token` header (htmx sends the header). Token-authenticated
/// API calls carry no ambient credential and need none.
async fn check_csrf(request: Request) -> Result<Request, AppError> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(request);
    }
    let Some(auth) = request.extensions().get::<Auth>().cloned() else {
        return Ok(request);
    };
    if auth.via_token || CSRF_EXEMPT.contains(&request.uri().path()) {
        return Ok(request);
    }
    // An anonymous API call has no cookie worth forging; it is refused by authentication.
    if request.uri().path().starts_with("/api/") && auth.actor.is_none() {
        return Ok(request);
    }
    if let Some(sent) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        return if same_secret(sent, &auth.csrf) {
            Ok(request)
        } else {
            Err(AppError::Csrf)
        };
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // A multipart upload streams its body to storage and cannot be read twice: the page form
    // echoes the token in its action URL instead.
    if content_type.starts_with("multipart/form-data") {
        let sent = request
            .uri()
            .query()
            .and_then(|q| form_urlencoded_field(q.as_bytes(), CSRF_FIELD));
        return match sent {
            Some(sent) if same_secret(&sent, &auth.csrf) => Ok(request),
            _ => Err(AppError::Csrf),
        };
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form {
        return Err(AppError::Csrf);
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError::BadRequest("form body too large or unreadable".into()))?;
    let sent = form_urlencoded_field(&bytes, CSRF_FIELD);
    match sent {
        Some(sent) if same_secret(&sent, &auth.csrf) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(AppError::Csrf),
    }
}

/// Forms that change nothing: checking a receipt computes a verdict and stores nothing, so a
/// forged submission gains nothing, and the multipart upload carries no form token.
const CSRF_EXEMPT: &[&str] = &["/verify"];

/// Forms are small; the global body limit still applies to everything else.
const FORM_LIMIT: usize = 256 * 1024;

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csrf_field_is_found_among_others() {
        assert_eq!(
            form_urlencoded_field(b"name=A%20B&csrf=tok&x=1", "csrf").as_deref(),
            Some("tok")
        );
        assert_eq!(form_urlencoded_field(b"name=A", "csrf"), None);
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
        assert!(!same_secret("", ""), "an empty token never matches");
    }
}
