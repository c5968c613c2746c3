//! Scenario tests: each reads as a rule of the domain.

use chrono::NaiveDate;

use super::*;

mod award;
mod document;

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

pub(super) fn award(
    seat: &str,
    enforcing: &str,
    commercial: bool,
    date: NaiveDate,
) -> AwardAssessment {
    award_enforceability(AwardQuery {
        seat: seat.into(),
        institution: None,
        enforcing_state: enforcing.into(),
        commercial,
        date,
    })
    .expect("known codes")
}

pub(super) fn route(from: &str, to: &str, date: NaiveDate) -> DocumentRoute {
    document_route(DocumentQuery {
        issuing_state: from.into(),
        destination_state: to.into(),
        date,
    })
    .expect("known codes")
}

pub(super) fn judgment(from: &str, to: &str, date: NaiveDate) -> JudgmentAssessment {
    judgment_enforceability(JudgmentQuery {
        rendering_state: from.into(),
        enforcing_state: to.into(),
        date,
    })
    .expect("known codes")
}

pub(super) fn codes(s: &[Statement]) -> Vec<&str> {
    s.iter().map(|s| s.code.as_str()).collect()
}

#[test]
fn every_embedded_file_parses() {
    let ds = Dataset::get().expect("embedded data parses");
    assert_eq!(ds.new_york_convention.len(), 173);
    assert_eq!(ds.apostille.len(), 138);
    assert_eq!(ds.bilateral_treaties.len(), 11);
    assert_eq!(ds.arrangements.len(), 8);
    assert_eq!(ds.profiles.len(), 14);
    assert!(ds.rules.len() >= 20);
    assert!(!ds.apostille_objections.is_empty());
}

#[test]
fn every_code_in_the_data_is_a_known_country_except_kosovo() {
    let ds = Dataset::get().expect("data");
    let mut codes: Vec<&str> = ds
        .new_york_convention
        .iter()
        .map(|r| r.iso2.as_str())
        .collect();
    codes.extend(ds.apostille.iter().map(|r| r.iso2.as_str()));
    codes.extend(ds.bilateral_treaties.iter().map(|r| r.counterpart.as_str()));
    codes.extend(ds.profiles.iter().map(|r| r.iso2.as_str()));
    for o in &ds.apostille_objections {
        codes.extend([o.objecting_state.as_str(), o.against_state.as_str()]);
    }
    for code in codes.into_iter().filter(|c| *c != "XK") {
        assert!(
            ds.country(code).is_ok(),
            "{code} is not in data/reference/countries.csv"
        );
    }
}

#[test]
fn every_row_names_a_source_and_every_date_is_a_date_or_marked_unverified() {
    let ds = Dataset::get().expect("data");
    let check = |what: &str, raw: &str| {
        let f = DateFact::parse(raw);
        assert!(
            raw.is_empty() || f.verified || raw.contains("unverified"),
            "{what}: {raw:?} is neither a plain date nor marked unverified"
        );
    };
    for r in &ds.new_york_convention {
        assert!(!r.source.is_empty(), "{}", r.iso2);
        check(&r.iso2, &r.entry_into_force);
        check(&r.iso2, &r.deposit_date);
        assert!(!r.verified || r.entry_into_force().verified, "{}", r.iso2);
    }
    for r in &ds.apostille {
        assert!(!r.source.is_empty(), "{}", r.iso2);
        check(&r.iso2, &r.entry_into_force);
    }
    for r in &ds.arrangements {
        assert!(r.effective().verified, "{}", r.id);
        assert!(!r.source.is_empty());
    }
    for r in &ds.bilateral_treaties {
        assert!(!r.source.is_empty(), "{}", r.counterpart);
        check(&r.counterpart, &r.entry_into_force);
    }
}

#[test]
fn every_known_country_against_the_corridor_places_gets_an_answer_not_a_panic() {
    let ds = Dataset::get().expect("data");
    let all: Vec<String> = ds
        .new_york_convention
        .iter()
        .map(|r| r.iso2.clone())
        .chain(["TW".into(), "KP".into(), "AQ".into()])
        .collect();
    for hub in ["CN", "HK", "MO", "VN", "TW"] {
        for other in &all {
            for date in [day(1990, 1, 1), day(2026, 11, 30)] {
                for (s, e) in [(hub, other.as_str()), (other.as_str(), hub)] {
                    let a = award(s, e, false, date);
                    // An unconfirmed basis never goes out without a warning.
                    assert!(
                        a.basis.iter().all(|b| b.verified) || !a.warnings.is_empty(),
                        "{s}->{e}"
                    );
                    let r = route(s, e, date);
                    assert!(
                        r.basis.iter().all(|b| b.verified) || r.certainty == Certainty::Uncertain,
                        "{s}->{e}"
                    );
                    judgment(s, e, date);
                }
            }
        }
    }
}
