//! What a matter holds, as the API shows it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::kind::MatterKind;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OwnerRef {
    pub id: String,
    pub slug: String,
    pub name_en: String,
    pub name_zh: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Matter {
    pub id: String,
    pub kind: MatterKind,
    /// Unique per owner and year, e.g. `CQAC-2026-0007`.
    pub reference: String,
    pub title: String,
    /// `open` or `closed`.
    pub status: String,
    pub owner: OwnerRef,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The reader's role in this matter (`None` for staff who are not participants).
    pub my_role: Option<String>,
    /// The reader sees it as staff of the owning organization.
    pub staff: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Participant {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub added_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub id: String,
    pub email: String,
    pub role: String,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Document {
    pub id: String,
    /// What the document is in the matter (`evidence`, `contract`, …); anchored in the ledger.
    pub role: String,
    /// The uploader's file name: metadata only, never a path.
    pub name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub version: i32,
    /// The document this one corrects.
    pub previous_id: Option<String>,
    /// The correction that replaced this one.
    pub superseded_by: Option<String>,
    /// Roles that may see it; empty = every participant.
    pub visible_to: Vec<String>,
    pub filed_by: String,
    pub filed_by_name: String,
    pub filed_at: DateTime<Utc>,
    /// The ledger entry anchoring it, once anchored.
    pub ledger_index: Option<i64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Message {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    pub body: String,
    /// Roles it is addressed to; empty = the whole matter.
    pub to_roles: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// Whether the reader has read it.
    pub read: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TimelineEvent {
    pub id: String,
    pub at: DateTime<Utc>,
    /// `opened`, `joined`, `invited`, `left`, `filed`, `message`, `task_set`, `task_done`,
    /// `meeting_set`, `status`…
    pub kind: String,
    pub actor_name: Option<String>,
    pub object_id: Option<String>,
    /// The event in the reader's language.
    pub text: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Task {
    pub id: String,
    pub matter_id: String,
    pub title: String,
    pub notes: String,
    pub assignee_user_id: Option<String>,
    pub assignee_name: Option<String>,
    pub assignee_role: Option<String>,
    /// The instant it is due (UTC).
    pub due_at: Option<DateTime<Utc>>,
    /// The zone the due time was set in.
    pub time_zone: String,
    /// The due time as wall-clock time in `time_zone`, e.g. `2026-12-10 17:00`.
    pub due_local: Option<String>,
    /// `open`, `in_review` (submitted for sign-off), `done` or `cancelled`. Where the kind reviews
    /// work (an advisory engagement), only those who lead the matter set `done`.
    pub status: String,
    /// Send it back with a change; a stale one gets 409.
    pub version: i32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TaskChange {
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub version: i32,
    pub change: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Meeting {
    pub id: String,
    pub matter_id: String,
    /// `meeting`, `hearing`, `notarization_session`.
    pub kind: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The zone it was set in (where it takes place).
    pub time_zone: String,
    pub location: String,
    pub online_url: String,
    /// Start and end in the reader's own zone, e.g. `2026-12-10 10:00 (Asia/Bangkok)`.
    pub starts_local: String,
    pub ends_local: String,
    pub reader_time_zone: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: String,
    pub matter_id: Option<String>,
    pub kind: String,
    pub text: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// A matter with everything the reader may see in it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MatterDetail {
    pub matter: Matter,
    pub participants: Vec<Participant>,
    /// Open invitations (for those who lead the matter).
    pub invitations: Vec<Invitation>,
    pub documents: Vec<Document>,
    pub tasks: Vec<Task>,
    pub meetings: Vec<Meeting>,
    pub unread_messages: i64,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMatter {
    /// `general` (more kinds come with their modules).
    pub kind: String,
    pub title: String,
    /// The owning organization (id or slug); default: the opener's first organization.
    pub organization: Option<String>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatterChange {
    pub title: Option<String>,
    /// `open` or `closed`.
    pub status: Option<String>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewParticipant {
    pub email: String,
    pub role: String,
}

/// A participant added at once (a known user), or an invitation for an unknown email.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ParticipantAdded {
    pub participant: Option<Participant>,
    pub invitation: Option<Invitation>,
    /// The one-time invitation link, shown once to the inviter (and emailed to the invitee).
    pub link: Option<String>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub body: String,
    /// Roles to address; empty or absent = the whole matter.
    #[serde(default)]
    pub to_roles: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    pub title: String,
    #[serde(default)]
    pub notes: String,
    /// Assign to a participant by email…
    pub assignee_email: Option<String>,
    /// …or to a role of the matter.
    pub assignee_role: Option<String>,
    /// Wall-clock due time in `time_zone`, `YYYY-MM-DDTHH:MM`.
    pub due: Option<String>,
    /// IANA zone, e.g. `Asia/Jakarta`; default the creator's zone.
    pub time_zone: Option<String>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskEdit {
    /// The version the change was made on; a stale one gets 409.
    pub version: i32,
    pub title: Option<String>,
    pub notes: Option<String>,
    /// `open`, `in_review` (submitted for sign-off), `done` or `cancelled`. Where the kind reviews
    /// work (an advisory engagement), only those who lead the matter set `done`.
    pub status: Option<String>,
    pub due: Option<String>,
    pub time_zone: Option<String>,
    pub assignee_email: Option<String>,
    pub assignee_role: Option<String>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeeting {
    /// `meeting`, `hearing` or `notarization_session`.
    pub kind: String,
    pub title: String,
    /// Wall-clock start in `time_zone`, `YYYY-MM-DDTHH:MM`.
    pub starts: String,
    /// Minutes; default 60.
    pub duration_minutes: Option<i64>,
    /// IANA zone of the place (or the organizer).
    pub time_zone: String,
    #[serde(default)]
    pub location: String,
    /// A link to join online (https).
    #[serde(default)]
    pub online_url: String,
}

/// "My matters": filters over the matters the reader is in (or runs as staff).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MatterQuery {
    pub kind: Option<String>,
    pub status: Option<String>,
    /// Only matters where the reader has this role.
    pub role: Option<String>,
    /// 1-based.
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<i64>,
    /// At most 100; default 25.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MatterPage {
    pub items: Vec<Matter>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Clone, Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TaskViewQuery {
    /// `due_soon` (next 7 days, default) or `overdue`.
    pub view: Option<String>,
}

/// The receipt of an anchored document, as `/api/v1/ledger/records` gives it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DocumentReceipt {
    pub index: i64,
    /// The exact leaf text.
    pub record: String,
    /// C2SP tlog-proof text.
    pub receipt: String,
    pub vkey: String,
    pub origin: String,
}

/// How a person reads times and mail.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// `zh-CN` or `en`: the language of their email.
    pub locale: String,
    /// IANA zone, e.g. `Asia/Bangkok`: meetings and deadlines are shown in it.
    pub time_zone: String,
}

/// An account made from an invitation link.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub name: String,
    /// At least 10 characters.
    pub password: String,
}
