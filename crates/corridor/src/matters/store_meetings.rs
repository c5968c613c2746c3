//! SQL for a matter's meetings: set, moved (rebooked), listed per matter and per user (the
//! calendar feed). Each change writes its timeline event, notifications and audit event in the
//! same transaction.

use chrono::{DateTime, Utc};

use super::store::{Change, Member, recipients};
use crate::Result;
use crate::auth::audit::{AuditEvent, audit};
use crate::db::{Store, dispatch, transaction};
use crate::ids::{MatterId, MeetingId, new_id, now};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct MeetingRow {
    pub id: String,
    pub matter_id: String,
    pub kind: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub location: String,
    pub online_url: String,
    pub sequence: i32,
    pub created_at: DateTime<Utc>,
}

const MEETING_COLUMNS: &str = "id, matter_id, kind, title, starts_at, ends_at, time_zone, location, \
     online_url, sequence, created_at";

/// A meeting about to be set, its time already resolved in its zone.
#[derive(Clone, Copy)]
pub struct MeetingFields<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: &'a str,
    pub location: &'a str,
    pub online_url: &'a str,
}

/// On an open transaction: the timeline event, every other participant's notification and the
/// audit event of a meeting set or moved.
macro_rules! told {
    ($tx:expr, $change:expr, $meeting:expr, $members:expr, $id:expr, $event:expr, $action:expr) => {{
        let Change {
            who,
            actor_id,
            matter,
            base,
        } = *$change;
        let when = super::when::in_zone_named(
            $meeting.starts_at,
            super::when::stored_zone($meeting.time_zone),
        );
        let args = super::text::args(&[
            ("title", $meeting.title),
            ("when", &when),
            ("reference", &matter.reference),
        ]);
        crate::matters::store::matter_event!(
            $tx,
            &matter.id,
            Some(actor_id),
            $event,
            Some($id),
            args.clone(),
            String::new()
        );
        crate::matters::store::notify_each!(
            $tx,
            recipients($members, &[], actor_id),
            &matter.id,
            "meeting",
            args.clone(),
            format!("/matters/{}#meetings", matter.id),
            base
        );
        audit!(
            $tx,
            AuditEvent::by(who, $action, "matter_meeting", $id)
                .in_org(Some(&matter.owner_org_id))
                .detail(format!("matter={}", matter.id))
        );
    }};
}

impl Store {
    pub async fn meetings(&self, matter_id: &MatterId) -> Result<Vec<MeetingRow>> {
        let sql = format!(
            "SELECT {MEETING_COLUMNS} FROM matter_meetings WHERE matter_id = $1 ORDER BY starts_at"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, MeetingRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(matter_id)
        .fetch_all(pool)
        .await?))
    }

    pub async fn meeting(
        &self,
        matter_id: &MatterId,
        id: &MeetingId,
    ) -> Result<Option<MeetingRow>> {
        let sql = format!(
            "SELECT {MEETING_COLUMNS} FROM matter_meetings WHERE matter_id = $1 AND id = $2"
        );
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, MeetingRow>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(matter_id)
        .bind(id)
        .fetch_optional(pool)
        .await?))
    }

    /// Meetings of every matter a user takes part in, for their calendar feed.
    pub async fn meetings_of_user(&self, user_id: &str) -> Result<Vec<(MeetingRow, String)>> {
        let sql = "SELECT mt.id, mt.matter_id, mt.kind, mt.title, mt.starts_at, mt.ends_at, mt.time_zone, \
                   mt.location, mt.online_url, mt.sequence, mt.created_at, m.reference \
                   FROM matter_meetings mt JOIN matters m ON m.id = mt.matter_id \
                   JOIN matter_participants p ON p.matter_id = mt.matter_id AND p.user_id = $1 \
                   ORDER BY mt.starts_at LIMIT 1000";
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            meeting: MeetingRow,
            reference: String,
        }
        let rows: Vec<Row> = dispatch!(self, |pool| sqlx::query_as::<_, Row>(sql)
            .bind(user_id)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(|r| (r.meeting, r.reference)).collect())
    }

    pub async fn create_meeting(
        &self,
        change: &Change<'_>,
        meeting: &MeetingFields<'_>,
        members: &[Member],
    ) -> Result<MeetingId> {
        let Change {
            actor_id, matter, ..
        } = *change;
        let MeetingFields {
            kind,
            title,
            starts_at,
            ends_at,
            time_zone,
            location,
            online_url,
        } = *meeting;
        let id = new_id();
        let at = now();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO matter_meetings (id, matter_id, kind, title, starts_at, ends_at, time_zone, location, \
                 online_url, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(&id)
            .bind(&matter.id)
            .bind(kind)
            .bind(title)
            .bind(starts_at)
            .bind(ends_at)
            .bind(time_zone)
            .bind(location)
            .bind(online_url)
            .bind(actor_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            told!(
                tx,
                change,
                meeting,
                members,
                &id,
                "meeting_set",
                "matter.meeting_create"
            );
        });
        Ok(MeetingId::from_stored(id))
    }

    /// Moves a meeting (a session rebooked): new time, zone, place and title, the same UID with
    /// its SEQUENCE raised, so calendars that hold it update it instead of keeping both; the
    /// participants are told, as for a new meeting.
    pub async fn move_meeting(
        &self,
        change: &Change<'_>,
        meeting_id: &MeetingId,
        meeting: &MeetingFields<'_>,
        members: &[Member],
    ) -> Result<bool> {
        let matter = change.matter;
        let moved = transaction!(self, |tx| {
            let done = sqlx::query(
                "UPDATE matter_meetings SET title = $1, starts_at = $2, ends_at = $3, time_zone = $4, \
                 location = $5, online_url = $6, sequence = sequence + 1 \
                 WHERE id = $7 AND matter_id = $8",
            )
            .bind(meeting.title)
            .bind(meeting.starts_at)
            .bind(meeting.ends_at)
            .bind(meeting.time_zone)
            .bind(meeting.location)
            .bind(meeting.online_url)
            .bind(meeting_id)
            .bind(&matter.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                told!(
                    tx,
                    change,
                    meeting,
                    members,
                    meeting_id.as_str(),
                    "meeting_moved",
                    "matter.meeting_move"
                );
            }
            done
        });
        Ok(moved)
    }
}
