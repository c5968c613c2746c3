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
