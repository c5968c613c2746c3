//! SQL for the retention of notarial files: started once per matter (the act's day), then
//! confirmed or held by the office under a version check, with the timeline and audit events
//! in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};

use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::now;
use crate::matters::store::matter_event;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RetentionRow {
    pub matter_id: String,
    pub office_id: String,
    pub act: String,
    pub starts_on: NaiveDate,
    pub confirmed_class: String,
    pub confirmed_basis: String,
    pub confirmed_by: String,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub hold: bool,
    pub hold_reason: String,
    pub version: i64,
}

/// A file the purge looks at: its retention, its matter's reference, and whether its key is
/// already shredded.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct PurgeRow {
    #[sqlx(flatten)]
    pub retention: RetentionRow,
    pub reference: String,
    pub shredded_at: Option<DateTime<Utc>>,
}

/// What the office says about one file's retention.
pub struct RetentionChange<'a> {
    pub confirmed_class: &'a str,
    pub confirmed_basis: &'a str,
    pub hold: bool,
    pub hold_reason: &'a str,
}

const COLUMNS: &str = "r.matter_id, r.office_id, r.act, r.starts_on, r.confirmed_class, \
     r.confirmed_basis, r.confirmed_by, r.confirmed_at, r.hold, r.hold_reason, r.version";

impl Store {
    /// Starts a file's retention on the act's day; a second start (a retried certification)
    /// keeps the first.
    pub async fn start_retention(
        &self,
        who: &Who,
        matter_id: &str,
        office_id: &str,
        act: &str,
        starts_on: NaiveDate,
    ) -> Result<()> {
        transaction!(self, |tx| {
            let started = sqlx::query(
                "INSERT INTO notary_retention (matter_id, office_id, act, starts_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (matter_id) DO NOTHING",
            )
            .bind(matter_id)
            .bind(office_id)
            .bind(act)
            .bind(starts_on)
            .bind(now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if started == 1 {
                audit!(
                    tx,
                    AuditEvent::by(who, "notary.retention_started", "matter", matter_id)
                        .in_org(Some(office_id))
                        .detail(format!("{act} from {starts_on}"))
                );
            }
        });
        Ok(())
    }

    pub async fn retention(&self, matter_id: &str) -> Result<Option<RetentionRow>> {
        let sql = format!("SELECT {COLUMNS} FROM notary_retention r WHERE r.matter_id = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, RetentionRow>(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .bind(matter_id)
        .fetch_optional(pool)
        .await?))
    }

    /// Writes the office's confirmation and hold if the row is still at `version`; `false`
    /// when someone changed it meanwhile.
    pub async fn change_retention(
        &self,
        who: &Who,
        row: &RetentionRow,
        change: &RetentionChange<'_>,
    ) -> Result<bool> {
        let by = who.user_id.clone().unwrap_or_default();
        let confirmed = !change.confirmed_class.is_empty();
        let same_confirmation = change.confirmed_class == row.confirmed_class
            && change.confirmed_basis == row.confirmed_basis;
        let (confirmed_by, confirmed_at) = match (confirmed, same_confirmation) {
            (false, _) => (String::new(), None),
            (true, true) => (row.confirmed_by.clone(), row.confirmed_at),
            (true, false) => (by.clone(), Some(now())),
        };
        let args = crate::matters::text::args(&[
            ("class", change.confirmed_class),
            ("hold", if change.hold { "on" } else { "off" }),
        ]);
        let changed = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE notary_retention SET confirmed_class = $1, confirmed_basis = $2, \
                 confirmed_by = $3, confirmed_at = $4, hold = $5, hold_reason = $6, \
                 version = version + 1 WHERE matter_id = $7 AND version = $8",
            )
            .bind(change.confirmed_class)
            .bind(change.confirmed_basis)
            .bind(&confirmed_by)
            .bind(confirmed_at)
            .bind(change.hold)
            .bind(change.hold_reason)
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
                    &by,
                    "retention_changed",
                    None::<&str>,
                    args.clone(),
                    String::new()
                );
                audit!(
                    tx,
                    AuditEvent::by(who, "notary.retention_changed", "matter", &row.matter_id)
                        .in_org(Some(&row.office_id))
                        .detail(format!(
                            "class={} hold={} basis={}",
                            change.confirmed_class, change.hold, change.confirmed_basis
                        ))
                );
            }
            done
        });
        Ok(changed)
    }

    /// Every file whose retention has started, oldest first, with its key's state.
    pub async fn retention_files(&self) -> Result<Vec<PurgeRow>> {
        let sql = format!(
            "SELECT {COLUMNS}, m.reference, k.shredded_at FROM notary_retention r \
             JOIN matters m ON m.id = r.matter_id \
             LEFT JOIN matter_keys k ON k.matter_id = r.matter_id \
             ORDER BY r.starts_on, r.matter_id"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, PurgeRow>(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .fetch_all(pool)
        .await?))
    }
}
