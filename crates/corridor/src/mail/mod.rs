//! Email: notifications reach people in their own language over SMTP, or — with no SMTP
//! configured — wait in an outbox that platform admins read (`/admin/outbox`).
//!
//! Every email is a row of the `mail` table, written by [`enqueue_mail!`] inside the
//! transaction of the change that caused it: an email exists exactly when that change
//! commits. The caller composes subject and text in the recipient's language; this module
//! only stores and delivers. The [`sender`] claims due rows with a conditional UPDATE, so
//! nodes sharing one PostgreSQL database never send a row twice.
//!
//! Bodies are personal data: they are stored and shown to platform admins, never logged.

pub mod api;
pub mod pages;
pub mod sender;
pub mod store;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

pub use sender::Mailer;

/// One email, as a caller hands it over.
#[derive(Clone, Debug)]
pub struct Mail {
    /// The recipient's address, `name@example.com`.
    pub to_address: String,
    /// The recipient's display name (may be empty).
    pub to_name: String,
    /// The language subject and body are written in: `zh-CN` or `en`.
    pub locale: String,
    pub subject: String,
    pub body_text: String,
    /// An HTML alternative of `body_text`, if the caller has one.
    pub body_html: Option<String>,
    /// What the email is about, e.g. `("matter", id)`, so it can be found from the object.
    pub related: Option<(&'static str, String)>,
}

impl Mail {
    pub fn new(
        to_address: impl Into<String>,
        to_name: impl Into<String>,
        locale: impl Into<String>,
        subject: impl Into<String>,
        body_text: impl Into<String>,
    ) -> Self {
        Self {
            to_address: to_address.into(),
            to_name: to_name.into(),
            locale: locale.into(),
            subject: subject.into(),
            body_text: body_text.into(),
            body_html: None,
            related: None,
        }
    }

    pub fn html(mut self, body_html: impl Into<String>) -> Self {
        self.body_html = Some(body_html.into());
        self
    }

    pub fn about(mut self, object_type: &'static str, object_id: impl Into<String>) -> Self {
        self.related = Some((object_type, object_id.into()));
        self
    }

    /// The new row's id and the statement that queues this mail for the sender.
    pub fn insert(self) -> (String, crate::db::sql::Sql) {
        let id = crate::ids::new_id();
        let (related_type, related_id) = match self.related {
            Some((t, i)) => (Some(t), Some(i)),
            None => (None, None),
        };
        let insert = crate::db::sql::Sql::statement(
            store::INSERT_SQL,
            vec![
                (&id).into(),
                self.to_address.into(),
                self.to_name.into(),
                self.locale.into(),
                self.subject.into(),
                self.body_text.into(),
                self.body_html.into(),
                crate::ids::now().into(),
                related_type.into(),
                related_id.into(),
            ],
        );
        (id, insert)
    }
}

/// Where a row stands. `Queued` rows wait for the sender (again after a failed attempt);
/// `Sending` is a claim that lapses if its node dies; `Outbox` means no SMTP was configured
/// and an admin reads it instead; `Failed` means every attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MailStatus {
    Queued,
    Sending,
    Sent,
    Failed,
    Outbox,
}

impl MailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
            MailStatus::Outbox => "outbox",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            MailStatus::Queued,
            MailStatus::Sending,
            MailStatus::Sent,
            MailStatus::Failed,
            MailStatus::Outbox,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// A stored email with its delivery state, as the admins' outbox shows it.
#[derive(Clone, Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct MailRecord {
    pub id: String,
    pub to_address: String,
    pub to_name: String,
    pub locale: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub created_at: DateTime<Utc>,
    /// `queued`, `sending`, `sent`, `failed` or `outbox`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub next_attempt_at: DateTime<Utc>,
    pub related_type: Option<String>,
    pub related_id: Option<String>,
}

/// Writes a [`Mail`] on an open transaction (`&mut Transaction` of either backend), queued for
/// the sender; evaluates to the new row's id. The sender wakes when the transaction commits
/// (through `transaction!`, which signals every commit).
macro_rules! enqueue_mail {
    ($tx:expr, $mail:expr) => {{
        let mail: $crate::mail::Mail = $mail;
        let (id, insert) = mail.insert();
        $crate::db::execute_sql!($tx, insert);
        id
    }};
}
pub(crate) use enqueue_mail;

/// Email carries other people's personal data: only platform admins read the outbox (not
/// bureau officers, who read the audit log); everyone else is refused as `/admin/audit`
/// refuses them, with 403.
pub fn require_outbox_reader(actor: &crate::auth::Actor) -> crate::Result<()> {
    if actor.is_platform_admin() {
        Ok(())
    } else {
        Err(crate::AppError::Forbidden)
    }
}
