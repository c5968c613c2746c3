//! Demo projects (`data/demo/projects.json`): fictional enterprises' outbound projects, opened
//! by their demo staff as the pages would, one already referred to a demo law firm, so that
//! `serve --demo` shows plans, a referral waiting for an answer and the bureau's figures.

use serde::Deserialize;

use super::PlanRequest;
use super::profile::EnterpriseProfile;
use super::profiles::{ProfileInput, save};
use super::projects::{ProjectInput, enterprise_of, open_project};
use super::referrals::{NewReferral, refer};
use crate::db::Store;
use crate::ids::ProjectId;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoProject {
    opener: String,
    title: String,
    stage: String,
    #[serde(default)]
    value_amount: Option<String>,
    #[serde(default)]
    value_currency: Option<String>,
    answers: PlanRequest,
    #[serde(default)]
    refer_to: Option<NewReferral>,
    /// The enterprise's profile, saved before the project is opened.
    #[serde(default)]
    profile: Option<EnterpriseProfile>,
}

pub async fn load(store: &Store, json: &str) -> anyhow::Result<usize> {
    let projects: Vec<DemoProject> = serde_json::from_str(json)?;
    for p in &projects {
        let opener = store
            .user_id_by_email(&p.opener)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo project: unknown user {}", p.opener))?;
        let actor = store
            .actor_for_user(&opener)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo project: inactive user {}", p.opener))?;
        if let Some(profile) = &p.profile {
            let enterprise = enterprise_of(&actor, None)
                .map_err(|e| anyhow::anyhow!("demo profile of {}: {e}", p.opener))?
                .organization_id
                .clone();
            let input = ProfileInput {
                profile: profile.clone(),
                version: super::profiles::of(store, &enterprise)
                    .await?
                    .map_or(0, |k| k.1),
            };
            save(store, &actor, &enterprise, &input)
                .await
                .map_err(|e| anyhow::anyhow!("demo profile of {}: {e}", p.opener))?;
        }
        let input = ProjectInput {
            organization: None,
            title: p.title.clone(),
            stage: Some(p.stage.clone()),
            value_amount: p.value_amount.clone(),
            value_currency: p.value_currency.clone(),
            answers: p.answers.clone(),
        };
        let opened = open_project(store, &actor, &input)
            .await
            .map_err(|e| anyhow::anyhow!("demo project {}: {e}", p.title))?;
        if let Some(r) = &p.refer_to {
            let id = ProjectId::from_stored(opened.project.id.clone());
            refer(store, &actor, &id, r)
                .await
                .map_err(|e| anyhow::anyhow!("demo referral for {}: {e}", p.title))?;
        }
    }
    Ok(projects.len())
}

#[cfg(test)]
mod tests {
    /// The demo file parses and every answer is valid against the library, so
    /// `serve --demo` cannot fail on it.
    #[test]
    fn the_demo_projects_are_valid_plans() {
        let projects: Vec<super::DemoProject> =
            serde_json::from_str(include_str!("../../../../data/demo/projects.json")).unwrap();
        let lib = crate::advisory::Library::get().unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for p in &projects {
            assert!(
                p.title.contains("Demo") && p.title.contains("演示"),
                "{}",
                p.title
            );
            p.answers.check(lib, day).unwrap();
            if let Some(profile) = &p.profile {
                profile.checked(lib).unwrap();
            }
        }
    }
}
