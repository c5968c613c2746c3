//! Extensions of a case's time limits: the secretariat grants more days on a limit, or a new
//! due date, naming the event that starts it and the rule's article; the deadline engine checks
//! the grant and applies it every time the case is read (the limit then shows its original due
//! date and the extension). Each grant is audited.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::actions::{self, CaseView, loaded};
use super::filing::EVENTS;
use super::store::CaseRow;
use crate::arbitration::deadlines::{self, DeadlineAsk};
use crate::auth::Actor;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::{MatterId, new_id, now};
use crate::state::AppState;
use crate::{AppError, Result};

/// A grant as recorded.
#[derive(Clone, Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Extension {
    pub event: String,
    pub article: String,
    /// `15` (days more on the period) or `2026-12-31` (a new due date).
    pub grant_text: String,
    pub note: String,
    pub granted_at: DateTime<Utc>,
}

/// A grant to make.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExtension {
    /// The event that starts the limit (one the case has recorded).
    pub event: String,
    /// The limit's article, as the case's deadlines list it.
    pub article: String,
    /// Days more on the period (`15`), or a new due date (`2026-12-31`).
    pub extension: String,
    /// Who granted it and why.
    pub note: String,
}

impl Store {
    pub async fn case_extensions(&self, matter_id: &str) -> Result<Vec<Extension>> {
        let sql = "SELECT event, article, grant_text, note, granted_at FROM arbitration_case_extensions \
                   WHERE matter_id = $1 ORDER BY granted_at, id";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, Extension>(sql)
            .bind(matter_id)
            .fetch_all(pool)
            .await?))
    }

    async fn insert_extension(&self, who: &Who, case: &CaseRow, e: &NewExtension) -> Result<()> {
        let by = who.user_id.clone().unwrap_or_default();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO arbitration_case_extensions (id, matter_id, event, article, grant_text, \
                 note, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(new_id())
            .bind(&case.matter_id)
            .bind(e.event.trim())
            .bind(e.article.trim())
            .bind(e.extension.trim())
            .bind(e.note.trim())
            .bind(&by)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "case.extension", "matter", &case.matter_id)
                    .in_org(Some(&case.institution_id))
                    .detail(format!(
                        "{} {} +{}",
                        e.event.trim(),
                        e.article.trim(),
                        e.extension.trim()
                    ))
            );
        });
        Ok(())
    }
}

/// The grants of `event`'s limits, as the deadline engine reads them (`ARTICLE=GRANT`); a
/// later grant of the same article replaces an earlier one.
pub fn for_event(all: &[Extension], event: &str) -> Vec<String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for e in all.iter().filter(|e| e.event == event) {
        out.retain(|(a, _)| *a != e.article);
        out.push((e.article.clone(), e.grant_text.clone()));
    }
    out.into_iter().map(|(a, g)| format!("{a}={g}")).collect()
}

/// Grants an extension (the secretariat), checked by counting the limit with it.
pub async fn grant(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &NewExtension,
) -> Result<CaseView> {
    let (m, case) = loaded(state, actor, id).await?;
    if !m.standing.staff {
        return Err(AppError::Forbidden);
    }
    let event = input.event.trim();
    if !EVENTS.contains(&event) {
        return Err(AppError::InvalidValues {
            field: "event".into(),
            reason: "unknown_value",
            values: vec![event.to_owned()],
        });
    }
    crate::directory::validate::text("note", &input.note, true, 2000)?;
    let recorded = state.store.case_events(&case.matter_id).await?;
    let Some(e) = recorded.iter().find(|e| e.event == event) else {
        return Err(AppError::Conflict("event_not_recorded"));
    };
    let mut grants = for_event(&state.store.case_extensions(&case.matter_id).await?, event);
    grants.retain(|g| !g.starts_with(&format!("{}=", input.article.trim())));
    grants.push(format!(
        "{}={}",
        input.article.trim(),
        input.extension.trim()
    ));
    deadlines::compute(&DeadlineAsk {
        rules: case.rules.clone(),
        event: event.to_owned(),
        date: e.happened_on.clone(),
        place: e.place.clone().or_else(|| Some(case.seat.clone())),
        procedure: None,
        extensions: grants,
    })?;
    state
        .store
        .insert_extension(&Who::from(actor), &case, input)
        .await?;
    actions::view(state, actor, id).await
}
