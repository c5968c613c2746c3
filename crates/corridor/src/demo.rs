//! The demo data set: fictional firms, institutions, people and users (every organization's
//! name says "Demo" / "演示"), loaded into an empty database by `corridor demo` or
//! `corridor serve --demo`. The files live in `data/demo/` and ship inside the binary.

use serde::Deserialize;

use crate::auth::audit::Who;
use crate::auth::store::NewUser;
use crate::auth::{OrgRole, PlatformRole};
use crate::db::Store;
use crate::directory::model::{
    AgreementInput, CooperationTerm, OrgKind, OrganizationInput, PartnershipInput, PersonInput,
    Profession,
};

const ORGANIZATIONS: &str = include_str!("../../../data/demo/organizations.json");
const PEOPLE: &str = include_str!("../../../data/demo/people.json");
const PARTNERSHIPS: &str = include_str!("../../../data/demo/partnerships.json");
const AGREEMENTS: &str = include_str!("../../../data/demo/cooperation_agreements.json");
const USERS: &str = include_str!("../../../data/demo/users.json");
const MATTERS: &str = include_str!("../../../data/demo/matters.json");
const PROJECTS: &str = include_str!("../../../data/demo/projects.json");

#[derive(Deserialize)]
struct DemoOrganization {
    slug: String,
    kind: OrgKind,
    name_zh: String,
    name_en: String,
    jurisdiction: String,
    city_en: String,
    city_zh: String,
    languages: Vec<String>,
    practice_areas: Vec<String>,
    email: String,
    phone: String,
    website: String,
    description_en: String,
    description_zh: String,
    remote_notarization_pilot: bool,
}

#[derive(Deserialize)]
struct DemoPerson {
    slug: String,
    profession: Profession,
    name_zh: String,
    name_en: String,
    organization: Option<String>,
    nationalities: Vec<String>,
    languages: Vec<String>,
    expertise: Vec<String>,
    jurisdictions: Vec<String>,
    based_in: String,
    rosters: Vec<String>,
    bio_en: String,
    bio_zh: String,
}

#[derive(Deserialize)]
struct DemoPartnership {
    local_firm: String,
    foreign_firm: String,
    countries: Vec<String>,
    since: chrono::NaiveDate,
    scope_en: String,
    scope_zh: String,
}

#[derive(Deserialize)]
struct DemoAgreement {
    institution: String,
    counterpart: String,
    signed_on: chrono::NaiveDate,
    terms: Vec<CooperationTerm>,
    note_en: String,
    note_zh: String,
}

#[derive(Deserialize)]
pub struct DemoMembership {
    pub organization: String,
    pub role: OrgRole,
}

#[derive(Deserialize)]
pub struct DemoUser {
    pub email: String,
    pub name: String,
    pub password: String,
    pub platform_role: Option<PlatformRole>,
    pub memberships: Vec<DemoMembership>,
}

/// The demo users, for printing their sign-in details.
pub fn users() -> anyhow::Result<Vec<DemoUser>> {
    Ok(serde_json::from_str(USERS)?)
}

pub enum Outcome {
    Loaded {
        organizations: usize,
        people: usize,
        users: usize,
    },
    /// The database already has organizations; demo data goes only into an empty one.
    NotEmpty,
}

pub async fn load(store: &Store) -> anyhow::Result<Outcome> {
    if store.count_organizations().await? > 0 || store.count_users().await? > 0 {
        return Ok(Outcome::NotEmpty);
    }
    let who = Who {
        user_id: None,
        label: "demo-loader".into(),
    };
    let organizations: Vec<DemoOrganization> = serde_json::from_str(ORGANIZATIONS)?;
    for o in &organizations {
        let input = OrganizationInput {
            slug: Some(o.slug.clone()),
            kind: o.kind,
            name_zh: o.name_zh.clone(),
            name_en: o.name_en.clone(),
            jurisdiction: o.jurisdiction.clone(),
            city_en: o.city_en.clone(),
            city_zh: o.city_zh.clone(),
            languages: o.languages.clone(),
            practice_areas: o.practice_areas.clone(),
            email: o.email.clone(),
            phone: o.phone.clone(),
            website: o.website.clone(),
            description_en: o.description_en.clone(),
            description_zh: o.description_zh.clone(),
            remote_notarization_pilot: o.remote_notarization_pilot,
        };
        store
            .create_organization(&who, &input, true)
            .await
            .map_err(|e| anyhow::anyhow!("demo organization {}: {e}", o.slug))?;
    }
    let people: Vec<DemoPerson> = serde_json::from_str(PEOPLE)?;
    for p in &people {
        let input = PersonInput {
            slug: Some(p.slug.clone()),
            profession: p.profession,
            name_zh: p.name_zh.clone(),
            name_en: p.name_en.clone(),
            organization: p.organization.clone(),
            based_in: p.based_in.clone(),
            nationalities: p.nationalities.clone(),
            languages: p.languages.clone(),
            expertise: p.expertise.clone(),
            jurisdictions: p.jurisdictions.clone(),
            rosters: p.rosters.clone(),
            bio_en: p.bio_en.clone(),
            bio_zh: p.bio_zh.clone(),
        };
        store
            .create_person(&who, &input, true)
            .await
            .map_err(|e| anyhow::anyhow!("demo person {}: {e}", p.slug))?;
    }
    let partnerships: Vec<DemoPartnership> = serde_json::from_str(PARTNERSHIPS)?;
    for p in partnerships {
        let input = PartnershipInput {
            local_firm: p.local_firm,
            foreign_firm: p.foreign_firm,
            countries: p.countries,
            since: p.since,
            scope_en: p.scope_en,
            scope_zh: p.scope_zh,
        };
        store.create_partnership(&who, &input).await.map_err(|e| {
            anyhow::anyhow!(
                "demo partnership {}–{}: {e}",
                input.local_firm,
                input.foreign_firm
            )
        })?;
    }
    let agreements: Vec<DemoAgreement> = serde_json::from_str(AGREEMENTS)?;
    for a in agreements {
        let input = AgreementInput {
            institution: a.institution,
            counterpart: a.counterpart,
            signed_on: a.signed_on,
            terms: a.terms,
            note_en: a.note_en,
            note_zh: a.note_zh,
        };
        store
            .create_agreement(&who, &input)
            .await
            .map_err(|e| anyhow::anyhow!("demo agreement with {}: {e}", input.counterpart))?;
    }
    crate::arbitration::roster::demo::load(store, &who).await?;
    crate::notary::demo::load(store, &who).await?;
    let users = users()?;
    for u in &users {
        let mut memberships = Vec::new();
        for m in &u.memberships {
            let (org, _) = store
                .resolve_organization(&m.organization)
                .await?
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "demo user {}: unknown organization {}",
                        u.email,
                        m.organization
                    )
                })?;
            // One membership per organization; the demo file may list a firm's admin also as
            // its lawyer, and the admin role already covers that.
            match memberships
                .iter_mut()
                .find(|(id, _): &&mut (String, OrgRole)| *id == org.id)
            {
                Some(existing) if m.role == OrgRole::OrgAdmin => existing.1 = OrgRole::OrgAdmin,
                Some(_) => {}
                None => memberships.push((org.id, m.role)),
            }
        }
        store
            .add_user(
                &who,
                NewUser {
                    email: &u.email,
                    name: &u.name,
                    password: &u.password,
                    platform_role: u.platform_role,
                    memberships,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo user {}: {e}", u.email))?;
    }
    crate::matters::demo::load(store, &who, MATTERS).await?;
    crate::advisory::demo::load(store, PROJECTS).await?;
    Ok(Outcome::Loaded {
        organizations: organizations.len(),
        people: people.len(),
        users: users.len(),
    })
}

/// The sign-in table printed after loading.
pub fn credentials_table() -> anyhow::Result<String> {
    let mut out = String::from("Demo sign-ins (fictional people; for trying Corridor only):\n");
    for u in users()? {
        let role = match (&u.platform_role, u.memberships.first()) {
            (Some(p), _) => p.as_str().to_string(),
            (None, Some(m)) => format!("{} @ {}", m.role.as_str(), m.organization),
            (None, None) => "-".into(),
        };
        out.push_str(&format!("  {:<42} {:<22} {}\n", u.email, u.password, role));
    }
    Ok(out)
}
