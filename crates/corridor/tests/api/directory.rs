use corridor::auth::PlatformRole;
use corridor::auth::audit::Who;
use corridor::directory::model::{OrgKind, PartnershipInput, PersonInput, Profession};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

async fn get(app: &TestApp, path: &str) -> Value {
    let r = app.client().get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

fn slugs(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap().to_string())
        .collect()
}

on_both_backends!(organizations_filter_by_every_facet);
/// Organizations filter by kind, country, practice area, language and partner country.
async fn organizations_filter_by_every_facet(app: TestApp) {
    let local = app.org("local-one", OrgKind::LocalLawFirm, "CN").await;
    app.org("local-two", OrgKind::LocalLawFirm, "CN").await;
    let vn = app
        .org("hanoi-partner", OrgKind::ForeignLawFirm, "VN")
        .await;
    app.org("bangkok-firm", OrgKind::ForeignLawFirm, "TH").await;
    let mut maritime = org_input("sea-firm", OrgKind::ForeignLawFirm, "SG");
    maritime.practice_areas = vec!["maritime".into()];
    maritime.languages = vec!["en".into()];
    let maritime_id = app
        .store
        .create_organization(&Who::cli(), &maritime, false)
        .await
        .unwrap();
    app.store
        .create_partnership(
            &Who::cli(),
            &PartnershipInput {
                local_firm: local.clone(),
                foreign_firm: vn.clone(),
                countries: vec!["VN".into(), "LA".into()],
                since: chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap(),
                scope_en: String::new(),
                scope_zh: String::new(),
            },
        )
        .await
        .unwrap();

    assert_eq!(
        slugs(&get(&app, "/api/v1/organizations?country=VN").await),
        vec!["hanoi-partner"]
    );
    assert_eq!(
        slugs(&get(&app, "/api/v1/organizations?kind=local_law_firm").await),
        vec!["local-one", "local-two"]
    );
    assert_eq!(
        slugs(&get(&app, "/api/v1/organizations?practice_area=maritime").await),
        vec!["sea-firm"]
    );
    assert_eq!(
        get(&app, "/api/v1/organizations?language=zh").await["total"],
        4
    );
    // Two tags, alone and with another filter: the count starts from the first tag's rows.
    for (query, expected) in [
        ("practice_area=maritime&language=en", vec!["sea-firm"]),
        (
            "practice_area=maritime&language=en&country=SG",
            vec!["sea-firm"],
        ),
        ("practice_area=maritime&language=zh", vec![]),
        ("practice_area=maritime&language=en&country=VN", vec![]),
    ] {
        let page = get(
            &app,
            &format!("/api/v1/organizations?{query}&sort=-updated"),
        )
        .await;
        assert_eq!(slugs(&page), expected, "{query}");
        assert_eq!(page["total"], expected.len(), "{query}");
    }
    // A change of tags rewrites every tag row's copy of the set the count reads.
    maritime.languages = vec!["zh".into(), "th".into()];
    app.store
        .update_organization(&Who::cli(), &maritime_id, &maritime)
        .await
        .unwrap();
    for (query, total) in [
        ("practice_area=maritime&language=en", 0),
        ("practice_area=maritime&language=zh", 1),
        ("language=th&practice_area=maritime", 1),
        ("practice_area=maritime&language=th&country=SG", 1),
    ] {
        let page = get(&app, &format!("/api/v1/organizations?{query}")).await;
        assert_eq!(page["total"], total, "{query}");
        assert_eq!(slugs(&page).len(), total, "{query}");
    }
    assert_eq!(
        slugs(&get(&app, "/api/v1/organizations?partner_country=LA").await),
        vec!["hanoi-partner", "local-one"]
    );
    assert_eq!(
        slugs(
            &get(
                &app,
                "/api/v1/organizations?partner_country=LA&kind=local_law_firm"
            )
            .await
        ),
        vec!["local-one"]
    );
    assert_eq!(
        slugs(&get(&app, "/api/v1/organizations?q=HANOI").await),
        vec!["hanoi-partner"]
    );
    assert_eq!(
        slugs(&get(&app, "/api/v1/organizations?q=%25").await),
        Vec::<String>::new(),
        "% is literal"
    );
}

on_both_backends!(organizations_page_and_sort);
/// Lists page and sort; the total counts every match.
async fn organizations_page_and_sort(app: TestApp) {
    for i in 0..25 {
        app.org(&format!("firm-{i:02}"), OrgKind::LocalLawFirm, "CN")
            .await;
    }
    let first = get(&app, "/api/v1/organizations?per_page=10").await;
    assert_eq!(first["total"], 25);
    assert_eq!(slugs(&first).len(), 10);
    assert_eq!(slugs(&first)[0], "firm-00");
    let third = get(&app, "/api/v1/organizations?per_page=10&page=3").await;
    assert_eq!(
        slugs(&third),
        vec!["firm-20", "firm-21", "firm-22", "firm-23", "firm-24"]
    );
    let desc = get(&app, "/api/v1/organizations?per_page=2&sort=-name").await;
    assert_eq!(slugs(&desc), vec!["firm-24", "firm-23"]);
    let beyond = get(&app, "/api/v1/organizations?page=9").await;
    assert!(slugs(&beyond).is_empty());
}

on_both_backends!(an_organization_profile_gathers_its_links);
/// A profile shows the organization with its partnerships, agreements and people.
async fn an_organization_profile_gathers_its_links(app: TestApp) {
    let commission = app
        .org("commission", OrgKind::ArbitrationInstitution, "CN")
        .await;
    let foreign = app
        .org("kl-centre", OrgKind::ArbitrationInstitution, "MY")
        .await;
    let admin = app
        .user(
            "root@corridor.example",
            Some(PlatformRole::PlatformAdmin),
            &[],
        )
        .await;
    let token = app.token_for(&admin).await;
    let c = app.client();
    let r = c.post(app.url("/api/v1/cooperation-agreements")).bearer_auth(&token).json(&json!({
        "institution": "commission", "counterpart": "kl-centre", "signed_on": "2019-05-20",
        "terms": ["mutual_roster_recommendation", "case_referral"], "note_en": "MoU", "note_zh": "备忘录"
    })).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let person = PersonInput {
        slug: Some("arb-one".into()),
        profession: Profession::Arbitrator,
        name_zh: "阿里".into(),
        name_en: "Ali Rahman".into(),
        organization: Some(foreign.clone()),
        based_in: "MY".into(),
        nationalities: vec!["MY".into(), "SG".into()],
        languages: vec!["ms".into(), "en".into()],
        expertise: vec!["construction".into()],
        jurisdictions: vec!["MY".into()],
        rosters: vec!["commission".into()],
        bio_en: String::new(),
        bio_zh: String::new(),
    };
    app.store
        .create_person(&Who::cli(), &person, false)
        .await
        .unwrap();
    let profile = get(&app, "/api/v1/organizations/kl-centre").await;
    assert_eq!(profile["organization"]["id"], Value::String(foreign));
    assert_eq!(
        profile["cooperation_agreements"][0]["institution"]["id"],
        Value::String(commission)
    );
    assert_eq!(
        profile["cooperation_agreements"][0]["terms"],
        json!(["case_referral", "mutual_roster_recommendation"])
    );
    assert_eq!(profile["people"][0]["slug"], "arb-one");
    let people = get(
        &app,
        "/api/v1/people?roster=commission&overseas=true&nationality=SG",
    )
    .await;
    assert_eq!(people["total"], 1);
    assert_eq!(people["items"][0]["nationalities"], json!(["MY", "SG"]));
    assert_eq!(get(&app, "/api/v1/people?overseas=false").await["total"], 0);
    let stats = get(&app, "/api/v1/stats").await;
    assert_eq!(stats["cooperation_agreements"], 1);
    assert_eq!(stats["overseas_arbitrators"], 1);
}

on_both_backends!(an_org_admin_edits_their_organization);
/// Org admins keep their own profile current through the API.
async fn an_org_admin_edits_their_organization(app: TestApp) {
    let org = app.org("own-firm", OrgKind::LocalLawFirm, "CN").await;
    let user = app
        .user(
            "own@firm.example",
            None,
            &[(&org, corridor::auth::OrgRole::OrgAdmin)],
        )
        .await;
    let token = app.token_for(&user).await;
    let mut body = serde_json::to_value(OrgBody::from(org_input(
        "own-firm",
        OrgKind::LocalLawFirm,
        "CN",
    )))
    .unwrap();
    body["name_en"] = json!("Own Firm Renamed");
    body["languages"] = json!(["zh", "vi"]);
    let r = app
        .client()
        .put(app.url("/api/v1/organizations/own-firm"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let after = get(&app, "/api/v1/organizations/own-firm").await;
    assert_eq!(after["organization"]["name_en"], "Own Firm Renamed");
    assert_eq!(after["organization"]["languages"], json!(["vi", "zh"]));
    body["kind"] = json!("enterprise");
    let r = app
        .client()
        .put(app.url("/api/v1/organizations/own-firm"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "reclassifying is for programme staff");
    assert_eq!(
        get(&app, "/api/v1/organizations/own-firm").await["organization"]["kind"],
        "local_law_firm"
    );
}

/// The JSON shape of an organization input (the input type itself only deserializes).
#[derive(serde::Serialize)]
pub struct OrgBody {
    kind: &'static str,
    name_zh: String,
    name_en: String,
    jurisdiction: String,
    city_en: String,
    city_zh: String,
    languages: Vec<String>,
    practice_areas: Vec<String>,
}

impl From<corridor::directory::model::OrganizationInput> for OrgBody {
    fn from(i: corridor::directory::model::OrganizationInput) -> Self {
        Self {
            kind: i.kind.as_str(),
            name_zh: i.name_zh,
            name_en: i.name_en,
            jurisdiction: i.jurisdiction,
            city_en: i.city_en,
            city_zh: i.city_zh,
            languages: i.languages,
            practice_areas: i.practice_areas,
        }
    }
}
