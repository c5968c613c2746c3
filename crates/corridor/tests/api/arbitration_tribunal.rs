//! Forming a case's tribunal: nominations screened for nationality and conflicts, confirmed by
//! the secretariat (the arbitrator joins the case), challenged by counsel and removed. On both
//! backends.

use corridor::auth::audit::Who;
use corridor::directory::model::{PersonInput, Profession};
use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::call;
use crate::arbitration_cases::{filing, people};
use crate::helpers::*;
use crate::on_both_backends;

/// The state-changing tribunal routes, whose matrix by standing is in this file's test.
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("POST", "/api/v1/arbitration/cases/{id}/nominations"),
        (
            "POST",
            "/api/v1/arbitration/cases/{id}/nominations/{nomination}",
        ),
        // arbitration_disclosure.rs
        (
            "POST",
            "/api/v1/arbitration/cases/{id}/nominations/{nomination}/disclosure",
        ),
    ]
}

pub(crate) async fn arbitrator(app: &TestApp, slug: &str, nationality: &str, firm: Option<&str>) {
    app.store
        .create_person(
            &Who::cli(),
            &PersonInput {
                slug: Some(slug.into()),
                profession: Profession::Arbitrator,
                name_zh: format!("{slug}（演示）"),
                name_en: format!("{slug} (demo)"),
                organization: firm.map(str::to_owned),
                based_in: nationality.into(),
                nationalities: vec![nationality.into()],
                languages: vec!["en".into()],
                expertise: vec![],
                jurisdictions: vec![],
                rosters: vec![],
                bio_en: String::new(),
                bio_zh: String::new(),
            },
            true,
        )
        .await
        .unwrap();
}

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

on_both_backends!(a_tribunal_is_formed_with_both_screens_and_a_challenge);
async fn a_tribunal_is_formed_with_both_screens_and_a_challenge(app: TestApp) {
    let p = people(&app).await;
    let (sec, counsel) = (Some(p.secretary.as_str()), Some(p.counsel.as_str()));
    arbitrator(&app, "demo-arb-same-firm", "CN", Some("demo-claimant-firm")).await;
    arbitrator(&app, "demo-arb-vietnam", "VN", None).await;
    let sitting = app.user("arbitrator@demo.test", None, &[]).await;
    let sitting = app.token_for(&sitting).await;
    let c = json_of(
        call(
            &app,
            counsel,
            Method::POST,
            "/api/v1/arbitration/cases",
            Some(&filing()),
        )
        .await,
    )
    .await;
    let id = c["id"].as_str().unwrap().to_owned();
    let case = format!("/api/v1/arbitration/cases/{id}");
    let nominations = format!("{case}/nominations");
    let co = json!({"person": "demo-arb-same-firm", "seat_role": "co_arbitrator"});
    assert_eq!(
        call(&app, counsel, Method::POST, &nominations, Some(&co))
            .await
            .status(),
        409,
        "not accepted yet"
    );
    call(
        &app,
        sec,
        Method::POST,
        &format!("{case}/accept"),
        Some(&json!({})),
    )
    .await;

    // Refusals: a seat counsel may not fill, someone not in the directory, an outsider.
    let presiding = json!({"person": "demo-arb-vietnam", "seat_role": "presiding"});
    assert_eq!(
        call(&app, counsel, Method::POST, &nominations, Some(&presiding))
            .await
            .status(),
        422
    );
    let nobody = json!({"person": "no-such-arbitrator", "seat_role": "co_arbitrator"});
    assert_eq!(
        call(&app, counsel, Method::POST, &nominations, Some(&nobody))
            .await
            .status(),
        422
    );
    assert_eq!(
        call(
            &app,
            Some(&p.outsider),
            Method::POST,
            &nominations,
            Some(&co)
        )
        .await
        .status(),
        404
    );

    // The claimant's counsel nominates a lawyer of its own firm: a waivable red finding.
    let c = json_of(call(&app, counsel, Method::POST, &nominations, Some(&co)).await).await;
    assert!(
        c["tribunal"][0]["screen"].is_null(),
        "the screens are the secretariat's papers"
    );
    let c = json_of(call(&app, sec, Method::GET, &case, None).await).await;
    let first = &c["tribunal"][0];
    let findings = first["screen"]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "same_firm_as_counsel" && f["list"] == "waivable_red"),
        "{findings:?}"
    );
    assert!(first["screen"]["disclosure"]["en"].as_str().unwrap().len() > 20);

    // The secretariat nominates the presiding arbitrator, a national of the respondent's
    // country: under UNCITRAL 2013 Art. 6(7) the rules only advise.
    let mut presiding = presiding.clone();
    presiding["email"] = json!("arbitrator@demo.test");
    let c = json_of(call(&app, sec, Method::POST, &nominations, Some(&presiding)).await).await;
    let second = &c["tribunal"][1];
    assert_eq!(second["screen"]["neutrality"]["verdict"], "advisory");

    // Confirmation is the secretariat's, at the version read.
    let step = |n: &Value| format!("{nominations}/{}", n["id"].as_str().unwrap());
    let confirm = |v: &Value| json!({"action": "confirm", "version": v["version"]});
    assert_eq!(
        call(
            &app,
            counsel,
            Method::POST,
            &step(second),
            Some(&confirm(second))
        )
        .await
        .status(),
        403
    );
    let stale = json!({"action": "confirm", "version": 99});
    assert_eq!(
        call(&app, sec, Method::POST, &step(second), Some(&stale))
            .await
            .status(),
        409
    );
    assert_eq!(
        call(&app, Some(&sitting), Method::GET, &case, None)
            .await
            .status(),
        404
    );
    let c = json_of(
        call(
            &app,
            sec,
            Method::POST,
            &step(second),
            Some(&confirm(second)),
        )
        .await,
    )
    .await;
    assert_eq!(c["tribunal"][1]["status"], "confirmed");
    let seen = json_of(call(&app, Some(&sitting), Method::GET, &case, None).await).await;
    assert_eq!(
        seen["my_role"], "presiding_arbitrator",
        "the confirmed arbitrator sits on the case"
    );
    // UNCITRAL 2013 Art. 13(1): 15 days from the notice of appointment (here, the confirmation).
    let due = seen["tribunal"][1]["challenge_due"]
        .as_str()
        .expect("a challenge deadline");
    assert!(
        seen["tribunal"][1]["challenge_rule"]
            .as_str()
            .unwrap()
            .contains("13(1)")
    );
    let today = chrono::Utc::now().date_naive();
    assert!(due >= (today + chrono::Days::new(15)).to_string().as_str());

    // Counsel challenges; the secretariat upholds; the arbitrator leaves the case.
    let second = &c["tribunal"][1];
    let no_grounds = json!({"action": "challenge", "version": second["version"]});
    assert_eq!(
        call(
            &app,
            counsel,
            Method::POST,
            &step(second),
            Some(&no_grounds)
        )
        .await
        .status(),
        422
    );
    let challenge = json!({"action": "challenge", "version": second["version"], "grounds": "Undisclosed advisory work for the respondent"});
    let c = json_of(call(&app, counsel, Method::POST, &step(second), Some(&challenge)).await).await;
    let second = &c["tribunal"][1];
    assert_eq!(second["status"], "challenged");
    let uphold = json!({"action": "uphold", "version": second["version"]});
    let c = json_of(call(&app, sec, Method::POST, &step(second), Some(&uphold)).await).await;
    assert_eq!(c["tribunal"][1]["status"], "removed");
    assert_eq!(
        call(&app, Some(&sitting), Method::GET, &case, None)
            .await
            .status(),
        404
    );
}
