//! The enterprise's profile (`/api/v1/enterprises/{key}/profile`, `/enterprises/{key}/profile`):
//! who reads and saves it, what it refuses, and the projects and interviews that start from it.
//! On both backends.

use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::{call, cast, project};
use crate::helpers::*;
use crate::on_both_backends;

/// The state-changing profile route, whose matrix by standing is in this file's test.
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    vec![("PUT", "/api/v1/enterprises/{key}/profile")]
}

const PATH: &str = "/api/v1/enterprises/acme-demo-enterprise/profile";

fn profile() -> Value {
    json!({
        "version": 0,
        "profile": {
            "sectors_isic": ["C2930"], "size": "large", "ownership": "SOE",
            "flags": ["central_soe_supervised_by_sasac"], "flags_false": ["is_ciio"],
            "metrics": {"cn_nonsensitive_pi_individuals_exported_since_jan1": 120000}
        }
    })
}

on_both_backends!(an_enterprise_keeps_one_profile_that_its_projects_start_from);
async fn an_enterprise_keeps_one_profile_that_its_projects_start_from(app: TestApp) {
    let cast = cast(&app).await;
    let acme = cast.token("acme");
    for (who, status) in [
        ("acme", 200),
        ("bureau", 200),
        ("beta", 404),
        ("firm", 404),
        ("admin", 404),
        ("anonymous", 401),
    ] {
        let r = call(&app, cast.token(who), Method::GET, PATH, None).await;
        assert_eq!(r.status(), status, "{who} reads acme's profile");
    }
    let empty: Value = call(&app, acme, Method::GET, PATH, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["version"], 0);
    for (who, status) in [
        ("bureau", 403),
        ("beta", 404),
        ("firm", 404),
        ("anonymous", 401),
    ] {
        let r = call(&app, cast.token(who), Method::PUT, PATH, Some(&profile())).await;
        assert_eq!(r.status(), status, "{who} saves acme's profile");
    }

    // Refused: a project's fact, an unknown size.
    let mut bad = profile();
    bad["profile"]["flags"] = json!(["acquires_land"]);
    let r = call(&app, acme, Method::PUT, PATH, Some(&bad)).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("acquires_land"));
    let mut bad = profile();
    bad["profile"]["size"] = json!("huge");
    assert_eq!(
        call(&app, acme, Method::PUT, PATH, Some(&bad))
            .await
            .status(),
        422
    );

    let r = call(&app, acme, Method::PUT, PATH, Some(&profile())).await;
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["profile"]["ownership"], "SOE");
    let r = call(&app, acme, Method::PUT, PATH, Some(&profile())).await;
    assert_eq!(r.status(), 409, "saved over a newer version");

    // A project's answers take from the profile what they do not say; what they say wins.
    let mut p = project();
    p["answers"]["flags"] = json!(["employs_foreign_nationals", "is_ciio"]);
    let r = call(&app, acme, Method::POST, "/api/v1/projects", Some(&p)).await;
    assert_eq!(r.status(), 201);
    let made: Value = r.json().await.unwrap();
    let answers = &made["answers"];
    assert_eq!(answers["ownership"], "private", "the project said private");
    let flags: Vec<&str> = answers["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        flags.contains(&"central_soe_supervised_by_sasac") && flags.contains(&"is_ciio"),
        "{flags:?}"
    );
    assert!(
        answers["flags_false"].as_array().unwrap().is_empty(),
        "the project said is_ciio"
    );
    assert_eq!(
        answers["metrics"]["cn_nonsensitive_pi_individuals_exported_since_jan1"],
        120000.0
    );
    assert_eq!(answers["sectors_isic"], json!(["C2930"]));
}

on_both_backends!(the_profile_page_saves_and_the_interview_starts_from_it);
async fn the_profile_page_saves_and_the_interview_starts_from_it(app: TestApp) {
    let _cast = cast(&app).await;
    let client = app.login("staff@acme.test").await;
    let csrf = app.csrf(&client).await;
    let page = "/enterprises/acme-demo-enterprise/profile";
    let r = client.get(app.url(page)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert_eq!(select_attrs(&html, "input[name=version]", "value"), ["0"]);
    let form = [
        ("csrf", csrf.as_str()),
        ("version", "0"),
        ("sectors", "C2930"),
        ("size", "medium"),
        ("ownership", "SOE"),
        ("flag.central_soe_supervised_by_sasac", "yes"),
        (
            "metric.cn_sensitive_pi_individuals_exported_since_jan1",
            "2,500",
        ),
    ];
    let r = client.post(app.url(page)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let html = client
        .get(app.url(page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(select_attrs(&html, "input[name=version]", "value"), ["1"]);
    assert_eq!(
        select_attrs(
            &html,
            "input[name='metric.cn_sensitive_pi_individuals_exported_since_jan1']",
            "value"
        ),
        ["2500"]
    );
    // A number that is not one comes back with the reason, nothing saved.
    let mut bad = form.to_vec();
    bad[1] = ("version", "1");
    bad[6] = (
        "metric.cn_sensitive_pi_individuals_exported_since_jan1",
        "many",
    );
    let r = client.post(app.url(page)).form(&bad).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(!select_texts(&r.text().await.unwrap(), "#form-error").is_empty());

    // The interview starts from the profile.
    let html = client
        .get(app.url("/plans/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_attrs(&html, "select[name=ownership] option[selected]", "value"),
        ["SOE"]
    );
    // Someone else's profile page does not exist.
    let r = client
        .get(app.url("/enterprises/beta-demo-enterprise/profile"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
