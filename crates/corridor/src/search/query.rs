//! The query language: free words in either language, `"exact phrases"`, and field filters
//! (`type:case country:ID sector:construction year:2024 lang:zh title:仲裁`).
//!
//! Parsing never fails on syntax: an unbalanced quote makes the rest of the text a phrase,
//! punctuation is dropped, an unknown `word:` prefix is read as words. What fails is a value
//! that cannot match anything (an unknown type, country or sector), reported as a 4xx with the
//! field named, and a query over [`MAX_QUERY_CHARS`].

use super::doc::DocKind;
use crate::{AppError, Result};

pub const MAX_QUERY_CHARS: usize = 500;
/// More values per filter than any real question needs; bounds the query we build.
const MAX_FILTER_VALUES: usize = 20;

pub const SECTORS: &[&str] = &[
    "construction",
    "energy",
    "manufacturing",
    "trade",
    "technology",
    "finance",
    "mining",
    "agriculture",
    "logistics",
    "infrastructure",
    "real_estate",
    "services",
    "intellectual_property",
];

/// The filters and text of one search, checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchRequest {
    /// Words and phrases, without the filters.
    pub text: String,
    pub phrases: Vec<String>,
    /// Words that must be in the title.
    pub title_text: Vec<String>,
    pub kinds: Vec<DocKind>,
    pub countries: Vec<String>,
    pub sectors: Vec<String>,
    pub langs: Vec<String>,
    pub years: Vec<u64>,
    pub limit: usize,
    pub offset: usize,
    /// Count matches per facet value (costs a pass over every match).
    pub facets: bool,
}

/// Filters given outside the query text (API parameters, CLI flags), still unchecked.
#[derive(Clone, Debug, Default)]
pub struct RawFilters {
    pub kinds: Vec<String>,
    pub countries: Vec<String>,
    pub sectors: Vec<String>,
    pub langs: Vec<String>,
    pub years: Vec<String>,
}

impl RawFilters {
    /// From optional comma-separated values, as the API and the CLI take them.
    pub fn from_options(
        kind: &Option<String>,
        country: &Option<String>,
        sector: &Option<String>,
        lang: &Option<String>,
        year: &Option<String>,
    ) -> Self {
        let list = |v: &Option<String>| v.iter().cloned().collect::<Vec<_>>();
        Self {
            kinds: list(kind),
            countries: list(country),
            sectors: list(sector),
            langs: list(lang),
            years: list(year),
        }
    }
}

impl SearchRequest {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.phrases.is_empty()
            && self.title_text.is_empty()
            && self.kinds.is_empty()
            && self.countries.is_empty()
            && self.sectors.is_empty()
            && self.langs.is_empty()
            && self.years.is_empty()
    }

    pub fn has_text(&self) -> bool {
        !(self.text.trim().is_empty() && self.phrases.is_empty() && self.title_text.is_empty())
    }
}

/// Reads `q` and the separate filters into one checked request.
pub fn parse(q: &str, filters: RawFilters, limit: usize, offset: usize) -> Result<SearchRequest> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid("q", "too_long"));
    }
    if q.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(AppError::invalid("q", "control_characters"));
    }
    let mut raw = filters;
    let mut req = SearchRequest {
        limit,
        offset,
        facets: true,
        ..Default::default()
    };
    let mut words: Vec<String> = Vec::new();
    for piece in split(q) {
        match piece {
            Piece::Phrase(p) => req.phrases.push(p),
            Piece::Word(w) => match w.split_once(':') {
                Some((field, value)) if !value.is_empty() => {
                    match field.to_ascii_lowercase().as_str() {
                        "type" | "kind" => raw.kinds.push(value.into()),
                        "country" => raw.countries.push(value.into()),
                        "sector" => raw.sectors.push(value.into()),
                        "lang" => raw.langs.push(value.into()),
                        "year" => raw.years.push(value.into()),
                        "title" => req.title_text.push(value.trim_matches('"').into()),
                        _ => words.push(w),
                    }
                }
                _ => words.push(w),
            },
        }
    }
    req.text = words.join(" ");
    req.kinds = values(&raw.kinds, "type", |v| {
        DocKind::parse(&v.to_ascii_lowercase())
    })?;
    req.countries = values(&raw.countries, "country", |v| {
        crate::country::CountryCode::parse(v)
            .ok()
            .map(|c| c.to_string())
    })?;
    req.sectors = values(&raw.sectors, "sector", |v| {
        let s = v.to_ascii_lowercase();
        SECTORS.contains(&s.as_str()).then_some(s)
    })?;
    req.langs = values(&raw.langs, "lang", |v| {
        match v.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "中文" => Some("zh".to_string()),
            "en" => Some("en".to_string()),
            _ => None,
        }
    })?;
    req.years = values(&raw.years, "year", |v| {
        v.parse::<u64>().ok().filter(|y| (1900..=2100).contains(y))
    })?;
    Ok(req)
}

fn values<T>(raw: &[String], field: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>> {
    let raw: Vec<&str> = raw
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    if raw.len() > MAX_FILTER_VALUES {
        return Err(AppError::invalid(field, "too_many"));
    }
    raw.into_iter()
        .map(|v| {
            parse(v).ok_or_else(|| {
                AppError::invalid(
                    field,
                    if field == "country" {
                        "unknown_country"
                    } else {
                        "unknown_value"
                    },
                )
            })
        })
        .collect()
}

#[derive(Debug, PartialEq)]
enum Piece {
    Word(String),
    Phrase(String),
}

/// Splits on whitespace, keeping `"quoted runs"` (ASCII or Chinese quotes) together. An
/// unclosed quote takes the rest of the text.
fn split(q: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut chars = q.chars().peekable();
    let flush = |word: &mut String, out: &mut Vec<Piece>| {
        if !word.is_empty() {
            out.push(Piece::Word(std::mem::take(word)));
        }
    };
    while let Some(c) = chars.next() {
        let close = match c {
            '"' => Some('"'),
            '“' => Some('”'),
            '「' => Some('」'),
            _ => None,
        };
        // A quote right after `field:` belongs to that field's value.
        if let Some(close) = close
            && !word.ends_with(':')
        {
            flush(&mut word, &mut out);
            let mut phrase = String::new();
            for d in chars.by_ref() {
                if d == close || (close == '"' && d == '”') {
                    break;
                }
                phrase.push(d);
            }
            let phrase = phrase.trim().to_string();
            if !phrase.is_empty() {
                out.push(Piece::Phrase(phrase));
            }
        } else if let Some(close) = close {
            let mut value = String::new();
            for d in chars.by_ref() {
                if d == close {
                    break;
                }
                value.push(d);
            }
            word.push_str(&value);
            flush(&mut word, &mut out);
        } else if c.is_whitespace() || c == '\u{3000}' {
            flush(&mut word, &mut out);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(q: &str) -> SearchRequest {
        parse(q, RawFilters::default(), 10, 0).unwrap()
    }

    #[test]
    fn filters_and_phrases_come_out_of_the_text() {
        let r = p(r#"type:case country:id "interim measures" 建设 工程 title:仲裁"#);
        assert_eq!(r.kinds, [DocKind::Case]);
        assert_eq!(r.countries, ["ID"]);
        assert_eq!(r.phrases, ["interim measures"]);
        assert_eq!(r.text, "建设 工程");
        assert_eq!(r.title_text, ["仲裁"]);
    }

    #[test]
    fn an_unbalanced_quote_takes_the_rest_and_unknown_prefixes_are_words() {
        let r = p(r#"award "time limit"#);
        assert_eq!(r.text, "award");
        assert_eq!(r.phrases, ["time limit"]);
        assert_eq!(p("http://x.example note:1").text, "http://x.example note:1");
        assert!(p(r#"""#).is_empty());
        assert_eq!(p("“承认与执行”").phrases, ["承认与执行"]);
    }

    #[test]
    fn unknown_values_and_long_queries_are_refused_with_the_field() {
        let err = |q: &str| {
            parse(q, RawFilters::default(), 10, 0)
                .unwrap_err()
                .to_string()
        };
        assert!(err("type:novel").contains("type"));
        assert!(err("country:XX").contains("country"));
        assert!(err("sector:poetry").contains("sector"));
        assert!(err("year:99999").contains("year"));
        assert!(err(&"仲".repeat(10_000)).contains("q"));
        let filters = RawFilters {
            kinds: vec!["case,guide".into()],
            ..Default::default()
        };
        let r = parse("", filters, 10, 0).unwrap();
        assert_eq!(r.kinds, [DocKind::Case, DocKind::Guide]);
    }
}
