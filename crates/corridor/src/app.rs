//! Application state, the router, and `serve(listener, shutdown)`.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

use crate::config::Settings;
use crate::db::Store;
use crate::reference::Reference;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub reference: &'static Reference,
    pub read_cache: Arc<crate::web::read_cache::ReadCache>,
    /// The tamper-evident log, when this node runs it.
    pub ledger: Option<Arc<crate::anchoring::service::Ledger>>,
    /// The search index, when this node runs it.
    pub search: Option<Arc<crate::search::SearchService>>,
    /// Lays out PDFs; `None` when no font with Chinese glyphs is installed (PDF routes then
    /// answer 503 with `AppError::Unavailable`).
    pub pdf: Option<Arc<crate::pdf::Renderer>>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Self {
        let read_cache = Arc::new(crate::web::read_cache::ReadCache::new(
            Duration::from_secs(settings.read_cache_secs),
            64 * 1024 * 1024,
        ));
        Self {
            store,
            settings: Arc::new(settings),
            reference: Reference::get(),
            read_cache,
            ledger: None,
            search: None,
            pdf: None,
        }
    }

    /// The state with the ledger and the search index opened as the settings say, after
    /// importing the shipped knowledge base (guides and cases) into the database.
    pub async fn open(store: Store, settings: Settings) -> anyhow::Result<Self> {
        let ledger = if settings.ledger_enabled {
            Some(crate::anchoring::service::open(&settings).await?)
        } else {
            None
        };
        let report = crate::knowledge::import_shipped(&store).await?;
        tracing::debug!(?report, "knowledge base imported");
        let search = if settings.search_enabled {
            let service =
                crate::search::SearchService::open(store.clone(), &settings.search_dir()).await?;
            service.spawn_follower(Duration::from_secs(settings.search_sweep_secs.max(1)));
            Some(service)
        } else {
            None
        };
        let fonts_dir =
            (!settings.fonts_dir.is_empty()).then(|| PathBuf::from(&settings.fonts_dir));
        let pdf = match crate::pdf::Renderer::shared(fonts_dir.as_deref()) {
            Ok(renderer) => Some(renderer),
            Err(error) => {
                tracing::warn!(%error, "PDF documents are unavailable");
                None
            }
        };
        Ok(Self {
            ledger,
            search,
            pdf,
            ..Self::new(store, settings)
        })
    }
}

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
}

pub fn router(state: AppState) -> Router {
    let (api, openapi) = api_router().split_for_parts();
    let openapi = Arc::new(openapi);
    let request_id = HeaderName::from_static("x-request-id");
    let settings = state.settings.clone();
    Router::new()
        .merge(api)
        .merge(crate::openapi::router(openapi))
        .merge(crate::web::router())
        .merge(crate::auth::pages::router())
        .merge(crate::directory::pages::router())
        .merge(crate::anchoring::pages::router())
        .merge(crate::jurisdiction::pages::router())
        .merge(crate::knowledge::pages::router())
        .merge(crate::search::pages::router())
        .merge(crate::ops::router())
        // A route layer sees the matched route template, which keeps metric labels bounded.
        .route_layer(axum::middleware::from_fn(crate::ops::track_metrics))
        .fallback(crate::web::errors::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::middleware::authenticate,
        ))
        .layer(RequestBodyLimitLayer::new(settings.body_limit_bytes))
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

/// Serves until `shutdown` resolves, then lets in-flight requests finish. Takes a bound
/// listener so tests can bind port 0 and know the address before the server starts.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}
