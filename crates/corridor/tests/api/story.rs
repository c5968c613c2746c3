//! The story test: one scenario, the same on both backends, through the store and the API —
//! the proof that the shared SQL means the same thing on SQLite and PostgreSQL.

use corridor::auth::{OrgRole, PlatformRole};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

on_both_backends!(the_programme_story);
/// A bureau officer builds a corner of the programme; a firm keeps its profile; figures follow.
async fn the_programme_story(app: TestApp) {
    let bureau = app
        .user(
            "officer@bureau.example",
            Some(PlatformRole::BureauOfficer),
            &[],
        )
        .await;
    let token = app.token_for(&bureau).await;
    let c = app.client();
    let post = |path: &'static str, body: Value| {
        c.post(app.url(path)).bearer_auth(&token).json(&body).send()
    };
    let firm: Value = post(
        "/api/v1/organizations",
        json!({"slug": "yuzhong-law", "kind": "local_law_firm", "name_zh": "渝中律师事务所",
        "name_en": "Yuzhong Law", "jurisdiction": "CN", "city_en": "Chongqing", "city_zh": "重庆",
        "languages": ["zh", "en"], "practice_areas": ["trade", "dispute_resolution"]}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let partner: Value = post(
        "/api/v1/organizations",
        json!({"slug": "saigon-legal", "kind": "foreign_law_firm", "name_zh": "西贡法律",
        "name_en": "Saigon Legal", "jurisdiction": "VN", "languages": ["vi", "en"]}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    post(
        "/api/v1/organizations",
        json!({"slug": "pilot-notary", "kind": "notary_office", "name_zh": "试点公证处",
        "name_en": "Pilot Notary", "jurisdiction": "CN", "remote_notarization_pilot": true}),
    )
    .await
    .unwrap();
    post(
        "/api/v1/organizations",
        json!({"slug": "commission", "kind": "arbitration_institution", "name_zh": "仲裁委",
        "name_en": "Commission", "jurisdiction": "CN"}),
    )
    .await
    .unwrap();
    post(
        "/api/v1/organizations",
        json!({"slug": "bkk-centre", "kind": "arbitration_institution", "name_zh": "曼谷中心",
        "name_en": "Bangkok Centre", "jurisdiction": "TH"}),
    )
    .await
    .unwrap();
    let r = post("/api/v1/partnerships", json!({"local_firm": "yuzhong-law", "foreign_firm": "saigon-legal",
        "countries": ["VN", "KH"], "since": "2022-06-15", "scope_en": "Outbound investment", "scope_zh": "对外投资"})).await.unwrap();
    assert_eq!(r.status(), 201);
    let r = post(
        "/api/v1/cooperation-agreements",
        json!({"institution": "commission", "counterpart": "bkk-centre",
        "signed_on": "2024-02-29", "terms": ["case_referral", "shared_hearing_facilities"]}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let r = post("/api/v1/people", json!({"slug": "somchai", "profession": "arbitrator", "name_zh": "颂猜", "name_en": "Somchai P.",
        "organization": "bkk-centre", "based_in": "TH", "nationalities": ["TH"], "languages": ["th", "en"],
        "expertise": ["construction"], "rosters": ["commission"]})).await.unwrap();
    assert_eq!(r.status(), 201);

    // A firm admin edits their own profile; timestamps and dates round-trip exactly.
    let firm_id = firm["id"].as_str().unwrap();
    let admin = app
        .user(
            "partner@yuzhong.example",
            None,
            &[(firm_id, OrgRole::OrgAdmin)],
        )
        .await;
    let firm_token = app.token_for(&admin).await;
    let r = c.put(app.url("/api/v1/organizations/yuzhong-law")).bearer_auth(&firm_token).json(&json!({
        "kind": "local_law_firm", "name_zh": "渝中律师事务所", "name_en": "Yuzhong Law Firm", "jurisdiction": "CN",
        "languages": ["zh", "en", "vi"], "practice_areas": ["trade"]})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let updated: Value = r.json().await.unwrap();
    assert_eq!(
        updated["created_at"], firm["created_at"],
        "timestamps round-trip exactly"
    );
    assert!(updated["updated_at"].as_str().unwrap() >= firm["updated_at"].as_str().unwrap());

    let profile: Value = c
        .get(app.url("/api/v1/organizations/saigon-legal"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(profile["organization"]["id"], partner["id"]);
    assert_eq!(profile["partnerships"][0]["since"], "2022-06-15");
    assert_eq!(profile["partnerships"][0]["countries"], json!(["KH", "VN"]));
    assert_eq!(
        profile["partnerships"][0]["local_firm"]["name_en"],
        "Yuzhong Law Firm"
    );

    let stats: Value = c
        .get(app.url("/api/v1/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        stats,
        json!({
            "local_firms_with_asean_partners": 1, "local_firms": 1, "partner_countries": ["KH", "VN"],
            "asean_countries_covered": 2, "cooperation_agreements": 1, "overseas_arbitrators": 1, "arbitrators": 1,
            "pilot_notary_offices": 1, "organizations": 5, "people": 1
        })
    );
    let found: Value = c
        .get(app.url("/api/v1/organizations?partner_country=KH&language=vi"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 2);

    let events = app.store.audit_page(None, None, 100).await.unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "organization.create",
        "partnership.create",
        "agreement.create",
        "person.create",
        "organization.update",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

on_both_backends!(the_demo_data_loads_once_with_the_promised_figures);
/// The demo data set loads into an empty database, and only into an empty one.
async fn the_demo_data_loads_once_with_the_promised_figures(app: TestApp) {
    match corridor::demo::load(&app.store).await.unwrap() {
        corridor::demo::Outcome::Loaded { organizations, .. } => {
            assert!(organizations >= 21 + 16 + 5)
        }
        corridor::demo::Outcome::NotEmpty => panic!("the database was empty"),
    }
    assert!(matches!(
        corridor::demo::load(&app.store).await.unwrap(),
        corridor::demo::Outcome::NotEmpty
    ));
    let stats = app.store.programme_stats().await.unwrap();
    assert!(
        stats.local_firms >= 21 && stats.local_firms_with_asean_partners >= 21,
        "{stats:?}"
    );
    assert!(stats.asean_countries_covered >= 6, "{stats:?}");
    assert!(stats.cooperation_agreements >= 15, "{stats:?}");
    assert!(stats.overseas_arbitrators >= 70, "{stats:?}");
    assert!(stats.pilot_notary_offices >= 4, "{stats:?}");
    let html = app
        .client()
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_texts(&html, ".demo-banner").len(),
        1,
        "demo data is labelled on screen"
    );
    let hk = app
        .store
        .list_organizations(&corridor::directory::model::OrgQuery {
            country: Some("HK".into()),
            kind: Some(corridor::directory::model::OrgKind::ForeignNotary),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(hk.total >= 1, "a partner notary in Hong Kong");
    let (projects, _) = app.store.project_totals().await.unwrap();
    assert_eq!(
        projects, 2,
        "the demo enterprises' projects, each with its plan"
    );
    let pending = app
        .store
        .referral_times()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.status == "pending")
        .count();
    assert_eq!(pending, 1, "a referral waiting for the demo firm's answer");
}
