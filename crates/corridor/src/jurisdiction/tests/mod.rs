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
    assert_eq!(ds.profiles.len(), 14 + PARTNERS.len());
    assert!(ds.rules.len() >= 20);
    assert!(!ds.apostille_objections.is_empty());
}

/// China's main trade partners with a profile in `partners.json`: the 27 EU member States and
/// US, GB, JP, KR, IN, AU, AE.
const PARTNERS: [&str; 34] = [
    "US", "GB", "DE", "FR", "NL", "IT", "ES", "JP", "KR", "IN", "AU", "AE", "AT", "BE", "BG", "HR",
    "CY", "CZ", "DK", "EE", "FI", "GR", "HU", "IE", "LV", "LT", "LU", "MT", "PL", "PT", "RO", "SK",
    "SI", "SE",
];

#[test]
fn partners_json_parses_and_every_partner_has_a_profile() {
    let file: super::profile::ProfileFile = serde_json::from_str(include_str!(
        "../../../../../data/jurisdiction/partners.json"
    ))
    .expect("partners.json parses");
    let mut codes: Vec<&str> = file.countries.iter().map(|p| p.iso2.as_str()).collect();
    codes.sort_unstable();
    let mut want = PARTNERS.to_vec();
    want.sort_unstable();
    assert_eq!(codes, want);
    let ds = Dataset::get().expect("data");
    for cc in PARTNERS {
        let p = ds
            .profile(cc)
            .unwrap_or_else(|| panic!("{cc} has no profile"));
        assert!(!p.asean_member.value, "{cc}");
        assert!(!p.arbitration_statutes.is_empty(), "{cc}");
    }
}

#[test]
fn every_profile_fact_names_a_source_and_unverified_values_say_so() {
    let ds = Dataset::get().expect("data");
    for p in &ds.profiles {
        let cc = &p.iso2;
        let e = &p.foreign_award_enforcement;
        let facts = [
            (
                "asean_member",
                &p.asean_member.source,
                p.asean_member.verified,
                String::new(),
            ),
            (
                "competent_court",
                &e.competent_court.source,
                e.competent_court.verified,
                e.competent_court.value.clone(),
            ),
            (
                "time_limit",
                &e.time_limit.source,
                e.time_limit.verified,
                e.time_limit.value.clone(),
            ),
            (
                "legal_basis",
                &e.legal_basis.source,
                e.legal_basis.verified,
                e.legal_basis.value.clone(),
            ),
            (
                "official_languages",
                &p.official_languages.source,
                p.official_languages.verified,
                String::new(),
            ),
        ];
        for (what, source, _, _) in &facts {
            assert!(!source.trim().is_empty(), "{cc} {what}");
        }
        for s in &p.arbitration_statutes {
            assert!(!s.source.trim().is_empty(), "{cc} {}", s.name);
        }
        for i in &p.institutions {
            assert!(!i.source.trim().is_empty(), "{cc} {}", i.name);
        }
        for s in p.special_procedures.iter().chain(&p.pitfalls) {
            assert!(!s.source.trim().is_empty(), "{cc} {}", s.code);
            assert!(!s.en.is_empty() && !s.zh.is_empty(), "{cc} {}", s.code);
        }
        if PARTNERS.contains(&cc.as_str()) {
            // In partners.json an unconfirmed court, time limit or legal basis carries its mark.
            for (what, _, verified, value) in &facts {
                assert!(
                    *verified || value.is_empty() || value.contains("unverified"),
                    "{cc} {what}: {value:?} is unconfirmed but not marked"
                );
            }
        }
    }
}

#[test]
fn partner_anchors_are_the_sourced_ones() {
    let ds = Dataset::get().expect("data");
    let e = |cc: &str| &ds.profile(cc).expect("profile").foreign_award_enforcement;
    let us = &e("US").time_limit;
    assert!(us.verified && us.value.contains("3 years") && us.source.contains("207"));
    let de = &e("DE").competent_court;
    assert!(de.verified && de.value.contains("Oberlandesgericht") && de.source.contains("http"));
    let it = &e("IT").competent_court;
    assert!(it.verified && it.value.contains("Court of Appeal"));
    let de_statute = &ds.profile("DE").expect("DE").arbitration_statutes[0];
    assert_eq!(de_statute.model_law, "yes");
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
