//! The roster's search filter and its ranking for a case, on a small fictional roster.

use chrono::{NaiveDate, Utc};
use serde_json::json;

use super::profile::RosterProfile;
use super::rank::for_case;
use super::search::{Entry, Recommendation, RosterFilter, RosterQuery, Seats, search};
use crate::AppError;
use crate::arbitration::screens::{AppointmentIndex, Case, ScreenInput};
use crate::directory::model::{Person, Profession};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn person(slug: &str, nationalities: &[&str], based_in: &str, languages: &[&str]) -> Person {
    Person {
        id: format!("id-{slug}"),
        slug: slug.to_owned(),
        profession: Profession::Arbitrator,
        name_zh: format!("仲裁员{slug}"),
        name_en: format!("Arbitrator {slug}"),
        organization_id: None,
        organization_slug: None,
        organization_name_en: None,
        organization_name_zh: None,
        based_in: based_in.to_owned(),
        nationalities: nationalities.iter().map(|s| s.to_string()).collect(),
        languages: languages.iter().map(|s| s.to_string()).collect(),
        expertise: vec!["construction".into()],
        jurisdictions: Vec::new(),
        rosters: vec!["cqac".into()],
        bio_en: String::new(),
        bio_zh: String::new(),
        is_demo: true,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

fn entry(p: Person, profile: serde_json::Value) -> Entry {
    Entry {
        person: p,
        profile: serde_json::from_value::<RosterProfile>(profile)
            .unwrap()
            .checked(d("2026-12-05"))
            .unwrap(),
        version: 1,
        recommendations: Vec::new(),
        seats: Seats::default(),
    }
}

fn recommended(mut e: Entry, to: &str, by: &str) -> Entry {
    e.person.rosters.clear();
    e.recommendations.push(Recommendation {
        institution: to.into(),
        institution_name_en: String::new(),
        institution_name_zh: String::new(),
        recommended_by: by.into(),
        recommended_by_name_en: String::new(),
        recommended_by_name_zh: String::new(),
        agreement_id: "a".into(),
        agreement_signed_on: "2016-09-21".into(),
        recommended_on: "2024-01-01".into(),
    });
    e
}

/// A Singaporean in Singapore (common law, Thai experience), a Chinese national in Chongqing,
/// a Thai national recommended by a partner and unavailable, a Malaysian with a heavy docket.
fn roster() -> Vec<Entry> {
    vec![
        entry(
            person("a-sg", &["SG"], "SG", &["en", "zh"]),
            json!({"legal_systems": ["common_law"], "asean_experience": ["TH", "VN"],
                   "overseas_expert": true,
                   "fee": {"basis": "hourly", "rate": "800", "currency": "SGD"}}),
        ),
        entry(
            person("b-cn", &["CN"], "CN", &["zh", "en"]),
            json!({"legal_systems": ["prc_law", "civil_law"]}),
        ),
        recommended(
            entry(
                person("c-th", &["TH"], "TH", &["th", "en"]),
                json!({"legal_systems": ["civil_law"], "availability": {"status": "unavailable"}}),
            ),
            "cqac",
            "lion",
        ),
        entry(
            person("d-my", &["MY"], "MY", &["en", "ms"]),
            json!({"legal_systems": ["common_law", "islamic_law"],
                   "availability": {"pending_cases": 12,
                       "blocked": [{"from": "2027-03-01", "until": "2027-03-31"}]}}),
        ),
    ]
}

fn hits(q: serde_json::Value) -> Vec<String> {
    let q: RosterQuery = serde_json::from_value(q).unwrap();
    let all = roster();
    let (page, _) = search(&all, &RosterFilter::parse(&q).unwrap(), |_| true, 1, 20);
    page.iter().map(|e| e.person.slug.clone()).collect()
}

#[test]
fn each_filter_narrows_the_roster() {
    assert_eq!(hits(json!({})).len(), 4);
    assert_eq!(
        hits(json!({"panel": "cqac"})).len(),
        4,
        "recommended ones count"
    );
    assert_eq!(hits(json!({"recommended_by": "lion"})), vec!["c-th"]);
    assert_eq!(hits(json!({"nationality": "sg"})), vec!["a-sg"]);
    assert_eq!(
        hits(json!({"not_nationality": "CN, TH"})),
        vec!["a-sg", "d-my"]
    );
    assert_eq!(hits(json!({"residence": "MY"})), vec!["d-my"]);
    assert_eq!(hits(json!({"language": "th"})), vec!["c-th"]);
    assert_eq!(
        hits(json!({"legal_system": "common_law"})),
        vec!["a-sg", "d-my"]
    );
    assert_eq!(hits(json!({"asean": "VN"})), vec!["a-sg"]);
    assert_eq!(hits(json!({"overseas": false})), vec!["b-cn"]);
    assert_eq!(hits(json!({"overseas_expert": true})), vec!["a-sg"]);
    assert_eq!(hits(json!({"fee_basis": "hourly"})), vec!["a-sg"]);
    assert_eq!(
        hits(json!({"available_on": "2027-03-15"})),
        vec!["a-sg", "b-cn"]
    );
    assert_eq!(hits(json!({"q": "仲裁员b"})), vec!["b-cn"]);
    assert_eq!(
        hits(json!({"expertise": "construction", "language": "en", "overseas": true})),
        vec!["a-sg", "c-th", "d-my"]
    );
}

#[test]
fn bad_filters_name_the_field() {
    for (q, field, reason) in [
        (
            json!({"nationality": "XX"}),
            "nationality",
            "unknown_country",
        ),
        (
            json!({"not_nationality": "CN,1"}),
            "not_nationality",
            "unknown_country",
        ),
        (
            json!({"legal_system": "roman"}),
            "legal_system",
            "unknown_value",
        ),
        (json!({"fee_basis": "free"}), "fee_basis", "unknown_value"),
        (json!({"available_on": "tomorrow"}), "available_on", "date"),
    ] {
        let q: RosterQuery = serde_json::from_value(q).unwrap();
        match RosterFilter::parse(&q) {
            Err(AppError::Invalid {
                field: f,
                reason: r,
            }) => {
                assert_eq!((f.as_str(), r), (field, reason))
            }
            other => panic!("{field}: {other:?}"),
        }
    }
}

#[test]
fn pages_split_the_matches() {
    let all = roster();
    let f = RosterFilter::default();
    let (first, total) = search(&all, &f, |_| true, 1, 3);
    let (second, _) = search(&all, &f, |_| true, 2, 3);
    assert_eq!((first.len(), second.len(), total), (3, 1, 4));
    assert_eq!(second[0].person.slug, "d-my");
}

/// A presiding arbitrator under HKIAC 2024 between a Chinese claimant and a Singaporean
/// respondent, in English; the claimant's counsel is `demo-firm`.
fn case() -> Case {
    let input: ScreenInput = serde_json::from_value(json!({
        "date": "2026-12-05", "rules": "HKIAC-2024", "role": "presiding",
        "arbitrator": {"id": "", "nationalities": []},
        "parties": [
            {"id": "claimant co", "side": "claimant", "nationalities": ["CN"]},
            {"id": "respondent co", "side": "respondent", "nationalities": ["SG"]}
        ],
        "counsel": [{"firm": "demo-firm", "side": "claimant"}]
    }))
    .unwrap();
    Case::parse(&input).unwrap()
}

#[test]
fn the_ranking_puts_the_neutral_free_and_fluent_first() {
    let mut all = roster();
    // The Malaysian once worked at the claimant's counsel's firm, and left two years ago.
    all[3].profile.former_firms = vec![super::profile::FormerFirm {
        firm: "demo-firm".into(),
        until: d("2024-12-01"),
    }];
    let ranked = for_case(
        &case(),
        &all.iter().collect::<Vec<_>>(),
        &AppointmentIndex::new(),
        "en",
        d("2026-12-05"),
        10,
    );
    let order: Vec<&str> = ranked.iter().map(|c| c.slug.as_str()).collect();
    // Free and neutral: Malaysian (an orange finding, 10) ahead of nobody else clean; the
    // Singaporean and the Chinese national share a party's nationality (needs agreement, 50);
    // the Thai arbitrator is unavailable and comes last.
    assert_eq!(order, vec!["d-my", "a-sg", "b-cn", "c-th"]);
    let my = &ranked[0];
    assert_eq!(my.neutrality, "ok");
    assert_eq!(my.findings[0].code, "former_firm_of_counsel");
    assert_eq!(my.findings[0].list, "orange");
    assert_eq!(ranked[1].neutrality, "needs_agreement");
    assert!(!ranked[3].available);
    assert_eq!(ranked[0].caseload, 12);
    // Keep cuts the list.
    assert_eq!(
        for_case(
            &case(),
            &all.iter().collect::<Vec<_>>(),
            &AppointmentIndex::new(),
            "en",
            d("2026-12-05"),
            2
        )
        .len(),
        2
    );
}

#[test]
fn the_case_language_and_caseload_break_ties() {
    let all = [
        entry(person("x-th", &["TH"], "TH", &["th"]), json!({})),
        entry(
            person("y-vn", &["VN"], "VN", &["en"]),
            json!({"availability": {"pending_cases": 3}}),
        ),
        entry(person("z-id", &["ID"], "ID", &["en"]), json!({})),
    ];
    let ranked = for_case(
        &case(),
        &all.iter().collect::<Vec<_>>(),
        &AppointmentIndex::new(),
        "en",
        d("2026-12-05"),
        10,
    );
    let order: Vec<&str> = ranked.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(order, vec!["z-id", "y-vn", "x-th"]);
    assert!(!ranked[2].speaks_language);
}

#[test]
fn repeat_appointments_by_a_party_are_found_from_the_history() {
    let all = [entry(person("x-th", &["TH"], "TH", &["en"]), json!({}))];
    let mut index = AppointmentIndex::new();
    index.add("id-x-th", d("2025-01-10"), "claimant co", None);
    index.add("id-x-th", d("2026-02-10"), "claimant co", None);
    index.finish();
    let ranked = for_case(
        &case(),
        &all.iter().collect::<Vec<_>>(),
        &index,
        "en",
        d("2026-12-05"),
        10,
    );
    assert_eq!(ranked[0].findings[0].code, "repeat_party_appointments");
    assert_eq!(ranked[0].score, 10);
}
