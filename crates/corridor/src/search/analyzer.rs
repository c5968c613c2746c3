//! Text analysis for both languages in one field.
//!
//! jieba segments Chinese into words (not character n-grams) and passes Latin words through
//! whole; English words are then lower-cased, stop words dropped and stemmed (Porter2), so
//! "enforcement" and "enforce" meet. Chinese tokens pass the English stemmer unchanged.
//!
//! Documents are cut in jieba's *search* mode, which also emits the dictionary words inside a
//! long word (中华人民共和国 → 中华, 人民, 共和国, …) so a short query still finds a long
//! word. Queries are cut in the *default* mode: the longest words, which the search mode has
//! also indexed. Token positions are character offsets in both, so a phrase built from query
//! words matches exactly the documents where those words stand next to each other.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};
use tantivy_jieba::JiebaTokenizer;

/// The analyzer every text field is indexed with.
pub const INDEX_ANALYZER: &str = "corridor_bilingual";

/// Words too common in either language to carry meaning in a query.
const CHINESE_STOP_WORDS: &[&str] = &[
    "的", "了", "和", "与", "及", "或", "在", "是", "对", "将", "为", "之", "等", "中", "其", "由",
    "于", "以", "把", "被", "这", "那", "也", "都", "而", "并", "从", "向", "有", "该", "如", "则",
];

fn stop_words() -> StopWordFilter {
    let mut words: Vec<String> = CHINESE_STOP_WORDS.iter().map(|w| w.to_string()).collect();
    words.extend(
        [
            "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into",
            "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then",
            "there", "these", "they", "this", "to", "was", "will", "with", "what", "how", "which",
        ]
        .iter()
        .map(|w| w.to_string()),
    );
    StopWordFilter::remove(words)
}

fn analyzer(search_mode: bool) -> TextAnalyzer {
    TextAnalyzer::builder(JiebaTokenizer::with_search_mode(search_mode))
        .filter(WordsOnly)
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(stop_words())
        .filter(Stemmer::new(Language::English))
        .build()
}

/// For documents (registered with the index under [`INDEX_ANALYZER`]).
pub fn index_analyzer() -> TextAnalyzer {
    analyzer(true)
}

/// For queries: the longest words, see the module comment.
pub fn query_analyzer() -> TextAnalyzer {
    analyzer(false)
}

/// A query's words with their character offsets.
pub fn query_tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push((t.position, t.text.clone()));
    }
    out
}

/// Drops what jieba emits between words: spaces and punctuation.
#[derive(Clone)]
struct WordsOnly;

impl TokenFilter for WordsOnly {
    type Tokenizer<T: Tokenizer> = WordsOnlyTokenizer<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> WordsOnlyTokenizer<T> {
        WordsOnlyTokenizer(tokenizer)
    }
}

#[derive(Clone)]
struct WordsOnlyTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for WordsOnlyTokenizer<T> {
    type TokenStream<'a> = WordsOnlyStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        WordsOnlyStream(self.0.token_stream(text))
    }
}

struct WordsOnlyStream<T>(T);

impl<T: TokenStream> TokenStream for WordsOnlyStream<T> {
    fn advance(&mut self) -> bool {
        while self.0.advance() {
            if self.0.token().text.chars().any(char::is_alphanumeric) {
                return true;
            }
        }
        false
    }
    fn token(&self) -> &Token {
        self.0.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(mut a: TextAnalyzer, text: &str) -> Vec<String> {
        query_tokens(&mut a, text)
            .into_iter()
            .map(|(_, w)| w)
            .collect()
    }

    #[test]
    fn chinese_is_cut_into_words_and_english_is_stemmed() {
        let q = words(query_analyzer(), "越南 仲裁裁决 承认与执行");
        assert!(q.contains(&"越南".to_string()), "{q:?}");
        assert!(q.contains(&"承认".to_string()), "{q:?}");
        assert!(!q.iter().any(|w| w == "与" || w.trim().is_empty()), "{q:?}");
        let e = words(query_analyzer(), "Enforcing the Awards, in Vietnam!");
        assert_eq!(e, ["enforc", "award", "vietnam"]);
    }

    #[test]
    fn the_index_side_also_holds_the_short_words_inside_long_ones() {
        let doc = words(index_analyzer(), "中华人民共和国仲裁法");
        assert!(doc.contains(&"仲裁法".to_string()) || doc.contains(&"仲裁".to_string()));
        assert!(doc.contains(&"人民".to_string()), "{doc:?}");
    }

    #[test]
    fn punctuation_and_stop_words_leave_nothing() {
        assert!(words(query_analyzer(), "的 了 , the of !!! 。").is_empty());
    }
}
