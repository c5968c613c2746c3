//! The roster: profiles kept by the panel's secretariat, recommendations under cooperation
//! agreements, appointments recorded from elsewhere and disclosures (the keepers' papers), the
//! search, and the roster ranked for a seat with former firms and history feeding the conflict
//! screen. On both backends.

use corridor::auth::audit::Who;
use corridor::directory::model::{
    AgreementInput, CooperationTerm, OrgKind, PersonInput, Profession,
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::call;
use crate::arbitration_cases::{filing, people};
use crate::helpers::*;
use crate::on_both_backends;

/// The state-changing roster routes, whose matrix by standing is in this file's test.
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("PUT", "/api/v1/arbitration/roster/{person}"),
        (
            "POST",
            "/api/v1/arbitration/roster/{person}/recommendations",
        ),
        (
            "DELETE",
            "/api/v1/arbitration/roster/{person}/recommendations/{institution}/{recommended_by}",
        ),
        ("POST", "/api/v1/arbitration/roster/{person}/appointments"),
        ("POST", "/api/v1/arbitration/roster/{person}/disclosures"),
    ]
}

pub(crate) async fn arbitrator(app: &TestApp, slug: &str, country: &str, rosters: &[&str]) {
    app.store
        .create_person(
            &Who::cli(),
            &PersonInput {
                slug: Some(slug.into()),
                profession: Profession::Arbitrator,
                name_zh: format!("{slug}（演示）"),
                name_en: format!("{slug} (demo)"),
                organization: None,
                based_in: country.into(),
                nationalities: vec![country.into()],
                languages: vec!["en".into(), "zh".into()],
                expertise: vec![],
                jurisdictions: vec![],
                rosters: rosters.iter().map(|r| r.to_string()).collect(),
                bio_en: String::new(),
                bio_zh: String::new(),
            },
            true,
        )
        .await
        .unwrap();
}

async fn agreement(app: &TestApp, counterpart: &str, terms: Vec<CooperationTerm>) {
    app.org(counterpart, OrgKind::ArbitrationInstitution, "SG")
        .await;
    app.store
        .create_agreement(
            &Who::cli(),
            &AgreementInput {
                institution: "demo-commission".into(),
                counterpart: counterpart.into(),
                signed_on: "2019-05-01".parse().unwrap(),
                terms,
                note_en: String::new(),
                note_zh: String::new(),
            },
        )
        .await
        .unwrap();
}

/// The status and JSON body of an answer (`null` when it has none).
pub(crate) async fn body(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn slugs(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["person"]["slug"].as_str().unwrap())
        .collect()
}

on_both_backends!(the_roster_keeps_profiles_recommendations_history_and_disclosures);
async fn the_roster_keeps_profiles_recommendations_history_and_disclosures(app: TestApp) {
    let p = people(&app).await;
    let (sec, outsider) = (Some(p.secretary.as_str()), Some(p.outsider.as_str()));
    agreement(
        &app,
        "demo-partner",
        vec![CooperationTerm::MutualRosterRecommendation],
    )
    .await;
    agreement(&app, "demo-trainer", vec![CooperationTerm::JointTraining]).await;
    arbitrator(&app, "demo-arb-sg", "SG", &["demo-commission"]).await;
    arbitrator(&app, "demo-arb-th", "TH", &["demo-partner"]).await;
    let sg = "/api/v1/arbitration/roster/demo-arb-sg";
    let th = "/api/v1/arbitration/roster/demo-arb-th";

    // The profile: the panel's secretary keeps it; another firm's lawyer may not; a stale
    // version and a bad value are refused, and nothing changes.
    let profile = json!({"profile": {
        "legal_systems": ["common_law"], "asean_experience": ["SG", "TH"], "overseas_expert": true,
        "fee": {"basis": "hourly", "rate": "700", "currency": "USD"},
        "availability": {"status": "available", "pending_cases": 2,
            "blocked": [{"from": "2027-04-01", "until": "2027-04-10"}], "note": "Demo"}
    }, "version": 0});
    let (s, _) = body(
        call(
            &app,
            Some(&p.other_counsel),
            Method::PUT,
            sg,
            Some(&profile),
        )
        .await,
    )
    .await;
    assert_eq!(s, 403);
    let (s, saved) = body(call(&app, sec, Method::PUT, sg, Some(&profile)).await).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["entry"]["version"], 1);
    assert_eq!(saved["entry"]["profile"]["fee"]["rate"], "700.00");
    let (s, _) = body(call(&app, sec, Method::PUT, sg, Some(&profile)).await).await;
    assert_eq!(s, 409, "saved at version 0 again");
    let bad = json!({"profile": {"asean_experience": ["JP"]}, "version": 1});
    let (s, e) = body(call(&app, sec, Method::PUT, sg, Some(&bad)).await).await;
    assert_eq!((s, e["code"].as_str()), (422, Some("invalid_input")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("ASEAN"), "{e}");

    // Anyone searches; blocked days and notes are the keepers'.
    let (_, all) =
        body(call(&app, None, Method::GET, "/api/v1/arbitration/roster", None).await).await;
    assert_eq!(slugs(&all), vec!["demo-arb-sg", "demo-arb-th"]);
    let (_, hits) = body(
        call(
            &app,
            None,
            Method::GET,
            "/api/v1/arbitration/roster?legal_system=common_law&asean=TH&overseas_expert=true",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(slugs(&hits), vec!["demo-arb-sg"]);
    assert!(
        hits["items"][0]["profile"]["availability"]["blocked"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (s, _) = body(
        call(
            &app,
            None,
            Method::GET,
            "/api/v1/arbitration/roster?asean=XX",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(s, 422);
    let (_, public) = body(call(&app, None, Method::GET, sg, None).await).await;
    assert!(public["history"].is_null() && public["disclosures"].is_null());
    // A day inside the blocked days: the keeper's search leaves the arbitrator out; anyone
    // else's tests the status only, so searching by day does not reveal them.
    let by_day = "/api/v1/arbitration/roster?available_on=2027-04-05&nationality=SG";
    let (_, theirs) = body(call(&app, sec, Method::GET, by_day, None).await).await;
    assert!(slugs(&theirs).is_empty());
    let (_, anyones) = body(call(&app, None, Method::GET, by_day, None).await).await;
    assert_eq!(slugs(&anyones), vec!["demo-arb-sg"]);
    let (_, kept) = body(call(&app, sec, Method::GET, sg, None).await).await;
    assert_eq!(
        kept["entry"]["profile"]["availability"]["blocked"][0]["from"],
        "2027-04-01"
    );
    assert_eq!(kept["keeper"], true);

    // Recommendations: only under an agreement with the mutual recommendation term.
    let rec = |by: &str| json!({"institution": "demo-commission", "recommended_by": by, "recommended_on": "2025-01-15"});
    let recs = format!("{th}/recommendations");
    let (s, _) = body(
        call(
            &app,
            outsider,
            Method::POST,
            &recs,
            Some(&rec("demo-partner")),
        )
        .await,
    )
    .await;
    assert_eq!(s, 403);
    let (s, e) = body(
        call(
            &app,
            sec,
            Method::POST,
            &format!("{sg}/recommendations"),
            Some(&rec("demo-partner")),
        )
        .await,
    )
    .await;
    assert_eq!(s, 422, "the partner's panel does not list them: {e}");
    let (s, e) = body(call(&app, sec, Method::POST, &recs, Some(&rec("demo-trainer"))).await).await;
    assert_eq!(s, 422, "{e}");
    let (s, v) = body(call(&app, sec, Method::POST, &recs, Some(&rec("demo-partner"))).await).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(
        v["entry"]["recommendations"][0]["recommended_by"],
        "demo-partner"
    );
    assert_eq!(
        v["entry"]["recommendations"][0]["agreement_signed_on"],
        "2019-05-01"
    );
    let (s, _) = body(call(&app, sec, Method::POST, &recs, Some(&rec("demo-partner"))).await).await;
    assert_eq!(s, 409);
    let (_, panel) = body(
        call(
            &app,
            None,
            Method::GET,
            "/api/v1/arbitration/roster?panel=demo-commission",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        slugs(&panel),
        vec!["demo-arb-sg", "demo-arb-th"],
        "recommended to the panel"
    );

    // Appointments elsewhere and disclosures: the keepers record and read them.
    let appointment = json!({"appointed_on": "2025-06-01", "seat_role": "co_arbitrator",
        "institution": "Demo Institution Abroad", "case_reference": "DEMO-2025-1",
        "appointed_by": "Chongqing Demo Motors Co., Ltd.", "counsel_firm": "demo-claimant-firm"});
    let apps = format!("{th}/appointments");
    let (s, _) = body(call(&app, outsider, Method::POST, &apps, Some(&appointment)).await).await;
    assert_eq!(s, 403);
    let mut wrong = appointment.clone();
    wrong["seat_role"] = json!("umpire");
    let (s, _) = body(call(&app, sec, Method::POST, &apps, Some(&wrong)).await).await;
    assert_eq!(s, 422);
    let (s, v) = body(call(&app, sec, Method::POST, &apps, Some(&appointment)).await).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["history"][0]["source"], "recorded");
    assert_eq!(v["entry"]["seats"]["co_arbitrator"], 1);
    // A second appointment by the same party, spelt differently, within three years.
    let mut again = appointment.clone();
    again["appointed_on"] = json!("2026-01-10");
    again["case_reference"] = json!("DEMO-2026-2");
    again["appointed_by"] = json!("chongqing  demo motors co., ltd.");
    let (s, _) = body(call(&app, sec, Method::POST, &apps, Some(&again)).await).await;
    assert_eq!(s, 201);
    let disclosure = json!({"made_on": "2025-06-02", "case_reference": "DEMO-2025-1",
        "statement": "I was appointed by the claimant in an earlier demo case."});
    let (s, v) = body(
        call(
            &app,
            sec,
            Method::POST,
            &format!("{th}/disclosures"),
            Some(&disclosure),
        )
        .await,
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["disclosures"][0]["case_reference"], "DEMO-2025-1");
    let (_, public) = body(call(&app, None, Method::GET, th, None).await).await;
    assert!(public["history"].is_null());
    assert_eq!(
        public["entry"]["seats"]["co_arbitrator"], 2,
        "counts are public"
    );

    // The roster ranked for the presiding seat of a case: the former firm of the claimant's
    // counsel and the claimant's two earlier appointments show as orange findings.
    let left = (chrono::Utc::now().date_naive() - chrono::Days::new(400)).to_string();
    let with_firm = json!({"profile": {"legal_systems": ["common_law"], "former_firms": [{"firm": "demo-claimant-firm", "until": left}]}, "version": 1});
    let (s, v) = body(call(&app, sec, Method::PUT, sg, Some(&with_firm)).await).await;
    assert_eq!(s, 200, "{v}");
    let (_, c) = body(
        call(
            &app,
            Some(&p.counsel),
            Method::POST,
            "/api/v1/arbitration/cases",
            Some(&filing()),
        )
        .await,
    )
    .await;
    let case = format!("/api/v1/arbitration/cases/{}", c["id"].as_str().unwrap());
    call(
        &app,
        sec,
        Method::POST,
        &format!("{case}/accept"),
        Some(&json!({})),
    )
    .await;
    let candidates = format!("{case}/candidates?seat_role=presiding");
    let (s, _) = body(call(&app, Some(&p.counsel), Method::GET, &candidates, None).await).await;
    assert_eq!(s, 403, "the parties' counsel do not rank the roster");
    let (s, _) = body(call(&app, outsider, Method::GET, &candidates, None).await).await;
    assert_eq!(s, 404);
    let (s, _) = body(
        call(
            &app,
            sec,
            Method::GET,
            &format!("{case}/candidates?seat_role=umpire"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(s, 422);
    let (s, ranked) = body(call(&app, sec, Method::GET, &candidates, None).await).await;
    assert_eq!(s, 200, "{ranked}");
    let ranked = ranked.as_array().unwrap();
    assert_eq!(ranked.len(), 2);
    let find = |slug: &str| ranked.iter().find(|c| c["slug"] == slug).unwrap().clone();
    let codes = |c: &Value| -> Vec<String> {
        c["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes(&find("demo-arb-sg")), vec!["former_firm_of_counsel"]);
    assert_eq!(find("demo-arb-sg")["neutrality"], "ok");
    assert_eq!(
        codes(&find("demo-arb-th")),
        vec!["repeat_party_appointments"]
    );

    // Nominating from the ranking screens with the same former firm; the nominee leaves it.
    let nominate = json!({"person": "demo-arb-sg", "seat_role": "presiding"});
    let (s, v) = body(
        call(
            &app,
            sec,
            Method::POST,
            &format!("{case}/nominations"),
            Some(&nominate),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let screen = &v["tribunal"][0]["screen"]["findings"];
    assert_eq!(screen[0]["code"], "former_firm_of_counsel", "{screen}");
    let (_, ranked) = body(call(&app, sec, Method::GET, &candidates, None).await).await;
    let left: Vec<&str> = ranked
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(left, vec!["demo-arb-th"]);

    // Withdrawing a recommendation takes the arbitrator off the panel's search again.
    let withdraw = format!("{th}/recommendations/demo-commission/demo-partner");
    let (s, _) = body(call(&app, outsider, Method::DELETE, &withdraw, None).await).await;
    assert_eq!(s, 403);
    let (s, _) = body(call(&app, sec, Method::DELETE, &withdraw, None).await).await;
    assert_eq!(s, 200);
    let (s, _) = body(call(&app, sec, Method::DELETE, &withdraw, None).await).await;
    assert_eq!(s, 404);
    let (_, panel) = body(
        call(
            &app,
            None,
            Method::GET,
            "/api/v1/arbitration/roster?panel=demo-commission",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(slugs(&panel), vec!["demo-arb-sg"]);
}
