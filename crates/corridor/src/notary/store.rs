//! SQL for the notary offices' work: office settings, applications (each a matter of kind
//! `notarization`), their sessions and the notarial register. Every change writes its audit
//! event (and, for an application, its timeline event and notices) in the same transaction.

use chrono::{DateTime, Utc};

use super::application::Status;
use super::session::Session;
use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::{new_id, now};
use crate::matters::store::{Member, matter_event, notify_each};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct OfficeRow {
    pub organization_id: String,
    pub abbreviation: String,
    pub series: String,
    pub own_device_sessions: bool,
}

const APPLICATION_COLUMNS: &str = "a.matter_id, a.office_id, a.applicant_id, a.matter_type, \
     a.purpose, a.venue, a.residence_country, a.answers, a.verdict, a.conditions, a.status, \
     a.ground, a.note, a.notary_id, a.meeting_id, a.version, a.applied_at, a.updated_at, \
     m.reference, m.title, o.slug AS office_slug, o.name_en AS office_name_en, \
     o.name_zh AS office_name_zh, u.name AS applicant_name, u.email AS applicant_email";
const APPLICATION_FROM: &str = "notary_applications a JOIN matters m ON m.id = a.matter_id \
     JOIN organizations o ON o.id = a.office_id JOIN users u ON u.id = a.applicant_id";

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ApplicationRow {
    pub matter_id: String,
    pub office_id: String,
    pub applicant_id: String,
    pub matter_type: String,
    pub purpose: String,
    pub venue: String,
    pub residence_country: String,
    pub answers: String,
    pub verdict: String,
    pub conditions: String,
    pub status: String,
    pub ground: Option<String>,
    pub note: String,
    pub notary_id: Option<String>,
    pub meeting_id: Option<String>,
    pub version: i64,
    pub applied_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub reference: String,
    pub title: String,
    pub office_slug: String,
    pub office_name_en: String,
    pub office_name_zh: String,
    pub applicant_name: String,
    pub applicant_email: String,
}

impl ApplicationRow {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Applied)
    }
}

/// A new application, checked.
pub struct NewApplication<'a> {
    pub matter_type: &'a str,
    pub purpose: &'a str,
    pub venue: &'a str,
    pub residence_country: &'a str,
    pub answers: &'a str,
    pub verdict: &'a str,
    pub conditions: &'a str,
}

/// A step taken on an application, as the store writes it.
pub struct Move<'a> {
    pub to: Status,
    /// The timeline event and notice kind (`application_accepted`, …).
    pub event: &'a str,
    pub ground: Option<&'a str>,
    pub note: &'a str,
    pub notary_id: Option<&'a str>,
    pub meeting_id: Option<&'a str>,
}

#[derive(sqlx::FromRow, Clone, Debug)]
struct SessionRow {
    identity: String,
    consent_at: Option<DateTime<Utc>>,
    recording_document_id: Option<String>,
    recording_sha256: Option<String>,
    recording_size: Option<i64>,
    qa: String,
    signature: Option<String>,
    held_at: Option<DateTime<Utc>>,
    version: i64,
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RegisterRow {
    pub id: String,
    pub office_id: String,
    pub year: i32,
    pub series: String,
    pub serial: i64,
    pub number: String,
    pub matter_id: String,
    pub matter_type: String,
    pub text_zh: String,
    pub text_en: String,
    pub use_abroad: Option<String>,
    pub route: Option<String>,
    pub document_id: Option<String>,
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
}

const REGISTER_COLUMNS: &str = "id, office_id, year, series, serial, number, matter_id, \
     matter_type, text_zh, text_en, use_abroad, route, document_id, issued_by, issued_at";

/// A certificate about to enter the register.
pub struct NewEntry<'a> {
    pub office_id: &'a str,
    pub year: i32,
    pub series: &'a str,
    pub matter_id: &'a str,
    pub matter_type: &'a str,
    pub text_zh: &'a str,
    pub text_en: &'a str,
    pub use_abroad: Option<&'a str>,
    pub route: Option<&'a str>,
}

impl Store {
    pub async fn notary_office(&self, organization_id: &str) -> Result<Option<OfficeRow>> {
        let sql = "SELECT organization_id, abbreviation, series, own_device_sessions \
                   FROM notary_offices WHERE organization_id = $1";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, OfficeRow>(sql)
            .bind(organization_id)
            .fetch_optional(pool)
            .await?))
    }

    pub async fn set_notary_office(&self, who: &Who, office: &OfficeRow) -> Result<()> {
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO notary_offices (organization_id, abbreviation, series, \
                 own_device_sessions, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (organization_id) DO UPDATE SET abbreviation = $2, series = $3, \
                 own_device_sessions = $4, updated_at = $5",
            )
            .bind(&office.organization_id)
            .bind(&office.abbreviation)
            .bind(&office.series)
            .bind(office.own_device_sessions)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(
                    who,
                    "notary.office",
                    "organization",
                    &office.organization_id
                )
                .in_org(Some(&office.organization_id))
                .detail(format!(
                    "{}{} own_device={}",
                    office.abbreviation, office.series, office.own_device_sessions
                ))
            );
        });
        Ok(())
    }

    /// Records the application of a matter just opened, with an empty session.
    pub async fn insert_application(
        &self,
        who: &Who,
        matter_id: &str,
        office_id: &str,
        applicant_id: &str,
        a: &NewApplication<'_>,
    ) -> Result<()> {
        let at = now();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO notary_applications (matter_id, office_id, applicant_id, matter_type, \
                 purpose, venue, residence_country, answers, verdict, conditions, status, ground, \
                 note, notary_id, meeting_id, version, applied_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'applied', NULL, '', NULL, NULL, 1, $11, $11)",
            )
            .bind(matter_id)
            .bind(office_id)
            .bind(applicant_id)
            .bind(a.matter_type)
            .bind(a.purpose)
            .bind(a.venue)
            .bind(a.residence_country)
            .bind(a.answers)
            .bind(a.verdict)
            .bind(a.conditions)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO notary_sessions (matter_id, identity, qa, version) VALUES ($1, '[]', '[]', 1)",
            )
            .bind(matter_id)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "notary.apply", "matter", matter_id)
                    .in_org(Some(office_id))
                    .detail(a.matter_type.to_owned())
            );
        });
        Ok(())
    }

    pub async fn notary_application(&self, matter_id: &str) -> Result<Option<ApplicationRow>> {
        let sql =
            format!("SELECT {APPLICATION_COLUMNS} FROM {APPLICATION_FROM} WHERE a.matter_id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, ApplicationRow>(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .bind(matter_id)
        .fetch_optional(pool)
        .await?))
    }

    /// The applications `user_id` made or is the notary of, and every application at
    /// `offices` (where the reader is a notary or administrator); newest first, at most 200.
    pub async fn notary_applications(
        &self,
        user_id: &str,
        offices: &[String],
    ) -> Result<Vec<ApplicationRow>> {
        let mut marks = String::new();
        for i in 0..offices.len() {
            marks.push_str(&format!(", ${}", i + 2));
        }
        let sql = format!(
            "SELECT {APPLICATION_COLUMNS} FROM {APPLICATION_FROM} WHERE a.applicant_id = $1 \
             OR a.notary_id = $1 OR a.office_id IN (''{marks}) ORDER BY a.applied_at DESC LIMIT 200"
        );
        Ok(dispatch!(self, |pool| {
            let mut q =
                sqlx::query_as::<_, ApplicationRow>(sqlx::AssertSqlSafe(sql.clone())).bind(user_id);
            for o in offices {
                q = q.bind(o);
            }
            q.fetch_all(pool).await?
        }))
    }

    /// Takes a step on an application at `row.version`: `false` when someone else moved it
    /// first (the caller answers 409). The timeline event and the notices to `recipients` are
    /// written with it.
    pub async fn move_application(
        &self,
        who: &Who,
        row: &ApplicationRow,
        step: &Move<'_>,
        recipients: &[&Member],
        base: &str,
    ) -> Result<bool> {
        let at = now();
        let actor = who.user_id.clone().unwrap_or_default();
        let args =
            crate::matters::text::args(&[("reference", &row.reference), ("title", &row.title)]);
        let link = format!("/notary/applications/{}", row.matter_id);
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE notary_applications SET status = $1, ground = COALESCE($2, ground), \
                 note = $3, notary_id = COALESCE($4, notary_id), meeting_id = COALESCE($5, meeting_id), \
                 version = version + 1, updated_at = $6 WHERE matter_id = $7 AND version = $8",
            )
            .bind(step.to.as_str())
            .bind(step.ground)
            .bind(step.note)
            .bind(step.notary_id)
            .bind(step.meeting_id)
            .bind(at)
            .bind(&row.matter_id)
            .bind(row.version)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                matter_event!(
                    tx,
                    &row.matter_id,
                    &actor,
                    step.event,
                    None::<String>,
                    args.clone(),
                    String::new()
                );
                notify_each!(
                    tx,
                    recipients.iter().copied(),
                    &row.matter_id,
                    step.event,
                    args.clone(),
                    link.clone(),
                    base
                );
                audit!(
                    tx,
                    AuditEvent::by(who, "notary.application", "matter", &row.matter_id)
                        .in_org(Some(&row.office_id))
                        .detail(format!("{} -> {}", row.status, step.to.as_str()))
                );
            }
            done
        });
        Ok(done)
    }

    /// The session of an application, with its version.
    pub async fn notary_session(&self, matter_id: &str) -> Result<Option<(Session, i64)>> {
        let sql = "SELECT identity, consent_at, recording_document_id, recording_sha256, \
                   recording_size, qa, signature, held_at, version FROM notary_sessions \
                   WHERE matter_id = $1";
        let row = dispatch!(self, |pool| sqlx::query_as::<_, SessionRow>(sql)
            .bind(matter_id)
            .fetch_optional(pool)
            .await?);
        let Some(r) = row else { return Ok(None) };
        let session = Session {
            identity: parse(&r.identity)?,
            consent_at: r.consent_at,
            recording: match (r.recording_document_id, r.recording_sha256) {
                (Some(document_id), Some(sha256)) => Some(super::session::Recording {
                    document_id,
                    sha256,
                    size: r.recording_size.unwrap_or(0),
                }),
                _ => None,
            },
            qa: parse(&r.qa)?,
            signature: match r.signature {
                Some(s) => Some(parse(&s)?),
                None => None,
            },
            held_at: r.held_at,
        };
        Ok(Some((session, r.version)))
    }

    /// Writes the session as it now stands if it is still at `version`; `false` otherwise.
    pub async fn save_notary_session(
        &self,
        who: &Who,
        matter_id: &str,
        office_id: &str,
        session: &Session,
        version: i64,
        what: &str,
    ) -> Result<bool> {
        let identity = json(&session.identity)?;
        let qa = json(&session.qa)?;
        let signature = match &session.signature {
            Some(s) => Some(json(s)?),
            None => None,
        };
        let recording = session.recording.as_ref();
        let done = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE notary_sessions SET identity = $1, consent_at = $2, \
                 recording_document_id = $3, recording_sha256 = $4, recording_size = $5, qa = $6, \
                 signature = $7, held_at = $8, version = version + 1 \
                 WHERE matter_id = $9 AND version = $10",
            )
            .bind(&identity)
            .bind(session.consent_at)
            .bind(recording.map(|r| r.document_id.clone()))
            .bind(recording.map(|r| r.sha256.clone()))
            .bind(recording.map(|r| r.size))
            .bind(&qa)
            .bind(signature.as_deref())
            .bind(session.held_at)
            .bind(matter_id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "notary.session", "matter", matter_id)
                        .in_org(Some(office_id))
                        .detail(what.to_owned())
                );
            }
            done
        });
        Ok(done)
    }

    /// Enters a certificate in the register with the next serial of its office, series and
    /// year. `None` when the matter already has one.
    pub async fn enter_certificate(
        &self,
        who: &Who,
        e: &NewEntry<'_>,
        number: impl Fn(i64) -> String,
    ) -> Result<Option<RegisterRow>> {
        let id = new_id();
        let at = now();
        let by = who.user_id.clone().unwrap_or_default();
        let entered = transaction!(self, |tx| {
            let taken: Option<(String,)> =
                sqlx::query_as("SELECT id FROM notary_register WHERE matter_id = $1")
                    .bind(e.matter_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if taken.is_some() {
                return Ok(None);
            }
            // The write transaction holds the database's write lock on SQLite; on PostgreSQL the
            // unique (office, year, series, serial) refuses a second writer, whose caller retries.
            let last: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(serial) FROM notary_register WHERE office_id = $1 AND year = $2 AND series = $3",
            )
            .bind(e.office_id)
            .bind(e.year)
            .bind(e.series)
            .fetch_one(&mut *tx)
            .await?;
            let serial = last.unwrap_or(0) + 1;
            let number = number(serial);
            sqlx::query(
                "INSERT INTO notary_register (id, office_id, year, series, serial, number, matter_id, \
                 matter_type, text_zh, text_en, use_abroad, route, document_id, issued_by, issued_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14)",
            )
            .bind(&id)
            .bind(e.office_id)
            .bind(e.year)
            .bind(e.series)
            .bind(serial)
            .bind(&number)
            .bind(e.matter_id)
            .bind(e.matter_type)
            .bind(e.text_zh)
            .bind(e.text_en)
            .bind(e.use_abroad)
            .bind(e.route)
            .bind(&by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                AuditEvent::by(who, "notary.register", "matter", e.matter_id)
                    .in_org(Some(e.office_id))
                    .detail(number.clone())
            );
            true
        });
        if !entered {
            return Ok(None);
        }
        self.register_entry(&id).await
    }

    pub async fn set_certificate_document(&self, id: &str, document_id: &str) -> Result<()> {
        transaction!(self, |tx| {
            sqlx::query("UPDATE notary_register SET document_id = $1 WHERE id = $2")
                .bind(document_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    pub async fn register_entry(&self, id: &str) -> Result<Option<RegisterRow>> {
        let sql = format!("SELECT {REGISTER_COLUMNS} FROM notary_register WHERE id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, RegisterRow>(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .bind(id)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn register_entry_for(&self, matter_id: &str) -> Result<Option<RegisterRow>> {
        let sql = format!("SELECT {REGISTER_COLUMNS} FROM notary_register WHERE matter_id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, RegisterRow>(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .bind(matter_id)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn register_by_number(
        &self,
        office_id: &str,
        year: i32,
        series: &str,
        serial: i64,
    ) -> Result<Option<RegisterRow>> {
        let sql = format!(
            "SELECT {REGISTER_COLUMNS} FROM notary_register WHERE office_id = $1 AND year = $2 \
             AND series = $3 AND serial = $4"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, RegisterRow>(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .bind(office_id)
        .bind(year)
        .bind(series)
        .bind(serial)
        .fetch_optional(pool)
        .await?))
    }

    /// An office's register, newest first (at most 500 rows per page is the caller's limit).
    pub async fn register_of(&self, office_id: &str, year: i32) -> Result<Vec<RegisterRow>> {
        let sql = format!(
            "SELECT {REGISTER_COLUMNS} FROM notary_register WHERE office_id = $1 AND year = $2 \
             ORDER BY series, serial DESC LIMIT 500"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, RegisterRow>(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .bind(office_id)
        .bind(year)
        .fetch_all(pool)
        .await?))
    }
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> anyhow::Result<T> {
    Ok(serde_json::from_str(text)?)
}

/// JSON text of a session's parts.
fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    Ok(serde_json::to_string(value)?)
}
