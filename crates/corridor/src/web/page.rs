//! [`PageCtx`]: what the layout needs on every page — language, user, CSRF token, path.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::Locale;
use crate::AppError;
use crate::auth::{Actor, Auth};
use crate::state::AppState;

#[derive(Clone, Debug)]
pub struct PageCtx {
    pub locale: Locale,
    pub actor: Option<Arc<Actor>>,
    pub csrf: String,
    /// Path and query of this page, for the language switch and the login redirect.
    pub path: String,
    /// The database holds demo data: the layout says so on every page.
    pub demo: bool,
    /// Unread notifications of the signed-in user (the count in the header).
    pub unread: i64,
}

impl PageCtx {
    /// A context for pages rendered outside a handler (error pages).
    pub fn bare(locale: Locale, path: String) -> Self {
        Self {
            locale,
            actor: None,
            csrf: String::new(),
            path,
            demo: false,
            unread: 0,
        }
    }

    /// The translation of `key` in this page's language.
    pub fn t(&self, key: &str) -> String {
        rust_i18n::t!(key, locale = self.locale.tag()).into_owned()
    }

    /// The zh or en variant of a bilingual field.
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.locale.pick(zh, en)
    }

    pub fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    pub fn is_zh(&self) -> bool {
        self.locale.is_zh()
    }

    pub fn signed_in(&self) -> bool {
        self.actor.is_some()
    }

    pub fn user_name(&self) -> &str {
        self.actor.as_deref().map(|a| a.name.as_str()).unwrap_or("")
    }

    pub fn is_admin(&self) -> bool {
        self.actor.as_deref().is_some_and(Actor::is_programme_staff)
    }

    /// The URL that switches to `lang` and comes back here.
    pub fn switch_to(&self, lang: &str) -> String {
        format!("/lang/{lang}?next={}", urlencode(&self.path))
    }

    pub fn login_url(&self) -> String {
        format!("/login?next={}", urlencode(&self.path))
    }

    /// The name of an enum value, e.g. `kind.local_law_firm`.
    pub fn label(&self, group: &str, code: &str) -> String {
        self.t(&format!("{group}.{code}"))
    }

    pub fn country(&self, code: &str) -> String {
        match crate::reference::Reference::get().country(code) {
            Some(c) => self.pick(&c.name_zh, &c.name_en).to_string(),
            None => code.to_string(),
        }
    }

    /// Every country and region of the reference data as form options: (code, "name (code)").
    pub fn country_options(&self) -> Vec<(String, String)> {
        crate::reference::Reference::get()
            .countries
            .iter()
            .map(|c| {
                let label = format!("{} ({})", self.pick(&c.name_zh, &c.name_en), c.iso2);
                (c.iso2.clone(), label)
            })
            .collect()
    }

    pub fn language(&self, code: &str) -> String {
        match crate::reference::Reference::get().language(code) {
            Some(l) => self.pick(&l.name_zh, &l.name_en).to_string(),
            None => code.to_string(),
        }
    }
}

pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let auth = Auth::from_request_parts(parts, state).await?;
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let unread = match &auth.actor {
            Some(actor) => state.store.unread_notifications(&actor.user_id).await?,
            None => 0,
        };
        Ok(Self {
            unread,
            locale: Locale::from_headers(&parts.headers),
            actor: auth.actor,
            csrf: auth.csrf,
            path,
            demo: state.store.has_demo_data().await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_for_the_next_parameter() {
        assert_eq!(urlencode("/a?b=c&d=e"), "%2Fa%3Fb%3Dc%26d%3De");
    }
}
