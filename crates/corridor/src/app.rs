//! The router, assembled from every domain's routes, and `serve(listener, shutdown)`. The
//! state the handlers share is in [`crate::state`].

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

pub use crate::state::AppState;

/// The JSON API: every domain's routes, collected with their OpenAPI descriptions.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(crate::openapi::base())
        .merge(crate::auth::api::router())
        .merge(crate::directory::api::router())
        .merge(crate::reference::api::router())
        .merge(crate::anchoring::api::router())
        .merge(crate::jurisdiction::api::router())
        .merge(crate::knowledge::api::router())
        .merge(crate::search::api::router())
        .merge(crate::matters::api::router())
        .merge(crate::mail::api::router())
        .merge(crate::notary::api::router())
        .merge(crate::notary::api_applications::router())
        .merge(crate::notary::api_evidence::router())
        .merge(crate::notary::api_retention::router())
        .merge(crate::advisory::api::router())
        .merge(crate::arbitration::api::router())
}

/// Every module that serves pages (and the operations endpoints), listed once. The routes
/// the server serves, pages included, are listed by [`served_routes`].
const PAGES: [fn() -> Router<AppState>; 24] = [
    crate::web::router,
    crate::auth::pages::router,
    crate::directory::pages::router,
    crate::anchoring::pages::router,
    crate::jurisdiction::pages::router,
    crate::knowledge::pages::router,
    crate::search::pages::router,
    crate::matters::pages::router,
    crate::matters::pages_inbox::router,
    crate::mail::pages::router,
    crate::notary::pages::router,
    crate::notary::pages_applications::router,
    crate::notary::pages_evidence::router,
    crate::notary::pages_retention::router,
    crate::advisory::pages::router,
    crate::advisory::pages_projects::router,
    crate::advisory::pages_referrals::router,
    crate::advisory::pages_dashboard::router,
    crate::advisory::pages_library::router,
    crate::advisory::pages_profile::router,
    crate::arbitration::pages::router,
    crate::arbitration::cases::pages::router,
    crate::arbitration::roster::pages::router,
    crate::ops::router,
];

/// Every route the server answers, before its layers and its state: what [`router`] serves
/// and [`served_routes`] lists.
fn routes() -> Router<AppState> {
    let (api, openapi) = api_router().split_for_parts();
    let openapi = crate::openapi::finish(openapi);
    let openapi = Arc::new(openapi);
    Router::new()
        .merge(api)
        .merge(crate::openapi::router(openapi))
        .merge(
            PAGES
                .iter()
                .fold(Router::new(), |pages, router| pages.merge(router())),
        )
}

pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let settings = state.settings.clone();
    routes()
        // A route layer sees the matched route template, which keeps metric labels bounded.
        .route_layer(axum::middleware::from_fn(crate::ops::track_metrics))
        .fallback(crate::web::errors::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::middleware::authenticate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            crate::web::body_limit::Limits {
                body: settings.body_limit_bytes as u64,
                // Multipart framing around the file: a few KiB of headers and fields.
                upload: settings.upload_limit_bytes() + 64 * 1024,
            },
            crate::web::body_limit::limit,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.request_timeout_secs),
        ))
        .layer(axum::middleware::from_fn(crate::web::errors::render))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    request_id = %id,
                )
            }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Every `(method, path)` the server routes, as its router holds them, sorted. The OpenAPI
/// test compares the `/api/` part with the document, so a route added outside `routes!` (and
/// so undocumented) fails there. axum offers no listing of a router's routes, so this reads
/// the router's `Debug` form; a change of that form makes this list empty or wrong, and that
/// test says so.
pub fn served_routes() -> Vec<(String, String)> {
    routes_in_debug(&format!("{:?}", routes()))
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish. Takes a bound
/// listener so tests can bind port 0 and know the address before the server starts.
///
/// The accept loop is ours rather than `axum::serve`'s because that one cannot bound the time
/// a client takes to send its headers: a connection that sent half a request line, or
/// nothing, stayed open indefinitely. hyper's header-read timeout (it needs a timer) also
/// runs while a kept-alive connection waits for its next request, so it is the idle timeout
/// too; `request_timeout_secs` takes over once the headers are in.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};

    let header_timeout = Duration::from_secs(state.settings.header_read_timeout_secs.max(1));
    let housekeeping = crate::housekeeping::spawn(state.clone());
    let app = router(state);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        // Finished connections are reaped here so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
        let app = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: axum::extract::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                tower::ServiceExt::oneshot(app.clone(), request)
            },
        );
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                // A notarization session's signalling socket takes the connection over.
                .with_upgrades();
            tokio::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stopping.changed() => {
                    // Finish the request in flight, then close; an idle connection closes now.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(err) = result {
                tracing::debug!(error = %err, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    housekeeping.abort();
    let _ = stop.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// The methods a route can answer, as axum's `MethodRouter` names its fields.
const METHODS: [&str; 9] = [
    "GET", "HEAD", "DELETE", "OPTIONS", "PATCH", "POST", "PUT", "TRACE", "CONNECT",
];

/// Reads `(method, path)` pairs from the `Debug` form of an axum 0.8 router: `routes: {RouteId(3):
/// MethodRouter(MethodRouter { get: BoxedHandler, head: None, .. }), ..}` then `node: Node {
/// paths: {RouteId(3): "/api/v1/me", ..} }`. A whole service mounted at a path answers every
/// method (`*`). What follows `fallback_router:` answers unrouted requests and is no route.
fn routes_in_debug(debug: &str) -> Vec<(String, String)> {
    let routed = debug.split("fallback_router:").next().unwrap_or_default();
    let (endpoints, node) = routed.split_once("node: Node").unwrap_or((routed, ""));
    let paths: std::collections::HashMap<&str, &str> = node
        .split("RouteId(")
        .skip(1)
        .filter_map(|entry| {
            let (id, rest) = entry.split_once("): \"")?;
            Some((id, rest.split_once('"')?.0))
        })
        .collect();
    let mut routes = Vec::new();
    for entry in endpoints.split("RouteId(").skip(1) {
        let Some((id, endpoint)) = entry.split_once("): ") else {
            continue;
        };
        let Some(path) = paths.get(id) else { continue };
        if endpoint.starts_with("Route(") {
            routes.push(("*".to_string(), path.to_string()));
            continue;
        }
        for method in METHODS {
            let field = format!(" {}: ", method.to_ascii_lowercase());
            let answered = endpoint
                .split_once(&field)
                .is_some_and(|(_, value)| !value.starts_with("None"));
            if answered {
                routes.push((method.to_string(), path.to_string()));
            }
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

#[cfg(test)]
mod tests {
    use axum::routing::{get, post};

    use super::*;

    async fn answer() {}

    #[test]
    fn a_routers_routes_are_read_with_their_methods() {
        let router: Router = Router::new()
            .route("/api/v1/things/{id}", get(answer).delete(answer))
            .route("/login", post(answer))
            .nest_service(
                "/files",
                tower::service_fn(|_: axum::extract::Request| async {
                    Ok::<_, std::convert::Infallible>(axum::response::Response::new(
                        axum::body::Body::empty(),
                    ))
                }),
            )
            .fallback(answer);

        let routes = routes_in_debug(&format!("{router:?}"));

        let routes: Vec<(&str, &str)> = routes
            .iter()
            .map(|(m, p)| (m.as_str(), p.as_str()))
            .collect();
        assert!(
            routes.contains(&("GET", "/api/v1/things/{id}")),
            "{routes:?}"
        );
        assert!(
            routes.contains(&("DELETE", "/api/v1/things/{id}")),
            "{routes:?}"
        );
        assert!(routes.contains(&("POST", "/login")), "{routes:?}");
        assert!(!routes.contains(&("GET", "/login")), "{routes:?}");
        assert!(
            routes
                .iter()
                .any(|(m, p)| *m == "*" && p.starts_with("/files")),
            "{routes:?}"
        );
        assert!(
            !routes.iter().any(|(_, p)| p.contains("fallback")),
            "{routes:?}"
        );
    }

    #[test]
    fn the_server_routes_its_api_and_its_pages() {
        let routes = served_routes();

        assert!(
            routes.contains(&("GET".into(), "/api/v1/me".into())),
            "{routes:?}"
        );
        assert!(
            routes.contains(&("POST".into(), "/login".into())),
            "{routes:?}"
        );
        assert!(
            routes.contains(&("GET".into(), "/api/openapi.json".into())),
            "{routes:?}"
        );
    }
}
