//! Retention classes of notarial files (公证档案保管期限): short, long or permanent per the Notary
//! Procedure Rules Art. 60, and which class an act type falls in, from
//! `data/notary/retention.json`. The classes are sourced; the years (20 and 60) come from one
//! practitioner article, and the assignment of act types to classes is this project's reading —
//! every such answer carries `verified: false`, and a purge must not destroy on it.

use std::sync::OnceLock;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

const RETENTION: &str = include_str!("../../../../data/notary/retention.json");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionClass {
    Short,
    Long,
    Permanent,
}

#[derive(Debug, Deserialize)]
struct ClassRow {
    id: RetentionClass,
    zh: String,
    years: Option<u32>,
    source: String,
    verified: bool,
}

#[derive(Debug, Deserialize)]
struct SecretFiles {
    acts: Vec<String>,
    source: String,
}

#[derive(Debug, Deserialize)]
struct DefaultClass {
    class: RetentionClass,
}

#[derive(Debug, Deserialize)]
struct ActRow {
    act: String,
    class: RetentionClass,
    verified: bool,
}

#[derive(Debug, Deserialize)]
struct File {
    classes: Vec<ClassRow>,
    secret_files: SecretFiles,
    default: DefaultClass,
    acts: Vec<ActRow>,
}

/// How long the file of one act is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Retention {
    pub class: RetentionClass,
    /// The class in Chinese (短期 / 长期 / 永久).
    pub class_zh: &'static str,
    /// `None` for permanent.
    pub years: Option<u32>,
    /// A secret file (密卷), sealed until the testator dies.
    pub secret: bool,
    /// The act type has a row of its own (otherwise the default class applies).
    pub listed: bool,
    /// Both the class of this act type and the class's years are confirmed by a source.
    pub verified: bool,
    pub source: &'static str,
}

impl Retention {
    /// The last day the file must be kept, counted from the day the act was done; `None` while
    /// the file is kept permanently.
    pub fn kept_until(&self, done: NaiveDate) -> Option<NaiveDate> {
        self.years
            .and_then(|y| done.checked_add_months(Months::new(y.checked_mul(12)?)))
    }
}

fn data() -> &'static File {
    static DATA: OnceLock<File> = OnceLock::new();
    DATA.get_or_init(|| {
        // Compiled in and checked by the tests below: a bad file is a build defect.
        serde_json::from_str(RETENTION)
            .unwrap_or_else(|e| panic!("data/notary/retention.json: {e}"))
    })
}

/// The retention of an act type (`will`, `birth`, `entrustment`, ...); an act type without a row
/// gets the default class (permanent: nothing is destroyed early on a guess).
pub fn retention_for(act: &str) -> Retention {
    let d = data();
    let row = d.acts.iter().find(|r| r.act == act);
    let class = row.map_or(d.default.class, |r| r.class);
    let c = d
        .classes
        .iter()
        .find(|c| c.id == class)
        .unwrap_or_else(|| panic!("data/notary/retention.json: no class {class:?}"));
    let secret = d.secret_files.acts.iter().any(|a| a == act);
    Retention {
        class,
        class_zh: &c.zh,
        years: c.years,
        secret,
        listed: row.is_some(),
        verified: row.is_some_and(|r| r.verified) && c.verified,
        source: if secret {
            &d.secret_files.source
        } else {
            &c.source
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_has_the_three_classes_of_art_60() {
        let ids: Vec<_> = data().classes.iter().map(|c| c.id).collect();
        assert_eq!(
            ids,
            [
                RetentionClass::Short,
                RetentionClass::Long,
                RetentionClass::Permanent
            ]
        );
    }

    #[test]
    fn a_will_is_a_permanent_secret_file() {
        let r = retention_for("will");
        assert_eq!(r.class, RetentionClass::Permanent);
        assert!(r.secret && r.listed);
        assert_eq!(r.years, None);
        assert_eq!(
            r.kept_until(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            None
        );
    }

    #[test]
    fn a_birth_certificate_is_short_and_kept_twenty_years_unverified() {
        let r = retention_for("birth");
        assert_eq!(
            (r.class, r.class_zh, r.years),
            (RetentionClass::Short, "短期", Some(20))
        );
        assert!(!r.verified && !r.secret);
        let done = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert_eq!(r.kept_until(done), NaiveDate::from_ymd_opt(2046, 2, 28));
    }

    #[test]
    fn an_entrustment_is_long_and_kept_sixty_years() {
        let r = retention_for("entrustment");
        assert_eq!((r.class, r.years), (RetentionClass::Long, Some(60)));
        assert!(!r.verified);
    }

    #[test]
    fn an_unlisted_act_is_kept_permanently_and_says_so() {
        let r = retention_for("something_new");
        assert_eq!(r.class, RetentionClass::Permanent);
        assert!(!r.listed && !r.verified);
    }

    #[test]
    fn every_permitted_remote_matter_type_has_a_row() {
        for m in &super::super::Rules::get().matter_types {
            assert!(retention_for(&m.id).listed, "{}", m.id);
        }
    }

    #[test]
    fn no_act_row_claims_to_be_verified_while_the_mapping_is_unsourced() {
        assert!(data().acts.iter().all(|r| !r.verified));
    }
}
