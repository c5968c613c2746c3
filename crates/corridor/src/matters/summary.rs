//! The matter summary PDF: what the reader may see in a matter, on paper, in their language
//! and time zone. The same [`actions::detail`] the page uses decides what is in it.

use super::actions;
use super::when;
use crate::auth::Actor;
use crate::ids::MatterId;
use crate::pdf::summary as pdf;
use crate::state::AppState;
use crate::{AppError, Result};

/// Whether this node can render PDFs (a CJK font was found at start).
pub fn available(state: &AppState) -> bool {
    state.pdf.is_some()
}

/// The summary of matter `id` for `actor`, in `locale` (`zh-CN` or `en`).
pub async fn render(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    locale: &str,
) -> Result<Vec<u8>> {
    let renderer = state.pdf.clone().ok_or(AppError::Unavailable("pdf"))?;
    let d = actions::detail(state, actor, id).await?;
    let timeline = actions::timeline(state, actor, id, locale).await?;
    let zone = when::stored_zone(&state.store.preferences(&actor.user_id).await?.time_zone);
    let t = |key: String| rust_i18n::t!(key.as_str(), locale = locale).into_owned();
    let local = |at: chrono::DateTime<chrono::Utc>| when::in_zone_named(at, zone);
    let mut participants = Vec::new();
    for p in &d.participants {
        // A participant's first organization says where they come from; people without one
        // (an invited applicant) show none.
        let organization = match state.store.actor_for_user(&p.user_id).await? {
            Some(a) => a
                .memberships
                .first()
                .map(|m| {
                    if locale == "zh-CN" {
                        m.name_zh.clone()
                    } else {
                        m.name_en.clone()
                    }
                })
                .unwrap_or_default(),
            None => String::new(),
        };
        participants.push(pdf::Participant {
            name: p.name.clone(),
            organization,
            role: t(format!("matters.roles.{}", p.role)),
        });
    }
    let summary = pdf::MatterSummary {
        locale: locale.to_string(),
        generated_at: local(crate::ids::now()),
        reference: d.matter.reference.clone(),
        title: d.matter.title.clone(),
        kind: t(format!("matters.kind.{}", d.matter.kind.as_str())),
        status: t(format!("matters.status.{}", d.matter.status)),
        owner: if locale == "zh-CN" {
            d.matter.owner.name_zh.clone()
        } else {
            d.matter.owner.name_en.clone()
        },
        participants,
        documents: d
            .documents
            .iter()
            .map(|doc| pdf::Document {
                name: doc.name.clone(),
                version: doc.version.max(0) as u32,
                sha256: doc.sha256.clone(),
                size: doc.size.max(0) as u64,
                filed_at: local(doc.filed_at),
                filed_by: doc.filed_by_name.clone(),
            })
            .collect(),
        tasks: d
            .tasks
            .iter()
            .map(|task| pdf::Task {
                title: task.title.clone(),
                assignee: task
                    .assignee_name
                    .clone()
                    .or_else(|| {
                        task.assignee_role
                            .as_ref()
                            .map(|r| t(format!("matters.roles.{r}")))
                    })
                    .unwrap_or_default(),
                due: task.due_at.map(local).unwrap_or_default(),
                status: t(format!("matters.task_status.{}", task.status)),
            })
            .collect(),
        meetings: d
            .meetings
            .iter()
            .map(|m| pdf::Meeting {
                title: m.title.clone(),
                starts: when::in_zone(m.starts_at, when::stored_zone(&m.time_zone)),
                time_zone: m.time_zone.clone(),
                location: if m.location.is_empty() {
                    m.online_url.clone()
                } else {
                    m.location.clone()
                },
            })
            .collect(),
        timeline: timeline
            .into_iter()
            .map(|e| pdf::TimelineEntry {
                at: local(e.at),
                text: e.text,
            })
            .collect(),
        ledger: state.ledger.as_ref().map(|l| pdf::LedgerInfo {
            origin: l.origin().to_string(),
            vkey: l.vkey(),
        }),
    };
    // Layout is CPU work; keep it off the threads that serve requests.
    tokio::task::spawn_blocking(move || pdf::matter_summary(&renderer, &summary))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("matter summary PDF: {e}")))
}
