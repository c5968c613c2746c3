//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` annotations, and
//! an API reference page rendered from it on the server, so it works offline.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder};
use utoipa::{PartialSchema, ToSchema};

use crate::app::AppState;
use crate::web::PageCtx;

/// Every error: a stable snake_case code and a message in the reader's language.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

pub fn base() -> OpenApi {
    let mut components = ComponentsBuilder::new()
        .security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        )
        .schema("ErrorBody", ErrorBody::schema())
        .build();
    components
        .schemas
        .entry("ErrorBody".into())
        .or_insert_with(ErrorBody::schema);
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Corridor API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Foreign-related legal services: the directory of law firms, arbitration institutions, \
                     notary offices and people; accounts and audit. Errors are `{code, message}`.",
                ))
                .build(),
        )
        .components(Some(components))
        .build()
}

/// The document as the server publishes it.
pub fn document() -> OpenApi {
    crate::app::api_router().split_for_parts().1
}

pub fn router(openapi: Arc<OpenApi>) -> Router<AppState> {
    let json = openapi.to_pretty_json().unwrap_or_else(|_| "{}".into());
    let json = Arc::new(json);
    let doc = openapi.clone();
    Router::new()
        .route(
            "/api/openapi.json",
            get(move || {
                let json = json.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        (*json).clone(),
                    )
                }
            }),
        )
        .route(
            "/api/docs",
            get(move |ctx: PageCtx| {
                let doc = doc.clone();
                async move { docs_page(ctx, &doc) }
            }),
        )
}

pub struct Operation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub tag: String,
    pub needs_auth: bool,
    pub params: Vec<(String, String, bool)>,
    pub statuses: Vec<String>,
}

#[derive(Template)]
#[template(path = "api/docs.html")]
struct DocsPage {
    ctx: PageCtx,
    operations: Vec<Operation>,
}

fn docs_page(ctx: PageCtx, doc: &OpenApi) -> Response {
    let mut operations = Vec::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, op) in methods {
            let Some(op) = op else { continue };
            operations.push(Operation {
                method: method.to_string(),
                path: path.clone(),
                summary: op
                    .summary
                    .clone()
                    .or_else(|| op.description.clone())
                    .unwrap_or_default(),
                tag: op
                    .tags
                    .as_ref()
                    .and_then(|t| t.first().cloned())
                    .unwrap_or_default(),
                needs_auth: op.security.as_ref().is_some_and(|s| !s.is_empty()),
                params: op
                    .parameters
                    .iter()
                    .flatten()
                    .filter_map(|p| match p {
                        utoipa::openapi::RefOr::T(p) => Some(p),
                        utoipa::openapi::RefOr::Ref(_) => None,
                    })
                    .map(|p| {
                        (
                            p.name.clone(),
                            p.description.clone().unwrap_or_default(),
                            matches!(p.required, utoipa::openapi::Required::True),
                        )
                    })
                    .collect(),
                statuses: op.responses.responses.keys().cloned().collect(),
            });
        }
    }
    operations.sort_by(|a, b| (&a.tag, &a.path, &a.method).cmp(&(&b.tag, &b.path, &b.method)));
    match (DocsPage { ctx, operations }).render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => crate::AppError::Internal(err.into()).into_response(),
    }
}
