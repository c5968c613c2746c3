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

use crate::state::AppState;
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
        // Query parameters refer to it; utoipa does not collect schemas of parameters.
        .schema("SortKey", crate::directory::model::SortKey::schema())
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

/// What every route's annotations would otherwise have to repeat, added to the collected
/// document in one place, so a new route is described as the server really answers:
/// - the errors the shared layers give: 400/422 for a query, path or body that cannot be read
///   or fails a check, 404 for an unknown id in the path, 413/415 for a body too large or not
///   JSON, 401/403 where a sign-in is needed or the request changes something;
/// - no `additionalProperties: false` on a schema that another one extends with `allOf` (a
///   stored case is a case plus `edited` and `updated_at`; with it, no valid answer matched).
pub fn finish(mut doc: OpenApi) -> OpenApi {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{Content, Ref, RefOr, Response};

    let error = |description: &str| {
        let mut response = Response::new(description);
        response.content.insert(
            "application/json".into(),
            RefOr::T(Content::new(Some(Ref::from_schema_name("ErrorBody")))),
        );
        RefOr::T(response)
    };
    for item in doc.paths.paths.values_mut() {
        let shared_params = item.parameters.clone().unwrap_or_default();
        let operations = [
            (false, &mut item.get),
            (true, &mut item.put),
            (true, &mut item.post),
            (true, &mut item.delete),
            (true, &mut item.patch),
        ];
        for (changes, op) in operations {
            let Some(op) = op else { continue };
            let params: Vec<_> = shared_params
                .iter()
                .chain(op.parameters.iter().flatten())
                .filter_map(|p| match p {
                    RefOr::T(p) => Some(p.parameter_in.clone()),
                    RefOr::Ref(_) => None,
                })
                .collect();
            let has_body = op.request_body.is_some();
            let mut needed: Vec<(&str, &str)> = Vec::new();
            if has_body || !params.is_empty() {
                needed.push(("400", "The request could not be read"));
                needed.push(("422", "A value failed a check"));
            }
            if params.iter().any(|p| matches!(p, ParameterIn::Path)) {
                needed.push(("404", "No such record"));
            }
            if has_body {
                needed.push(("413", "The body is too large"));
                needed.push(("415", "The body is not JSON"));
            }
            if changes || op.security.is_some() {
                needed.push(("401", "Sign-in or a valid API token is needed"));
                needed.push(("403", "The actor may not do this"));
            }
            for (status, description) in needed {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| error(description));
            }
        }
    }
    if let Some(components) = doc.components.as_mut() {
        let extended: Vec<String> = components
            .schemas
            .values()
            .filter_map(|schema| match schema {
                RefOr::T(utoipa::openapi::schema::Schema::AllOf(all)) => Some(&all.items),
                _ => None,
            })
            .flatten()
            .filter_map(|item| match item {
                RefOr::Ref(r) => r.ref_location.rsplit('/').next().map(str::to_string),
                RefOr::T(_) => None,
            })
            .collect();
        for name in extended {
            if let Some(RefOr::T(utoipa::openapi::schema::Schema::Object(object))) =
                components.schemas.get_mut(&name)
            {
                object.additional_properties = None;
            }
        }
    }
    doc
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
