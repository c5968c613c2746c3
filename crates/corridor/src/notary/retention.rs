//! Retention classes of notarial files (公证档案保管期限): short, long or permanent per the Notary
//! Procedure Rules Art. 60, and which class an act type falls in, from
//! `data/notary/retention.json`. The classes are sourced; the years (20 and 60) come from one
//! practitioner article, and the assignment of act types to classes is this project's reading —
//! every such answer carries `verified: false`, and a purge must not destroy on it.

use std::sync::OnceLock;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const RETENTION: &str = include_str!("../../../../data/notary/retention.json");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RetentionClass {
    Short,
    Long,
    Permanent,
}

impl RetentionClass {
    pub const ALL: [RetentionClass; 3] = [
        RetentionClass::Short,
        RetentionClass::Long,
        RetentionClass::Permanent,
    ];

    /// The code stored and sent (`short`, `long`, `permanent`), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            RetentionClass::Short => "short",
            RetentionClass::Long => "long",
            RetentionClass::Permanent => "permanent",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }
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
    build(act, class, row.is_some(), row.is_some_and(|r| r.verified))
}

/// The retention of an act that its office placed in `class` (the office's confirmation cites
/// the rule it relied on; the class's years are still the shipped ones).
pub fn retention_in(act: &str, class: RetentionClass) -> Retention {
    let listed = data().acts.iter().any(|r| r.act == act);
    build(act, class, listed, false)
}

fn build(act: &str, class: RetentionClass, listed: bool, act_verified: bool) -> Retention {
    let d = data();
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
        listed,
        verified: act_verified && c.verified,
        source: if secret {
            &d.secret_files.source
        } else {
            &c.source
        },
    }
}

/// What a purge may do with one notarial file today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Kept permanently (the class is permanent, or the file is a secret file).
    Permanent,
    /// A hold (litigation, an enforcement abroad, a request) stops any destruction.
    Held,
    /// Still within its retention.
    Kept { until: NaiveDate },
    /// Past the years this project ships, but neither those years nor the act's class is
    /// confirmed by a source or by the office: kept until the office confirms.
    Unconfirmed { until: NaiveDate },
    /// Past a confirmed retention: its content is destroyed (the key shredded).
    Due { until: NaiveDate },
}

impl Decision {
    pub fn code(&self) -> &'static str {
        match self {
            Decision::Permanent => "permanent",
            Decision::Held => "held",
            Decision::Kept { .. } => "kept",
            Decision::Unconfirmed { .. } => "unconfirmed",
            Decision::Due { .. } => "due",
        }
    }

    /// The last day kept, where the decision names one.
    pub fn until(&self) -> Option<NaiveDate> {
        match self {
            Decision::Kept { until }
            | Decision::Unconfirmed { until }
            | Decision::Due { until } => Some(*until),
            Decision::Permanent | Decision::Held => None,
        }
    }
}

/// The purge rule, for one file: `starts_on` is the act's day; `confirmed` says the office
/// confirmed the class and years with a citation. Nothing is destroyed on an unverified guess,
/// under a hold, or on the day retention ends (the last day kept is still kept).
pub fn decide(
    r: &Retention,
    starts_on: NaiveDate,
    confirmed: bool,
    hold: bool,
    today: NaiveDate,
) -> Decision {
    if hold {
        return Decision::Held;
    }
    let Some(until) = r.kept_until(starts_on).filter(|_| !r.secret) else {
        return Decision::Permanent;
    };
    if today <= until {
        Decision::Kept { until }
    } else if r.verified || confirmed {
        Decision::Due { until }
    } else {
        Decision::Unconfirmed { until }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_short_file_is_kept_to_its_last_day_and_due_after_only_once_confirmed() {
        let r = retention_for("birth");
        let start = day(2026, 3, 1);
        let last = day(2046, 3, 1);
        assert_eq!(
            decide(&r, start, true, false, last),
            Decision::Kept { until: last }
        );
        let after = day(2046, 3, 2);
        assert_eq!(
            decide(&r, start, false, false, after),
            Decision::Unconfirmed { until: last }
        );
        assert_eq!(
            decide(&r, start, true, false, after),
            Decision::Due { until: last }
        );
        assert_eq!(decide(&r, start, true, true, after), Decision::Held);
    }

    #[test]
    fn an_office_may_place_an_act_in_another_class_but_a_will_stays_secret() {
        let r = retention_in("evidence_preservation", RetentionClass::Short);
        assert_eq!(
            (r.class, r.years, r.verified),
            (RetentionClass::Short, Some(20), false)
        );
        let start = day(2026, 1, 1);
        assert_eq!(
            decide(&r, start, true, false, day(2046, 1, 2)),
            Decision::Due {
                until: day(2046, 1, 1)
            }
        );
        let will = retention_in("will", RetentionClass::Short);
        assert!(will.secret);
        assert_eq!(
            decide(&will, start, true, false, day(2100, 1, 1)),
            Decision::Permanent
        );
    }

    #[test]
    fn permanent_and_secret_files_are_never_due() {
        let far = day(2500, 1, 1);
        let start = day(2026, 1, 1);
        for act in ["will", "adoption", "evidence_preservation", "unlisted_act"] {
            assert_eq!(
                decide(&retention_for(act), start, true, false, far),
                Decision::Permanent,
                "{act}"
            );
        }
    }

    #[test]
    fn a_class_code_reads_back_as_serde_writes_it() {
        for class in RetentionClass::ALL {
            let json = serde_json::to_value(class).unwrap();
            assert_eq!(json, class.as_str());
            assert_eq!(RetentionClass::parse(class.as_str()), Some(class));
        }
        assert_eq!(RetentionClass::parse("Short"), None);
    }

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
