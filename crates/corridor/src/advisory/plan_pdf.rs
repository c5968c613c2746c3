//! A project's plan as a PDF in the reader's language (`/projects/{id}/plan.pdf`, and the same
//! under `/api/v1/`): [`document`] chooses every text for the language — a pure function, tested
//! without fonts — and `pdf::plan` lays it out.

use axum::response::Response;

use super::Text;
use super::pages::PlanView;
use super::projects::{self, ProjectDetail};
use crate::auth::Actor;
use crate::ids::ProjectId;
use crate::pdf::plan::{Clause, Labelled, PlanDocument, PlanItem, PlanSection};
use crate::state::AppState;
use crate::{AppError, Result};

/// The plan of project `id` for `actor`, in `locale` (`zh-CN` or `en`).
pub async fn render(
    state: &AppState,
    actor: &Actor,
    id: &ProjectId,
    locale: &str,
) -> Result<Response> {
    let renderer = state.pdf.clone().ok_or(AppError::Unavailable("pdf"))?;
    let d = projects::detail(&state.store, actor, id).await?;
    let generated_at = crate::ids::now().format("%Y-%m-%d %H:%M UTC").to_string();
    let doc = document(&d, locale, generated_at);
    let bytes = tokio::task::spawn_blocking(move || crate::pdf::plan::plan(&renderer, &doc))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("plan PDF: {e}")))?;
    Ok(crate::pdf::response(
        bytes,
        &format!("plan-{}.pdf", d.project.id),
    ))
}

/// The words of a page in `locale`, for the plan's shared labels.
struct Words(crate::web::PageCtx);

impl PlanView for Words {
    fn ctx(&self) -> &crate::web::PageCtx {
        &self.0
    }
}

/// Every text of the document, in `locale`.
pub fn document(d: &ProjectDetail, locale: &str, generated_at: String) -> PlanDocument {
    let ctx = crate::web::PageCtx::bare(
        crate::web::Locale::parse(locale).unwrap_or(crate::web::Locale::En),
        String::new(),
    );
    let w = Words(ctx);
    let pick = |t: &Text| w.words(t).to_owned();
    let p = &d.project;
    let plan = &d.plan;
    PlanDocument {
        locale: w.0.lang().to_owned(),
        generated_at,
        title: p.title.clone(),
        enterprise: w
            .0
            .pick(&p.organization.name_zh, &p.organization.name_en)
            .to_owned(),
        country: w.0.country(&p.country),
        entry_mode: w.entry_mode_words(&p.entry_mode),
        stage: w.stage(&p.stage),
        value: match (&p.value_currency, &p.value_amount) {
            (Some(c), Some(a)) => format!("{c} {a}"),
            _ => String::new(),
        },
        plan_date: plan.date.to_string(),
        library_version: plan.library_version.clone(),
        sections: plan
            .sections
            .iter()
            .map(|s| PlanSection {
                title: pick(&s.title),
                items: s
                    .items
                    .iter()
                    .map(|i| PlanItem {
                        title: pick(&i.title),
                        summary_en: i.summary_en.clone(),
                        risk: w.risk(&i.risk),
                        why: i.why.iter().map(|r| pick(&r.text)).collect(),
                        legal_basis: i
                            .legal_basis
                            .iter()
                            .map(|b| {
                                let mut text = b.instrument.clone();
                                for part in [&b.number, &b.article].into_iter().flatten() {
                                    text.push_str(", ");
                                    text.push_str(part);
                                }
                                text
                            })
                            .collect(),
                        owner: pick(&i.owner.text),
                        due: pick(&i.due.text),
                        evidence: pick(&i.evidence),
                        sources: i.sources.clone(),
                        verified: i.verified,
                        verification_note: i.verification_note.clone(),
                        obligation: i.obligation.clone(),
                    })
                    .collect(),
            })
            .collect(),
        dispute_clause: plan
            .sections
            .iter()
            .find_map(|s| s.dispute_clause.as_ref())
            .map(|c| Clause {
                proposed: c
                    .proposed
                    .as_ref()
                    .map(|p| format!("{} ({})", pick(&p.name), w.0.country(&p.seat)))
                    .unwrap_or_default(),
                explanation: pick(&c.explanation),
                fee_note: match &c.fee_estimate {
                    Some(f) => format!(
                        "{} {} {} — {}. {}",
                        w.0.t("plan.fee_estimate"),
                        f.currency,
                        f.total,
                        pick(&f.basis),
                        pick(&c.fee_note)
                    ),
                    None => pick(&c.fee_note),
                },
            }),
        china_side: plan
            .china_side
            .iter()
            .map(|c| Labelled {
                label: pick(&c.title),
                value: w.china_status(c.status),
            })
            .collect(),
        questions: plan.questions.iter().map(|q| pick(&q.text)).collect(),
        disclaimer: plan.disclaimer.clone(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};

    use super::*;
    use crate::advisory::projects::ProjectSummary;
    use crate::advisory::{PlanRequest, ScheduleFees, plan_for};
    use crate::matters::model::OwnerRef;
    use crate::pdf::readback::{pages, renderer};

    fn detail() -> ProjectDetail {
        let answers = PlanRequest {
            date: Some("2026-12-01".into()),
            country: "VN".into(),
            entry_mode: "joint_venture".into(),
            sectors_isic: vec!["C2930".into()],
            ownership: Some("private".into()),
            flags: vec!["employs_foreign_nationals".into()],
            ..PlanRequest::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let plan = plan_for(&answers, today, &ScheduleFees).unwrap();
        ProjectDetail {
            project: ProjectSummary {
                id: "0190a000-0000-7000-8000-000000000001".into(),
                organization: OwnerRef {
                    id: "e".into(),
                    slug: "acme-demo".into(),
                    name_en: "Acme Components (Demo)".into(),
                    name_zh: "艾克米零部件（演示）".into(),
                },
                title: "海防零部件合资项目".into(),
                country: "VN".into(),
                entry_mode: "joint_venture".into(),
                stage: "negotiating".into(),
                value_amount: Some("50000000.00".into()),
                value_currency: Some("USD".into()),
                library_version: plan.library_version.clone(),
                plan_changed: false,
                version: 1,
                created_at: Utc::now(),
                updated_at: Utc::now(),
            },
            answers,
            plan,
            changes: None,
            accepted_plan_date: "2026-12-01".into(),
        }
    }

    #[test]
    fn every_text_of_the_document_is_in_the_readers_language() {
        let d = detail();
        let zh = document(&d, "zh-CN", "2026-12-04 09:00 UTC".into());
        let en = document(&d, "en", "2026-12-04 09:00 UTC".into());
        assert_eq!(zh.country, "越南");
        assert!(
            en.country.is_ascii() && en.country != zh.country,
            "{}",
            en.country
        );
        assert_eq!(zh.sections.len(), 4);
        assert_eq!(zh.sections[2].title, "风险防控");
        assert_eq!(en.sections[2].title, "Risk prevention and control");
        assert_eq!(zh.stage, "谈判中");
        assert_eq!(en.value, "USD 50000000.00");
        let item = zh.sections.iter().flat_map(|s| &s.items).next().unwrap();
        assert!(!item.why.is_empty() && !item.sources.is_empty());
        assert!(
            item.title
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        );
        assert_eq!(zh.china_side.len(), 5);
    }

    #[test]
    #[ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext)"]
    fn the_plan_reads_back_in_both_languages() {
        let d = detail();
        for (locale, heading, area) in [
            ("zh-CN", "法律服务方案", "合同签署"),
            ("en", "Legal-service plan", "Contract signing"),
        ] {
            let doc = document(&d, locale, "2026-12-04 09:00 UTC".into());
            let pdf = crate::pdf::plan::plan(renderer(), &doc).unwrap();
            // Left for a look: how the plan reads is part of the "done when".
            let keep = std::env::temp_dir().join(format!("corridor-plan-{locale}.pdf"));
            std::fs::write(keep, &pdf).ok();
            let text = pages(&pdf).join("\n");
            assert!(text.contains(heading), "{locale}: {text}");
            assert!(text.contains(area), "{locale}");
            assert!(
                text.contains("海防零部件合资项目"),
                "{locale}: the title as typed"
            );
            let urn = &d
                .plan
                .sections
                .iter()
                .flat_map(|s| &s.items)
                .next()
                .unwrap()
                .obligation;
            let flat: String = text.split_whitespace().collect();
            assert!(
                flat.contains(urn.as_str()),
                "{locale}: every item names its URN"
            );
        }
    }
}
