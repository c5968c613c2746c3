//! A practice guide: TOML front matter, then seven fixed Markdown sections whose every
//! statement cites a listed source or says it is unverified (`data/knowledge/README.md`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{AppError, Result};

/// The sections every guide has, in order: id, English heading, Chinese heading.
pub const SECTIONS: [(&str, &str, &str); 7] = [
    (
        "legal-framework",
        "Legal framework and Model Law status",
        "法律框架与示范法地位",
    ),
    ("institutions", "Arbitral institutions", "仲裁机构"),
    ("arbitrability", "Arbitrability", "可仲裁性"),
    ("seat-and-courts", "The seat and its courts", "仲裁地与法院"),
    ("interim-measures", "Interim measures", "临时措施"),
    (
        "enforcement",
        "Enforcement of foreign awards",
        "外国仲裁裁决的承认与执行",
    ),
    (
        "advice",
        "Practical advice for Chinese enterprises",
        "给中国企业的实务建议",
    ),
];

pub const LANGS: [&str; 2] = ["en", "zh-CN"];
/// A guide's text. Bounded so that a Chinese text still fits the form limit (256 KiB) once
/// URL-encoded (9 bytes a character).
const MAX_BODY_CHARS: usize = 25_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// `S1`, `S2`, … as cited in the text.
    pub key: String,
    pub title: String,
    pub url: String,
}

/// What a guide file holds, and what an edit submits.
#[derive(Clone, Debug, PartialEq)]
pub struct GuideText {
    pub country: String,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub reviewed: String,
    pub sources: Vec<Source>,
    pub body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    country: String,
    lang: String,
    title: String,
    summary: String,
    /// A TOML date or a `YYYY-MM-DD` string.
    reviewed: toml::Value,
    #[serde(default)]
    sources: Vec<Source>,
}

/// One `## ` section of a guide.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Section {
    pub id: String,
    pub heading: String,
    /// Markdown of the section, without its heading.
    pub markdown: String,
}

/// Reads a guide file (`+++` TOML front matter, then Markdown).
pub fn parse_file(text: &str) -> anyhow::Result<GuideText> {
    let text = text.trim_start_matches('\u{feff}');
    let rest = text
        .strip_prefix("+++")
        .ok_or_else(|| anyhow::anyhow!("a guide starts with +++ front matter"))?;
    let (front, body) = rest
        .split_once("\n+++")
        .ok_or_else(|| anyhow::anyhow!("the front matter is not closed with +++"))?;
    let fm: FrontMatter = toml::from_str(front)?;
    Ok(GuideText {
        country: fm.country,
        lang: fm.lang,
        title: fm.title,
        summary: fm.summary,
        reviewed: match fm.reviewed {
            toml::Value::String(s) => s,
            other => other.to_string(),
        },
        sources: fm.sources,
        body: body.trim_start_matches(['\r', '\n']).trim_end().to_string() + "\n",
    })
}

/// Splits the body into its sections, checking the fixed order.
pub fn sections(body: &str) -> Result<Vec<Section>> {
    let mut out: Vec<Section> = Vec::new();
    let mut preamble = String::new();
    for line in body.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            let (heading, id) = h
                .trim_end()
                .strip_suffix('}')
                .and_then(|h| h.rsplit_once("{#"))
                .ok_or_else(|| AppError::invalid("body", "guide_section_id"))?;
            out.push(Section {
                id: id.trim().to_string(),
                heading: heading.trim().to_string(),
                markdown: String::new(),
            });
        } else if let Some(s) = out.last_mut() {
            s.markdown.push_str(line);
            s.markdown.push('\n');
        } else {
            preamble.push_str(line);
        }
    }
    let ids: Vec<&str> = out.iter().map(|s| s.id.as_str()).collect();
    let expected: Vec<&str> = SECTIONS.iter().map(|s| s.0).collect();
    if ids != expected || !preamble.trim().is_empty() {
        return Err(AppError::invalid("body", "guide_sections"));
    }
    for s in &mut out {
        s.markdown = s.markdown.trim().to_string();
    }
    Ok(out)
}

/// The keys cited in a text: `[S1]`, `[S12]`.
pub fn citations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("[S") {
        let after = &rest[i + 2..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with(']') {
            out.push(format!("S{digits}"));
        }
        rest = after;
    }
    out
}

pub fn is_marked_unverified(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("(unverified)") || text.contains("（未核实）") || text.contains("(未核实)")
}

/// Checks a guide against the rules of `data/knowledge/README.md`. Errors name the field.
pub fn validate(g: &GuideText) -> Result<Vec<Section>> {
    if crate::reference::Reference::get()
        .country(&g.country)
        .is_none()
    {
        return Err(AppError::invalid("country", "unknown_country"));
    }
    if !LANGS.contains(&g.lang.as_str()) {
        return Err(AppError::invalid("lang", "unknown_value"));
    }
    for (field, value, max) in [("title", &g.title, 200), ("summary", &g.summary, 1000)] {
        if value.trim().is_empty() {
            return Err(AppError::invalid(field, "required"));
        }
        if value.chars().count() > max {
            return Err(AppError::invalid(field, "too_long"));
        }
    }
    if chrono::NaiveDate::parse_from_str(&g.reviewed, "%Y-%m-%d").is_err() {
        return Err(AppError::invalid("reviewed", "date"));
    }
    if g.body.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::invalid("body", "too_long"));
    }
    let mut keys = std::collections::HashSet::new();
    for s in &g.sources {
        let ok_key = s.key.len() >= 2
            && s.key.starts_with('S')
            && s.key[1..].chars().all(|c| c.is_ascii_digit());
        if !ok_key || !keys.insert(s.key.as_str()) {
            return Err(AppError::invalid("sources", "guide_source_key"));
        }
        if s.title.trim().is_empty() {
            return Err(AppError::invalid("sources", "required"));
        }
        if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
            return Err(AppError::invalid("sources", "url"));
        }
    }
    let sections = sections(&g.body)?;
    let mut cited = std::collections::HashSet::new();
    for s in &sections {
        let here = citations(&s.markdown);
        if here.is_empty() && !is_marked_unverified(&s.markdown) {
            return Err(AppError::invalid(
                format!("body.{}", s.id),
                "guide_uncited_section",
            ));
        }
        for key in here {
            if !keys.contains(key.as_str()) {
                return Err(AppError::invalid(
                    format!("body.{}", s.id),
                    "guide_unknown_source",
                ));
            }
            cited.insert(key);
        }
    }
    if g.sources.iter().any(|s| !cited.contains(&s.key)) {
        return Err(AppError::invalid("sources", "guide_source_uncited"));
    }
    Ok(sections)
}

/// Markdown to HTML for the guide pages. Raw HTML in the text is shown as text, never
/// rendered; a link may only go to http(s), mailto or this site (a `javascript:` link becomes
/// `#`); a citation `[S1]` links to its source in the list below the guide.
pub fn render_html(markdown: &str) -> String {
    use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};
    let safe = |url: CowStr<'_>| -> bool {
        let lower = url.trim().to_ascii_lowercase();
        let scheme = lower.split_once(':').map(|(s, _)| s);
        match scheme {
            None => true,
            Some(s) => ["http", "https", "mailto"].contains(&s) || s.contains(['/', '#', '?']),
        }
    };
    let linked = link_citations(markdown);
    let parser = Parser::new_ext(&linked, Options::ENABLE_TABLES).map(|e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: if safe(dest_url.clone()) {
                dest_url
            } else {
                "#".into()
            },
            title,
            id,
        }),
        e => e,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

/// The words of a Markdown text, for the search index.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for e in Parser::new(markdown) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn link_citations(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut rest = markdown;
    while let Some(i) = rest.find("[S") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let tail = &after[digits.len()..];
        if !digits.is_empty() && tail.starts_with(']') && !tail[1..].starts_with('(') {
            out.push_str(&format!("[\\[S{digits}\\]](#source-S{digits})"));
            rest = &tail[1..];
        } else {
            out.push_str("[S");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(advice: &str) -> String {
        let mut b = String::new();
        for (id, en, _) in SECTIONS {
            let text = if id == "advice" { advice } else { "Text [S1]." };
            b.push_str(&format!("## {en} {{#{id}}}\n\n{text}\n\n"));
        }
        b
    }

    fn guide(advice: &str) -> GuideText {
        GuideText {
            country: "VN".into(),
            lang: "en".into(),
            title: "T".into(),
            summary: "S".into(),
            reviewed: "2026-11-28".into(),
            sources: vec![Source {
                key: "S1".into(),
                title: "A law".into(),
                url: "https://example.org/law".into(),
            }],
            body: body(advice),
        }
    }

    #[test]
    fn a_guide_with_every_section_cited_or_marked_passes() {
        assert_eq!(validate(&guide("Advice (unverified).")).unwrap().len(), 7);
        assert_eq!(validate(&guide("建议（未核实）")).unwrap().len(), 7);
    }

    #[test]
    fn uncited_sections_unknown_keys_and_unused_sources_are_refused() {
        let field = |g: &GuideText| match validate(g).unwrap_err() {
            AppError::Invalid { field, reason } => format!("{field}/{reason}"),
            e => panic!("{e}"),
        };
        assert_eq!(
            field(&guide("Plain claim.")),
            "body.advice/guide_uncited_section"
        );
        assert_eq!(
            field(&guide("Claim [S2].")),
            "body.advice/guide_unknown_source"
        );
        let mut g = guide("ok [S1]");
        g.sources.push(Source {
            key: "S2".into(),
            title: "x".into(),
            url: "https://x.example".into(),
        });
        assert_eq!(field(&g), "sources/guide_source_uncited");
        let mut g = guide("ok [S1]");
        g.body = g.body.replace("{#arbitrability}", "{#other}");
        assert_eq!(field(&g), "body/guide_sections");
    }

    #[test]
    fn html_in_a_guide_is_text_and_citations_link_to_sources() {
        let html = render_html("See [S3]. <script>alert(1)</script>");
        assert!(
            html.contains(r##"<a href="#source-S3">[S3]</a>"##),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
        assert_eq!(
            plain_text("**Bold** and [S1]\n- item"),
            "Bold and [S1] item"
        );
    }

    #[test]
    fn a_file_parses_into_front_matter_and_body() {
        let text = "+++\ncountry = \"VN\"\nlang = \"en\"\ntitle = \"T\"\nsummary = \"S\"\nreviewed = 2026-11-28\n\n[[sources]]\nkey = \"S1\"\ntitle = \"A\"\nurl = \"https://a.example\"\n+++\n\n## X {#x}\n";
        let g = parse_file(text).unwrap();
        assert_eq!(g.reviewed, "2026-11-28");
        assert_eq!(g.body, "## X {#x}\n");
        assert_eq!(g.sources[0].key, "S1");
    }
}
