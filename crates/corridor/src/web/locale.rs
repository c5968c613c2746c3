//! The reader's language: the switch (a cookie set by `/lang/{code}`), then Accept-Language.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};

pub const COOKIE_NAME: &str = "corridor_lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    ZhCn,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The tag used for translations, `lang` attributes and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_ascii_lowercase();
        if lower == "en" || lower.starts_with("en-") {
            Some(Locale::En)
        } else if lower == "zh" || lower.starts_with("zh-") {
            // Every Chinese variant gets simplified Chinese, the only Chinese we ship.
            Some(Locale::ZhCn)
        } else {
            None
        }
    }

    pub fn is_zh(self) -> bool {
        self == Locale::ZhCn
    }

    /// Cookie first, then the best supported language in Accept-Language, then English.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        cookie_value(headers, COOKIE_NAME)
            .and_then(|v| Locale::parse(&v))
            .or_else(|| {
                headers
                    .get(ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(best_from_accept_language)
            })
            .unwrap_or_default()
    }

    /// Picks the zh or en text of a bilingual field, falling back to the other when empty.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Locale::ZhCn if !zh.is_empty() => zh,
            Locale::En if en.is_empty() => zh,
            Locale::ZhCn => en,
            Locale::En => en,
        }
    }
}

fn best_from_accept_language(value: &str) -> Option<Locale> {
    let mut best: Option<(f32, Locale)> = None;
    for part in value.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Some(locale) = Locale::parse(tag)
            && q > 0.0
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, locale));
        }
    }
    best.map(|(_, l)| l)
}

/// Reads one cookie from the Cookie headers without allocating a jar.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_cookie_beats_accept_language() {
        let h = headers(&[
            ("cookie", "a=1; corridor_lang=en"),
            ("accept-language", "zh-CN"),
        ]);
        assert_eq!(Locale::from_headers(&h), Locale::En);
    }

    #[test]
    fn accept_language_is_read_by_quality() {
        let h = headers(&[("accept-language", "fr;q=0.9, en;q=0.5, zh-TW;q=0.8")]);
        assert_eq!(Locale::from_headers(&h), Locale::ZhCn);
        let h = headers(&[("accept-language", "de, en-GB;q=0.7")]);
        assert_eq!(Locale::from_headers(&h), Locale::En);
    }

    #[test]
    fn nothing_known_means_english() {
        assert_eq!(
            Locale::from_headers(&headers(&[("accept-language", "fr")])),
            Locale::En
        );
        assert_eq!(Locale::from_headers(&HeaderMap::new()), Locale::En);
    }

    #[test]
    fn bilingual_fields_fall_back_to_the_other_language() {
        assert_eq!(Locale::ZhCn.pick("律所", "Firm"), "律所");
        assert_eq!(Locale::ZhCn.pick("", "Firm"), "Firm");
        assert_eq!(Locale::En.pick("律所", ""), "律所");
    }
}

#[cfg(test)]
mod translations {
    use std::collections::BTreeSet;

    /// Dotted keys of our locale files (nested maps of strings, two-space indents).
    fn keys(text: &str) -> BTreeSet<String> {
        let mut path: Vec<String> = Vec::new();
        let mut out = BTreeSet::new();
        for line in text.lines() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let depth = (line.len() - line.trim_start().len()) / 2;
            let Some((key, value)) = line.trim().split_once(':') else {
                continue;
            };
            path.truncate(depth);
            path.push(key.trim().to_string());
            if !value.trim().is_empty() {
                out.insert(path.join("."));
            }
        }
        out
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let en = keys(include_str!("../../locales/en.yml"));
        let zh = keys(include_str!("../../locales/zh-CN.yml"));
        assert!(en.len() > 100, "{}", en.len());
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_zh.is_empty(),
            "missing in zh-CN: {only_en:?}; missing in en: {only_zh:?}"
        );
    }

    /// The literal reasons our code passes to `invalid` (field, then a quoted reason), found by reading the
    /// sources: each is shown to users as `errors.invalid.<reason>`.
    fn invalid_reasons_in(dir: &std::path::Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                invalid_reasons_in(&path, out);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read source");
            for (at, _) in text.match_indices("invalid(") {
                let rest = &text[at + "invalid(".len()..];
                let Some((_, after_field)) = rest.split_once(',') else {
                    continue;
                };
                let Some(quoted) = after_field.trim_start().strip_prefix('"') else {
                    continue;
                };
                let Some((reason, _)) = quoted.split_once('"') else {
                    continue;
                };
                if !reason.is_empty() && reason.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    out.insert(reason.to_string());
                }
            }
        }
    }

    #[test]
    fn every_invalid_reason_in_the_code_has_a_message() {
        let mut reasons = BTreeSet::new();
        invalid_reasons_in(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut reasons,
        );
        assert!(
            reasons.contains("country_code") && reasons.len() > 20,
            "{reasons:?}"
        );
        let en = keys(include_str!("../../locales/en.yml"));
        let missing: Vec<_> = reasons
            .iter()
            .filter(|r| !en.contains(&format!("errors.invalid.{r}")))
            .collect();
        assert!(
            missing.is_empty(),
            "no errors.invalid.* message for {missing:?}"
        );
    }

    #[test]
    fn every_translation_resolves_at_run_time() {
        for key in keys(include_str!("../../locales/en.yml")) {
            for locale in ["en", "zh-CN"] {
                let text = rust_i18n::t!(key.as_str(), locale = locale);
                assert_ne!(text, key.as_str(), "{key} does not resolve in {locale}");
            }
        }
    }
}
