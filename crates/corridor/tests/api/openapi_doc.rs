//! The OpenAPI document is generated from the handlers and pinned by a snapshot, so a route
//! change shows up in review. Refresh with `UPDATE_SNAPSHOTS=1 cargo test openapi`.

use crate::helpers::*;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");

#[tokio::test]
async fn the_openapi_document_matches_its_snapshot_and_lists_every_route() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let served = app
        .client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&served).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for expected in [
        "/api/v1/organizations",
        "/api/v1/organizations/{key}",
        "/api/v1/people",
        "/api/v1/people/{key}",
        "/api/v1/partnerships",
        "/api/v1/partnerships/{id}",
        "/api/v1/cooperation-agreements",
        "/api/v1/cooperation-agreements/{id}",
        "/api/v1/stats",
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
        "/api/v1/audit",
        "/api/v1/admin/outbox",
        "/api/v1/reference/countries",
        "/api/v1/reference/languages",
        "/api/v1/reference/practice-areas",
        "/api/v1/jurisdiction/awards",
        "/api/v1/jurisdiction/judgments",
        "/api/v1/jurisdiction/documents",
        "/api/v1/jurisdiction/countries",
        "/api/v1/jurisdiction/countries/{cc}",
        "/api/v1/guides",
        "/api/v1/guides/{cc}/{lang}",
        "/api/v1/guides/{cc}/{lang}/revisions",
        "/api/v1/cases",
        "/api/v1/cases/{slug}",
        "/api/v1/search",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from the OpenAPI document"
        );
    }
    // Every route the server answers under /api/v1 is in the document: a route missing from it
    // would answer here but not be listed.
    for path in &paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
    }
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(SNAPSHOT, &served).unwrap();
    }
    let snapshot =
        std::fs::read_to_string(SNAPSHOT).expect("snapshot exists (UPDATE_SNAPSHOTS=1 to create)");
    assert!(
        snapshot == served,
        "OpenAPI document changed; review and run with UPDATE_SNAPSHOTS=1"
    );
    let docs = app
        .client()
        .get(app.url("/api/docs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let listed = select_texts(&docs, "#operations tbody tr").len();
    let operations: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|p| p.as_object().unwrap().len())
        .sum();
    assert_eq!(listed, operations, "the docs page lists every operation");
    assert!(
        !docs.contains("https://"),
        "the docs page loads nothing from elsewhere"
    );
}

/// Every operation of the served document, with its method and path.
fn operations(doc: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op.clone()));
        }
    }
    out
}

/// The document says what the server really answers (issue 13): every schema it refers to
/// exists, the errors the shared layers give are listed, paging limits are in the schema,
/// and the case list's items fit their schema.
#[tokio::test]
async fn the_openapi_document_agrees_with_the_server() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let c = app.client();
    let doc: serde_json::Value = c
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let text = doc.to_string();
    for (at, _) in text.match_indices("#/components/schemas/") {
        let name: String = text[at + "#/components/schemas/".len()..]
            .chars()
            .take_while(|c| *c != '"')
            .collect();
        assert!(
            schemas.contains_key(&name),
            "{name} is referenced but missing"
        );
    }

    for (method, path, op) in operations(&doc) {
        let codes: Vec<&str> = op["responses"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let has_body = op.get("requestBody").is_some();
        let mut needed = Vec::new();
        if has_body || !params.is_empty() {
            needed.extend(["400", "422"]);
        }
        if has_body {
            needed.extend(["413", "415"]);
        }
        if method != "GET" || op.get("security").is_some() {
            needed.extend(["401", "403"]);
        }
        if params.iter().any(|p| p["in"] == "path") {
            needed.push("404");
        }
        for code in needed {
            assert!(
                codes.contains(&code),
                "{method} {path} does not document {code}"
            );
        }
        for p in &params {
            if ["page", "per_page", "limit"].contains(&p["name"].as_str().unwrap()) {
                let schema = &p["schema"];
                assert!(
                    schema["minimum"].as_i64() >= Some(1) && schema["maximum"].is_number(),
                    "{method} {path}: {} has no limits: {schema}",
                    p["name"]
                );
            }
        }
    }

    // The stored case extends the case; the case must not forbid what the extension adds.
    let cases: Vec<serde_json::Value> = c
        .get(app.url("/api/v1/cases"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!cases.is_empty(), "the shipped cases are served");
    let stored = &schemas["StoredCase"];
    let mut allowed = std::collections::BTreeSet::new();
    for part in stored["allOf"].as_array().expect("StoredCase is an allOf") {
        let part = match part["$ref"].as_str() {
            Some(r) => &schemas[r.rsplit('/').next().unwrap()],
            None => part,
        };
        assert_ne!(
            part["additionalProperties"],
            serde_json::json!(false),
            "a part of StoredCase forbids the other parts' fields"
        );
        allowed.extend(part["properties"].as_object().unwrap().keys().cloned());
    }
    for key in cases[0].as_object().unwrap().keys() {
        assert!(
            allowed.contains(key),
            "GET /cases returns {key}, not in StoredCase"
        );
    }
}
