//! The `source` fields of answers: joined, collected from any assessment, split into links.

use serde::Serialize;

pub(super) fn join_sources<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for p in parts {
        for s in p.split(" | ").map(str::trim).filter(|s| !s.is_empty()) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out.join(" | ")
}

/// Every `source` anywhere in an assessment, split on ` | `, once each, in order of appearance.
pub fn sources_of<T: Serialize>(value: &T) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    if k == "source"
                        && let Some(s) = v.as_str()
                    {
                        for part in s.split(" | ").map(str::trim) {
                            if !part.is_empty()
                                && part != "engine"
                                && !out.iter().any(|o| o == part)
                            {
                                out.push(part.to_owned());
                            }
                        }
                    } else {
                        walk(v, out);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(value) {
        walk(&v, &mut out);
    }
    out
}

/// One piece of a `source` field: a link when it starts with a URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourcePart {
    pub href: Option<String>,
    pub text: String,
}

/// Splits a `source` field (`url (comment) | text | url`) into pieces, each a link if it can be.
pub fn source_parts(source: &str) -> Vec<SourcePart> {
    source
        .split(" | ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let first = s.split_whitespace().next().unwrap_or_default();
            let href = (first.starts_with("https://") || first.starts_with("http://"))
                .then(|| first.to_owned());
            SourcePart {
                href,
                text: s.to_owned(),
            }
        })
        .collect()
}
