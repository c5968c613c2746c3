//! An enterprise's outbound projects, kept with the plan it accepted (`/api/v1/projects`, the
//! `/projects` pages): who sees and changes them, bad input, and a library change showing up
//! in the affected plans. On both backends.

use corridor::auth::{OrgRole, PlatformRole};
use corridor::directory::model::OrgKind;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

pub(crate) struct Cast {
    /// (name, token): acme's staff, beta's staff (another enterprise), a lawyer at a law firm,
    /// a bureau officer, a platform admin, no one.
    tokens: Vec<(&'static str, Option<String>)>,
}

impl Cast {
    pub(crate) fn token(&self, who: &str) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(name, _)| *name == who)
            .and_then(|(_, t)| t.as_deref())
    }
}

pub(crate) async fn cast(app: &TestApp) -> Cast {
    let acme = app
        .org("acme-demo-enterprise", OrgKind::Enterprise, "CN")
        .await;
    let beta = app
        .org("beta-demo-enterprise", OrgKind::Enterprise, "CN")
        .await;
    let firm = app
        .org("demo-local-firm", OrgKind::LocalLawFirm, "CN")
        .await;
    let mut tokens = Vec::new();
    for (name, email, platform, org, role) in [
        (
            "acme",
            "staff@acme.test",
            None,
            Some(&acme),
            OrgRole::EnterpriseStaff,
        ),
        (
            "beta",
            "staff@beta.test",
            None,
            Some(&beta),
            OrgRole::OrgAdmin,
        ),
        (
            "firm",
            "lawyer@firm.test",
            None,
            Some(&firm),
            OrgRole::Lawyer,
        ),
        (
            "bureau",
            "officer@bureau.test",
            Some(PlatformRole::BureauOfficer),
            None,
            OrgRole::Lawyer,
        ),
        (
            "admin",
            "admin@platform.test",
            Some(PlatformRole::PlatformAdmin),
            None,
            OrgRole::Lawyer,
        ),
    ] {
        let memberships: Vec<(&str, OrgRole)> = org.iter().map(|o| (o.as_str(), role)).collect();
        let user = app.user(email, platform, &memberships).await;
        tokens.push((name, Some(app.token_for(&user).await)));
    }
    tokens.push(("anonymous", None));
    Cast { tokens }
}

pub(crate) async fn call(
    app: &TestApp,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> Response {
    let mut r = app.client().request(method, app.url(path));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r.json(b);
    }
    r.send().await.unwrap()
}

pub(crate) fn project() -> Value {
    json!({
        "title": "Hai Phong components plant",
        "stage": "negotiating",
        "value_amount": "50000000",
        "value_currency": "usd",
        "answers": {
            "country": "VN", "entry_mode": "joint_venture", "sectors_isic": ["C2930"],
            "ownership": "private", "flags": ["employs_foreign_nationals"],
            "metrics": {"cn_investment_usd": 50000000}
        }
    })
}

async fn execute(app: &TestApp, sql: &str, a: &str, b: &str) {
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

async fn stored_plan(app: &TestApp, id: &str) -> String {
    let sql = "SELECT plan FROM advisory_projects WHERE id = $1";
    match app.store.pool() {
        corridor::db::Pool::Sqlite(p) => {
            sqlx::query_scalar(sql).bind(id).fetch_one(p).await.unwrap()
        }
        corridor::db::Pool::Postgres(p) => {
            sqlx::query_scalar(sql).bind(id).fetch_one(p).await.unwrap()
        }
    }
}

/// The state-changing project routes, whose matrix by standing is in this file's tests (the
/// route check in `authorization.rs` counts them as covered).
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("POST", "/api/v1/projects"),
        ("PUT", "/api/v1/projects/{id}"),
        ("POST", "/api/v1/projects/{id}/plan/accept"),
    ]
}

on_both_backends!(an_enterprise_keeps_its_projects_which_only_it_and_the_bureau_see);
/// Opening, reading, listing and changing a project, by every standing: the enterprise's own
/// people do everything, the bureau reads, everyone else finds nothing (404) or may not (403).
async fn an_enterprise_keeps_its_projects_which_only_it_and_the_bureau_see(app: TestApp) {
    let cast = cast(&app).await;
    let acme = cast.token("acme");

    let mut for_acme = project();
    for_acme["organization"] = json!("acme-demo-enterprise");
    for who in ["beta", "firm", "bureau", "admin"] {
        let r = call(
            &app,
            cast.token(who),
            Method::POST,
            "/api/v1/projects",
            Some(&for_acme),
        )
        .await;
        assert_eq!(r.status(), 403, "{who} opens no project for acme");
    }
    for who in ["firm", "bureau", "admin"] {
        let r = call(
            &app,
            cast.token(who),
            Method::POST,
            "/api/v1/projects",
            Some(&project()),
        )
        .await;
        assert_eq!(
            r.status(),
            403,
            "{who} is no enterprise: it opens no project"
        );
    }
    let r = call(
        &app,
        None,
        Method::POST,
        "/api/v1/projects",
        Some(&project()),
    )
    .await;
    assert_eq!(r.status(), 401);

    let r = call(
        &app,
        acme,
        Method::POST,
        "/api/v1/projects",
        Some(&project()),
    )
    .await;
    assert_eq!(r.status(), 201);
    let p: Value = r.json().await.unwrap();
    let id = p["id"].as_str().unwrap().to_owned();
    assert_eq!(p["organization"]["slug"], "acme-demo-enterprise");
    assert_eq!(
        (p["value_amount"].as_str(), p["value_currency"].as_str()),
        (Some("50000000.00"), Some("USD"))
    );
    assert_eq!(p["stage"], "negotiating");
    assert_eq!(p["version"], 1);
    assert!(
        p["changes"].is_null(),
        "a plan just accepted has no changes: {}",
        p["changes"]
    );
    assert_eq!(p["plan"]["sections"].as_array().unwrap().len(), 4);
    assert_eq!(p["answers"]["country"], "VN");

    let path = format!("/api/v1/projects/{id}");
    for (who, status) in [
        ("acme", 200),
        ("bureau", 200),
        ("beta", 404),
        ("firm", 404),
        ("admin", 404),
        ("anonymous", 401),
    ] {
        let r = call(&app, cast.token(who), Method::GET, &path, None).await;
        assert_eq!(r.status(), status, "{who} reads the project");
    }
    for (who, total) in [("acme", 1), ("bureau", 1), ("beta", 0), ("firm", 0)] {
        let r = call(&app, cast.token(who), Method::GET, "/api/v1/projects", None).await;
        let page: Value = r.json().await.unwrap();
        assert_eq!(page["total"], total, "{who}'s list");
    }
    let r = call(
        &app,
        acme,
        Method::GET,
        "/api/v1/projects?country=vn&stage=negotiating",
        None,
    )
    .await;
    assert_eq!(r.json::<Value>().await.unwrap()["total"], 1);
    let r = call(&app, acme, Method::GET, "/api/v1/projects?country=TH", None).await;
    assert_eq!(r.json::<Value>().await.unwrap()["total"], 0);
    let r = call(
        &app,
        acme,
        Method::GET,
        "/api/v1/projects?stage=dreaming",
        None,
    )
    .await;
    assert_eq!(r.status(), 422);

    // Changing the answers: a new plan, accepted at once.
    let mut changed = project();
    changed["stage"] = json!("signed");
    changed["answers"]["flags"] = json!(["employs_foreign_nationals", "acquires_land"]);
    let before = audit_count(&app).await;
    for (who, status) in [
        ("beta", 404),
        ("firm", 404),
        ("admin", 404),
        ("bureau", 403),
        ("anonymous", 401),
    ] {
        let r = call(&app, cast.token(who), Method::PUT, &path, Some(&changed)).await;
        assert_eq!(r.status(), status, "{who} changes the project");
    }
    assert_eq!(audit_count(&app).await, before, "a refusal changes nothing");
    let r = call(&app, acme, Method::PUT, &path, Some(&changed)).await;
    assert_eq!(r.status(), 200);
    let p: Value = r.json().await.unwrap();
    assert_eq!(
        (p["stage"].as_str(), p["version"].as_i64()),
        (Some("signed"), Some(2))
    );
    assert_eq!(p["answers"]["flags"][1], "acquires_land");
    assert!(p["changes"].is_null());
    assert_eq!(audit_count(&app).await, before + 1);

    // Bad input is refused, naming what is wrong, and nothing changes.
    for (body, field, value) in [
        (
            json!({"answers": {"country": "VN", "entry_mode": "greenfield", "flags": ["made_up_flag"]}}),
            "flags",
            "made_up_flag",
        ),
        (
            json!({"answers": {"country": "FR", "entry_mode": "greenfield"}}),
            "country",
            "FR",
        ),
        (
            json!({"value_amount": "12.345", "value_currency": "USD"}),
            "value_amount",
            "",
        ),
        (
            json!({"value_amount": "100", "value_currency": null}),
            "value_currency",
            "",
        ),
        (json!({"stage": "dreaming"}), "stage", ""),
        (json!({"title": "  "}), "title", ""),
    ] {
        let mut bad = project();
        for (k, v) in body.as_object().unwrap() {
            bad[k] = v.clone();
        }
        for method in [Method::POST, Method::PUT] {
            let target = if method == Method::POST {
                "/api/v1/projects"
            } else {
                path.as_str()
            };
            let r = call(&app, acme, method.clone(), target, Some(&bad)).await;
            assert_eq!(r.status(), 422, "{method} {bad}");
            let e: Value = r.json().await.unwrap();
            let message = e["message"].as_str().unwrap();
            assert!(
                message.contains(field) && message.contains(value),
                "{message}"
            );
        }
    }
    let r = call(&app, acme, Method::GET, "/api/v1/projects", None).await;
    assert_eq!(r.json::<Value>().await.unwrap()["total"], 1);
    assert_eq!(audit_count(&app).await, before + 1);
    let r = call(&app, acme, Method::GET, "/api/v1/projects/not-an-id", None).await;
    assert_eq!(r.status(), 404);
}

on_both_backends!(a_library_change_shows_up_in_the_affected_plans_until_accepted);
/// A plan accepted under an earlier library: the check after an upgrade flags the project, its
/// page and API name the items that are new, and accepting the new plan clears it.
async fn a_library_change_shows_up_in_the_affected_plans_until_accepted(app: TestApp) {
    let cast = cast(&app).await;
    let acme = cast.token("acme");
    let r = call(
        &app,
        acme,
        Method::POST,
        "/api/v1/projects",
        Some(&project()),
    )
    .await;
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let today = chrono::Utc::now().date_naive();
    let none = corridor::advisory::library_check::check_against_library(&app.store, today)
        .await
        .unwrap();
    assert_eq!(
        none.checked, 0,
        "a plan made with this library needs no check"
    );

    // As if accepted under an older library that lacked one of today's items.
    let mut older: Value = serde_json::from_str(&stored_plan(&app, &id).await).unwrap();
    let items = older["sections"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .map(|s| s["items"].as_array_mut().unwrap())
        .find(|items| !items.is_empty())
        .unwrap();
    let dropped = items.remove(0)["obligation"].as_str().unwrap().to_owned();
    execute(
        &app,
        "UPDATE advisory_projects SET plan = $1, library_version = 'older', checked_library = 'older' WHERE id = $2",
        &older.to_string(),
        &id,
    )
    .await;
    let check = corridor::advisory::library_check::check_against_library(&app.store, today)
        .await
        .unwrap();
    assert_eq!((check.checked, check.changed), (1, 1));
    let again = corridor::advisory::library_check::check_against_library(&app.store, today)
        .await
        .unwrap();
    assert_eq!(again.checked, 0, "each plan is checked once per library");

    let list: Value = call(&app, acme, Method::GET, "/api/v1/projects", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["projects"][0]["plan_changed"], true);
    assert_eq!(list["projects"][0]["library_version"], "older");
    let path = format!("/api/v1/projects/{id}");
    let d: Value = call(&app, acme, Method::GET, &path, None)
        .await
        .json()
        .await
        .unwrap();
    let new: Vec<&str> = d["changes"]["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["obligation"].as_str().unwrap())
        .collect();
    assert_eq!(new, [dropped.as_str()]);

    // The page says so in words, in both languages.
    let client = app.login("staff@acme.test").await;
    for (lang, heading) in [("en", "The plan has changed"), ("zh-CN", "方案有变化")] {
        let html = client
            .get(app.url(&format!("/projects/{id}")))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let html = scraper::Html::parse_document(&html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let box_text: String = html
            .select(&sel("#plan-changes h2"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert_eq!(box_text, heading);
        let li = html.select(&sel("#changes-new li")).next().unwrap();
        assert_eq!(li.value().attr("data-obligation"), Some(dropped.as_str()));
        assert!(
            !li.text().collect::<String>().starts_with("urn:"),
            "named by its title"
        );
        let badge = sel(&format!(
            "li.plan-item[data-obligation=\"{dropped}\"] .badge.change-new"
        ));
        assert!(
            html.select(&badge).next().is_some(),
            "{lang}: the item is marked new in the plan"
        );
    }

    // The bureau reads but does not accept; the enterprise accepts.
    let accept = format!("/api/v1/projects/{id}/plan/accept");
    let before = audit_count(&app).await;
    for (who, status) in [
        ("bureau", 403),
        ("beta", 404),
        ("firm", 404),
        ("admin", 404),
        ("anonymous", 401),
    ] {
        let r = call(&app, cast.token(who), Method::POST, &accept, None).await;
        assert_eq!(r.status(), status, "{who} accepts the plan");
    }
    assert_eq!(audit_count(&app).await, before, "a refusal changes nothing");
    let r = call(&app, acme, Method::POST, &accept, None).await;
    assert_eq!(r.status(), 200);
    let d: Value = r.json().await.unwrap();
    assert!(d["changes"].is_null());
    assert_ne!(d["library_version"], "older");
    assert_eq!(d["plan_changed"], false);
}

on_both_backends!(a_projects_value_in_the_institutions_currency_gets_a_fee_estimate);
/// The project's value is the amount in dispute of the clause's fee estimate, in the proposed
/// institution's currency only: a value in USD gets none, and the note says why.
async fn a_projects_value_in_the_institutions_currency_gets_a_fee_estimate(app: TestApp) {
    let cast = cast(&app).await;
    let acme = cast.token("acme");
    let clause = |p: &Value| {
        p["plan"]["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|s| s.get("dispute_clause").filter(|c| !c.is_null()).cloned())
            .unwrap()
    };
    let usd = call(
        &app,
        acme,
        Method::POST,
        "/api/v1/projects",
        Some(&project()),
    )
    .await;
    let c = clause(&usd.json::<Value>().await.unwrap());
    assert!(c["fee_estimate"].is_null());
    assert!(c["fee_note"]["en"].as_str().unwrap().contains("USD"), "{c}");
    let mut cny = project();
    cny["value_amount"] = json!("350000000");
    cny["value_currency"] = json!("CNY");
    let r = call(&app, acme, Method::POST, "/api/v1/projects", Some(&cny)).await;
    assert_eq!(r.status(), 201);
    let p: Value = r.json().await.unwrap();
    assert_eq!(
        p["answers"]["value"],
        json!({"amount": "350000000.00", "currency": "CNY"})
    );
    let c = clause(&p);
    assert_eq!(c["proposed"]["institution"], "CQAC");
    assert_eq!(c["fee_estimate"]["currency"], "CNY");
    assert_eq!(
        c["fee_estimate"]["verified"], false,
        "the commission's table is configured"
    );
    assert!(
        c["fee_estimate"]["total"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
            > 0.0
    );
}
