//! SQL for the links between organizations: law-firm partnerships and cooperation agreements
//! between arbitration institutions; and the programme figures computed from them.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;

use super::model::{
    AgreementInput, CooperationAgreement, CooperationTerm, OrgKind, OrgRef, Partnership,
    PartnershipInput, ProgrammeStats,
};
use crate::auth::audit::audit;
use crate::auth::audit::{AuditEvent, Who};
use crate::db::Store;
use crate::db::sql::Sql;
use crate::db::{bind_params, dispatch, transaction};
use crate::ids::{AgreementId, OrganizationId, PartnershipId, new_id, now};
use crate::{AppError, Result};

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: String,
    a_id: String,
    a_slug: String,
    a_name_en: String,
    a_name_zh: String,
    a_jurisdiction: String,
    b_id: String,
    b_slug: String,
    b_name_en: String,
    b_name_zh: String,
    b_jurisdiction: String,
    day: NaiveDate,
    text_en: String,
    text_zh: String,
}

impl LinkRow {
    fn refs(&self) -> (OrgRef, OrgRef) {
        (
            OrgRef {
                id: self.a_id.clone(),
                slug: self.a_slug.clone(),
                name_en: self.a_name_en.clone(),
                name_zh: self.a_name_zh.clone(),
                jurisdiction: self.a_jurisdiction.clone(),
            },
            OrgRef {
                id: self.b_id.clone(),
                slug: self.b_slug.clone(),
                name_en: self.b_name_en.clone(),
                name_zh: self.b_name_zh.clone(),
                jurisdiction: self.b_jurisdiction.clone(),
            },
        )
    }
}

fn link_select(table: &str, a: &str, b: &str, day: &str, text: &str) -> String {
    format!(
        "SELECT l.id, a.id AS a_id, a.slug AS a_slug, a.name_en AS a_name_en, a.name_zh AS a_name_zh, \
         a.jurisdiction AS a_jurisdiction, b.id AS b_id, b.slug AS b_slug, b.name_en AS b_name_en, \
         b.name_zh AS b_name_zh, b.jurisdiction AS b_jurisdiction, l.{day} AS day, l.{text}_en AS text_en, \
         l.{text}_zh AS text_zh FROM {table} l JOIN organizations a ON a.id = l.{a} \
         JOIN organizations b ON b.id = l.{b}"
    )
}

#[derive(sqlx::FromRow)]
struct ValueRow {
    owner: String,
    value: String,
}

impl Store {
    async fn link_values(&self, sql: &str, ids: &[String]) -> Result<Vec<ValueRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(sql);
        sql.bind_list(ids).push(" ORDER BY 2");
        Ok(dispatch!(self, |pool| {
            let q = sqlx::query_as::<_, ValueRow>(sqlx::AssertSqlSafe(sql.text.clone()));
            bind_params!(q, &sql.params).fetch_all(pool).await?
        }))
    }

    /// Partnerships, all or those of one organization (either side).
    pub async fn partnerships(
        &self,
        organization_id: Option<&OrganizationId>,
    ) -> Result<Vec<Partnership>> {
        let mut sql = Sql::new(&link_select(
            "partnerships",
            "local_firm_id",
            "foreign_firm_id",
            "since",
            "scope",
        ));
        if let Some(id) = organization_id {
            sql.push(" WHERE l.local_firm_id = ")
                .bind_text(id.as_str())
                .push(" OR l.foreign_firm_id = ")
                .bind_text(id.as_str());
        }
        sql.push(" ORDER BY a.name_en, b.name_en");
        let rows: Vec<LinkRow> = dispatch!(self, |pool| {
            let q = sqlx::query_as::<_, LinkRow>(sqlx::AssertSqlSafe(sql.text.clone()));
            bind_params!(q, &sql.params).fetch_all(pool).await?
        });
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let countries = self
            .link_values(
                "SELECT partnership_id AS owner, country AS value FROM partnership_countries WHERE partnership_id IN ",
                &ids,
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let (local_firm, foreign_firm) = r.refs();
                Partnership {
                    countries: countries
                        .iter()
                        .filter(|c| c.owner == r.id)
                        .map(|c| c.value.clone())
                        .collect(),
                    id: r.id,
                    local_firm,
                    foreign_firm,
                    since: r.day,
                    scope_en: r.text_en,
                    scope_zh: r.text_zh,
                }
            })
            .collect())
    }

    pub async fn partnership(&self, id: &PartnershipId) -> Result<Option<Partnership>> {
        // Small lists: filtering all partnerships keeps one code path for the joins.
        Ok(self
            .partnerships(None)
            .await?
            .into_iter()
            .find(|p| p.id == id.as_str()))
    }

    /// Resolves both firms and checks their kinds; returns (local, foreign).
    pub async fn resolve_partnership(&self, input: &PartnershipInput) -> Result<(OrgRef, OrgRef)> {
        let local = match self.resolve_organization(&input.local_firm).await? {
            Some((r, OrgKind::LocalLawFirm)) => r,
            _ => return Err(AppError::invalid("local_firm", "not_a_local_law_firm")),
        };
        let foreign = match self.resolve_organization(&input.foreign_firm).await? {
            Some((r, OrgKind::ForeignLawFirm)) => r,
            _ => return Err(AppError::invalid("foreign_firm", "not_a_foreign_law_firm")),
        };
        Ok((local, foreign))
    }

    pub async fn create_partnership(
        &self,
        who: &Who,
        input: &PartnershipInput,
    ) -> Result<PartnershipId> {
        let (local, foreign) = self.resolve_partnership(input).await?;
        let countries = super::validate::countries("countries", &input.countries)?;
        if countries.is_empty() {
            return Err(AppError::invalid("countries", "required"));
        }
        let scope_en = super::validate::text("scope_en", &input.scope_en, false, 2000)?;
        let scope_zh = super::validate::text("scope_zh", &input.scope_zh, false, 2000)?;
        let id = new_id();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO partnerships (id, local_firm_id, foreign_firm_id, since, scope_en, scope_zh, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(&local.id)
            .bind(&foreign.id)
            .bind(input.since)
            .bind(&scope_en)
            .bind(&scope_zh)
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => AppError::Conflict("partnership_exists"),
                other => other,
            })?;
            for country in &countries {
                sqlx::query(
                    "INSERT INTO partnership_countries (partnership_id, country) VALUES ($1, $2)",
                )
                .bind(&id)
                .bind(country)
                .execute(&mut *tx)
                .await?;
            }
            audit!(
                tx,
                AuditEvent::by(who, "partnership.create", "partnership", &id)
                    .in_org(Some(&local.id))
                    .detail(format!("local={} foreign={}", local.id, foreign.id))
            );
        });
        Ok(PartnershipId::from_stored(id))
    }

    pub async fn delete_partnership(&self, who: &Who, partnership: &Partnership) -> Result<()> {
        transaction!(self, |tx| {
            sqlx::query("DELETE FROM partnerships WHERE id = $1")
                .bind(&partnership.id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                AuditEvent::by(who, "partnership.delete", "partnership", &partnership.id)
                    .in_org(Some(&partnership.local_firm.id))
                    .detail(format!(
                        "local={} foreign={}",
                        partnership.local_firm.id, partnership.foreign_firm.id
                    ))
            );
        });
        Ok(())
    }

    pub async fn agreements(
        &self,
        organization_id: Option<&OrganizationId>,
    ) -> Result<Vec<CooperationAgreement>> {
        let mut sql = Sql::new(&link_select(
            "cooperation_agreements",
            "institution_id",
            "counterpart_id",
            "signed_on",
            "note",
        ));
        if let Some(id) = organization_id {
            sql.push(" WHERE l.institution_id = ")
                .bind_text(id.as_str())
                .push(" OR l.counterpart_id = ")
                .bind_text(id.as_str());
        }
        sql.push(" ORDER BY l.signed_on DESC, b.name_en");
        let rows: Vec<LinkRow> = dispatch!(self, |pool| {
            let q = sqlx::query_as::<_, LinkRow>(sqlx::AssertSqlSafe(sql.text.clone()));
            bind_params!(q, &sql.params).fetch_all(pool).await?
        });
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let terms = self
            .link_values("SELECT agreement_id AS owner, term AS value FROM agreement_terms WHERE agreement_id IN ", &ids)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let (institution, counterpart) = r.refs();
                CooperationAgreement {
                    terms: terms
                        .iter()
                        .filter(|t| t.owner == r.id)
                        .filter_map(|t| CooperationTerm::parse(&t.value))
                        .collect(),
                    id: r.id,
                    institution,
                    counterpart,
                    signed_on: r.day,
                    note_en: r.text_en,
                    note_zh: r.text_zh,
                }
            })
            .collect())
    }

    pub async fn agreement(&self, id: &AgreementId) -> Result<Option<CooperationAgreement>> {
        Ok(self
            .agreements(None)
            .await?
            .into_iter()
            .find(|a| a.id == id.as_str()))
    }

    pub async fn resolve_agreement(&self, input: &AgreementInput) -> Result<(OrgRef, OrgRef)> {
        let institution = match self.resolve_organization(&input.institution).await? {
            Some((r, OrgKind::ArbitrationInstitution)) => r,
            _ => {
                return Err(AppError::invalid(
                    "institution",
                    "not_an_arbitration_institution",
                ));
            }
        };
        let counterpart = match self.resolve_organization(&input.counterpart).await? {
            Some((r, OrgKind::ArbitrationInstitution)) if r.id != institution.id => r,
            _ => {
                return Err(AppError::invalid(
                    "counterpart",
                    "not_an_arbitration_institution",
                ));
            }
        };
        Ok((institution, counterpart))
    }

    pub async fn create_agreement(&self, who: &Who, input: &AgreementInput) -> Result<AgreementId> {
        let (institution, counterpart) = self.resolve_agreement(input).await?;
        if input.terms.is_empty() {
            return Err(AppError::invalid("terms", "required"));
        }
        let note_en = super::validate::text("note_en", &input.note_en, false, 2000)?;
        let note_zh = super::validate::text("note_zh", &input.note_zh, false, 2000)?;
        let terms: BTreeSet<&str> = input.terms.iter().map(|t| t.as_str()).collect();
        let id = new_id();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO cooperation_agreements (id, institution_id, counterpart_id, signed_on, note_en, note_zh, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(&institution.id)
            .bind(&counterpart.id)
            .bind(input.signed_on)
            .bind(&note_en)
            .bind(&note_zh)
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => AppError::Conflict("agreement_exists"),
                other => other,
            })?;
            for term in &terms {
                sqlx::query("INSERT INTO agreement_terms (agreement_id, term) VALUES ($1, $2)")
                    .bind(&id)
                    .bind(*term)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                AuditEvent::by(who, "agreement.create", "cooperation_agreement", &id)
                    .in_org(Some(&institution.id))
                    .detail(format!("counterpart={}", counterpart.id))
            );
        });
        Ok(AgreementId::from_stored(id))
    }

    pub async fn delete_agreement(
        &self,
        who: &Who,
        agreement: &CooperationAgreement,
    ) -> Result<()> {
        transaction!(self, |tx| {
            sqlx::query("DELETE FROM cooperation_agreements WHERE id = $1")
                .bind(&agreement.id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                AuditEvent::by(
                    who,
                    "agreement.delete",
                    "cooperation_agreement",
                    &agreement.id
                )
                .in_org(Some(&agreement.institution.id))
            );
        });
        Ok(())
    }

    /// The figures on the home page, computed from the directory as it is now.
    pub async fn programme_stats(&self) -> Result<ProgrammeStats> {
        #[derive(sqlx::FromRow)]
        struct Pair {
            firm: String,
            country: String,
        }
        let pairs_sql = "SELECT p.local_firm_id AS firm, pc.country FROM partnerships p \
                         JOIN partnership_countries pc ON pc.partnership_id = p.id \
                         JOIN organizations o ON o.id = p.local_firm_id WHERE o.kind = 'local_law_firm'";
        let count = |sql: &'static str| async move {
            Ok::<i64, AppError>(dispatch!(self, |pool| sqlx::query_scalar(sql)
                .fetch_one(pool)
                .await?))
        };
        let pairs: Vec<Pair> = dispatch!(self, |pool| sqlx::query_as::<_, Pair>(pairs_sql)
            .fetch_all(pool)
            .await?);
        let reference = crate::reference::Reference::get();
        let firms_with_asean: HashSet<&str> = pairs
            .iter()
            .filter(|p| reference.is_asean(&p.country))
            .map(|p| p.firm.as_str())
            .collect();
        let countries: BTreeSet<String> = pairs.iter().map(|p| p.country.clone()).collect();
        Ok(ProgrammeStats {
            local_firms_with_asean_partners: firms_with_asean.len() as i64,
            local_firms: count("SELECT COUNT(*) FROM organizations WHERE kind = 'local_law_firm'").await?,
            asean_countries_covered: countries.iter().filter(|c| reference.is_asean(c)).count() as i64,
            partner_countries: countries.into_iter().collect(),
            cooperation_agreements: count("SELECT COUNT(*) FROM cooperation_agreements").await?,
            overseas_arbitrators: count(
                "SELECT COUNT(DISTINCT p.id) FROM people p JOIN roster_entries r ON r.person_id = p.id \
                 JOIN organizations i ON i.id = r.institution_id WHERE i.jurisdiction = 'CN' AND p.based_in <> 'CN'",
            )
            .await?,
            arbitrators: count(
                "SELECT COUNT(DISTINCT r.person_id) FROM roster_entries r \
                 JOIN organizations i ON i.id = r.institution_id WHERE i.jurisdiction = 'CN'",
            )
            .await?,
            pilot_notary_offices: count(
                "SELECT COUNT(*) FROM organizations WHERE kind = 'notary_office' AND remote_notarization_pilot",
            )
            .await?,
            organizations: count("SELECT COUNT(*) FROM organizations").await?,
            people: count("SELECT COUNT(*) FROM people").await?,
        })
    }
}
