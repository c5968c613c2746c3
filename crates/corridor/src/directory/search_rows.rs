//! What the directory hands to search: the text of organizations and people that changed since
//! a time. Search indexes these rows and never queries the directory's tables itself, so the
//! tables can change without search knowing.

use chrono::{DateTime, Utc};

use crate::Result;
use crate::db::Store;
use crate::db::dispatch;

/// An organization's searchable text. `kind` is the stored code (`local_law_firm`, ...).
pub struct OrganizationForSearch {
    pub id: String,
    pub slug: String,
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub jurisdiction: String,
    pub city_en: String,
    pub city_zh: String,
    pub description_en: String,
    pub description_zh: String,
    /// Practice area codes.
    pub practice_areas: Vec<String>,
    pub is_demo: bool,
    pub updated_at: DateTime<Utc>,
}

/// The stored row: practice areas are a JSON list in a text column on both backends.
#[derive(sqlx::FromRow)]
struct OrganizationRow {
    id: String,
    slug: String,
    kind: String,
    name_zh: String,
    name_en: String,
    jurisdiction: String,
    city_en: String,
    city_zh: String,
    description_en: String,
    description_zh: String,
    practice_areas: String,
    is_demo: bool,
    updated_at: DateTime<Utc>,
}

impl From<OrganizationRow> for OrganizationForSearch {
    fn from(r: OrganizationRow) -> Self {
        Self {
            // Written by the directory as a JSON list; an unreadable one only loses search words.
            practice_areas: serde_json::from_str(&r.practice_areas).unwrap_or_default(),
            id: r.id,
            slug: r.slug,
            kind: r.kind,
            name_zh: r.name_zh,
            name_en: r.name_en,
            jurisdiction: r.jurisdiction,
            city_en: r.city_en,
            city_zh: r.city_zh,
            description_en: r.description_en,
            description_zh: r.description_zh,
            is_demo: r.is_demo,
            updated_at: r.updated_at,
        }
    }
}

/// A person's searchable text with their organization's names. `updated_at` is the later of the
/// person's and the organization's: the text changes when either row does.
#[derive(sqlx::FromRow)]
pub struct PersonForSearch {
    pub id: String,
    pub slug: String,
    /// The stored code (`lawyer`, `arbitrator`, `notary`).
    pub profession: String,
    pub name_zh: String,
    pub name_en: String,
    pub based_in: String,
    pub bio_en: String,
    pub bio_zh: String,
    pub org_en: Option<String>,
    pub org_zh: Option<String>,
    pub is_demo: bool,
    pub updated_at: DateTime<Utc>,
}

const ORG_SQL: &str = "SELECT id, slug, kind, name_zh, name_en, jurisdiction, city_en, city_zh, \
     description_en, description_zh, practice_areas, is_demo, updated_at FROM organizations";
const PERSON_SQL: &str = "SELECT p.id, p.slug, p.profession, p.name_zh, p.name_en, p.based_in, p.bio_en, \
     p.bio_zh, o.name_en AS org_en, o.name_zh AS org_zh, p.is_demo, \
     CASE WHEN o.updated_at > p.updated_at THEN o.updated_at ELSE p.updated_at END AS updated_at \
     FROM people p LEFT JOIN organizations o ON o.id = p.organization_id";

impl Store {
    /// Organizations and people whose searchable text changed after `since` (all when `None`).
    pub async fn directory_changed_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<(Vec<OrganizationForSearch>, Vec<PersonForSearch>)> {
        let (org_sql, person_sql) = match since {
            Some(_) => (
                format!("{ORG_SQL} WHERE updated_at > $1"),
                // Two branches, so each can use its index (people by time; organizations by
                // time, then their people) instead of one OR that scans every person.
                format!(
                    "{PERSON_SQL} WHERE p.updated_at > $1 UNION {PERSON_SQL} WHERE o.updated_at > $1"
                ),
            ),
            None => (ORG_SQL.to_string(), PERSON_SQL.to_string()),
        };
        let (orgs, people): (Vec<OrganizationRow>, Vec<PersonForSearch>) =
            dispatch!(self, |pool| {
                let o = sqlx::query_as::<_, OrganizationRow>(sqlx::AssertSqlSafe(org_sql.clone()));
                let p =
                    sqlx::query_as::<_, PersonForSearch>(sqlx::AssertSqlSafe(person_sql.clone()));
                match since {
                    Some(t) => (
                        o.bind(t).fetch_all(pool).await?,
                        p.bind(t).fetch_all(pool).await?,
                    ),
                    None => (o.fetch_all(pool).await?, p.fetch_all(pool).await?),
                }
            });
        Ok((orgs.into_iter().map(Into::into).collect(), people))
    }
}
