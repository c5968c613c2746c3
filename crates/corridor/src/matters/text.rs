//! Timeline events and notifications are stored as a kind and its arguments (JSON), and
//! put into words when read, in the reader's language.

use std::collections::BTreeMap;

pub type Args = BTreeMap<String, String>;

pub fn args(pairs: &[(&str, &str)]) -> String {
    let map: Args = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    serde_json::to_string(&map).unwrap_or_default()
}

/// `matters.event.<kind>` in `locale`, with `%{name}` filled from the stored arguments.
pub fn render(group: &str, kind: &str, stored_args: &str, locale: &str) -> String {
    let template = rust_i18n::t!(format!("matters.{group}.{kind}"), locale = locale).into_owned();
    let args: Args = serde_json::from_str(stored_args).unwrap_or_default();
    let mut text = template;
    for (k, v) in &args {
        let shown = label(group, kind, k, v, locale).unwrap_or_else(|| v.clone());
        text = text.replace(&format!("%{{{k}}}"), &shown);
    }
    text
}

/// Codes among the arguments (a role, a status) read as words in the reader's language.
fn label(group: &str, kind: &str, key: &str, value: &str, locale: &str) -> Option<String> {
    let table = match (key, kind) {
        ("role", "filed") if group == "event" => "document_roles",
        ("role", _) => "roles",
        ("status", _) => "status",
        _ => return None,
    };
    let path = format!("matters.{table}.{value}");
    let text = rust_i18n::t!(path.as_str(), locale = locale).into_owned();
    (text != path).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_in_each_language_with_their_arguments() {
        let stored = args(&[("name", "Li Wei"), ("role", "member")]);
        let en = render("event", "joined", &stored, "en");
        let zh = render("event", "joined", &stored, "zh-CN");
        assert!(en.contains("Li Wei") && !en.contains("%{"), "{en}");
        assert!(zh.contains("Li Wei") && !zh.contains("%{"), "{zh}");
        assert_ne!(en, zh);
        assert!(en.contains("Member"), "roles read as words: {en}");
        assert!(zh.contains("成员"), "{zh}");
    }
}
