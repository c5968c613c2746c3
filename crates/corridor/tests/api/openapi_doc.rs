//! The OpenAPI document is generated from the handlers. These tests check that it lists
//! exactly the routes the server answers under `/api/`, that it says what the server really
//! answers, and pin it by an `insta` snapshot (`tests/snapshots/openapi.snap`), so a change of
//! the API shows up in review as a diff. After a deliberate change:
//! `INSTA_UPDATE=always cargo test -p corridor --test api -- openapi`, then read `git diff`.

use std::collections::BTreeSet;

use crate::helpers::*;

/// The `/api/` routes that serve the document itself rather than the API it describes.
const ABOUT_THE_API: [(&str, &str); 2] = [("GET", "/api/openapi.json"), ("GET", "/api/docs")];

/// The methods an OpenAPI path item can hold an operation under.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What the router and the document disagree on: an operation served under `/api/` that the
/// document leaves out, or one the document lists that nothing serves.
fn disagreements(served: &[(String, String)], doc: &serde_json::Value) -> Vec<String> {
    let served: BTreeSet<(String, String)> = served
        .iter()
        .filter(|(method, path)| {
            path.starts_with("/api/") && !ABOUT_THE_API.contains(&(method.as_str(), path.as_str()))
        })
        .cloned()
        .collect();
    let documented: BTreeSet<(String, String)> = operations(doc)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    let mut found = Vec::new();
    for (method, path) in served.difference(&documented) {
        found.push(format!("{method} {path} is served but not in the document"));
    }
    for (method, path) in documented.difference(&served) {
        found.push(format!("{method} {path} is in the document but not served"));
    }
    found
}

async fn served_document(app: &TestApp) -> String {
    app.client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route_the_server_answers_and_no_other() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let doc: serde_json::Value = serde_json::from_str(&served_document(&app).await).unwrap();
    let served = corridor::app::served_routes();
    assert!(
        served.contains(&("GET".into(), "/api/v1/me".into())),
        "the router's routes could not be read (has axum's Debug form changed?): {served:?}"
    );

    let found = disagreements(&served, &doc);

    assert!(found.is_empty(), "{}", found.join("\n"));
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
}

/// The comparison above can fail: the served document with one operation taken out, and with
/// a path no route serves, is caught both ways.
#[tokio::test]
async fn a_route_missing_from_the_document_or_a_documented_path_not_served_is_caught() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let doc: serde_json::Value = serde_json::from_str(&served_document(&app).await).unwrap();
    let served = corridor::app::served_routes();

    let mut without_revoke = doc.clone();
    without_revoke["paths"]["/api/v1/tokens/{id}"]
        .as_object_mut()
        .unwrap()
        .remove("delete")
        .expect("DELETE /api/v1/tokens/{id} is documented");
    let mut with_ghost = doc.clone();
    with_ghost["paths"]["/api/v1/ghosts"] = serde_json::json!({"get": {"responses": {}}});

    assert_eq!(
        disagreements(&served, &without_revoke),
        ["DELETE /api/v1/tokens/{id} is served but not in the document"]
    );
    assert_eq!(
        disagreements(&served, &with_ghost),
        ["GET /api/v1/ghosts is in the document but not served"]
    );
}

#[tokio::test]
async fn the_openapi_document_matches_its_snapshot_and_the_docs_page_lists_it() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let served = served_document(&app).await;
    let doc: serde_json::Value = serde_json::from_str(&served).unwrap();

    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("openapi", served);
    });

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
    assert_eq!(
        listed,
        operations(&doc).len(),
        "the docs page lists every operation"
    );
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
            if METHODS.contains(&method.as_str()) {
                out.push((method.to_uppercase(), path.clone(), op.clone()));
            }
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
