//! The obligations library as pages: every entry with its sources and verification (public),
//! one entry whole with its revisions, the form that proposes a revision or a new entry, the
//! revisions waiting for the bureau, a revision with what it changes (publish or reject), and
//! each publication with the plans it changed. The rules are [`super::library_revisions`]'.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde_json::Value;

use super::library_edit::{self, FieldChange};
use super::library_form::EntryForm;
use super::library_revisions::{
    self, EntryDetail, LibraryOverview, LibraryQuery, ProposeRevision, Publication, RejectRevision,
    Revision, RevisionQuery,
};
use crate::auth::CurrentUser;
use crate::ids::LibraryRevisionId;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::one;
use crate::web::{PageCtx, render};
use crate::{AppError, Result};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/library", get(overview))
        .route("/library/entries/{urn}", get(entry))
        .route("/library/entries/{urn}/edit", get(edit))
        .route("/library/new", get(new_entry))
        .route("/library/revisions", get(revisions).post(propose))
        .route("/library/revisions/{id}", get(revision))
        .route("/library/revisions/{id}/publish", post(publish))
        .route("/library/revisions/{id}/reject", post(reject))
        .route("/library/publications/{number}", get(publication))
}

/// Helpers every library page shares.
trait LibraryView {
    fn ctx(&self) -> &PageCtx;

    fn state_name(&self, state: &str) -> String {
        self.ctx().t(&format!("library.state.{state}"))
    }

    /// A field's name in the reader's language; a field the library does not know (an API
    /// client may add one) by its own name.
    fn field_name(&self, field: &str) -> String {
        let key = format!("library.field.{field}");
        let name = self.ctx().t(&key);
        if name.ends_with(&key) {
            field.to_owned()
        } else {
            name
        }
    }

    /// A value of an entry as a line of text (strings as they are, the rest as JSON).
    fn value_text(&self, v: &Value) -> String {
        match v {
            Value::Null => "—".into(),
            Value::String(s) => s.clone(),
            other => serde_json::to_string_pretty(other).unwrap_or_default(),
        }
    }

    fn can_propose(&self) -> bool {
        self.ctx()
            .actor
            .as_deref()
            .is_some_and(|a| library_edit::proposer(a).is_some())
    }

    fn can_publish(&self) -> bool {
        self.ctx()
            .actor
            .as_deref()
            .is_some_and(library_edit::can_publish)
    }
}

macro_rules! library_view {
    ($($page:ty),+) => {$(
        impl LibraryView for $page {
            fn ctx(&self) -> &PageCtx {
                &self.ctx
            }
        }
    )+};
}

#[derive(Template)]
#[template(path = "advisory/library.html")]
struct OverviewPage {
    ctx: PageCtx,
    o: LibraryOverview,
    jurisdiction: String,
    jurisdictions: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "advisory/library_entry.html")]
struct EntryPage {
    ctx: PageCtx,
    d: EntryDetail,
}

impl EntryPage {
    fn basis(&self) -> Vec<String> {
        self.d.entry["legal_basis"]
            .as_array()
            .map(|b| {
                b.iter()
                    .map(|l| {
                        ["instrument", "number", "article"]
                            .iter()
                            .filter_map(|k| l[*k].as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn text(&self, field: &str) -> String {
        self.value_text(&self.d.entry[field])
    }

    fn yes_no(&self, field: &str) -> String {
        self.ctx.t(if self.d.entry[field].as_bool() == Some(true) {
            "library.answer_yes"
        } else {
            "library.answer_no"
        })
    }
}

#[derive(Template)]
#[template(path = "advisory/library_edit.html")]
struct EditPage {
    ctx: PageCtx,
    form: EntryForm,
    /// Revising an entry of the library (its URN is fixed), or proposing a new one.
    revising: bool,
    jurisdictions: Vec<String>,
    areas: Vec<String>,
    statuses: Vec<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "advisory/library_revisions.html")]
struct RevisionsPage {
    ctx: PageCtx,
    revisions: Vec<Revision>,
}

#[derive(Template)]
#[template(path = "advisory/library_revision.html")]
struct RevisionPage {
    ctx: PageCtx,
    r: Revision,
    can_reject: bool,
}

impl RevisionPage {
    fn title(&self) -> String {
        let e = &self.r.entry;
        self.ctx
            .pick(
                e["title_zh"].as_str().unwrap_or_default(),
                e["title_en"].as_str().unwrap_or_default(),
            )
            .to_owned()
    }
}

#[derive(Template)]
#[template(path = "advisory/library_publication.html")]
struct PublicationPage {
    ctx: PageCtx,
    p: Publication,
}

library_view!(
    OverviewPage,
    EntryPage,
    EditPage,
    RevisionsPage,
    RevisionPage,
    PublicationPage
);

/// Changes as the pages show them, shared by the revision and publication pages.
fn change_rows(page: &impl LibraryView, changes: &[FieldChange]) -> Vec<(String, String, String)> {
    changes
        .iter()
        .map(|c| {
            (
                page.field_name(&c.field),
                page.value_text(&c.before),
                page.value_text(&c.after),
            )
        })
        .collect()
}

impl RevisionPage {
    fn rows(&self) -> Vec<(String, String, String)> {
        change_rows(self, &self.r.changes)
    }
}

impl PublicationPage {
    fn rows(&self) -> Vec<(String, String, String)> {
        change_rows(self, &self.p.changes)
    }
}

async fn overview(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<LibraryQuery>,
) -> Result<Response> {
    let o = library_revisions::overview(&state.store, &q).await?;
    let jurisdictions = super::library::JURISDICTIONS
        .iter()
        .map(|c| (c.to_string(), ctx.country(c)))
        .collect();
    Ok(render(OverviewPage {
        jurisdiction: q.jurisdiction.unwrap_or_default().to_ascii_uppercase(),
        jurisdictions,
        o,
        ctx,
    })?
    .into_response())
}

async fn entry(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(urn): Path<String>,
) -> Result<Response> {
    let d = library_revisions::entry(&state.store, ctx.actor.as_deref(), &urn).await?;
    Ok(render(EntryPage { ctx, d })?.into_response())
}

async fn edit_page(
    state: &AppState,
    ctx: PageCtx,
    form: EntryForm,
    revising: bool,
    error: Option<String>,
) -> Result<EditPage> {
    if ctx
        .actor
        .as_deref()
        .is_none_or(|a| library_edit::proposer(a).is_none())
    {
        return Err(if ctx.actor.is_some() {
            AppError::Forbidden
        } else {
            AppError::Unauthenticated
        });
    }
    let lib = library_revisions::current(&state.store).await?;
    Ok(EditPage {
        form,
        revising,
        jurisdictions: super::library::JURISDICTIONS
            .iter()
            .map(|c| c.to_string())
            .collect(),
        areas: lib.areas.clone(),
        statuses: lib.statuses.clone(),
        error,
        ctx,
    })
}

async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(urn): Path<String>,
) -> Result<Response> {
    let lib = library_revisions::current(&state.store).await?;
    let o = lib.obligation(&urn).ok_or(AppError::NotFound)?;
    let form = EntryForm::of(&o.entry);
    Ok(render(edit_page(&state, ctx, form, true, None).await?)?.into_response())
}

async fn new_entry(State(state): State<AppState>, ctx: PageCtx) -> Result<Response> {
    Ok(render(edit_page(&state, ctx, EntryForm::blank(), false, None).await?)?.into_response())
}

async fn revisions(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<RevisionQuery>,
) -> Result<Response> {
    let revisions = library_revisions::list(&state.store, &actor, &q).await?;
    Ok(render(RevisionsPage { ctx, revisions })?.into_response())
}

/// The form's proposal; a mistake shows the form again with what was typed and why (422).
async fn propose(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let form = EntryForm::from_pairs(&pairs);
    let revising = one(&pairs, "revising") == "yes";
    let lib = library_revisions::current(&state.store).await?;
    let base = lib.obligation(&form.urn).map(|o| &o.entry);
    if revising && base.is_none() {
        return Err(AppError::NotFound);
    }
    let proposed = match form.entry(base, crate::jurisdiction::today()) {
        Ok(entry) => {
            library_revisions::propose(
                &state.store,
                &actor,
                &ProposeRevision {
                    entry,
                    note: form.note.clone(),
                },
            )
            .await
        }
        Err(e) => Err(e),
    };
    match proposed {
        Ok(r) => Ok(Redirect::to(&format!("/library/revisions/{}", r.id)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::InvalidValues { .. })) => {
            let message = e.info().message(ctx.lang());
            let page = edit_page(&state, ctx, form, revising, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn revision(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = LibraryRevisionId::from_path(&id)?;
    let r = library_revisions::get(&state.store, ctx.actor.as_deref(), &id).await?;
    let can_reject = r.state == "draft"
        && ctx
            .actor
            .as_deref()
            .is_some_and(|a| library_edit::can_reject(a, &r.author_id));
    Ok(render(RevisionPage { ctx, r, can_reject })?.into_response())
}

async fn publish(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Redirect> {
    let id = LibraryRevisionId::from_path(&id)?;
    let p = library_revisions::publish(&state.store, &actor, &id).await?;
    Ok(Redirect::to(&format!("/library/publications/{}", p.number)))
}

async fn reject(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = LibraryRevisionId::from_path(&id)?;
    let input = RejectRevision {
        note: one(&pairs, "note"),
    };
    let r = library_revisions::reject(&state.store, &actor, &id, &input).await?;
    Ok(Redirect::to(&format!("/library/revisions/{}", r.id)))
}

async fn publication(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(number): Path<String>,
) -> Result<Response> {
    let number: i64 = number.trim().parse().map_err(|_| AppError::NotFound)?;
    let p = library_revisions::publication_of(&state.store, number).await?;
    Ok(render(PublicationPage { ctx, p })?.into_response())
}
