//! The knowledge base: the commission's practice guides on arbitration in each ASEAN member
//! state and its library of typical foreign-related cases.
//!
//! The shipped texts live in `data/knowledge/` (embedded at build time by `build.rs`) and are
//! imported into the database when Corridor starts; from then on the database is the source
//! of truth, and commission and bureau staff edit guides in the UI, each save a new revision.
//! Search over all of it is `crate::search`.

pub mod api;
pub mod case;
pub mod guide;
pub mod http;
pub mod pages;
pub mod policy;
pub mod store;
mod store_cases;

use sha2::{Digest, Sha256};

use crate::db::Store;
use case::CaseRecord;
use guide::GuideText;
use store::Imported;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/knowledge_files.rs"));
}

/// The ten ASEAN member states, each with a guide in both languages.
pub const ASEAN: [&str; 10] = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Files that changed where the guide has edits made in the UI since.
    pub kept_edits: Vec<String>,
}

fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The guides shipped in the binary: file name, digest, parsed text.
pub fn shipped_guides() -> anyhow::Result<Vec<(&'static str, String, GuideText)>> {
    embedded::GUIDE_FILES
        .iter()
        .map(|(name, text)| {
            let g = guide::parse_file(text).map_err(|e| anyhow::anyhow!("guides/{name}: {e}"))?;
            Ok((*name, digest(text), g))
        })
        .collect()
}

/// The cases shipped in the binary: file name, digest, record.
pub fn shipped_cases() -> anyhow::Result<Vec<(&'static str, String, CaseRecord)>> {
    embedded::CASE_FILES
        .iter()
        .map(|(name, text)| {
            let c: CaseRecord =
                toml::from_str(text).map_err(|e| anyhow::anyhow!("cases/{name}: {e}"))?;
            Ok((*name, digest(text), c))
        })
        .collect()
}

/// Imports every shipped guide and case (see `data/knowledge/README.md` for what a changed
/// file does to an edited guide).
pub async fn import_shipped(store: &Store) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let count = |outcome: Imported, name: &str, report: &mut ImportReport| match outcome {
        Imported::Added => report.added += 1,
        Imported::Updated => report.updated += 1,
        Imported::Unchanged => report.unchanged += 1,
        Imported::KeptEdits => report.kept_edits.push(name.to_string()),
    };
    for (name, digest, g) in shipped_guides()? {
        let outcome = store
            .import_guide(&g, &digest, name)
            .await
            .map_err(|e| anyhow::anyhow!("guides/{name}: {e}"))?;
        count(outcome, name, &mut report);
    }
    for (name, digest, c) in shipped_cases()? {
        let outcome = store
            .import_case(&c, &digest)
            .await
            .map_err(|e| anyhow::anyhow!("cases/{name}: {e}"))?;
        count(outcome, name, &mut report);
    }
    for name in &report.kept_edits {
        tracing::info!(file = %name, "knowledge file changed, but the guide was edited in the UI since; the edit is kept");
    }
    Ok(report)
}

pub use policy::{can_edit_knowledge, require_editor};

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn every_asean_member_has_a_valid_guide_in_both_languages() {
        let guides = shipped_guides().unwrap();
        for cc in ASEAN {
            for lang in guide::LANGS {
                let name = format!("{}.{lang}.md", cc.to_lowercase());
                let (_, _, g) = guides
                    .iter()
                    .find(|(n, _, _)| *n == name)
                    .unwrap_or_else(|| panic!("missing guide {name}"));
                assert_eq!((g.country.as_str(), g.lang.as_str()), (cc, lang), "{name}");
                guide::validate(g).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            }
        }
    }

    #[test]
    fn both_languages_of_a_guide_cite_the_same_sources() {
        let guides = shipped_guides().unwrap();
        let mut by_country: BTreeMap<&str, Vec<BTreeMap<String, String>>> = BTreeMap::new();
        for (_, _, g) in &guides {
            by_country.entry(g.country.as_str()).or_default().push(
                g.sources
                    .iter()
                    .map(|s| (s.key.clone(), s.url.clone()))
                    .collect(),
            );
        }
        for (cc, versions) in by_country {
            assert!(
                versions.windows(2).all(|w| w[0] == w[1]),
                "{cc}: en and zh-CN sources differ"
            );
        }
    }

    #[test]
    fn every_shipped_case_is_valid_and_named_by_its_slug() {
        let cases = shipped_cases().unwrap();
        assert!(cases.len() >= 20, "only {} cases", cases.len());
        for (name, _, c) in &cases {
            assert_eq!(format!("{}.toml", c.slug), *name);
            c.validate().unwrap_or_else(|e| panic!("{name}: {e:?}"));
        }
        assert!(
            cases.iter().any(|(_, _, c)| !c.demo),
            "no real, sourced case"
        );
        let construction_in_indonesia = cases
            .iter()
            .filter(|(_, _, c)| {
                c.sector == "construction" && c.enforcement.iter().any(|e| e.country == "ID")
            })
            .count();
        assert!(construction_in_indonesia >= 1);
    }
}
