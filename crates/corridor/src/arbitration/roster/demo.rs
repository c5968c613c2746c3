//! The demo roster (`data/demo/roster.json`, fictional like all demo data): profiles of some of
//! the demo arbitrators, and recommendations by partner institutions under the demo
//! cooperation agreements. Loaded by `corridor demo` after the directory.

use serde::Deserialize;

use super::profile::RosterProfile;
use crate::auth::audit::Who;
use crate::db::Store;
use crate::directory::model::CooperationTerm;
use crate::ids::{OrganizationKey, PersonKey};

const ROSTER: &str = include_str!("../../../../../data/demo/roster.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoEntry {
    person: String,
    profile: RosterProfile,
    recommendations: Vec<DemoRecommendation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoRecommendation {
    institution: String,
    recommended_by: String,
    recommended_on: String,
}

async fn org_id(store: &Store, slug: &str) -> anyhow::Result<String> {
    let key = OrganizationKey::parse(slug).ok_or_else(|| anyhow::anyhow!("bad slug {slug}"))?;
    Ok(store
        .find_organization(&key)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo roster: unknown institution {slug}"))?
        .id)
}

pub async fn load(store: &Store, who: &Who) -> anyhow::Result<()> {
    let entries: Vec<DemoEntry> = serde_json::from_str(ROSTER)?;
    let agreements = store.agreements(None).await?;
    for e in entries {
        let key = PersonKey::parse(&e.person).ok_or_else(|| anyhow::anyhow!("bad slug"))?;
        let person = store
            .find_person(&key)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo roster: unknown person {}", e.person))?;
        let profile = e
            .profile
            .checked(crate::jurisdiction::today())
            .map_err(|err| anyhow::anyhow!("demo roster {}: {err}", e.person))?;
        store
            .save_roster_profile(who, &person.id, &serde_json::to_string(&profile)?, 0)
            .await?;
        for r in e.recommendations {
            let to = org_id(store, &r.institution).await?;
            let by = org_id(store, &r.recommended_by).await?;
            let agreement = agreements
                .iter()
                .find(|a| {
                    let pair = [a.institution.id.as_str(), a.counterpart.id.as_str()];
                    pair.contains(&to.as_str())
                        && pair.contains(&by.as_str())
                        && a.terms
                            .contains(&CooperationTerm::MutualRosterRecommendation)
                })
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "demo roster {}: no agreement with {}",
                        e.person,
                        r.recommended_by
                    )
                })?;
            store
                .add_roster_recommendation(
                    who,
                    &person.id,
                    (&to, &by, &agreement.id),
                    &r.recommended_on,
                )
                .await?;
        }
    }
    Ok(())
}
