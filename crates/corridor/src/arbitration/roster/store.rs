//! SQL for the roster: profiles (`arbitrator_profiles`), recommendations under cooperation
//! agreements, appointments outside this deployment, and disclosures. Appointments in cases here
//! are read from `case_nominations`. Every change writes its audit event in the same transaction.

use chrono::{DateTime, Utc};

use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::{new_id, now};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ProfileRow {
    pub person_id: String,
    /// JSON, the API's shape.
    pub facts: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RecommendationRow {
    pub person_id: String,
    pub institution_slug: String,
    pub institution_name_en: String,
    pub institution_name_zh: String,
    pub recommended_by_slug: String,
    pub recommended_by_name_en: String,
    pub recommended_by_name_zh: String,
    pub agreement_id: String,
    pub agreement_signed_on: chrono::NaiveDate,
    pub recommended_on: String,
}

/// One appointment in the arbitrator's history: in a case here (`source` = `here`) or recorded
/// from elsewhere (`recorded`).
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct HistoryRow {
    pub person_id: String,
    pub source: String,
    pub appointed_on: String,
    pub seat_role: String,
    pub institution: String,
    pub case_reference: String,
    pub appointed_by: String,
    pub counsel_firm: Option<String>,
    /// The case's matter is still open (here) — a pending case.
    pub pending: bool,
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct DisclosureRow {
    pub id: String,
    pub person_id: String,
    pub made_on: String,
    pub matter_id: Option<String>,
    pub nomination_id: Option<String>,
    pub case_reference: String,
    pub statement: String,
    pub recorded_at: DateTime<Utc>,
}

/// An appointment elsewhere, as recorded.
pub struct NewAppointment<'a> {
    pub appointed_on: &'a str,
    pub seat_role: &'a str,
    pub institution: &'a str,
    pub case_reference: &'a str,
    pub appointed_by: &'a str,
    pub counsel_firm: Option<&'a str>,
}

/// A disclosure, as recorded.
pub struct NewDisclosure<'a> {
    pub person_id: &'a str,
    pub made_on: &'a str,
    pub matter_id: Option<&'a str>,
    pub nomination_id: Option<&'a str>,
    pub case_reference: &'a str,
    pub statement: &'a str,
}

const RECOMMENDATIONS: &str = "SELECT r.person_id, i.slug AS institution_slug, \
     i.name_en AS institution_name_en, i.name_zh AS institution_name_zh, \
     b.slug AS recommended_by_slug, b.name_en AS recommended_by_name_en, \
     b.name_zh AS recommended_by_name_zh, r.agreement_id, \
     a.signed_on AS agreement_signed_on, \
     r.recommended_on FROM roster_recommendations r \
     JOIN organizations i ON i.id = r.institution_id \
     JOIN organizations b ON b.id = r.recommended_by_id \
     JOIN cooperation_agreements a ON a.id = r.agreement_id";

/// Confirmed (or challenged, not removed) seats in cases here. `$1` is a person id, or NULL
/// for everyone.
const HERE: &str = "SELECT n.person_id, n.decided_at, n.seat_role, \
     o.name_en AS institution, m.reference AS case_reference, n.appointed_by, n.counsel_firm, \
     (m.status = 'open') AS pending \
     FROM case_nominations n JOIN matters m ON m.id = n.matter_id \
     JOIN organizations o ON o.id = m.owner_org_id \
     WHERE n.status IN ('confirmed', 'challenged') AND n.decided_at IS NOT NULL \
     AND ($1 IS NULL OR n.person_id = $1)";

/// Appointments recorded from elsewhere, in the shape of [`HistoryRow`].
const RECORDED: &str = "SELECT person_id, 'recorded' AS source, appointed_on, seat_role, \
     institution, case_reference, appointed_by, counsel_firm, FALSE AS pending \
     FROM arbitrator_appointments WHERE ($1 IS NULL OR person_id = $1)";

/// A seat here as read: its day is the confirmation's, in UTC (formatted here, not by the
/// database, whose session time zone may be anything).
#[derive(sqlx::FromRow)]
struct HereRow {
    person_id: String,
    decided_at: DateTime<Utc>,
    seat_role: String,
    institution: String,
    case_reference: String,
    appointed_by: String,
    counsel_firm: Option<String>,
    pending: bool,
}

impl Store {
    pub async fn roster_profile(&self, person_id: &str) -> Result<Option<ProfileRow>> {
        let sql = "SELECT person_id, facts, version, updated_at FROM arbitrator_profiles \
                   WHERE person_id = $1";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, ProfileRow>(sql)
            .bind(person_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Every kept profile (the roster search reads them all; a roster is thousands, not millions).
    pub async fn roster_profiles(&self) -> Result<Vec<ProfileRow>> {
        let sql = "SELECT person_id, facts, version, updated_at FROM arbitrator_profiles";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, ProfileRow>(sql)
            .fetch_all(pool)
            .await?))
    }

    /// Writes the profile if its version is still `version` (0: there is none yet). `false` when
    /// someone saved it meanwhile.
    pub async fn save_roster_profile(
        &self,
        who: &Who,
        person_id: &str,
        facts: &str,
        version: i64,
    ) -> Result<bool> {
        let at = now();
        let done = transaction!(self, |tx| {
            let done = if version == 0 {
                sqlx::query(
                    "INSERT INTO arbitrator_profiles (person_id, facts, version, updated_by, updated_at) \
                     VALUES ($1, $2, 1, $3, $4) ON CONFLICT (person_id) DO NOTHING",
                )
                .bind(person_id)
                .bind(facts)
                .bind(&who.user_id)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } else {
                sqlx::query(
                    "UPDATE arbitrator_profiles SET facts = $1, version = version + 1, \
                     updated_by = $2, updated_at = $3 WHERE person_id = $4 AND version = $5",
                )
                .bind(facts)
                .bind(&who.user_id)
                .bind(at)
                .bind(person_id)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "roster.profile", "person", person_id)
                        .detail(format!("version {}", version + 1))
                );
            }
            done
        });
        Ok(done)
    }

    /// Recommendations of one person, or of everyone (`None`).
    pub async fn roster_recommendations(
        &self,
        person_id: Option<&str>,
    ) -> Result<Vec<RecommendationRow>> {
        let sql = format!(
            "{RECOMMENDATIONS} WHERE ($1 IS NULL OR r.person_id = $1) \
             ORDER BY r.person_id, i.slug, b.slug"
        );
        Ok(dispatch!(self, |pool| {
            sqlx::query_as::<_, RecommendationRow>(sqlx::AssertSqlSafe(sql))
                .bind(person_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Records a recommendation; `false` when the same one is already recorded.
    pub async fn add_roster_recommendation(
        &self,
        who: &Who,
        person_id: &str,
        (institution_id, recommended_by_id, agreement_id): (&str, &str, &str),
        recommended_on: &str,
    ) -> Result<bool> {
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "INSERT INTO roster_recommendations (person_id, institution_id, recommended_by_id, \
                 agreement_id, recommended_on, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            )
            .bind(person_id)
            .bind(institution_id)
            .bind(recommended_by_id)
            .bind(agreement_id)
            .bind(recommended_on)
            .bind(&who.user_id)
            .bind(now())
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "roster.recommendation", "person", person_id)
                        .in_org(Some(institution_id))
                        .detail(format!("by {recommended_by_id} under {agreement_id}"))
                );
            }
            done
        });
        Ok(done)
    }

    /// Withdraws a recommendation; `false` when there was none.
    pub async fn remove_roster_recommendation(
        &self,
        who: &Who,
        person_id: &str,
        institution_id: &str,
        recommended_by_id: &str,
    ) -> Result<bool> {
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "DELETE FROM roster_recommendations WHERE person_id = $1 AND institution_id = $2 \
                 AND recommended_by_id = $3",
            )
            .bind(person_id)
            .bind(institution_id)
            .bind(recommended_by_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "roster.recommendation_withdrawn", "person", person_id)
                        .in_org(Some(institution_id))
                        .detail(format!("by {recommended_by_id}"))
                );
            }
            done
        });
        Ok(done)
    }

    /// Records an appointment elsewhere; its id.
    pub async fn record_appointment(
        &self,
        who: &Who,
        person_id: &str,
        a: &NewAppointment<'_>,
    ) -> Result<String> {
        let id = new_id();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO arbitrator_appointments (id, person_id, appointed_on, seat_role, \
                 institution, case_reference, appointed_by, counsel_firm, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&id)
            .bind(person_id)
            .bind(a.appointed_on)
            .bind(a.seat_role)
            .bind(a.institution)
            .bind(a.case_reference)
            .bind(a.appointed_by)
            .bind(a.counsel_firm)
            .bind(&who.user_id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "roster.appointment", "person", person_id)
                    .detail(format!("{} {}", a.appointed_on, a.seat_role))
            );
        });
        Ok(id)
    }

    /// The appointment history of one person, or of everyone (`None`), oldest first.
    pub async fn appointment_history(&self, person_id: Option<&str>) -> Result<Vec<HistoryRow>> {
        let here: Vec<HereRow> = dispatch!(self, |pool| sqlx::query_as(HERE)
            .bind(person_id)
            .fetch_all(pool)
            .await?);
        let mut out: Vec<HistoryRow> = dispatch!(self, |pool| sqlx::query_as(RECORDED)
            .bind(person_id)
            .fetch_all(pool)
            .await?);
        out.extend(here.into_iter().map(|h| HistoryRow {
            person_id: h.person_id,
            source: "here".into(),
            appointed_on: h.decided_at.date_naive().to_string(),
            seat_role: h.seat_role,
            institution: h.institution,
            case_reference: h.case_reference,
            appointed_by: h.appointed_by,
            counsel_firm: h.counsel_firm,
            pending: h.pending,
        }));
        out.sort_by(|a, b| {
            (a.appointed_on.as_str(), a.person_id.as_str())
                .cmp(&(b.appointed_on.as_str(), b.person_id.as_str()))
        });
        Ok(out)
    }

    /// Seats held per person and seat role, counted in the database (a roster's history may
    /// be a million rows): (person, seat role, seats, of which pending here).
    pub async fn seat_counts(&self) -> Result<Vec<(String, String, i64, i64)>> {
        let sql = format!(
            "SELECT person_id, seat_role, COUNT(*) AS seats, \
             SUM(CASE WHEN pending THEN 1 ELSE 0 END) AS pending \
             FROM (SELECT person_id, seat_role, pending FROM ({HERE}) a \
             UNION ALL SELECT person_id, seat_role, pending FROM ({RECORDED}) b) h \
             GROUP BY person_id, seat_role"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            sql
        ))
        .bind(None::<String>)
        .fetch_all(pool)
        .await?))
    }

    /// Records a disclosure; its id.
    pub async fn record_disclosure(&self, who: &Who, d: &NewDisclosure<'_>) -> Result<String> {
        let id = new_id();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO arbitrator_disclosures (id, person_id, made_on, matter_id, \
                 nomination_id, case_reference, statement, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&id)
            .bind(d.person_id)
            .bind(d.made_on)
            .bind(d.matter_id)
            .bind(d.nomination_id)
            .bind(d.case_reference)
            .bind(d.statement)
            .bind(&who.user_id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "roster.disclosure", "person", d.person_id)
                    .detail(d.case_reference.to_owned())
            );
        });
        Ok(id)
    }

    /// One person's disclosures (newest first), or those made on one nomination.
    pub async fn disclosures(
        &self,
        person_id: Option<&str>,
        nomination_id: Option<&str>,
    ) -> Result<Vec<DisclosureRow>> {
        let sql = "SELECT id, person_id, made_on, matter_id, nomination_id, case_reference, \
                   statement, recorded_at FROM arbitrator_disclosures \
                   WHERE ($1 IS NULL OR person_id = $1) AND ($2 IS NULL OR nomination_id = $2) \
                   ORDER BY made_on DESC, recorded_at DESC";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, DisclosureRow>(
            sql
        )
        .bind(person_id)
        .bind(nomination_id)
        .fetch_all(pool)
        .await?))
    }
}
