//! The obligations library over JSON: the library this deployment uses (public, as the plan
//! preview is), revisions proposed by bureau officers and law firms, their publication by the
//! bureau, and what each publication changed ([`super::library_revisions`] decides).

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::library_revisions::{
    self, EntryDetail, LibraryOverview, LibraryQuery, ProposeRevision, Publication, RejectRevision,
    Revision, RevisionQuery,
};
use crate::auth::{Auth, CurrentUser};
use crate::ids::LibraryRevisionId;
use crate::openapi::ErrorBody;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::{AppError, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(entry))
        .routes(routes!(list_revisions, propose))
        .routes(routes!(revision))
        .routes(routes!(publish))
        .routes(routes!(reject))
        .routes(routes!(publication))
}

/// The library this deployment uses: its version (the build file's, then `+local.N` after the
/// deployment's N-th publication), every entry, and the newest publications.
#[utoipa::path(get, path = "/api/v1/library", tag = "advisory", params(LibraryQuery),
    responses((status = 200, body = LibraryOverview), (status = 422, body = ErrorBody)))]
async fn overview(
    State(state): State<AppState>,
    Query(q): Query<LibraryQuery>,
) -> Result<Json<LibraryOverview>> {
    Ok(Json(library_revisions::overview(&state.store, &q).await?))
}

/// One entry, whole, in the file's format, with the revisions of it the reader may see.
#[utoipa::path(get, path = "/api/v1/library/entries/{urn}", tag = "advisory", params(("urn" = String, Path)),
    responses((status = 200, body = EntryDetail), (status = 404, body = ErrorBody)))]
async fn entry(
    State(state): State<AppState>,
    auth: Auth,
    Path(urn): Path<String>,
) -> Result<Json<EntryDetail>> {
    Ok(Json(
        library_revisions::entry(&state.store, auth.actor.as_deref(), &urn).await?,
    ))
}

/// Revisions I may see, newest first (the bureau: all; a firm's lawyers: their firm's and
/// the published ones).
#[utoipa::path(get, path = "/api/v1/library/revisions", tag = "advisory", params(RevisionQuery),
    security(("bearer" = [])),
    responses((status = 200, body = [Revision]), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_revisions(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<RevisionQuery>,
) -> Result<Json<Vec<Revision>>> {
    Ok(Json(
        library_revisions::list(&state.store, &actor, &q).await?,
    ))
}

/// Propose a revision of an entry, or a new entry (bureau officers; lawyers of law firms): the
/// whole entry in the file's format and why. It is checked at once against the library it
/// would join; an entry without a source is kept as a draft but cannot be published.
#[utoipa::path(post, path = "/api/v1/library/revisions", tag = "advisory", request_body = ProposeRevision,
    security(("bearer" = [])),
    responses((status = 201, body = Revision), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn propose(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(input): Json<ProposeRevision>,
) -> Result<(StatusCode, Json<Revision>)> {
    let r = library_revisions::propose(&state.store, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// One revision: the entry as proposed and what it changes.
#[utoipa::path(get, path = "/api/v1/library/revisions/{id}", tag = "advisory", params(("id" = String, Path)),
    responses((status = 200, body = Revision), (status = 404, body = ErrorBody)))]
async fn revision(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Revision>> {
    let id = LibraryRevisionId::from_path(&id)?;
    Ok(Json(
        library_revisions::get(&state.store, auth.actor.as_deref(), &id).await?,
    ))
}

/// Publish a draft (bureau officers): a new version of the library. Every stored plan is
/// checked against it before the answer, which says how many it changed. 409 when the entry
/// was revised since the draft was made; 422 when the entry has no source.
#[utoipa::path(post, path = "/api/v1/library/revisions/{id}/publish", tag = "advisory", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Publication), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn publish(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Publication>> {
    let id = LibraryRevisionId::from_path(&id)?;
    Ok(Json(
        library_revisions::publish(&state.store, &actor, &id).await?,
    ))
}

/// Reject a draft (bureau officers), or withdraw it (its author), with a note.
#[utoipa::path(post, path = "/api/v1/library/revisions/{id}/reject", tag = "advisory", params(("id" = String, Path)),
    request_body = RejectRevision, security(("bearer" = [])),
    responses((status = 200, body = Revision), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reject(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<RejectRevision>,
) -> Result<Json<Revision>> {
    let id = LibraryRevisionId::from_path(&id)?;
    Ok(Json(
        library_revisions::reject(&state.store, &actor, &id, &input).await?,
    ))
}

/// One publication: the version it made, what it changed in the entry, and how many stored
/// plans it changed.
#[utoipa::path(get, path = "/api/v1/library/publications/{number}", tag = "advisory", params(("number" = i64, Path)),
    responses((status = 200, body = Publication), (status = 404, body = ErrorBody)))]
async fn publication(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> Result<Json<Publication>> {
    let number: i64 = number.trim().parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(
        library_revisions::publication_of(&state.store, number).await?,
    ))
}
