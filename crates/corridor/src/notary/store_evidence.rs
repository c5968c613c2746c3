//! SQL for evidence files: items and their chain of custody. Each change writes its audit
//! event and the matter's timeline event in the same transaction.

use chrono::{DateTime, Utc};

use super::custody::Event;
use crate::Result;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::{new_id, now};
use crate::matters::store::matter_event;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ItemRow {
    pub id: String,
    pub matter_id: String,
    pub label: String,
    pub kind: String,
    pub description: String,
    pub documents: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct EventRow {
    pub id: String,
    pub item_id: String,
    pub seq: i64,
    pub event: String,
    pub holder: String,
    pub happened_at: DateTime<Utc>,
    pub place: String,
    pub seal_number: String,
    pub courier_id: String,
    pub note: String,
    pub seal_broken: bool,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl EventRow {
    pub fn event(&self) -> Event {
        Event {
            event: self.event.clone(),
            holder: self.holder.clone(),
            happened_at: self.happened_at,
            place: self.place.clone(),
            seal_number: self.seal_number.clone(),
            courier_id: self.courier_id.clone(),
            note: self.note.clone(),
        }
    }
}

/// An item about to be recorded, with its first custody event.
pub struct NewItem<'a> {
    pub matter_id: &'a str,
    pub office_id: &'a str,
    pub label: &'a str,
    pub kind: &'a str,
    pub description: &'a str,
    pub documents: &'a [String],
    pub first: &'a Event,
}

const EVENT_COLUMNS: &str = "id, item_id, seq, event, holder, happened_at, place, seal_number, \
     courier_id, note, seal_broken, recorded_by, recorded_at";

macro_rules! insert_event {
    ($tx:expr, $item:expr, $seq:expr, $e:expr, $broken:expr, $by:expr) => {{
        sqlx::query(
            "INSERT INTO custody_events (id, item_id, seq, event, holder, happened_at, place, \
             seal_number, courier_id, note, seal_broken, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(new_id())
        .bind($item)
        .bind($seq)
        .bind(&$e.event)
        .bind(&$e.holder)
        .bind($e.happened_at)
        .bind(&$e.place)
        .bind(&$e.seal_number)
        .bind(&$e.courier_id)
        .bind(&$e.note)
        .bind($broken)
        .bind($by)
        .bind(now())
        .execute(&mut *$tx)
        .await?;
    }};
}

impl Store {
    pub async fn insert_evidence_item(&self, who: &Who, item: &NewItem<'_>) -> Result<String> {
        let id = new_id();
        let by = who.user_id.clone().unwrap_or_default();
        let args = crate::matters::text::args(&[("label", item.label)]);
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO evidence_items (id, matter_id, label, kind, description, documents, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(item.matter_id)
            .bind(item.label)
            .bind(item.kind)
            .bind(item.description)
            .bind(item.documents.join(" "))
            .bind(&by)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            insert_event!(tx, &id, 1i64, item.first, false, &by);
            matter_event!(
                tx,
                item.matter_id,
                &by,
                "evidence_item",
                Some(id.as_str()),
                args.clone(),
                String::new()
            );
            audit!(
                tx,
                AuditEvent::by(who, "notary.evidence_item", "matter", item.matter_id)
                    .in_org(Some(item.office_id))
                    .detail(format!("{} {}", item.kind, id))
            );
        });
        Ok(id)
    }

    /// Appends a custody event after `seq` (the chain's length read); `false` when another
    /// event was appended meanwhile (the unique (item, seq) refuses it).
    pub async fn append_custody(
        &self,
        who: &Who,
        item: &ItemRow,
        office_id: &str,
        seq: i64,
        e: &Event,
        broken: bool,
    ) -> Result<bool> {
        let by = who.user_id.clone().unwrap_or_default();
        let args = crate::matters::text::args(&[("label", &item.label), ("event", &e.event)]);
        let appended = transaction!(self, |tx| {
            let last: Option<i64> =
                sqlx::query_scalar("SELECT MAX(seq) FROM custody_events WHERE item_id = $1")
                    .bind(&item.id)
                    .fetch_one(&mut *tx)
                    .await?;
            if last.unwrap_or(0) != seq {
                return Ok(false);
            }
            insert_event!(tx, &item.id, seq + 1, e, broken, &by);
            matter_event!(
                tx,
                &item.matter_id,
                &by,
                "custody",
                Some(item.id.as_str()),
                args.clone(),
                String::new()
            );
            audit!(
                tx,
                AuditEvent::by(who, "notary.custody", "matter", &item.matter_id)
                    .in_org(Some(office_id))
                    .detail(format!("{} {} broken={broken}", item.id, e.event))
            );
            true
        });
        Ok(appended)
    }

    pub async fn evidence_items(&self, matter_id: &str) -> Result<Vec<ItemRow>> {
        let sql = "SELECT id, matter_id, label, kind, description, documents, created_by, created_at \
                   FROM evidence_items WHERE matter_id = $1 ORDER BY created_at, id";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, ItemRow>(sql)
            .bind(matter_id)
            .fetch_all(pool)
            .await?))
    }

    pub async fn evidence_item(&self, matter_id: &str, id: &str) -> Result<Option<ItemRow>> {
        let sql = "SELECT id, matter_id, label, kind, description, documents, created_by, created_at \
                   FROM evidence_items WHERE matter_id = $1 AND id = $2";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, ItemRow>(sql)
            .bind(matter_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// Every custody event of a matter's items, each item's in order.
    pub async fn custody_events(&self, matter_id: &str) -> Result<Vec<EventRow>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM custody_events WHERE item_id IN \
             (SELECT id FROM evidence_items WHERE matter_id = $1) ORDER BY item_id, seq"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, EventRow>(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .bind(matter_id)
        .fetch_all(pool)
        .await?))
    }
}
