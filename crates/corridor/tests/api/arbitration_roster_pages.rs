//! The roster through the pages: anyone searches it in either language; the panel's secretary
//! keeps an arbitrator's profile on its form (a mistake comes back with the reason) and records
//! an appointment elsewhere, which only the keepers see; the secretary ranks the roster for a
//! case's presiding seat and nominates from the ranking. On both backends.

use reqwest::Method;
use serde_json::Value;

use crate::advisory_projects::call;
use crate::arbitration_case_pages::page;
use crate::arbitration_cases::{filing, people};
use crate::arbitration_roster::arbitrator;
use crate::helpers::*;
use crate::on_both_backends;

on_both_backends!(the_secretary_keeps_the_roster_and_ranks_it_for_a_seat_on_the_pages);
async fn the_secretary_keeps_the_roster_and_ranks_it_for_a_seat_on_the_pages(app: TestApp) {
    let p = people(&app).await;
    arbitrator(&app, "demo-arb-sg", "SG", &["demo-commission"]).await;
    arbitrator(&app, "demo-arb-my", "MY", &["demo-commission"]).await;
    let anyone = app.client();
    let (status, html) = page(&anyone, &app, "/arbitration/roster", "zh-CN").await;
    assert_eq!(status, 200);
    assert!(select_texts(&html, "h1")[0].contains("仲裁员名册"));
    assert_eq!(
        select_attrs(&html, "#roster-results tr[data-slug]", "data-slug"),
        ["demo-arb-my", "demo-arb-sg"]
    );
    let (status, _) = page(&anyone, &app, "/arbitration/roster?nationality=XX", "en").await;
    assert_eq!(status, 422, "a bad filter is named, not ignored");
    let (_, html) = page(&anyone, &app, "/arbitration/roster/demo-arb-sg", "en").await;
    assert!(select_texts(&html, "#roster-profile-form").is_empty());
    assert!(select_texts(&html, "#history").is_empty());

    let sec = app.login("secretary@commission.test").await;
    let csrf = app.csrf(&sec).await;
    let mut form = vec![
        ("csrf", csrf.clone()),
        ("version", "0".to_owned()),
        ("legal_system", "common_law".to_owned()),
        ("asean", "JP".to_owned()),
        ("overseas_expert", "on".to_owned()),
        ("fee_basis", "hourly".to_owned()),
        ("fee_rate", "650".to_owned()),
        ("fee_currency", "usd".to_owned()),
        ("status", "limited".to_owned()),
        ("pending_cases", "3".to_owned()),
        ("blocked", "2027-05-01 2027-05-09".to_owned()),
        ("former_firms", "demo-other-firm, 2024-02-29".to_owned()),
    ];
    let r = sec
        .post(app.url("/arbitration/roster/demo-arb-sg"))
        .header("accept-language", "en")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(select_texts(&html, "#form-error")[0].contains("ASEAN"));
    form[3].1 = "TH".into();
    let r = sec
        .post(app.url("/arbitration/roster/demo-arb-sg"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = page(&sec, &app, "/arbitration/roster/demo-arb-sg", "en").await;
    assert_eq!(select_texts(&html, "#legal-systems"), ["Common law"]);
    assert_eq!(select_texts(&html, "#asean"), ["TH"]);
    assert!(select_texts(&html, "#fee")[0].contains("650.00 USD"));
    assert!(select_texts(&html, "#blocked")[0].contains("2027-05-01"));
    assert!(select_texts(&html, "#former-firms")[0].contains("demo-other-firm"));
    assert_eq!(
        select_attrs(&html, "#roster-profile-form input[name=version]", "value"),
        ["1"]
    );
    let r = sec
        .post(app.url("/arbitration/roster/demo-arb-sg/appointments"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("appointed_on", "2025-09-01"),
            ("seat_role", "sole"),
            ("institution", "Demo Institution Abroad"),
            ("case_reference", "DEMO-2025-9"),
            ("appointed_by", "Hanoi Demo Trading JSC"),
            ("counsel_firm", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = page(&sec, &app, "/arbitration/roster/demo-arb-sg", "zh-CN").await;
    assert_eq!(
        select_attrs(&html, "#history tr[data-source]", "data-source"),
        ["recorded"]
    );
    let (_, html) = page(&anyone, &app, "/arbitration/roster/demo-arb-sg", "en").await;
    assert!(
        select_texts(&html, "#history").is_empty(),
        "the keepers' papers"
    );
    assert!(select_texts(&html, "#blocked").is_empty());
    let (_, html) = page(
        &anyone,
        &app,
        "/arbitration/roster?legal_system=common_law",
        "en",
    )
    .await;
    assert_eq!(
        select_attrs(&html, "#roster-results tr[data-slug]", "data-slug"),
        ["demo-arb-sg"]
    );

    // A case: the secretary ranks the presiding seat and nominates from the ranking.
    let c: Value = call(
        &app,
        Some(&p.counsel),
        Method::POST,
        "/api/v1/arbitration/cases",
        Some(&filing()),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = c["id"].as_str().unwrap();
    let r = sec
        .post(app.url(&format!("/arbitration/cases/{id}/accept")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = page(&sec, &app, &format!("/arbitration/cases/{id}"), "en").await;
    let link = select_attrs(&html, "#rank-candidates", "href");
    assert_eq!(
        link,
        [format!(
            "/arbitration/cases/{id}/candidates?seat_role=presiding"
        )]
    );
    let (status, html) = page(&sec, &app, &link[0], "zh-CN").await;
    assert_eq!(status, 200);
    assert_eq!(
        select_attrs(&html, "#candidates tr[data-slug]", "data-slug").len(),
        2
    );
    let counsel = app.login("counsel@claimant.test").await;
    let (status, _) = page(&counsel, &app, &link[0], "en").await;
    assert_eq!(status, 403);
    let r = sec
        .post(app.url(&format!("/arbitration/cases/{id}/nominations")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("person", "demo-arb-my"),
            ("seat_role", "presiding"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = page(&sec, &app, &link[0], "en").await;
    assert_eq!(
        select_attrs(&html, "#candidates tr[data-slug]", "data-slug"),
        ["demo-arb-sg"],
        "the nominee leaves the ranking"
    );

    // The secretary records the nominee's disclosure from the case page; counsel reads it.
    let (_, html) = page(&sec, &app, &format!("/arbitration/cases/{id}"), "en").await;
    let action = select_attrs(&html, "form.disclosure-form", "action");
    assert_eq!(action.len(), 1);
    let draft = select_texts(&html, "form.disclosure-form textarea");
    assert!(draft[0].contains("DRAFT"), "the screens' draft, to confirm");
    let r = sec
        .post(app.url(&action[0]))
        .form(&[
            ("csrf", csrf.as_str()),
            ("statement", "I confirm the draft."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = page(&counsel, &app, &format!("/arbitration/cases/{id}"), "zh-CN").await;
    assert_eq!(
        select_texts(&html, ".disclosure-made pre"),
        ["I confirm the draft."]
    );
    assert!(select_texts(&html, "form.disclosure-form").is_empty());
}
