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
