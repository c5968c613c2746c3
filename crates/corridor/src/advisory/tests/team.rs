//! Team matching over directory records (fictional firms).

use chrono::{NaiveDate, Utc};

use crate::advisory::team::{TeamNeeds, match_firms, practice_area_of};
use crate::directory::model::{OrgKind, OrgRef, Organization, Partnership};

fn firm(id: &str, kind: OrgKind, country: &str, areas: &[&str], langs: &[&str]) -> Organization {
    Organization {
        id: id.into(),
        slug: id.into(),
        kind,
        name_zh: format!("{id}律所"),
        name_en: format!("{id} Law"),
        jurisdiction: country.into(),
        city_en: String::new(),
        city_zh: String::new(),
        languages: langs.iter().map(|s| s.to_string()).collect(),
        practice_areas: areas.iter().map(|s| s.to_string()).collect(),
        email: String::new(),
        phone: String::new(),
        website: String::new(),
        description_en: String::new(),
        description_zh: String::new(),
        remote_notarization_pilot: false,
        is_demo: true,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

fn org_ref(o: &Organization) -> OrgRef {
    OrgRef {
        id: o.id.clone(),
        slug: o.slug.clone(),
        name_en: o.name_en.clone(),
        name_zh: o.name_zh.clone(),
        jurisdiction: o.jurisdiction.clone(),
    }
}

fn partnership(
    local: &Organization,
    foreign: &Organization,
    countries: &[&str],
    since: &str,
) -> Partnership {
    Partnership {
        id: format!("{}-{}", local.id, foreign.id),
        local_firm: org_ref(local),
        foreign_firm: org_ref(foreign),
        countries: countries.iter().map(|s| s.to_string()).collect(),
        since: NaiveDate::parse_from_str(since, "%Y-%m-%d").unwrap(),
        scope_en: String::new(),
        scope_zh: String::new(),
    }
}

fn directory() -> (Vec<Organization>, Vec<Partnership>) {
    let a = firm(
        "alpha",
        OrgKind::LocalLawFirm,
        "CN",
        &["cross_border_investment", "dispute_resolution"],
        &["zh-CN", "en"],
    );
    let b = firm(
        "beta",
        OrgKind::LocalLawFirm,
        "CN",
        &["cross_border_investment"],
        &["zh-CN"],
    );
    let c = firm(
        "gamma",
        OrgKind::LocalLawFirm,
        "CN",
        &[
            "labour",
            "tax",
            "dispute_resolution",
            "cross_border_investment",
        ],
        &["zh-CN"],
    );
    let va = firm(
        "hanoi-a",
        OrgKind::ForeignLawFirm,
        "VN",
        &["labour", "data_cybersecurity"],
        &["vi", "en"],
    );
    let vb = firm("hanoi-b", OrgKind::ForeignLawFirm, "VN", &["tax"], &["vi"]);
    let th = firm(
        "bangkok",
        OrgKind::ForeignLawFirm,
        "TH",
        &["labour"],
        &["th"],
    );
    let ps = vec![
        partnership(&a, &va, &["VN"], "2019-05-01"),
        partnership(&b, &vb, &["VN", "LA"], "2015-01-01"),
        partnership(&c, &th, &["TH"], "2020-01-01"),
    ];
    (vec![a, b, c, va, vb, th], ps)
}

fn needs() -> TeamNeeds {
    TeamNeeds {
        country: "VN".into(),
        practice_areas: vec![
            "cross_border_investment".into(),
            "labour".into(),
            "data_cybersecurity".into(),
            "dispute_resolution".into(),
        ],
        languages: vec!["zh".into(), "vi-VN".into()],
    }
}

#[test]
fn firms_with_a_partner_in_the_country_are_ranked_and_explained() {
    let (orgs, ps) = directory();
    let m = match_firms(&orgs, &ps, &needs(), &[]);
    let ids: Vec<&str> = m.matches.iter().map(|x| x.local_firm.id.as_str()).collect();
    assert_eq!(ids, vec!["alpha", "beta"], "gamma has no partner in VN");
    let top = &m.matches[0];
    assert_eq!(top.practice_areas_covered.len(), 4);
    assert!(top.practice_areas_missing.is_empty());
    assert_eq!(
        top.languages_covered,
        vec!["zh", "vi-VN"],
        "zh-CN and vi match by language"
    );
    assert_eq!(top.partners[0].id, "hanoi-a");
    assert!(top.explanation.en.contains("hanoi-a Law") && top.explanation.en.contains("VN"));
    assert!(top.explanation.zh.contains("hanoi-a律所"));
    let second = &m.matches[1];
    assert!(second.score < top.score);
    assert!(second.explanation.en.contains("missing"));
    assert!(m.conflicts.is_empty());
}

#[test]
fn a_firm_acting_for_the_counterparty_is_set_aside() {
    let (orgs, ps) = directory();
    let m = match_firms(&orgs, &ps, &needs(), &["alpha".to_string()]);
    assert_eq!(m.matches.len(), 1);
    assert_eq!(m.matches[0].local_firm.id, "beta");
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].firm.id, "alpha");
    assert!(m.conflicts[0].explanation.en.contains("counterparty"));
    // The only partner conflicted: the local firm cannot staff the matter either.
    let m = match_firms(&orgs, &ps, &needs(), &["hanoi-b".to_string()]);
    assert_eq!(m.matches.len(), 1);
    assert_eq!(m.conflicts[0].firm.id, "beta");
}

#[test]
fn every_topic_maps_to_a_practice_area_of_the_reference_list() {
    let reference = crate::reference::Reference::get();
    let lib = crate::advisory::Library::get().unwrap();
    for o in &lib.obligations {
        let area = practice_area_of(&o.topic);
        assert!(reference.is_practice_area(area), "{area}");
    }
}
