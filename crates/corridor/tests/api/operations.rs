use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(health_readiness_metrics_and_request_ids);
/// Liveness, readiness against the database, metrics in Prometheus text, request ids.
async fn health_readiness_metrics_and_request_ids(app: TestApp) {
    let c = app.client();
    let r = c.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers().contains_key("x-request-id"),
        "every response carries a request id"
    );
    assert_eq!(
        c.get(app.url("/readyz")).send().await.unwrap().status(),
        200
    );
    c.get(app.url("/api/v1/organizations"))
        .send()
        .await
        .unwrap();
    let metrics = c
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("corridor_http_requests_total"),
        "{metrics}"
    );
    assert!(
        metrics.contains("route=\"/api/v1/organizations\""),
        "{metrics}"
    );
}

on_both_backends!(readiness_fails_when_the_database_is_closed);
/// A database that stops answering makes the node unready, not dead.
async fn readiness_fails_when_the_database_is_closed(app: TestApp) {
    app.store.close().await;
    let r = app.client().get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(
        app.client()
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

on_both_backends!(pages_carry_security_headers);
/// Security headers are on every page.
async fn pages_carry_security_headers(app: TestApp) {
    let r = app.client().get(app.url("/")).send().await.unwrap();
    let csp = r
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert_eq!(
        r.headers().get("x-content-type-options").unwrap(),
        "nosniff"
    );
}

on_both_backends!(housekeeping_forgets_old_idempotency_answers_and_staged_uploads);
/// A day-old idempotency answer and a temporary upload left by a dead request are swept; what
/// is fresh stays.
async fn housekeeping_forgets_old_idempotency_answers_and_staged_uploads(app: TestApp) {
    use corridor::directory::model::OrgKind;
    use corridor::housekeeping::{Swept, sweep};
    let firm = app.org("sweep-firm", OrgKind::LocalLawFirm, "CN").await;
    let owner = app
        .user(
            "owner@sweep.example",
            None,
            &[(&firm, corridor::auth::OrgRole::Lawyer)],
        )
        .await;
    let token = app.token_for(&owner).await;
    let matter: serde_json::Value = app
        .client()
        .post(app.url("/api/v1/matters"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"kind": "general", "title": "Swept"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let path = format!(
        "/api/v1/matters/{}/documents",
        matter["id"].as_str().unwrap()
    );
    let open = || {
        let form = reqwest::multipart::Form::new()
            .text("role", "evidence")
            .part(
                "file",
                reqwest::multipart::Part::bytes(b"filed once".to_vec()).file_name("once.pdf"),
            );
        app.client()
            .post(app.url(&path))
            .bearer_auth(&token)
            .header("Idempotency-Key", "file-once")
            .multipart(form)
            .send()
    };
    let first: serde_json::Value = open().await.unwrap().json().await.unwrap();
    let files = app.files.as_ref().expect("documents store");
    // Over one part (5 MiB), so the upload is streamed into a temporary object.
    let chunk: Result<bytes::Bytes, std::io::Error> = Ok(bytes::Bytes::from(vec![0u8; 6 << 20]));
    let _abandoned = files
        .stage(futures_util::stream::iter([chunk]))
        .await
        .unwrap();
    assert_eq!(files.staged_count().await, 1);

    let now = corridor::ids::now();
    let kept = sweep(&app.store, Some(files), now).await.unwrap();
    assert_eq!(kept, Swept::default(), "nothing fresh is swept");
    let replay = open().await.unwrap();
    assert_eq!(replay.headers()["idempotent-replayed"], "true");

    let swept = sweep(&app.store, Some(files), now + chrono::Duration::hours(25))
        .await
        .unwrap();
    assert_eq!(
        swept,
        Swept {
            idempotency_answers: 1,
            staged_uploads: 1
        }
    );
    assert_eq!(files.staged_count().await, 0);
    // The key is free again: the request runs anew instead of being answered from the store.
    let again = open().await.unwrap();
    assert_eq!(again.status(), 201);
    assert!(again.headers().get("idempotent-replayed").is_none());
    let second: serde_json::Value = again.json().await.unwrap();
    assert_eq!(second["sha256"], first["sha256"]);
}
