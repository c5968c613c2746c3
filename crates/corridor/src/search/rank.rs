//! Turning a [`SearchRequest`] into a tantivy query, and its results into hits with snippets
//! and facet counts.
//!
//! Ranking: every word is looked up in the title (×2), the section heading (×1.5), the hidden
//! keywords and the body (×1) by BM25, with every field using the word's rarity across the whole
//! index and a word scored by its best field (see `in_fields`); each pair of query words found
//! together adds both scores again (so more of the query beats more of one word); and the
//! query's words in their order, as a phrase, add a boost — so a title or heading match beats a
//! body match, and an exact phrase beats the same words scattered.

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};
use utoipa::ToSchema;

use super::analyzer::query_tokens;
use super::doc::DocKind;
use super::engine::SearchIndex;
use super::query::SearchRequest;

const TITLE_BOOST: f32 = 2.0;
const HEADING_BOOST: f32 = 1.5;
const EXTRA_BOOST: f32 = 1.0;
const PHRASE_BOOST: f32 = 1.5;
/// Weight of each coordination layer (see `build`).
const COORDINATION_BOOST: f32 = 2.0;
/// Distinct words of a query that are searched; the rest of a very long query is ignored.
const MAX_QUERY_WORDS: usize = 32;
/// Phrase boosts: at most this many runs, each of at most this many words.
const MAX_PHRASE_RUNS: usize = 8;
const MAX_PHRASE_WORDS: usize = 16;
/// Words of a longer query beyond this many take no part in coordination (pairs grow as n²).
const MAX_COORDINATED_WORDS: usize = 6;
const SNIPPET_CHARS: usize = 180;
/// Share of a word's other field matches added to its best one.
const FIELD_TIE_BREAKER: f32 = 0.1;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: DocKind,
    pub url: String,
    pub title_en: String,
    pub title_zh: String,
    /// The guide section's heading, if the hit is a section.
    pub heading: String,
    /// A passage around the best match; matched words are wrapped in `<b>`, everything else
    /// is HTML-escaped.
    pub snippet: String,
    pub countries: Vec<String>,
    pub sectors: Vec<String>,
    pub langs: Vec<String>,
    pub year: Option<u64>,
    pub demo: bool,
    pub score: f32,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Matches per value, for narrowing the search.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct Facets {
    #[serde(rename = "type")]
    pub kind: Vec<FacetCount>,
    pub country: Vec<FacetCount>,
    pub sector: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    pub lang: Vec<FacetCount>,
}

#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct SearchResults {
    /// How many documents match.
    pub total: u64,
    /// Best first.
    pub results: Vec<SearchHit>,
    pub facets: Facets,
}

impl SearchIndex {
    pub fn search(&self, req: &SearchRequest) -> anyhow::Result<SearchResults> {
        let searcher = self.reader.searcher();
        let Some(query) = self.build(req, &searcher) else {
            return Ok(SearchResults::default());
        };
        let top = TopDocs::with_limit(req.limit.max(1))
            .and_offset(req.offset)
            .order_by_score();
        let (top, total, facets) = if req.facets {
            let mut fc = FacetCollector::for_field("facets");
            for f in ["/kind", "/country", "/sector", "/year", "/lang"] {
                fc.add_facet(f);
            }
            let (top, total, counts) = searcher.search(&query, &(top, Count, fc))?;
            let list = |root: &str| -> Vec<FacetCount> {
                let mut v: Vec<FacetCount> = counts
                    .get(root)
                    .map(|(facet, count)| FacetCount {
                        value: facet.to_path().last().unwrap_or(&"").to_string(),
                        count,
                    })
                    .collect();
                v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
                v
            };
            let facets = Facets {
                kind: list("/kind"),
                country: list("/country"),
                sector: list("/sector"),
                year: list("/year"),
                lang: list("/lang"),
            };
            (top, total as u64, facets)
        } else {
            let top = searcher.search(&query, &top)?;
            let n = top.len() as u64 + req.offset as u64;
            (top, n, Facets::default())
        };
        let results = self.hits(&searcher, query.as_ref(), &top)?;
        Ok(SearchResults {
            total,
            results,
            facets,
        })
    }

    /// Only the ids of the best `limit` documents: what the benchmark times.
    pub fn search_ids(&self, req: &SearchRequest) -> anyhow::Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let Some(query) = self.build(req, &searcher) else {
            return Ok(Vec::new());
        };
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(req.limit.max(1)).order_by_score(),
        )?;
        top.iter()
            .map(|(_, addr)| {
                let doc: TantivyDocument = searcher.doc(*addr)?;
                Ok(first_text(&doc, self.fields.id))
            })
            .collect()
    }

    fn hits(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        top: &[(f32, DocAddress)],
    ) -> anyhow::Result<Vec<SearchHit>> {
        let f = &self.fields;
        let snippets = self.snippet_generator(searcher, query)?;
        top.iter()
            .map(|(score, addr)| {
                let doc: TantivyDocument = searcher.doc(*addr)?;
                let snippet = snippets.snippet_from_doc(&doc);
                let snippet = if snippet.highlighted().is_empty() {
                    let body = first_text(&doc, f.body);
                    let lead: String = body.chars().take(SNIPPET_CHARS).collect();
                    escape(&lead)
                } else {
                    snippet.to_html()
                };
                Ok(SearchHit {
                    id: first_text(&doc, f.id),
                    kind: DocKind::parse(&first_text(&doc, f.kind)).unwrap_or(DocKind::Guide),
                    url: first_text(&doc, f.url),
                    title_en: first_text(&doc, f.title_en),
                    title_zh: first_text(&doc, f.title_zh),
                    heading: first_text(&doc, f.heading),
                    snippet,
                    countries: all_text(&doc, f.country),
                    sectors: all_text(&doc, f.sector),
                    langs: all_text(&doc, f.lang),
                    year: doc.get_first(f.year).and_then(|v| v.as_u64()),
                    demo: doc.get_first(f.demo).and_then(|v| v.as_u64()) == Some(1),
                    score: *score,
                })
            })
            .collect()
    }

    /// Like `SnippetGenerator::create`, but cutting the text with the query analyzer: the
    /// index analyzer's search mode emits overlapping words (中华人民共和国 after 人民), whose
    /// offsets go backwards, and tantivy's fragment maths assumes they never do.
    fn snippet_generator(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
    ) -> anyhow::Result<SnippetGenerator> {
        let body = self.fields.body;
        let mut terms = std::collections::BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == body {
                terms.insert(term.clone());
            }
        });
        let mut weights = std::collections::BTreeMap::new();
        for term in terms {
            let Some(text) = term.value().as_str().map(str::to_string) else {
                continue;
            };
            let freq = searcher.doc_freq(&term)?;
            if freq > 0 {
                weights.insert(text, 1.0 / (1.0 + freq as f32));
            }
        }
        Ok(SnippetGenerator::new(
            weights,
            self.query_analyzer.clone(),
            body,
            SNIPPET_CHARS,
        ))
    }

    /// `None` when nothing could match (the text was only stop words or punctuation, and
    /// there are no filters).
    /// A word looked up in several fields, each weighted. BM25 weighs a word by its rarity in
    /// each field on its own, so a word in half the bodies but in few of the short titles
    /// scores in a title as if it were rare. Each field's score is scaled so that every field
    /// uses the word's rarity across the whole index, as BM25F does.
    ///
    /// The fields are combined by their best match (plus a tenth of the others), not their
    /// sum: a common word in both a title and a body must not count twice against a rare
    /// word that is only in the body.
    fn in_fields(
        &self,
        searcher: &Searcher,
        word: &str,
        weights: &[(Field, f32)],
    ) -> Box<dyn Query> {
        let n = searcher.num_docs() as f32;
        let idf = |df: u64| {
            (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5))
                .ln()
                .max(1e-3)
        };
        let dfs: Vec<u64> = weights
            .iter()
            .map(|(field, _)| {
                searcher
                    .doc_freq(&Term::from_field_text(*field, word))
                    .unwrap_or(0)
            })
            .collect();
        // The field where the word is most common bounds how many documents have it at all.
        let global = idf(dfs.iter().copied().max().unwrap_or(0));
        let fields: Vec<Box<dyn Query>> = weights
            .iter()
            .zip(dfs)
            .filter(|(_, df)| *df > 0)
            .map(|((field, weight), df)| boosted(term(*field, word), weight * global / idf(df)))
            .collect();
        Box::new(DisjunctionMaxQuery::with_tie_breaker(
            fields,
            FIELD_TIE_BREAKER,
        ))
    }

    fn build(&self, req: &SearchRequest, searcher: &Searcher) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let mut analyzer = self.query_analyzer.clone();
        let mut must: Vec<Box<dyn Query>> = Vec::new();
        let mut text_given = false;

        let tokens = query_tokens(&mut analyzer, &req.text);
        text_given |= !req.text.trim().is_empty();
        let weights = [
            (f.title, TITLE_BOOST),
            (f.heading, HEADING_BOOST),
            (f.extra, EXTRA_BOOST),
            (f.body, 1.0),
        ];
        if !tokens.is_empty() {
            let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            // Each distinct word's lookup, built once (it reads document frequencies) and
            // cloned into the clauses below.
            let mut seen: std::collections::BTreeMap<&str, Box<dyn Query>> =
                std::collections::BTreeMap::new();
            for (_, word) in &tokens {
                if seen.len() == MAX_QUERY_WORDS {
                    break;
                }
                if seen.contains_key(word.as_str()) {
                    continue;
                }
                let lookup = self.in_fields(searcher, word, &weights);
                should.push((Occur::Should, lookup.box_clone()));
                seen.insert(word, lookup);
            }
            // Coordination: a document with more of the words beats one with fewer, however
            // often those few occur. Each pair of words adds its two scores again for a
            // document that has both, so k words matched earn k·(k−1)/2 pairs. Pairs are
            // intersections, which tantivy drives from the rarer word by skipping, so this
            // costs little even when one word is in half the index (a "match at least k"
            // clause would walk every posting of the common word again).
            let words: Vec<&Box<dyn Query>> = seen.values().take(MAX_COORDINATED_WORDS).collect();
            for (i, a) in words.iter().enumerate() {
                for b in &words[i + 1..] {
                    let both = BooleanQuery::intersection(vec![a.box_clone(), b.box_clone()]);
                    should.push((Occur::Should, boosted(Box::new(both), COORDINATION_BOOST)));
                }
            }
            // The whole text as a phrase, and each space-separated run (a Chinese query is
            // often several runs: 越南 仲裁裁决 承认与执行).
            // Bounded: a long query is not a way to make the index do unbounded work.
            let mut runs: Vec<Vec<(usize, String)>> = Vec::new();
            if tokens.len() <= MAX_PHRASE_WORDS {
                runs.push(tokens.clone());
            }
            let mut seen_runs = std::collections::HashSet::new();
            for run in req.text.split_whitespace() {
                let run = query_tokens(&mut analyzer, run);
                let words: Vec<String> = run.iter().map(|(_, w)| w.clone()).collect();
                if run.len() >= 2 && run.len() <= MAX_PHRASE_WORDS && seen_runs.insert(words) {
                    runs.push(run);
                }
                if runs.len() > MAX_PHRASE_RUNS {
                    break;
                }
            }
            for run in runs.iter().filter(|r| r.len() >= 2) {
                for (field, boost) in [
                    (f.title, TITLE_BOOST),
                    (f.heading, HEADING_BOOST),
                    (f.body, 1.0),
                ] {
                    should.push((
                        Occur::Should,
                        boosted(phrase(field, run), boost * PHRASE_BOOST),
                    ));
                }
            }
            must.push(Box::new(BooleanQuery::new(should)));
        }
        for p in &req.phrases {
            text_given = true;
            let run = query_tokens(&mut analyzer, p);
            if run.is_empty() {
                continue;
            }
            let alternatives: Vec<(Occur, Box<dyn Query>)> = [
                (f.title, TITLE_BOOST),
                (f.heading, HEADING_BOOST),
                (f.extra, EXTRA_BOOST),
                (f.body, 1.0),
            ]
            .into_iter()
            .map(|(field, boost)| {
                (
                    Occur::Should,
                    boosted(phrase(field, &run), boost * PHRASE_BOOST),
                )
            })
            .collect();
            must.push(Box::new(BooleanQuery::new(alternatives)));
        }
        for t in &req.title_text {
            text_given = true;
            let run = query_tokens(&mut analyzer, t);
            if !run.is_empty() {
                must.push(boosted(phrase(f.title, &run), TITLE_BOOST));
            }
        }
        if must.is_empty() && text_given {
            // Words were given but none can match: say so rather than list everything.
            return if req.kinds.is_empty()
                && req.countries.is_empty()
                && req.sectors.is_empty()
                && req.langs.is_empty()
                && req.years.is_empty()
            {
                None
            } else {
                Some(self.filtered(Box::new(AllQuery), req))
            };
        }
        if must.is_empty() {
            if req.is_empty() {
                return None;
            }
            must.push(Box::new(AllQuery));
        }
        let text: Box<dyn Query> = if must.len() == 1 {
            must.pop().unwrap_or_else(|| Box::new(EmptyQuery))
        } else {
            Box::new(BooleanQuery::new(
                must.into_iter().map(|q| (Occur::Must, q)).collect(),
            ))
        };
        Some(self.filtered(text, req))
    }

    fn filtered(&self, text: Box<dyn Query>, req: &SearchRequest) -> Box<dyn Query> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
        let kinds: Vec<String> = req.kinds.iter().map(|k| k.as_str().to_string()).collect();
        for (field, values) in [
            (f.kind, &kinds),
            (f.country, &req.countries),
            (f.sector, &req.sectors),
            (f.lang, &req.langs),
        ] {
            if !values.is_empty() {
                let any: Vec<(Occur, Box<dyn Query>)> = values
                    .iter()
                    .map(|v| (Occur::Should, exact(Term::from_field_text(field, v))))
                    .collect();
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            }
        }
        if !req.years.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = req
                .years
                .iter()
                .map(|y| (Occur::Should, exact(Term::from_field_u64(f.year, *y))))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if clauses.len() == 1 {
            clauses
                .pop()
                .map(|(_, q)| q)
                .unwrap_or_else(|| Box::new(EmptyQuery))
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }
}

fn term(field: Field, word: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, word),
        IndexRecordOption::WithFreqs,
    ))
}

/// A filter: matches or not, adds no score of its own worth ranking by.
fn exact(t: Term) -> Box<dyn Query> {
    Box::new(BoostQuery::new(
        Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
        0.0,
    ))
}

fn phrase(field: Field, run: &[(usize, String)]) -> Box<dyn Query> {
    if run.len() == 1 {
        return term(field, &run[0].1);
    }
    let first = run[0].0;
    Box::new(PhraseQuery::new_with_offset(
        run.iter()
            .map(|(pos, w)| (pos - first, Term::from_field_text(field, w)))
            .collect(),
    ))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if boost == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

fn first_text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn all_text(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
