//! Accounts, sessions, API tokens, roles and the audit log.
//!
//! A request is authenticated once, by [`middleware::authenticate`]: a `Bearer` token for the
//! API, or the session cookie for pages (and for the API calls pages make). Handlers take
//! [`CurrentUser`] or [`Auth`] and ask the domain's policy module whether the actor may act.

pub mod api;
pub mod audit;
pub mod middleware;
pub mod pages;
pub mod password;
pub mod policy;
pub mod roles;
pub mod sign_in;
pub mod store;
pub mod store_actor;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;
use utoipa::ToSchema;

pub use roles::{OrgRole, PlatformRole};

use crate::AppError;

pub const SESSION_COOKIE: &str = "corridor_session";
pub const CSRF_COOKIE: &str = "corridor_csrf";
pub const CSRF_FIELD: &str = "csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in user with their memberships.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Actor {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub platform_role: Option<PlatformRole>,
    pub memberships: Vec<Membership>,
    /// The session's CSRF token; `None` when authenticated by API token.
    #[serde(skip)]
    pub csrf_token: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Membership {
    pub organization_id: String,
    pub slug: String,
    pub name_en: String,
    pub name_zh: String,
    pub role: OrgRole,
    /// The organization's kind (`arbitration_institution`, `law_firm`, ...) and country, loaded
    /// at sign-in so the rules that depend on them are pure functions of the actor.
    pub organization_kind: String,
    pub organization_country: String,
}

impl Actor {
    pub fn is_platform_admin(&self) -> bool {
        self.platform_role == Some(PlatformRole::PlatformAdmin)
    }

    /// Platform admins and bureau officers look after the whole programme.
    pub fn is_programme_staff(&self) -> bool {
        self.platform_role.is_some()
    }

    pub fn role_in(&self, organization_id: &str) -> Option<OrgRole> {
        self.memberships
            .iter()
            .find(|m| m.organization_id == organization_id)
            .map(|m| m.role)
    }
}

/// How the request was authenticated, with the CSRF token forms must echo.
#[derive(Clone, Debug)]
pub struct Auth {
    pub actor: Option<Arc<Actor>>,
    pub csrf: String,
    pub via_token: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Auth>().cloned().ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "authentication middleware is not installed"
            ))
        })
    }
}

/// A handler argument that requires a signed-in user.
pub struct CurrentUser(pub Arc<Actor>);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = Auth::from_request_parts(parts, state).await?;
        auth.actor.map(CurrentUser).ok_or(AppError::Unauthenticated)
    }
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty()
        && a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
