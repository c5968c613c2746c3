//! The advisory team: firms matched to a project, the enterprise's referral, the firm's
//! conflict check and answer, and the engagement it opens — a matter whose tasks are the plan's
//! items. Every standing on every route; on both backends.

use corridor::auth::audit::Who;
use corridor::directory::model::{OrgKind, PartnershipInput};
use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::{call, cast, project};
use crate::helpers::*;
use crate::on_both_backends;

/// The state-changing referral routes, whose matrix by standing is in this file's test.
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("POST", "/api/v1/projects/{id}/referrals"),
        ("POST", "/api/v1/referrals/{id}/accept"),
        ("POST", "/api/v1/referrals/{id}/decline"),
        ("POST", "/api/v1/referrals/{id}/withdraw"),
    ]
}

/// `local` gets a Vietnamese partner firm.
pub(crate) async fn partner_in_vietnam(app: &TestApp, local: &str, n: u32) {
    let slug = format!("demo-hanoi-partner-{n}");
    app.org(&slug, OrgKind::ForeignLawFirm, "VN").await;
    app.store
        .create_partnership(
            &Who::cli(),
            &PartnershipInput {
                local_firm: local.into(),
                foreign_firm: slug,
                countries: vec!["VN".into()],
                since: chrono::NaiveDate::from_ymd_opt(2020, 1, n).unwrap(),
                scope_en: String::new(),
                scope_zh: String::new(),
            },
        )
        .await
        .unwrap();
}

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

on_both_backends!(a_firm_checks_for_conflicts_accepts_and_works_the_plan_as_tasks);
async fn a_firm_checks_for_conflicts_accepts_and_works_the_plan_as_tasks(app: TestApp) {
    let cast = cast(&app).await;
    let second_firm = app
        .org("demo-second-firm", OrgKind::LocalLawFirm, "CN")
        .await;
    partner_in_vietnam(&app, "demo-local-firm", 1).await;
    partner_in_vietnam(&app, "demo-second-firm", 2).await;
    let (acme, firm) = (cast.token("acme"), cast.token("firm"));
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
    let id = p["id"].as_str().unwrap().to_owned();
    let plan_items: usize = p["plan"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["items"].as_array().unwrap().len())
        .sum();

    // The team: both firms, explained; the project is the enterprise's and the bureau's only.
    let team_path = format!("/api/v1/projects/{id}/team");
    let team = json_of(call(&app, acme, Method::GET, &team_path, None).await).await;
    let firms: Vec<&str> = team["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["local_firm"]["slug"].as_str().unwrap())
        .collect();
    assert!(
        firms.contains(&"demo-local-firm") && firms.contains(&"demo-second-firm"),
        "{team}"
    );
    assert!(
        !team["matches"][0]["explanation"]["en"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    for (who, status) in [
        ("firm", 404),
        ("beta", 404),
        ("bureau", 200),
        ("anonymous", 401),
    ] {
        assert_eq!(
            call(&app, cast.token(who), Method::GET, &team_path, None)
                .await
                .status(),
            status,
            "{who}"
        );
    }

    // The referral: only the enterprise's people send it; bad input is named.
    let refer = format!("/api/v1/projects/{id}/referrals");
    let body = json!({"firm": "demo-local-firm", "counterparty": "Demo Counterparty JSC", "note": "JV in Hai Phong"});
    let before = audit_count(&app).await;
    for (who, status) in [
        ("beta", 404),
        ("firm", 404),
        ("admin", 404),
        ("bureau", 403),
        ("anonymous", 401),
    ] {
        assert_eq!(
            call(&app, cast.token(who), Method::POST, &refer, Some(&body))
                .await
                .status(),
            status,
            "{who}"
        );
    }
    for (bad, field) in [
        (
            json!({"firm": "acme-demo-enterprise", "counterparty": "X"}),
            "firm",
        ),
        (json!({"firm": "no-such-firm", "counterparty": "X"}), "firm"),
        (
            json!({"firm": "demo-local-firm", "counterparty": " "}),
            "counterparty",
        ),
    ] {
        let r = call(&app, acme, Method::POST, &refer, Some(&bad)).await;
        assert_eq!(r.status(), 422, "{bad}");
        assert!(
            json_of(r).await["message"]
                .as_str()
                .unwrap()
                .contains(field)
        );
    }
    assert_eq!(audit_count(&app).await, before, "refusals change nothing");
    let r = call(&app, acme, Method::POST, &refer, Some(&body)).await;
    assert_eq!(r.status(), 201);
    let referral = json_of(r).await;
    let rid = referral["id"].as_str().unwrap().to_owned();
    assert_eq!(referral["status"], "pending");
    assert_eq!(
        call(&app, acme, Method::POST, &refer, Some(&body))
            .await
            .status(),
        409,
        "one open referral per firm"
    );

    // The firm sees the outline and the counterparty, not the plan.
    let listed = json_of(call(&app, firm, Method::GET, "/api/v1/referrals", None).await).await;
    assert_eq!(
        listed["referrals"][0]["counterparty"],
        "Demo Counterparty JSC"
    );
    assert_eq!(listed["referrals"][0]["project"]["country"], "VN");
    assert_eq!(
        call(
            &app,
            firm,
            Method::GET,
            &format!("/api/v1/projects/{id}"),
            None
        )
        .await
        .status(),
        404
    );
    let beta_list = json_of(
        call(
            &app,
            cast.token("beta"),
            Method::GET,
            "/api/v1/referrals",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(beta_list["referrals"].as_array().unwrap().len(), 0);

    // Only the firm answers, and only after its conflict check.
    let accept = format!("/api/v1/referrals/{rid}/accept");
    let yes = json!({"no_conflict": true});
    let before = audit_count(&app).await;
    for (who, status) in [
        ("acme", 403),
        ("bureau", 403),
        ("beta", 404),
        ("admin", 404),
        ("anonymous", 401),
    ] {
        assert_eq!(
            call(&app, cast.token(who), Method::POST, &accept, Some(&yes))
                .await
                .status(),
            status,
            "{who}"
        );
    }
    let r = call(
        &app,
        firm,
        Method::POST,
        &accept,
        Some(&json!({"no_conflict": false})),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert_eq!(audit_count(&app).await, before, "refusals change nothing");
    let r = call(&app, firm, Method::POST, &accept, Some(&yes)).await;
    assert_eq!(r.status(), 200);
    let accepted = json_of(r).await;
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["response_hours"].as_f64().unwrap() >= 0.0);
    let matter = accepted["matter_id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(&app, firm, Method::POST, &accept, Some(&yes))
            .await
            .status(),
        409
    );

    // The engagement: the firm leads it, the requester is the client, the plan's items are tasks.
    let m = json_of(
        call(
            &app,
            firm,
            Method::GET,
            &format!("/api/v1/matters/{matter}"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(m["matter"]["kind"], "advisory_engagement");
    let roles: Vec<&str> = m["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["role"].as_str().unwrap())
        .collect();
    assert!(
        roles.contains(&"counsel_lead") && roles.contains(&"client"),
        "{roles:?}"
    );
    assert_eq!(m["tasks"].as_array().unwrap().len(), plan_items);
    let task = &m["tasks"][0];
    assert!(
        task["title"].as_str().unwrap().contains(" / "),
        "both languages: {task}"
    );
    for (who, status) in [("acme", 200), ("beta", 404), ("bureau", 404)] {
        let r = call(
            &app,
            cast.token(who),
            Method::GET,
            &format!("/api/v1/matters/{matter}"),
            None,
        )
        .await;
        assert_eq!(r.status(), status, "{who} reads the engagement");
    }
    assert_eq!(
        call(
            &app,
            firm,
            Method::GET,
            &format!("/api/v1/projects/{id}"),
            None
        )
        .await
        .status(),
        200
    );
    let firm_list = json_of(call(&app, firm, Method::GET, "/api/v1/projects", None).await).await;
    assert_eq!(
        firm_list["total"], 1,
        "an engaged firm lists the project: {firm_list}"
    );
    let r = call(
        &app,
        acme,
        Method::POST,
        "/api/v1/matters",
        Some(&json!({"kind": "advisory_engagement", "title": "Direct"})),
    )
    .await;
    assert_eq!(r.status(), 422, "engagements open only by a referral");

    // A second firm declines for a conflict: the team match sets it aside.
    let second = json!({"firm": "demo-second-firm", "counterparty": "Demo Counterparty JSC"});
    let rid2 = json_of(call(&app, acme, Method::POST, &refer, Some(&second)).await).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let decline = format!("/api/v1/referrals/{rid2}/decline");
    assert_eq!(
        call(
            &app,
            acme,
            Method::POST,
            &decline,
            Some(&json!({"reason": "conflict"}))
        )
        .await
        .status(),
        403
    );
    let firm2 = app
        .user(
            "lawyer@second.test",
            None,
            &[(&second_firm, corridor::auth::OrgRole::Lawyer)],
        )
        .await;
    let firm2 = app.token_for(&firm2).await;
    let r = call(
        &app,
        Some(&firm2),
        Method::POST,
        &decline,
        Some(&json!({"reason": "busy"})),
    )
    .await;
    assert_eq!(r.status(), 422);
    let r = call(
        &app,
        Some(&firm2),
        Method::POST,
        &decline,
        Some(&json!({"reason": "conflict"})),
    )
    .await;
    assert_eq!(json_of(r).await["decline_reason"], "conflict");
    let team = json_of(call(&app, acme, Method::GET, &team_path, None).await).await;
    assert_eq!(
        team["conflicts"][0]["firm"]["slug"], "demo-second-firm",
        "{team}"
    );

    // The enterprise withdraws a pending referral; a withdrawn one cannot be answered.
    let third = json!({"firm": "demo-second-firm", "counterparty": "Another Demo Party"});
    let rid3 = json_of(call(&app, acme, Method::POST, &refer, Some(&third)).await).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let withdraw = format!("/api/v1/referrals/{rid3}/withdraw");
    assert_eq!(
        call(&app, Some(&firm2), Method::POST, &withdraw, None)
            .await
            .status(),
        403
    );
    let r = call(&app, acme, Method::POST, &withdraw, None).await;
    assert_eq!(json_of(r).await["status"], "withdrawn");
    let r = call(
        &app,
        Some(&firm2),
        Method::POST,
        &format!("/api/v1/referrals/{rid3}/accept"),
        Some(&yes),
    )
    .await;
    assert_eq!(r.status(), 409);

    // The bureau reads every referral, with its response time.
    let all = json_of(
        call(
            &app,
            cast.token("bureau"),
            Method::GET,
            "/api/v1/referrals",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(all["referrals"].as_array().unwrap().len(), 3);
    let r = call(
        &app,
        acme,
        Method::GET,
        "/api/v1/referrals?status=maybe",
        None,
    )
    .await;
    assert_eq!(r.status(), 422);
}

/// One statement with two text parameters, on either backend.
async fn run_sql(app: &TestApp, sql: &str, a: &str, b: &str) {
    match app.store.pool() {
        corridor::db::Pool::Sqlite(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(a)
                .bind(b)
                .execute(p)
                .await
                .unwrap();
        }
        corridor::db::Pool::Postgres(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(a)
                .bind(b)
                .execute(p)
                .await
                .unwrap();
        }
    }
}

on_both_backends!(an_engagement_half_opened_by_a_stopped_server_is_finished_once);
/// A server that stopped after a referral was accepted but before its engagement was opened
/// leaves it accepted without a matter: the next start opens it, with the client and one task
/// per plan item, and running again adds nothing.
async fn an_engagement_half_opened_by_a_stopped_server_is_finished_once(app: TestApp) {
    let cast = cast(&app).await;
    partner_in_vietnam(&app, "demo-local-firm", 1).await;
    let acme = cast.token("acme");
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
    let id = p["id"].as_str().unwrap();
    let plan_items: usize = p["plan"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["items"].as_array().unwrap().len())
        .sum();
    let referral = json_of(
        call(
            &app,
            acme,
            Method::POST,
            &format!("/api/v1/projects/{id}/referrals"),
            Some(&json!({"firm": "demo-local-firm", "counterparty": "Demo Party"})),
        )
        .await,
    )
    .await;
    let rid = referral["id"].as_str().unwrap();
    // The stop: the referral's acceptance committed, nothing after it.
    let firm_user = app
        .store
        .user_id_by_email("lawyer@firm.test")
        .await
        .unwrap()
        .unwrap();
    run_sql(
        &app,
        "UPDATE advisory_referrals SET status = 'accepted', responded_by = $1 WHERE id = $2",
        &firm_user,
        rid,
    )
    .await;
    let state = corridor::state::AppState::new(app.store.clone(), Default::default());
    // Twice, the second time as if the stop came after the tasks but before the mark.
    for round in 0..2 {
        if round == 1 {
            run_sql(
                &app,
                "UPDATE advisory_referrals SET engagement_ready = FALSE WHERE id = $1 OR id = $2",
                rid,
                rid,
            )
            .await;
        }
        let finished = corridor::advisory::referrals::finish_engagements(&state)
            .await
            .unwrap();
        assert!(finished <= 1);
    }
    let r = json_of(
        call(
            &app,
            cast.token("firm"),
            Method::GET,
            "/api/v1/referrals",
            None,
        )
        .await,
    )
    .await;
    let matter = r["referrals"][0]["matter_id"]
        .as_str()
        .expect("the engagement is open")
        .to_owned();
    let m = json_of(
        call(
            &app,
            cast.token("firm"),
            Method::GET,
            &format!("/api/v1/matters/{matter}"),
            None,
        )
        .await,
    )
    .await;
    let count = m["tasks"].as_array().unwrap().len();
    assert_eq!(count, plan_items, "one task per plan item, not doubled");
    let r = call(
        &app,
        acme,
        Method::GET,
        &format!("/api/v1/matters/{matter}"),
        None,
    )
    .await;
    assert_eq!(r.status(), 200, "the requester joined as client");
}
