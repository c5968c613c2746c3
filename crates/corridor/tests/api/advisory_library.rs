//! The obligations library maintained by the bureau and law firms (`/api/v1/library`): who
//! proposes, reads and publishes revisions, what a publication changes in the library, in the
//! plan preview and in the stored plans it affects, and the refusals (no source, a stale draft,
//! a decided one, an entry the library cannot use). On both backends.

use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::{call, cast, project};
use crate::helpers::*;
use crate::on_both_backends;

/// The state-changing library routes, whose matrix by standing is in this file's tests.
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("POST", "/api/v1/library/revisions"),
        ("POST", "/api/v1/library/revisions/{id}/publish"),
        ("POST", "/api/v1/library/revisions/{id}/reject"),
    ]
}

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

async fn entry(app: &TestApp, urn: &str) -> Value {
    let r = call(
        app,
        None,
        Method::GET,
        &format!("/api/v1/library/entries/{urn}"),
        None,
    )
    .await;
    assert_eq!(r.status(), 200, "{urn}");
    json_of(r).await["entry"].clone()
}

async fn propose(
    app: &TestApp,
    token: Option<&str>,
    entry: &Value,
    note: &str,
) -> reqwest::Response {
    call(
        app,
        token,
        Method::POST,
        "/api/v1/library/revisions",
        Some(&json!({ "entry": entry, "note": note })),
    )
    .await
}

fn first_item(plan: &Value) -> String {
    plan["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .next()
        .unwrap()["obligation"]
        .as_str()
        .unwrap()
        .to_owned()
}

on_both_backends!(a_published_revision_is_a_new_version_that_shows_in_the_affected_plans);
/// A firm's lawyer proposes, the bureau publishes: the library has a new version, the entry
/// reads as revised, the plan preview uses it, and the enterprise's stored plan shows the item
/// as changed; the publication says how many plans it changed.
async fn a_published_revision_is_a_new_version_that_shows_in_the_affected_plans(app: TestApp) {
    let cast = cast(&app).await;
    let overview = json_of(call(&app, None, Method::GET, "/api/v1/library", None).await).await;
    let file_version = overview["version"].as_str().unwrap().to_owned();
    assert_eq!(overview["entries"].as_array().unwrap().len(), 88);
    assert!(overview["publications"].as_array().unwrap().is_empty());

    let p = json_of(
        call(
            &app,
            cast.token("acme"),
            Method::POST,
            "/api/v1/projects",
            Some(&project()),
        )
        .await,
    )
    .await;
    let project_id = p["id"].as_str().unwrap().to_owned();
    let urn = first_item(&p["plan"]);
    let mut revised = entry(&app, &urn).await;
    revised["title_en"] = json!("Revised title: as the gazette now puts it");
    revised["sources"]
        .as_array_mut()
        .unwrap()
        .push(json!("https://example.org/gazette/2026-12"));

    let r = propose(
        &app,
        cast.token("firm"),
        &revised,
        "Amended by the 2026 circular",
    )
    .await;
    assert_eq!(r.status(), 201);
    let draft = json_of(r).await;
    assert_eq!(draft["state"], "draft");
    assert_eq!(draft["has_source"], true);
    assert_eq!(draft["stale"], false);
    assert_eq!(draft["organization"]["slug"], "demo-local-firm");
    let fields: Vec<&str> = draft["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"title_en") && fields.contains(&"sources"),
        "{fields:?}"
    );
    let id = draft["id"].as_str().unwrap().to_owned();

    // Publishing is the bureau's.
    let publish = format!("/api/v1/library/revisions/{id}/publish");
    for (who, status) in [
        ("firm", 403),
        ("acme", 404),
        ("admin", 404),
        ("anonymous", 401),
    ] {
        let r = call(&app, cast.token(who), Method::POST, &publish, None).await;
        assert_eq!(r.status(), status, "{who} publishes");
    }
    let r = call(&app, cast.token("bureau"), Method::POST, &publish, None).await;
    assert_eq!(r.status(), 200);
    let publication = json_of(r).await;
    let version = format!("{file_version}+local.1");
    assert_eq!(publication["version"], version);
    assert_eq!(publication["number"], 1);
    assert_eq!(publication["plans_checked"], 1);
    assert_eq!(publication["plans_changed"], 1);
    assert!(
        publication["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "title_en" && c["after"] == revised["title_en"])
    );

    // The library is the new version; the entry is the revision; published revisions are public.
    let overview = json_of(call(&app, None, Method::GET, "/api/v1/library", None).await).await;
    assert_eq!(overview["version"], version);
    assert_eq!(overview["publications"][0]["number"], 1);
    let listed = overview["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["urn"] == urn.as_str())
        .unwrap();
    assert_eq!(listed["revision"], id.as_str());
    assert_eq!(entry(&app, &urn).await["title_en"], revised["title_en"]);
    let r = call(
        &app,
        None,
        Method::GET,
        &format!("/api/v1/library/revisions/{id}"),
        None,
    )
    .await;
    assert_eq!(json_of(r).await["state"], "published");
    let r = call(
        &app,
        None,
        Method::GET,
        "/api/v1/library/publications/1",
        None,
    )
    .await;
    assert_eq!(json_of(r).await["urn"], urn.as_str());

    // The preview uses the deployment's library.
    let preview = json_of(
        call(
            &app,
            None,
            Method::POST,
            "/api/v1/plans/preview",
            Some(&project()["answers"]),
        )
        .await,
    )
    .await;
    assert_eq!(preview["library_version"], version);

    // The enterprise's stored plan shows the item as changed, until it accepts the new plan.
    let path = format!("/api/v1/projects/{project_id}");
    let d = json_of(call(&app, cast.token("acme"), Method::GET, &path, None).await).await;
    let changed = d["changes"]["changed"].as_array().unwrap();
    assert!(
        changed.iter().any(|c| c["obligation"] == urn.as_str()),
        "{}",
        d["changes"]
    );
    let list = json_of(
        call(
            &app,
            cast.token("acme"),
            Method::GET,
            "/api/v1/projects",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(list["projects"][0]["plan_changed"], true);
}

on_both_backends!(who_proposes_who_sees_a_draft_and_what_is_refused);
/// Only bureau officers and law firms' lawyers propose; a draft is seen by its firm and the
/// bureau only; bad entries are refused at once, naming why; a draft without a source is kept
/// but cannot be published; a stale or decided draft is refused (409).
async fn who_proposes_who_sees_a_draft_and_what_is_refused(app: TestApp) {
    let cast = cast(&app).await;
    let urn = "urn:corridor:obl:cn:odi:safe-huifa-2015-13:bank-fx-registration";
    let current = entry(&app, urn).await;
    let mut changed = current.clone();
    changed["verification_note"] = json!("Effective date now confirmed in the SAFE notice.");
    changed["effective_from_verified"] = json!(true);

    for (who, status) in [("acme", 403), ("admin", 403), ("anonymous", 401)] {
        let r = propose(&app, cast.token(who), &changed, "why").await;
        assert_eq!(r.status(), status, "{who} proposes");
    }
    let r = propose(&app, cast.token("firm"), &changed, "  ").await;
    assert_eq!(r.status(), 422, "a revision says why");

    let mut unusable = changed.clone();
    unusable["applies_when"]["flags_all"] = json!(["no_such_flag"]);
    let r = propose(&app, cast.token("firm"), &unusable, "why").await;
    assert_eq!(r.status(), 422);
    let body = json_of(r).await;
    assert!(
        body["message"].as_str().unwrap().contains("no_such_flag"),
        "{body}"
    );
    let mut bad_urn = changed.clone();
    bad_urn["id"] = json!("urn:other:x");
    assert_eq!(
        propose(&app, cast.token("firm"), &bad_urn, "why")
            .await
            .status(),
        422
    );

    // Two drafts of the same entry: the firm's, and the bureau's without a source.
    let firm_draft =
        json_of(propose(&app, cast.token("firm"), &changed, "Date confirmed").await).await;
    let mut sourceless = current.clone();
    sourceless["sources"] = json!([]);
    let r = propose(
        &app,
        cast.token("bureau"),
        &sourceless,
        "Sources being rechecked",
    )
    .await;
    assert_eq!(r.status(), 201, "a draft may lack a source");
    let bureau_draft = json_of(r).await;
    assert_eq!(bureau_draft["has_source"], false);

    // Who sees the firm's draft.
    let firm_path = format!(
        "/api/v1/library/revisions/{}",
        firm_draft["id"].as_str().unwrap()
    );
    for (who, status) in [
        ("firm", 200),
        ("bureau", 200),
        ("acme", 404),
        ("anonymous", 404),
    ] {
        let r = call(&app, cast.token(who), Method::GET, &firm_path, None).await;
        assert_eq!(r.status(), status, "{who} reads a firm's draft");
    }
    let listed = |v: &Value| v.as_array().unwrap().len();
    let r = call(
        &app,
        cast.token("acme"),
        Method::GET,
        "/api/v1/library/revisions",
        None,
    )
    .await;
    assert_eq!(listed(&json_of(r).await), 0);
    let r = call(
        &app,
        cast.token("bureau"),
        Method::GET,
        "/api/v1/library/revisions?state=draft",
        None,
    )
    .await;
    assert_eq!(listed(&json_of(r).await), 2);
    let r = call(
        &app,
        cast.token("firm"),
        Method::GET,
        "/api/v1/library/revisions",
        None,
    )
    .await;
    assert_eq!(
        listed(&json_of(r).await),
        1,
        "the firm sees its own draft, not the bureau's"
    );
    let r = call(
        &app,
        cast.token("bureau"),
        Method::GET,
        "/api/v1/library/revisions?state=maybe",
        None,
    )
    .await;
    assert_eq!(r.status(), 422);

    // No source, no publication.
    let bureau_path = format!(
        "/api/v1/library/revisions/{}",
        bureau_draft["id"].as_str().unwrap()
    );
    let r = call(
        &app,
        cast.token("bureau"),
        Method::POST,
        &format!("{bureau_path}/publish"),
        None,
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = json_of(r).await;
    assert_eq!(body["code"], "invalid_input");
    assert!(
        body["message"].as_str().unwrap().contains("source"),
        "{body}"
    );

    // The firm's draft is published; the bureau's, drafted over the same entry, is now stale.
    let r = call(
        &app,
        cast.token("bureau"),
        Method::POST,
        &format!("{firm_path}/publish"),
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = call(&app, cast.token("bureau"), Method::GET, &bureau_path, None).await;
    assert_eq!(json_of(r).await["stale"], true);
    let mut fixed = sourceless.clone();
    fixed["sources"] = json!(["http://www.safe.gov.cn/en/2015/0429/759.html"]);
    let again =
        json_of(propose(&app, cast.token("bureau"), &fixed, "Sources rechecked").await).await;
    assert_eq!(again["base_revision"], firm_draft["id"]);
    let r = call(
        &app,
        cast.token("firm"),
        Method::POST,
        &format!("{firm_path}/publish"),
        None,
    )
    .await;
    assert_eq!(r.status(), 403);
    let r = call(
        &app,
        cast.token("bureau"),
        Method::POST,
        &format!("{firm_path}/publish"),
        None,
    )
    .await;
    assert_eq!(
        r.status(),
        409,
        "a published revision is not published again"
    );

    // Rejecting: the firm cannot reject the bureau's draft (it does not see it); the bureau can.
    let reject = format!("{bureau_path}/reject");
    let r = call(
        &app,
        cast.token("firm"),
        Method::POST,
        &reject,
        Some(&json!({})),
    )
    .await;
    assert_eq!(r.status(), 404);
    let r = call(
        &app,
        cast.token("bureau"),
        Method::POST,
        &reject,
        Some(&json!({"note": "superseded by the sourced draft"})),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(json_of(r).await["state"], "rejected");
    let r = call(
        &app,
        cast.token("bureau"),
        Method::POST,
        &reject,
        Some(&json!({})),
    )
    .await;
    assert_eq!(r.status(), 409);

    // A stale draft cannot be published; the fresh one can, superseding the firm's.
    let stale = json_of(propose(&app, cast.token("firm"), &changed, "again").await).await;
    let again_path = format!(
        "/api/v1/library/revisions/{}",
        again["id"].as_str().unwrap()
    );
    let r = call(
        &app,
        cast.token("bureau"),
        Method::POST,
        &format!("{again_path}/publish"),
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(json_of(r).await["number"], 2);
    let r = call(&app, cast.token("bureau"), Method::GET, &firm_path, None).await;
    assert_eq!(json_of(r).await["state"], "superseded");
    let stale_path = format!(
        "/api/v1/library/revisions/{}/publish",
        stale["id"].as_str().unwrap()
    );
    let r = call(&app, cast.token("bureau"), Method::POST, &stale_path, None).await;
    assert_eq!(r.status(), 409);
    assert!(
        json_of(r).await["message"]
            .as_str()
            .unwrap()
            .contains("revised")
    );

    // Unknown things are not found.
    let r = call(
        &app,
        None,
        Method::GET,
        "/api/v1/library/entries/urn:corridor:obl:none",
        None,
    )
    .await;
    assert_eq!(r.status(), 404);
    let r = call(
        &app,
        None,
        Method::GET,
        "/api/v1/library/publications/99",
        None,
    )
    .await;
    assert_eq!(r.status(), 404);
    let r = call(
        &app,
        None,
        Method::GET,
        "/api/v1/library?jurisdiction=FR",
        None,
    )
    .await;
    assert_eq!(r.status(), 422);
    let r = call(
        &app,
        None,
        Method::GET,
        "/api/v1/library?jurisdiction=vn",
        None,
    )
    .await;
    let vn = json_of(r).await;
    assert!(
        vn["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["jurisdiction"] == "VN")
    );
}

on_both_backends!(a_new_entry_joins_the_library_and_the_plans_it_applies_to);
/// A new entry, published, appears in the plans it applies to: a stored plan shows it as new.
async fn a_new_entry_joins_the_library_and_the_plans_it_applies_to(app: TestApp) {
    let cast = cast(&app).await;
    let p = json_of(
        call(
            &app,
            cast.token("acme"),
            Method::POST,
            "/api/v1/projects",
            Some(&project()),
        )
        .await,
    )
    .await;
    let new_urn = "urn:corridor:obl:vn:demo:local-rule-2026";
    let new_entry = json!({
        "id": new_urn, "jurisdiction": "VN", "area": "licensing",
        "applies_when": {"sectors_isic": ["*"], "entry_modes": ["joint_venture"], "ownership_types": ["SOE", "private"]},
        "title_en": "Demo rule for joint ventures", "title_zh": "合资企业演示规则",
        "summary_en": "A fictional rule for the test.", "key_numbers": [],
        "legal_basis": [{"instrument": "Demo decree"}],
        "effective_from": "2026-01-01", "effective_to": null, "status": "in_force",
        "sources": ["https://example.org/demo-decree"], "verified": false,
        "verification_note": "Fictional, for a test.", "effective_from_verified": false,
        "last_reviewed": "2026-12-04"
    });
    let r = propose(&app, cast.token("bureau"), &new_entry, "New decree").await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = call(
        &app,
        cast.token("bureau"),
        Method::GET,
        "/api/v1/library/revisions",
        None,
    )
    .await;
    let id = json_of(r).await[0]["id"].as_str().unwrap().to_owned();
    let r = call(
        &app,
        cast.token("bureau"),
        Method::POST,
        &format!("/api/v1/library/revisions/{id}/publish"),
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(json_of(r).await["plans_changed"], 1);
    let path = format!("/api/v1/projects/{}", p["id"].as_str().unwrap());
    let d = json_of(call(&app, cast.token("acme"), Method::GET, &path, None).await).await;
    let new: Vec<&str> = d["changes"]["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["obligation"].as_str().unwrap())
        .collect();
    assert_eq!(new, [new_urn]);
}
