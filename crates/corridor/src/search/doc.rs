//! What the index holds: one [`SearchDoc`] per guide section, case, organization, person and
//! country profile, and the tantivy schema it maps to.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use utoipa::ToSchema;

use super::analyzer::INDEX_ANALYZER;

/// Bumped whenever the schema or the analysis changes: an index written under another version
/// is rebuilt from the database on start.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Guide,
    Case,
    Organization,
    Person,
    Country,
}

crate::auth::roles::text_enum!(DocKind {
    Guide => "guide",
    Case => "case",
    Organization => "organization",
    Person => "person",
    Country => "country",
});

/// One searchable thing. Text fields may mix both languages.
#[derive(Clone, Debug, Default)]
pub struct SearchDoc {
    /// Stable and unique: `guide:VN:en:enforcement`, `case:{slug}`, `organization:{row id}`, …
    pub id: String,
    pub kind: Option<DocKind>,
    /// Where the result links to.
    pub url: String,
    pub title_en: String,
    pub title_zh: String,
    /// The section heading of a guide section.
    pub heading: String,
    pub body: String,
    /// Words that should find the document without being shown: country names in both
    /// languages, institution names, sector names, tags.
    pub extra: String,
    pub countries: Vec<String>,
    pub sectors: Vec<String>,
    /// `zh`, `en` or both.
    pub langs: Vec<&'static str>,
    pub year: Option<u64>,
    pub demo: bool,
}

#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub kind: Field,
    pub url: Field,
    pub title: Field,
    pub title_en: Field,
    pub title_zh: Field,
    pub heading: Field,
    pub body: Field,
    pub extra: Field,
    pub country: Field,
    pub sector: Field,
    pub lang: Field,
    pub year: Field,
    pub demo: Field,
    pub facets: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let analyzed = |stored: bool| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(INDEX_ANALYZER)
                // Positions make phrase queries possible, and jieba turns many Chinese
                // query words into phrases (see crates.md on FieldDoesNotHavePositionsIndexed).
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let options = TextOptions::default().set_indexing_options(indexing);
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            kind: b.add_text_field("kind", STRING | STORED | FAST),
            url: b.add_text_field("url", STORED),
            title: b.add_text_field("title", analyzed(false)),
            title_en: b.add_text_field("title_en", STORED),
            title_zh: b.add_text_field("title_zh", STORED),
            heading: b.add_text_field("heading", analyzed(true)),
            body: b.add_text_field("body", analyzed(true)),
            extra: b.add_text_field("extra", analyzed(false)),
            country: b.add_text_field("country", STRING | STORED),
            sector: b.add_text_field("sector", STRING | STORED),
            lang: b.add_text_field("lang", STRING | STORED),
            year: b.add_u64_field("year", INDEXED | STORED | FAST),
            demo: b.add_u64_field("demo", STORED),
            facets: b.add_facet_field("facets", FacetOptions::default()),
        };
        (b.build(), fields)
    }

    pub fn document(&self, d: &SearchDoc) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_text(self.id, &d.id);
        let kind = d.kind.map(DocKind::as_str).unwrap_or("guide");
        doc.add_text(self.kind, kind);
        doc.add_facet(self.facets, Facet::from_path(["kind", kind]));
        doc.add_text(self.url, &d.url);
        // A guide section is titled "guide › section": its heading belongs to its title.
        doc.add_text(
            self.title,
            format!("{}\n{}\n{}", d.title_zh, d.title_en, d.heading),
        );
        doc.add_text(self.title_en, &d.title_en);
        doc.add_text(self.title_zh, &d.title_zh);
        doc.add_text(self.heading, &d.heading);
        doc.add_text(self.body, &d.body);
        doc.add_text(self.extra, &d.extra);
        for c in &d.countries {
            doc.add_text(self.country, c);
            doc.add_facet(self.facets, Facet::from_path(["country", c.as_str()]));
        }
        for s in &d.sectors {
            doc.add_text(self.sector, s);
            doc.add_facet(self.facets, Facet::from_path(["sector", s.as_str()]));
        }
        for l in &d.langs {
            doc.add_text(self.lang, l);
            doc.add_facet(self.facets, Facet::from_path(["lang", l]));
        }
        if let Some(y) = d.year {
            doc.add_u64(self.year, y);
            doc.add_facet(
                self.facets,
                Facet::from_path(["year", y.to_string().as_str()]),
            );
        }
        doc.add_u64(self.demo, u64::from(d.demo));
        doc
    }
}
