//! One search over everything Corridor holds — guide sections, typical cases, organizations,
//! people and country profiles — in Chinese and English at once.
//!
//! tantivy with jieba word segmentation and English stemming (`analyzer`), a schema of text
//! fields plus facet fields (`doc`), an index in `<data_dir>/search` that follows the database
//! (`service`, the entry point, which also answers searches), a small query language
//! (`query`) and ranking (`rank`). Front ends: `api` (`GET /api/v1/search`), `pages`
//! (`/search`, results as you type), and `corridor search` on the command line. `bench` compares it with SQLite FTS5 and PostgreSQL full-text search.

pub mod analyzer;
pub mod api;
pub mod bench;
pub mod doc;
pub mod engine;
pub mod pages;
pub mod params;
pub mod query;
pub mod rank;
#[cfg(test)]
mod relevance;
pub mod service;
pub mod sources;

pub use doc::{DocKind, SearchDoc};
pub use engine::SearchIndex;
pub use query::{RawFilters, SearchRequest};
pub use rank::{Facets, SearchHit, SearchResults};
pub use service::SearchService;

pub const PER_PAGE_DEFAULT: usize = 10;
pub const PER_PAGE_MAX: usize = 50;
/// Deep paging is not a way to read the corpus.
pub const MAX_OFFSET: usize = 1000;

/// Page and size to limit and offset, checked.
pub fn paging(page: Option<u32>, per_page: Option<u32>) -> crate::Result<(usize, usize)> {
    let per_page = per_page.map(|p| p as usize).unwrap_or(PER_PAGE_DEFAULT);
    if per_page == 0 || per_page > PER_PAGE_MAX {
        return Err(crate::AppError::invalid("per_page", "out_of_range"));
    }
    let page = page.unwrap_or(1) as usize;
    if page == 0 || (page - 1) * per_page > MAX_OFFSET {
        return Err(crate::AppError::invalid("page", "out_of_range"));
    }
    Ok((per_page, (page - 1) * per_page))
}
