//! Relevance: labelled Chinese, English and mixed queries over the shipped guides, cases and
//! country profiles, each with the document that must rank in the top 3; and the two ranking
//! rules (a title match beats a body match, an exact phrase beats scattered words) on
//! documents built to isolate them.

use super::doc::{DocKind, SearchDoc};
use super::engine::{IndexState, SearchIndex};
use super::query::{RawFilters, parse};
use super::sources::{case_doc, country_docs, guide_docs};
use crate::knowledge::store::{Guide, StoredCase};

/// (query, document that must be in the top 3)
const LABELLED: &[(&str, &str)] = &[
    // Chinese
    ("越南 仲裁裁决 承认与执行", "guide:VN:zh-CN:enforcement"),
    ("泰国 外国仲裁裁决 时效", "guide:TH:zh-CN:enforcement"),
    ("新加坡 临时措施", "guide:SG:zh-CN:interim-measures"),
    ("柬埔寨 仲裁机构", "guide:KH:zh-CN:institutions"),
    ("区块链 证据", "case:huatai-yimei-v-daotong-2018"),
    ("网页 公证 证据", "case:nucom-v-china-netcom-zigong-2008"),
    (
        "印度尼西亚 建设工程 拒绝执行",
        "case:demo-construction-cietac-award-refused-indonesia",
    ),
    ("菲律宾 可仲裁性", "guide:PH:zh-CN:arbitrability"),
    // English
    (
        "enforce award Vietnam time limit",
        "guide:VN:en:enforcement",
    ),
    ("interim measures Singapore", "guide:SG:en:interim-measures"),
    (
        "blockchain evidence Hangzhou",
        "case:huatai-yimei-v-daotong-2018",
    ),
    (
        "arbitrator conflict IBA red list",
        "case:w-ltd-v-m-sdn-bhd-2016",
    ),
    (
        "Minsheng Trust Hong Kong registration",
        "case:china-minsheng-trust-v-fu-jun-2024",
    ),
    (
        "construction award refused Indonesia notice",
        "case:demo-construction-cietac-award-refused-indonesia",
    ),
    ("Malaysia arbitral institutions", "guide:MY:en:institutions"),
    (
        "\"seat and its courts\" Thailand",
        "guide:TH:en:seat-and-courts",
    ),
    // Mixed
    ("Indonesia 承认与执行", "guide:ID:zh-CN:enforcement"),
    ("Viet Nam 临时措施", "guide:VN:zh-CN:interim-measures"),
    ("SIAC 新加坡 仲裁机构", "guide:SG:zh-CN:institutions"),
    ("Huatai Yimei 区块链", "case:huatai-yimei-v-daotong-2018"),
];

fn shipped_index() -> SearchIndex {
    let mut docs: Vec<SearchDoc> = Vec::new();
    let at = chrono::Utc::now();
    for (_, _, g) in crate::knowledge::shipped_guides().unwrap() {
        docs.extend(guide_docs(&Guide {
            country: g.country,
            lang: g.lang,
            title: g.title,
            summary: g.summary,
            reviewed: g.reviewed,
            revision: 1,
            sources: g.sources,
            body: g.body,
            edited: false,
            updated_at: at,
        }));
    }
    for (_, _, c) in crate::knowledge::shipped_cases().unwrap() {
        docs.push(case_doc(&StoredCase {
            case: c,
            edited: false,
            updated_at: at,
        }));
    }
    docs.extend(country_docs());
    index_of(docs)
}

fn index_of(docs: Vec<SearchDoc>) -> SearchIndex {
    let index = SearchIndex::in_ram().unwrap();
    index.rebuild(docs, &IndexState::default(), |_| {}).unwrap();
    index
}

fn top(index: &SearchIndex, q: &str, n: usize) -> Vec<String> {
    let req = parse(q, RawFilters::default(), n, 0).unwrap();
    index
        .search(&req)
        .unwrap()
        .results
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn labelled_queries_find_their_document_in_the_top_3() {
    let index = shipped_index();
    let mut misses = Vec::new();
    for (q, want) in LABELLED {
        let got = top(&index, q, 3);
        if !got.iter().any(|id| id == want) {
            misses.push(format!("{q:?}: wanted {want} in {got:?}"));
        }
    }
    assert!(
        misses.is_empty(),
        "{} of {} missed:\n{}",
        misses.len(),
        LABELLED.len(),
        misses.join("\n")
    );
}

fn doc(id: &str, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id: id.into(),
        kind: Some(DocKind::Case),
        title_en: title.into(),
        title_zh: title.into(),
        body: body.into(),
        langs: vec!["en"],
        ..Default::default()
    }
}

const FILLER: &str = "The parties exchanged submissions over several months and the tribunal \
     held a hearing on the merits before deciding the costs of the proceedings.";

#[test]
fn a_title_match_beats_a_body_match() {
    let index = index_of(vec![
        doc(
            "body",
            "Freight claim",
            &format!("{FILLER} Hydropower concession. {FILLER}"),
        ),
        doc("title", "Hydropower concession", FILLER),
    ]);
    assert_eq!(top(&index, "hydropower concession", 2), ["title", "body"]);
    let index = index_of(vec![
        doc(
            "body",
            "货运索赔",
            &format!("{FILLER} 水电站 特许经营 {FILLER}"),
        ),
        doc("title", "水电站特许经营争议", FILLER),
    ]);
    assert_eq!(top(&index, "水电站 特许经营", 2), ["title", "body"]);
}

#[test]
fn an_exact_phrase_beats_the_same_words_scattered() {
    let index = index_of(vec![
        doc(
            "scattered",
            "Award",
            &format!("Measures were discussed. {FILLER} The interim report followed."),
        ),
        doc(
            "phrase",
            "Award",
            &format!("{FILLER} Interim measures were discussed."),
        ),
    ]);
    assert_eq!(top(&index, "interim measures", 2), ["phrase", "scattered"]);
    let index = index_of(vec![
        doc(
            "scattered",
            "裁决",
            "执行程序已经开始。当事人随后申请承认。",
        ),
        doc("phrase", "裁决", "当事人申请承认与执行外国仲裁裁决。"),
    ]);
    assert_eq!(top(&index, "承认与执行", 2), ["phrase", "scattered"]);
}

#[test]
fn a_quoted_phrase_must_match_as_a_phrase() {
    let index = index_of(vec![
        doc(
            "scattered",
            "Award",
            "Measures were discussed. The interim report followed.",
        ),
        doc("phrase", "Award", "Interim measures were discussed."),
    ]);
    assert_eq!(top(&index, "\"interim measures\"", 5), ["phrase"]);
}

#[test]
fn filters_narrow_and_stop_words_alone_find_nothing() {
    let index = shipped_index();
    let req = parse(
        "type:case country:ID sector:construction",
        RawFilters::default(),
        50,
        0,
    )
    .unwrap();
    let r = index.search(&req).unwrap();
    assert!(r.total >= 3, "{}", r.total);
    assert!(r.results.iter().all(|h| h.kind == DocKind::Case
        && h.countries.contains(&"ID".to_string())
        && h.sectors == ["construction"]));
    let kinds: u64 = r.facets.kind.iter().map(|f| f.count).sum();
    assert_eq!(kinds, r.total);
    for q in ["", "的 了 和", "the of !!!", "。，、"] {
        let req = parse(q, RawFilters::default(), 10, 0).unwrap();
        assert_eq!(index.search(&req).unwrap().total, 0, "{q:?}");
    }
}

#[test]
fn snippets_survive_words_inside_longer_words() {
    // jieba's search mode emits 人民 before 中华人民共和国, going back in the text: the
    // snippet must still come out (this once panicked in tantivy's fragment maths).
    let index = index_of(vec![doc(
        "x",
        "T",
        &"依据中华人民共和国仲裁法，人民法院可以执行裁决。".repeat(12),
    )]);
    let req = parse("人民 仲裁法", RawFilters::default(), 1, 0).unwrap();
    let hit = &index.search(&req).unwrap().results[0];
    assert!(hit.snippet.contains("<b>"), "{}", hit.snippet);
}

#[test]
fn snippets_highlight_matches_and_escape_the_text() {
    let index = index_of(vec![doc(
        "x",
        "T",
        "Clause <script>alert(1)</script> says the seat is Singapore.",
    )]);
    let req = parse("Singapore", RawFilters::default(), 1, 0).unwrap();
    let hit = &index.search(&req).unwrap().results[0];
    assert!(hit.snippet.contains("<b>Singapore</b>"), "{}", hit.snippet);
    assert!(!hit.snippet.contains("<script>"), "{}", hit.snippet);
}
