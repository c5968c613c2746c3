//! Working an engagement's plan: a counsel submits a plan item's task for review, and only the
//! lead counsel signs it off or sends it back. On both backends.

use corridor::auth::OrgRole;
use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::{call, cast, project};
use crate::advisory_referrals::partner_in_vietnam;
use crate::helpers::*;
use crate::on_both_backends;

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

on_both_backends!(a_plan_items_task_is_reviewed_before_it_is_done);
async fn a_plan_items_task_is_reviewed_before_it_is_done(app: TestApp) {
    let cast = cast(&app).await;
    partner_in_vietnam(&app, "demo-local-firm", 1).await;
    let (acme, lead) = (cast.token("acme"), cast.token("firm"));
    let p = json_of(
        call(
            &app,
            acme,
            Method::POST,
            "/api/v1/projects",
            Some(&project()),
        )
        .await,
    )
    .await;
    let pid = p["id"].as_str().unwrap();
    let referral = json_of(
        call(
            &app,
            acme,
            Method::POST,
            &format!("/api/v1/projects/{pid}/referrals"),
            Some(&json!({"firm": "demo-local-firm", "counterparty": "Demo Party"})),
        )
        .await,
    )
    .await;
    let accepted = json_of(
        call(
            &app,
            lead,
            Method::POST,
            &format!(
                "/api/v1/referrals/{}/accept",
                referral["id"].as_str().unwrap()
            ),
            Some(&json!({"no_conflict": true})),
        )
        .await,
    )
    .await;
    let matter = accepted["matter_id"].as_str().unwrap().to_owned();

    // A second lawyer of the firm joins as counsel; a task is assigned to them.
    let firm_id = app
        .store
        .user_id_by_email("lawyer@firm.test")
        .await
        .unwrap()
        .unwrap();
    let firm_org = app
        .store
        .actor_for_user(&firm_id)
        .await
        .unwrap()
        .unwrap()
        .memberships[0]
        .organization_id
        .clone();
    let counsel_user = app
        .user(
            "counsel@firm.test",
            None,
            &[(firm_org.as_str(), OrgRole::Lawyer)],
        )
        .await;
    let counsel = app.token_for(&counsel_user).await;
    let r = call(
        &app,
        lead,
        Method::POST,
        &format!("/api/v1/matters/{matter}/participants"),
        Some(&json!({"email": "counsel@firm.test", "role": "counsel"})),
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
    let m = json_of(
        call(
            &app,
            lead,
            Method::GET,
            &format!("/api/v1/matters/{matter}"),
            None,
        )
        .await,
    )
    .await;
    let task = m["tasks"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/matters/{matter}/tasks/{task}");
    let edit = |token: Option<&str>, body: Value| {
        let path = path.clone();
        let app = &app;
        let token = token.map(str::to_owned);
        async move { call(app, token.as_deref(), Method::PATCH, &path, Some(&body)).await }
    };
    let version = |t: &Value| {
        t["task"]["version"]
            .as_i64()
            .or(t["version"].as_i64())
            .unwrap()
    };
    let t = json_of(
        edit(
            lead,
            json!({"version": 1, "assignee_email": "counsel@firm.test"}),
        )
        .await,
    )
    .await;

    // The counsel may not sign off their own work; they submit it.
    let r = edit(
        Some(&counsel),
        json!({"version": version(&t), "status": "done"}),
    )
    .await;
    assert_eq!(r.status(), 403);
    let r = edit(
        Some(&counsel),
        json!({"version": version(&t), "status": "in_review"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let t = json_of(r).await;
    // The lead sends it back, then signs it off.
    let r = edit(lead, json!({"version": version(&t), "status": "open"})).await;
    let t = json_of(r).await;
    let t = json_of(
        edit(
            Some(&counsel),
            json!({"version": version(&t), "status": "in_review"}),
        )
        .await,
    )
    .await;
    let r = edit(lead, json!({"version": version(&t), "status": "done"})).await;
    assert_eq!(r.status(), 200);
    let t = json_of(r).await;
    assert_eq!(
        t["task"]["status"].as_str().or(t["status"].as_str()),
        Some("done")
    );
}
