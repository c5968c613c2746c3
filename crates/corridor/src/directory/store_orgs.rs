//! SQL for organizations.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::model::{OrgKind, OrgQuery, OrgRef, Organization, OrganizationInput, Page};
use super::org_list::{self, ORG_COLUMNS, OrgFilter};
use crate::auth::audit::audit;
use crate::auth::audit::{AuditEvent, Who};
use crate::db::Store;
use crate::db::sql::Sql;
use crate::db::sqlite_reads::{ReadRow, Timestamp};
use crate::db::{bind_params, dispatch, transaction};
use crate::ids::{OrganizationId, OrganizationKey, new_id, now};
use crate::{AppError, Result};

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: String,
    slug: String,
    kind: String,
    name_zh: String,
    name_en: String,
    jurisdiction: String,
    city_en: String,
    city_zh: String,
    email: String,
    phone: String,
    website: String,
    description_en: String,
    description_zh: String,
    remote_notarization_pilot: bool,
    languages: String,
    practice_areas: String,
    is_demo: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A page's row with the total the filter matches.
#[derive(sqlx::FromRow)]
struct CountedOrgRow {
    total: i64,
    #[sqlx(flatten)]
    org: OrgRow,
}

impl OrgRow {
    /// From a blocking SQLite read, starting at column `at`, in the order of [`ORG_COLUMNS`].
    fn read_at(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Self> {
        Ok(OrgRow {
            id: row.get(at)?,
            slug: row.get(at + 1)?,
            kind: row.get(at + 2)?,
            name_zh: row.get(at + 3)?,
            name_en: row.get(at + 4)?,
            jurisdiction: row.get(at + 5)?,
            city_en: row.get(at + 6)?,
            city_zh: row.get(at + 7)?,
            email: row.get(at + 8)?,
            phone: row.get(at + 9)?,
            website: row.get(at + 10)?,
            description_en: row.get(at + 11)?,
            description_zh: row.get(at + 12)?,
            remote_notarization_pilot: row.get(at + 13)?,
            languages: row.get(at + 14)?,
            practice_areas: row.get(at + 15)?,
            is_demo: row.get(at + 16)?,
            created_at: row.get::<_, Timestamp>(at + 17)?.0,
            updated_at: row.get::<_, Timestamp>(at + 18)?.0,
        })
    }
}

impl ReadRow for CountedOrgRow {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(CountedOrgRow {
            total: row.get(0)?,
            org: OrgRow::read_at(row, 1)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TagRow {
    owner: String,
    facet: String,
    value: String,
}

pub(crate) const PAGE_DEFAULT: u32 = 20;
pub(crate) const PAGE_MAX: u32 = 100;

/// Page number and size from a query, clamped to sane bounds.
pub(crate) fn paging(page: Option<u32>, per_page: Option<u32>) -> Result<(u32, u32)> {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(PAGE_DEFAULT);
    if page == 0 || page > 100_000 {
        return Err(AppError::invalid("page", "out_of_range"));
    }
    if per_page == 0 || per_page > PAGE_MAX {
        return Err(AppError::invalid("per_page", "out_of_range"));
    }
    Ok((page, per_page))
}

impl Store {
    /// Tags of many owners in one query: `table` is `organization_tags` or `person_tags`.
    pub(crate) async fn tags_of(
        &self,
        table: &str,
        owner_column: &str,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<(String, String)>>> {
        let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let mut sql = Sql::new(&format!(
            "SELECT {owner_column} AS owner, facet, value FROM {table} WHERE {owner_column} IN "
        ));
        sql.bind_list(ids).push(" ORDER BY facet, value");
        let rows: Vec<TagRow> = dispatch!(self, |pool| {
            let q = sqlx::query_as::<_, TagRow>(sqlx::AssertSqlSafe(sql.text.clone()));
            bind_params!(q, &sql.params).fetch_all(pool).await?
        });
        for row in rows {
            out.entry(row.owner)
                .or_default()
                .push((row.facet, row.value));
        }
        Ok(out)
    }

    async fn organizations_from_rows(&self, rows: Vec<OrgRow>) -> Result<Vec<Organization>> {
        rows.into_iter()
            .map(|r| {
                let list = |json: &str| -> Result<Vec<String>> {
                    serde_json::from_str(json).map_err(|e| AppError::Internal(e.into()))
                };
                Ok(Organization {
                    kind: OrgKind::parse(&r.kind).ok_or_else(|| {
                        AppError::Internal(anyhow::anyhow!("unknown kind {}", r.kind))
                    })?,
                    languages: list(&r.languages)?,
                    practice_areas: list(&r.practice_areas)?,
                    id: r.id,
                    slug: r.slug,
                    name_zh: r.name_zh,
                    name_en: r.name_en,
                    jurisdiction: r.jurisdiction,
                    city_en: r.city_en,
                    city_zh: r.city_zh,
                    email: r.email,
                    phone: r.phone,
                    website: r.website,
                    description_en: r.description_en,
                    description_zh: r.description_zh,
                    remote_notarization_pilot: r.remote_notarization_pilot,
                    is_demo: r.is_demo,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    /// By id or slug.
    pub async fn find_organization(&self, key: &OrganizationKey) -> Result<Option<Organization>> {
        let sql =
            format!("SELECT {ORG_COLUMNS} FROM organizations o WHERE o.id = $1 OR o.slug = $1");
        let rows: Vec<OrgRow> = dispatch!(self, |pool| sqlx::query_as::<_, OrgRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(key.as_str())
        .fetch_all(pool)
        .await?);
        Ok(self.organizations_from_rows(rows).await?.into_iter().next())
    }

    /// An organization named in an input (`"organization": "<id or slug>"`): text that is
    /// neither an id nor a slug names none.
    pub async fn resolve_organization(&self, text: &str) -> Result<Option<(OrgRef, OrgKind)>> {
        match OrganizationKey::parse(text) {
            Some(key) => self.organization_ref(&key).await,
            None => Ok(None),
        }
    }

    pub async fn organization_ref(
        &self,
        key: &OrganizationKey,
    ) -> Result<Option<(OrgRef, OrgKind)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            r: OrgRef,
            kind: String,
        }
        let sql = "SELECT id, slug, name_en, name_zh, jurisdiction, kind FROM organizations WHERE id = $1 OR slug = $1";
        let row = dispatch!(self, |pool| sqlx::query_as::<_, Row>(sql)
            .bind(key.as_str())
            .fetch_optional(pool)
            .await?);
        Ok(row.and_then(|row| Some((row.r, OrgKind::parse(&row.kind)?))))
    }

    pub async fn list_organizations(&self, query: &OrgQuery) -> Result<Page<Organization>> {
        let (page, per_page) = paging(query.page, query.per_page)?;
        let (select, count) = org_list::statements(
            &org_filter(query)?,
            per_page as i64,
            ((page - 1) * per_page) as i64,
        );
        let counted: Vec<CountedOrgRow> = self.fetch_rows(&select).await?;
        let total = match counted.first() {
            Some(row) => row.total,
            // Past the last page no row carries the total.
            None if page > 1 => self
                .fetch_rows::<(i64,)>(&count)
                .await?
                .first()
                .map_or(0, |c| c.0),
            None => 0,
        };
        let rows = counted.into_iter().map(|r| r.org).collect();
        Ok(Page {
            items: self.organizations_from_rows(rows).await?,
            page,
            per_page,
            total,
        })
    }

    /// Creates an organization from a validated input.
    pub async fn create_organization(
        &self,
        who: &Who,
        input: &OrganizationInput,
        is_demo: bool,
    ) -> Result<OrganizationId> {
        let input = super::validate::organization(input)?;
        let id = new_id();
        let at = now();
        let sql = "INSERT INTO organizations (id, slug, kind, name_zh, name_en, jurisdiction, city_en, city_zh, \
                   email, phone, website, description_en, description_zh, remote_notarization_pilot, is_demo, \
                   created_at, updated_at, languages, practice_areas) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18)";
        transaction!(self, |tx| {
            sqlx::query(sql)
                .bind(&id)
                .bind(input.slug.as_deref())
                .bind(input.kind.as_str())
                .bind(&input.name_zh)
                .bind(&input.name_en)
                .bind(&input.jurisdiction)
                .bind(&input.city_en)
                .bind(&input.city_zh)
                .bind(&input.email)
                .bind(&input.phone)
                .bind(&input.website)
                .bind(&input.description_en)
                .bind(&input.description_zh)
                .bind(input.remote_notarization_pilot)
                .bind(is_demo)
                .bind(at)
                .bind(json_list(&input.languages))
                .bind(json_list(&input.practice_areas))
                .execute(&mut *tx)
                .await
                .map_err(slug_conflict)?;
            if let Some(rows) = tag_rows(&id, &input, at) {
                let q = sqlx::query(sqlx::AssertSqlSafe(rows.text.clone()));
                bind_params!(q, &rows.params).execute(&mut *tx).await?;
            }
            audit!(
                tx,
                AuditEvent::by(who, "organization.create", "organization", &id)
                    .in_org(Some(&id))
                    .detail(format!(
                        "slug={}",
                        input.slug.as_deref().unwrap_or_default()
                    ))
            );
        });
        Ok(OrganizationId::from_stored(id))
    }

    /// Replaces an organization's fields. Its kind may change only for programme staff, which
    /// the caller decides; the store just writes.
    pub async fn update_organization(
        &self,
        who: &Who,
        id: &OrganizationId,
        input: &OrganizationInput,
    ) -> Result<()> {
        let id = id.as_str();
        let input = super::validate::organization(input)?;
        let at = now();
        let sql = "UPDATE organizations SET slug = $2, kind = $3, name_zh = $4, name_en = $5, jurisdiction = $6, \
                   city_en = $7, city_zh = $8, email = $9, phone = $10, website = $11, description_en = $12, \
                   description_zh = $13, remote_notarization_pilot = $14, updated_at = $15, languages = $16, \
                   practice_areas = $17 WHERE id = $1";
        transaction!(self, |tx| {
            let done = sqlx::query(sql)
                .bind(id)
                .bind(input.slug.as_deref())
                .bind(input.kind.as_str())
                .bind(&input.name_zh)
                .bind(&input.name_en)
                .bind(&input.jurisdiction)
                .bind(&input.city_en)
                .bind(&input.city_zh)
                .bind(&input.email)
                .bind(&input.phone)
                .bind(&input.website)
                .bind(&input.description_en)
                .bind(&input.description_zh)
                .bind(input.remote_notarization_pilot)
                .bind(at)
                .bind(json_list(&input.languages))
                .bind(json_list(&input.practice_areas))
                .execute(&mut *tx)
                .await
                .map_err(slug_conflict)?
                .rows_affected();
            if done == 0 {
                return Err(AppError::NotFound);
            }
            sqlx::query("DELETE FROM organization_tags WHERE organization_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if let Some(rows) = tag_rows(id, &input, at) {
                let q = sqlx::query(sqlx::AssertSqlSafe(rows.text.clone()));
                bind_params!(q, &rows.params).execute(&mut *tx).await?;
            }
            audit!(
                tx,
                AuditEvent::by(who, "organization.update", "organization", id).in_org(Some(id))
            );
        });
        Ok(())
    }

    pub async fn has_demo_data(&self) -> Result<bool> {
        // LIMIT 1 keeps this cheap on every page view, whatever the directory's size.
        let sql = "SELECT COUNT(*) FROM (SELECT 1 FROM organizations WHERE is_demo LIMIT 1) d";
        let n: i64 = dispatch!(self, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?);
        Ok(n > 0)
    }

    pub async fn count_organizations(&self) -> Result<i64> {
        Ok(dispatch!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM organizations"
        )
        .fetch_one(pool)
        .await?))
    }
}

pub(crate) fn json_list(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn slug_conflict(err: sqlx::Error) -> AppError {
    match AppError::from(err) {
        AppError::Conflict("already_exists") => AppError::Conflict("slug_taken"),
        other => other,
    }
}

/// The list request, validated: country and tag codes checked against their lists.
fn org_filter(query: &OrgQuery) -> Result<OrgFilter> {
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if q.is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::invalid("q", "too_long"));
    }
    let country = |field: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|c| super::validate::country(field, c))
            .transpose()
    };
    let mut tags = Vec::new();
    if let Some(value) = &query.practice_area {
        let mut areas =
            super::validate::practice_areas("practice_area", std::slice::from_ref(value))?;
        tags.push(("practice_area", areas.remove(0)));
    }
    if let Some(value) = &query.language {
        let mut languages = super::validate::languages("language", std::slice::from_ref(value))?;
        tags.push(("language", languages.remove(0)));
    }
    Ok(OrgFilter {
        q: q.map(str::to_string),
        kind: query.kind,
        country: country("country", &query.country)?,
        tags,
        partner_country: country("partner_country", &query.partner_country)?,
        pilot: query.pilot,
        sort: query.sort.unwrap_or_default(),
    })
}

/// An organization's tag rows, as [`org_list::tag_rows`] writes them.
fn tag_rows(id: &str, input: &OrganizationInput, at: DateTime<Utc>) -> Option<Sql> {
    let tags: Vec<(&str, &str)> = [
        ("language", &input.languages),
        ("practice_area", &input.practice_areas),
    ]
    .into_iter()
    .flat_map(|(facet, values)| values.iter().map(move |v| (facet, v.as_str())))
    .collect();
    org_list::tag_rows(id, &tags, &input.name_en, at)
}
