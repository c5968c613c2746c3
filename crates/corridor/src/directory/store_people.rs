//! SQL for people (lawyers, arbitrators, notaries) and arbitration rosters.

use chrono::{DateTime, Utc};

use super::model::{OrgKind, Page, Person, PersonInput, PersonQuery, Profession};
use super::store_orgs::{paging, slug_conflict};
use crate::auth::audit::audit;
use crate::auth::audit::{AuditEvent, Who};
use crate::db::Store;
use crate::db::sql::Sql;
use crate::db::{bind_params, dispatch, transaction};
use crate::ids::{PersonId, PersonKey, new_id, now};
use crate::{AppError, Result};

/// Counts the changes this process made to people (and panels), so what keeps people in memory
/// (the arbitration roster's snapshot) knows when to read them again.
static PEOPLE_GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn people_changed() {
    PEOPLE_GENERATION.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

/// How many changes to people this process has made.
pub fn people_generation() -> u64 {
    PEOPLE_GENERATION.load(std::sync::atomic::Ordering::SeqCst)
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    slug: String,
    profession: String,
    name_zh: String,
    name_en: String,
    organization_id: Option<String>,
    organization_slug: Option<String>,
    organization_name_en: Option<String>,
    organization_name_zh: Option<String>,
    based_in: String,
    bio_en: String,
    bio_zh: String,
    is_demo: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const PERSON_SELECT: &str = "SELECT p.id, p.slug, p.profession, p.name_zh, p.name_en, p.organization_id, \
     o.slug AS organization_slug, o.name_en AS organization_name_en, o.name_zh AS organization_name_zh, \
     p.based_in, p.bio_en, p.bio_zh, p.is_demo, p.created_at, p.updated_at \
     FROM people p LEFT JOIN organizations o ON o.id = p.organization_id";

const PERSON_FACETS: [&str; 4] = ["nationality", "language", "expertise", "jurisdiction"];

/// A person input whose organization and rosters are resolved to ids.
struct Resolved {
    input: PersonInput,
    organization_id: Option<String>,
    roster_ids: Vec<String>,
}

impl Store {
    async fn people_from_rows(&self, rows: Vec<PersonRow>) -> Result<Vec<Person>> {
        #[derive(sqlx::FromRow)]
        struct RosterRow {
            person_id: String,
            slug: String,
        }
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut tags = self.tags_of("person_tags", "person_id", &ids).await?;
        let mut rosters: Vec<RosterRow> = Vec::new();
        if !ids.is_empty() {
            let mut sql = Sql::new(
                "SELECT r.person_id, o.slug FROM roster_entries r JOIN organizations o ON o.id = r.institution_id \
                 WHERE r.person_id IN ",
            );
            sql.bind_list(&ids).push(" ORDER BY o.slug");
            rosters = dispatch!(self, |pool| {
                let q = sqlx::query_as::<_, RosterRow>(sqlx::AssertSqlSafe(sql.text.clone()));
                bind_params!(q, &sql.params).fetch_all(pool).await?
            });
        }
        // Grouped once: a whole roster (thousands of people) is read at a time.
        let mut rosters_of: std::collections::HashMap<String, Vec<String>> =
            std::collections::HashMap::new();
        for x in rosters {
            rosters_of.entry(x.person_id).or_default().push(x.slug);
        }
        rows.into_iter()
            .map(|r| {
                let tags = tags.remove(&r.id).unwrap_or_default();
                let pick = |facet: &str| -> Vec<String> {
                    tags.iter()
                        .filter(|(f, _)| f == facet)
                        .map(|(_, v)| v.clone())
                        .collect()
                };
                Ok(Person {
                    profession: Profession::parse(&r.profession).ok_or_else(|| {
                        AppError::Internal(anyhow::anyhow!("unknown profession {}", r.profession))
                    })?,
                    nationalities: pick("nationality"),
                    languages: pick("language"),
                    expertise: pick("expertise"),
                    jurisdictions: pick("jurisdiction"),
                    rosters: rosters_of.remove(&r.id).unwrap_or_default(),
                    id: r.id,
                    slug: r.slug,
                    name_zh: r.name_zh,
                    name_en: r.name_en,
                    organization_id: r.organization_id,
                    organization_slug: r.organization_slug,
                    organization_name_en: r.organization_name_en,
                    organization_name_zh: r.organization_name_zh,
                    based_in: r.based_in,
                    bio_en: r.bio_en,
                    bio_zh: r.bio_zh,
                    is_demo: r.is_demo,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    /// By id or slug.
    pub async fn find_person(&self, key: &PersonKey) -> Result<Option<Person>> {
        let sql = format!("{PERSON_SELECT} WHERE p.id = $1 OR p.slug = $1");
        let rows = dispatch!(self, |pool| sqlx::query_as::<_, PersonRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(key.as_str())
        .fetch_all(pool)
        .await?);
        Ok(self.people_from_rows(rows).await?.into_iter().next())
    }

    /// Every arbitrator in the directory, by name: what the roster searches and ranks.
    pub async fn arbitrators(&self) -> Result<Vec<Person>> {
        let sql =
            format!("{PERSON_SELECT} WHERE p.profession = 'arbitrator' ORDER BY p.name_en, p.id");
        let rows = dispatch!(self, |pool| sqlx::query_as::<_, PersonRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .fetch_all(pool)
        .await?);
        self.people_from_rows(rows).await
    }

    pub async fn list_people(&self, query: &PersonQuery) -> Result<Page<Person>> {
        let (page, per_page) = paging(query.page, query.per_page)?;
        let mut filter = Sql::new(" WHERE 1 = 1");
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            if q.chars().count() > 200 {
                return Err(AppError::invalid("q", "too_long"));
            }
            filter.any_contains(&["LOWER(p.name_en)", "p.name_zh"], q);
        }
        if let Some(profession) = query.profession {
            filter
                .push(" AND p.profession = ")
                .bind_text(profession.as_str());
        }
        if let Some(country) = &query.country {
            let country = super::validate::country("country", country)?;
            filter.push(" AND p.based_in = ").bind_text(country);
        }
        if let Some(overseas) = query.overseas {
            filter.push(if overseas {
                " AND p.based_in <> 'CN'"
            } else {
                " AND p.based_in = 'CN'"
            });
        }
        let tag_filters = [
            (
                "nationality",
                query
                    .nationality
                    .as_ref()
                    .map(|v| super::validate::country("nationality", v))
                    .transpose()?,
            ),
            (
                "language",
                query
                    .language
                    .as_ref()
                    .map(|v| {
                        super::validate::languages("language", std::slice::from_ref(v))
                            .map(|mut l| l.remove(0))
                    })
                    .transpose()?,
            ),
            (
                "expertise",
                query
                    .expertise
                    .as_ref()
                    .map(|v| {
                        super::validate::practice_areas("expertise", std::slice::from_ref(v))
                            .map(|mut l| l.remove(0))
                    })
                    .transpose()?,
            ),
        ];
        for (facet, value) in tag_filters {
            if let Some(value) = value {
                filter.push(" AND p.id IN (SELECT t.person_id FROM person_tags t WHERE t.facet = ");
                filter
                    .bind_text(facet)
                    .push(" AND t.value = ")
                    .bind_text(value)
                    .push(")");
            }
        }
        if let Some(org) = &query.organization {
            let (org, _) = self
                .resolve_organization(org)
                .await?
                .ok_or_else(|| AppError::invalid("organization", "unknown_organization"))?;
            filter.push(" AND p.organization_id = ").bind_text(org.id);
        }
        if let Some(roster) = &query.roster {
            let (org, _) = self
                .resolve_organization(roster)
                .await?
                .ok_or_else(|| AppError::invalid("roster", "unknown_organization"))?;
            filter.push(" AND EXISTS (SELECT 1 FROM roster_entries r WHERE r.person_id = p.id AND r.institution_id = ");
            filter.bind_text(org.id).push(")");
        }
        let mut count = Sql::new("SELECT COUNT(*) FROM people p");
        count.push(&filter.text);
        count.params = filter.params.clone();
        let mut select = Sql::new(PERSON_SELECT);
        select.push(&filter.text);
        select.params = filter.params;
        select
            .push(" ORDER BY ")
            .push(&query.sort.unwrap_or_default().order_by("p"));
        select
            .limit(per_page as i64)
            .offset(((page - 1) * per_page) as i64);
        let (total, rows): (i64, Vec<PersonRow>) = dispatch!(self, |pool| {
            let q = sqlx::query_scalar(sqlx::AssertSqlSafe(count.text.clone()));
            let total = bind_params!(q, &count.params).fetch_one(pool).await?;
            let q = sqlx::query_as::<_, PersonRow>(sqlx::AssertSqlSafe(select.text.clone()));
            (
                total,
                bind_params!(q, &select.params).fetch_all(pool).await?,
            )
        });
        Ok(Page {
            items: self.people_from_rows(rows).await?,
            page,
            per_page,
            total,
        })
    }

    async fn resolve_person(&self, input: &PersonInput) -> Result<Resolved> {
        let input = super::validate::person(input)?;
        let organization_id = match &input.organization {
            Some(key) => Some(
                self.resolve_organization(key)
                    .await?
                    .ok_or_else(|| AppError::invalid("organization", "unknown_organization"))?
                    .0
                    .id,
            ),
            None => None,
        };
        let mut roster_ids = Vec::new();
        for key in &input.rosters {
            match self.resolve_organization(key).await? {
                Some((r, OrgKind::ArbitrationInstitution)) => roster_ids.push(r.id),
                _ => {
                    return Err(AppError::invalid(
                        "rosters",
                        "not_an_arbitration_institution",
                    ));
                }
            }
        }
        roster_ids.sort();
        roster_ids.dedup();
        Ok(Resolved {
            input,
            organization_id,
            roster_ids,
        })
    }

    pub async fn create_person(
        &self,
        who: &Who,
        input: &PersonInput,
        is_demo: bool,
    ) -> Result<PersonId> {
        let Resolved {
            input,
            organization_id,
            roster_ids,
        } = self.resolve_person(input).await?;
        let id = new_id();
        let sql = "INSERT INTO people (id, slug, profession, name_zh, name_en, organization_id, based_in, bio_en, \
                   bio_zh, is_demo, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)";
        transaction!(self, |tx| {
            sqlx::query(sql)
                .bind(&id)
                .bind(input.slug.as_deref())
                .bind(input.profession.as_str())
                .bind(&input.name_zh)
                .bind(&input.name_en)
                .bind(organization_id.as_deref())
                .bind(&input.based_in)
                .bind(&input.bio_en)
                .bind(&input.bio_zh)
                .bind(is_demo)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(slug_conflict)?;
            for (facet, values) in PERSON_FACETS.iter().zip([
                &input.nationalities,
                &input.languages,
                &input.expertise,
                &input.jurisdictions,
            ]) {
                for value in values {
                    sqlx::query(
                        "INSERT INTO person_tags (person_id, facet, value) VALUES ($1, $2, $3)",
                    )
                    .bind(&id)
                    .bind(*facet)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for institution in &roster_ids {
                sqlx::query(
                    "INSERT INTO roster_entries (institution_id, person_id) VALUES ($1, $2)",
                )
                .bind(institution)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            }
            audit!(
                tx,
                AuditEvent::by(who, "person.create", "person", &id)
                    .in_org(organization_id.as_deref())
            );
        });
        people_changed();
        Ok(PersonId::from_stored(id))
    }

    pub async fn update_person(&self, who: &Who, id: &PersonId, input: &PersonInput) -> Result<()> {
        let id = id.as_str();
        let Resolved {
            input,
            organization_id,
            roster_ids,
        } = self.resolve_person(input).await?;
        let sql = "UPDATE people SET slug = $2, profession = $3, name_zh = $4, name_en = $5, organization_id = $6, \
                   based_in = $7, bio_en = $8, bio_zh = $9, updated_at = $10 WHERE id = $1";
        transaction!(self, |tx| {
            let done = sqlx::query(sql)
                .bind(id)
                .bind(input.slug.as_deref())
                .bind(input.profession.as_str())
                .bind(&input.name_zh)
                .bind(&input.name_en)
                .bind(organization_id.as_deref())
                .bind(&input.based_in)
                .bind(&input.bio_en)
                .bind(&input.bio_zh)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(slug_conflict)?
                .rows_affected();
            if done == 0 {
                return Err(AppError::NotFound);
            }
            sqlx::query("DELETE FROM person_tags WHERE person_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM roster_entries WHERE person_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for (facet, values) in PERSON_FACETS.iter().zip([
                &input.nationalities,
                &input.languages,
                &input.expertise,
                &input.jurisdictions,
            ]) {
                for value in values {
                    sqlx::query(
                        "INSERT INTO person_tags (person_id, facet, value) VALUES ($1, $2, $3)",
                    )
                    .bind(id)
                    .bind(*facet)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for institution in &roster_ids {
                sqlx::query(
                    "INSERT INTO roster_entries (institution_id, person_id) VALUES ($1, $2)",
                )
                .bind(institution)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            audit!(
                tx,
                AuditEvent::by(who, "person.update", "person", id)
                    .in_org(organization_id.as_deref())
            );
        });
        people_changed();
        Ok(())
    }
}
