//! What the advisory work produces for others: the bureau's live view of the programme (JSON,
//! page with SVG charts, CSV) and a project's plan as a PDF. On both backends.

use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::{call, cast, project};
use crate::advisory_referrals::partner_in_vietnam;
use crate::helpers::*;
use crate::on_both_backends;

on_both_backends!(the_bureau_sees_the_programme_live_and_no_one_else_does);
async fn the_bureau_sees_the_programme_live_and_no_one_else_does(app: TestApp) {
    let cast = cast(&app).await;
    partner_in_vietnam(&app, "demo-local-firm", 1).await;
    let (acme, firm, bureau) = (cast.token("acme"), cast.token("firm"), cast.token("bureau"));
    let before: Value = call(&app, bureau, Method::GET, "/api/v1/programme", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(before["projects"], 0);
    assert_eq!(before["figures"]["local_firms_with_asean_partners"], 1);
    assert_eq!(
        before["award_enforcement_countries"], 0,
        "counted from recorded proceedings, never estimated"
    );

    let p: Value = call(
        &app,
        acme,
        Method::POST,
        "/api/v1/projects",
        Some(&project()),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = p["id"].as_str().unwrap();
    let r: Value = call(
        &app,
        acme,
        Method::POST,
        &format!("/api/v1/projects/{id}/referrals"),
        Some(&json!({"firm": "demo-local-firm", "counterparty": "Demo Counterparty JSC"})),
    )
    .await
    .json()
    .await
    .unwrap();
    let rid = r["id"].as_str().unwrap();
    let accept = format!("/api/v1/referrals/{rid}/accept");
    call(
        &app,
        firm,
        Method::POST,
        &accept,
        Some(&json!({"no_conflict": true})),
    )
    .await;

    let now: Value = call(&app, bureau, Method::GET, "/api/v1/programme", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["projects"], 1);
    assert_eq!(now["by_country"], json!([{"key": "VN", "count": 1}]));
    assert_eq!(now["by_sector"], json!([{"key": "C", "count": 1}]));
    assert_eq!(now["by_stage"], json!([{"key": "negotiating", "count": 1}]));
    assert_eq!(
        (
            now["referrals"]["total"].as_i64(),
            now["referrals"]["accepted"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert!(now["referrals"]["median_response_hours"].as_f64().unwrap() >= 0.0);
    assert_eq!(now["engagements"]["open"], 1);
    assert!(now["engagements"]["tasks"].as_i64().unwrap() > 0);
    for (who, status) in [
        ("admin", 200),
        ("acme", 403),
        ("firm", 403),
        ("beta", 403),
        ("anonymous", 401),
    ] {
        let r = call(
            &app,
            cast.token(who),
            Method::GET,
            "/api/v1/programme",
            None,
        )
        .await;
        assert_eq!(r.status(), status, "{who}");
    }

    // The page draws the counts; the CSV has every figure.
    let officer = app.login("officer@bureau.test").await;
    for (lang, title) in [
        ("en", "Projects by host country"),
        ("zh-CN", "按东道国统计项目"),
    ] {
        let html = officer
            .get(app.url("/bureau"))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let doc = scraper::Html::parse_document(&html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let caption: String = doc
            .select(&sel("#by-country figcaption"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert_eq!(caption, title);
        let bar = doc
            .select(&sel("#by-country svg g.bar"))
            .next()
            .expect("a bar per country");
        assert_eq!(bar.value().attr("data-count"), Some("1"));
        assert_eq!(
            doc.select(&sel("#fig-projects"))
                .next()
                .unwrap()
                .text()
                .collect::<String>(),
            "1"
        );
    }
    let csv = officer
        .get(app.url("/bureau/programme.csv"))
        .send()
        .await
        .unwrap();
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    for line in [
        "projects_by_country,VN,1",
        "referrals,accepted,1",
        "engagements,open,1",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
    let staff = app.login("staff@acme.test").await;
    assert_eq!(
        staff.get(app.url("/bureau")).send().await.unwrap().status(),
        403
    );
    assert_eq!(
        staff
            .get(app.url("/bureau/programme.csv"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

on_both_backends!(
    the_plan_pdf_is_the_readers_and_only_for_those_who_read_the_project,
    ignore = "needs fonts-noto-cjk; the postgres half PostgreSQL too"
);
async fn the_plan_pdf_is_the_readers_and_only_for_those_who_read_the_project(app: TestApp) {
    let cast = cast(&app).await;
    let acme = cast.token("acme");
    let p: Value = call(
        &app,
        acme,
        Method::POST,
        "/api/v1/projects",
        Some(&project()),
    )
    .await
    .json()
    .await
    .unwrap();
    let path = format!("/api/v1/projects/{}/plan.pdf", p["id"].as_str().unwrap());
    for (who, status) in [
        ("acme", 200),
        ("bureau", 200),
        ("beta", 404),
        ("firm", 404),
        ("anonymous", 401),
    ] {
        let r = call(&app, cast.token(who), Method::GET, &path, None).await;
        assert_eq!(r.status(), status, "{who}");
        if status == 200 {
            assert_eq!(r.headers()["content-type"], "application/pdf");
            assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
        }
    }
    let page = app.login("staff@acme.test").await;
    let r = page
        .get(app.url(&format!("/projects/{}/plan.pdf", p["id"].as_str().unwrap())))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
}
