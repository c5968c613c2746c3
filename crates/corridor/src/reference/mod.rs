//! Reference lists every record is checked against: countries and regions (ISO 3166-1
//! alpha-2, HK and MO included), languages (BCP 47), practice areas. They ship inside the binary
//! from `data/reference/`, each row with its source.

pub mod api;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct Country {
    pub iso2: String,
    pub name_en: String,
    pub name_zh: String,
    /// UN M49 sub-region, e.g. "South-eastern Asia".
    pub region: String,
    pub asean_member: bool,
    pub source: String,
    /// Checked against the named source; unverified rows are shown as such.
    pub verified: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct Language {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct PracticeArea {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
}

pub struct Reference {
    pub countries: Vec<Country>,
    pub languages: Vec<Language>,
    pub practice_areas: Vec<PracticeArea>,
    country_index: HashMap<String, usize>,
    language_index: HashMap<String, usize>,
}

const COUNTRIES: &str = include_str!("../../../../data/reference/countries.csv");
const LANGUAGES: &str = include_str!("../../../../data/reference/languages.csv");
const PRACTICE_AREAS: &str = include_str!("../../../../data/reference/practice_areas.csv");

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        // The files are compiled in and checked by the tests below; a bad row is a build defect.
        .unwrap_or_else(|e| panic!("data/reference/{name} is malformed: {e}"))
}

impl Reference {
    pub fn get() -> &'static Reference {
        static REFERENCE: OnceLock<Reference> = OnceLock::new();
        REFERENCE.get_or_init(|| {
            let countries: Vec<Country> = parse("countries.csv", COUNTRIES);
            let languages: Vec<Language> = parse("languages.csv", LANGUAGES);
            let country_index = countries
                .iter()
                .enumerate()
                .map(|(i, c)| (c.iso2.clone(), i))
                .collect();
            let language_index = languages
                .iter()
                .enumerate()
                .map(|(i, l)| (l.code.clone(), i))
                .collect();
            Reference {
                countries,
                languages,
                practice_areas: parse("practice_areas.csv", PRACTICE_AREAS),
                country_index,
                language_index,
            }
        })
    }

    pub fn country(&self, iso2: &str) -> Option<&Country> {
        self.country_index.get(iso2).map(|&i| &self.countries[i])
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.language_index.get(code).map(|&i| &self.languages[i])
    }

    pub fn is_practice_area(&self, code: &str) -> bool {
        self.practice_areas.iter().any(|p| p.code == code)
    }

    pub fn is_asean(&self, iso2: &str) -> bool {
        self.country(iso2).is_some_and(|c| c.asean_member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_iso_country_is_listed_with_both_names_and_a_source() {
        let r = Reference::get();
        assert!(r.countries.len() >= 249, "{}", r.countries.len());
        for c in &r.countries {
            assert_eq!(c.iso2.len(), 2, "{c:?}");
            assert!(c.iso2.chars().all(|ch| ch.is_ascii_uppercase()), "{c:?}");
            assert!(!c.name_en.is_empty() && !c.name_zh.is_empty(), "{c:?}");
            assert!(!c.source.is_empty(), "{c:?}");
        }
        for code in ["CN", "HK", "MO", "VN", "SG"] {
            assert!(r.country(code).is_some(), "{code}");
        }
    }

    #[test]
    fn asean_members_are_the_ten() {
        let r = Reference::get();
        for code in ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"] {
            assert!(r.is_asean(code), "{code}");
        }
        assert!(!r.is_asean("CN"));
        assert!(!r.is_asean("JP"));
    }

    #[test]
    fn languages_and_practice_areas_are_bilingual() {
        let r = Reference::get();
        assert!(r.language("zh").is_some() && r.language("vi").is_some());
        assert!(r.is_practice_area("dispute_resolution"));
        assert!(!r.is_practice_area("astrology"));
        for p in &r.practice_areas {
            assert!(!p.name_zh.is_empty() && !p.name_en.is_empty(), "{p:?}");
        }
    }
}
