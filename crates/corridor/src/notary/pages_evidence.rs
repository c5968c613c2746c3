//! Evidence files as pages: the files I work on with the form to open one
//! (`/notary/evidence`), and a file with its items, chains of custody, captures and bundles and
//! the forms to add to them (`/notary/evidence/{id}`). Documents, participants (a partner in
//! Hong Kong) and messages are on the matter's page. The rules are [`super::evidence`]'.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::custody::{EVENTS, ITEM_KINDS};
use super::evidence::{
    self, CaptureInput, EvidenceView, NewCustodyEvent, NewEvidenceFile, NewItemInput,
};
use crate::Result;
use crate::auth::CurrentUser;
use crate::ids::MatterId;
use crate::matters::model::{Matter, MatterQuery};
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::form::{all, one};
use crate::web::{PageCtx, render};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/notary/evidence", get(list).post(open))
        .route("/notary/evidence/{id}", get(show))
        .route("/notary/evidence/{id}/items", post(add_item))
        .route(
            "/notary/evidence/{id}/items/{item}/custody",
            post(add_custody),
        )
        .route("/notary/evidence/{id}/captures", post(capture))
        .route("/notary/evidence/{id}/bundle", post(bundle))
}

#[derive(Template)]
#[template(path = "notary/evidence_files.html")]
struct ListPage {
    ctx: PageCtx,
    files: Vec<Matter>,
    /// The reader is a notary or administrator of a notary office.
    may_open: bool,
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
) -> Result<Response> {
    let q = MatterQuery {
        kind: Some("evidence".into()),
        status: None,
        role: None,
        page: None,
        per_page: Some(100),
    };
    let files = crate::matters::actions::my_matters(&state, &actor, &q)
        .await?
        .items;
    let may_open = actor.memberships.iter().any(|m| {
        m.organization_kind == "notary_office"
            && matches!(
                m.role,
                crate::auth::OrgRole::Notary | crate::auth::OrgRole::OrgAdmin
            )
    });
    Ok(render(ListPage {
        ctx,
        files,
        may_open,
    })?
    .into_response())
}

async fn open(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let office = one(&pairs, "office");
    let input = NewEvidenceFile {
        office: (!office.trim().is_empty()).then_some(office),
        title: one(&pairs, "title"),
    };
    let v = evidence::open(&state, &actor, &input).await?;
    Ok(Redirect::to(&format!("/notary/evidence/{}", v.matter.id)))
}

#[derive(Template)]
#[template(path = "notary/evidence_file.html")]
struct ShowPage {
    ctx: PageCtx,
    v: EvidenceView,
    retention: super::keep::RetentionPanel,
}

impl ShowPage {
    fn office_side(&self) -> bool {
        self.v.matter.staff
            || matches!(
                self.v.matter.my_role.as_deref(),
                Some("notary" | "assistant")
            )
    }

    fn handler(&self) -> bool {
        self.office_side() || self.v.matter.my_role.as_deref() == Some("hk_partner")
    }

    fn kinds(&self) -> Vec<(&'static str, String)> {
        ITEM_KINDS
            .iter()
            .map(|k| (*k, self.ctx.t(&format!("notary.evidence.kind.{k}"))))
            .collect()
    }

    /// The events that can follow a chain (the first is recorded with the item).
    fn events(&self) -> Vec<(&'static str, String)> {
        EVENTS
            .iter()
            .filter(|e| !matches!(**e, "collected" | "captured"))
            .map(|e| (*e, self.event_words(e)))
            .collect()
    }

    fn event_words(&self, event: &str) -> String {
        self.ctx.t(&format!("notary.evidence.event.{event}"))
    }

    /// Documents of the file not yet attached to an item, for the item form.
    fn loose_documents(&self) -> Vec<(String, String)> {
        let attached: Vec<&str> = self
            .v
            .items
            .iter()
            .flat_map(|i| i.documents.iter().map(|d| d.id.as_str()))
            .collect();
        self.v
            .documents
            .iter()
            .filter(|d| d.role != "bundle" && !attached.contains(&d.id.as_str()))
            .map(|d| (d.id.clone(), d.name.clone()))
            .collect()
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = MatterId::from_path(&id)?;
    let v = evidence::view(&state, &actor, &id).await?;
    let retention = super::keep::panel(&state, &actor, &id).await?;
    Ok(render(ShowPage { ctx, v, retention })?.into_response())
}

fn back(id: &MatterId) -> Redirect {
    Redirect::to(&format!("/notary/evidence/{}", id.as_str()))
}

async fn add_item(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = NewItemInput {
        label: one(&pairs, "label"),
        kind: one(&pairs, "kind"),
        description: one(&pairs, "description"),
        documents: all(&pairs, "documents"),
        holder: one(&pairs, "holder"),
        place: one(&pairs, "place"),
        happened_at: one(&pairs, "happened_at"),
    };
    evidence::add_item(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

async fn add_custody(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, item)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = NewCustodyEvent {
        event: one(&pairs, "event"),
        holder: one(&pairs, "holder"),
        happened_at: one(&pairs, "happened_at"),
        place: one(&pairs, "place"),
        seal_number: one(&pairs, "seal_number"),
        courier_id: one(&pairs, "courier_id"),
        note: one(&pairs, "note"),
    };
    evidence::add_custody(&state, &actor, &id, &item, &input).await?;
    Ok(back(&id))
}

async fn capture(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    let input = CaptureInput {
        url: one(&pairs, "url"),
        label: one(&pairs, "label"),
    };
    evidence::capture(&state, &actor, &id, &input).await?;
    Ok(back(&id))
}

async fn bundle(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Redirect> {
    let id = MatterId::from_path(&id)?;
    super::evidence_bundle::bundle(&state, &actor, &id).await?;
    Ok(back(&id))
}
