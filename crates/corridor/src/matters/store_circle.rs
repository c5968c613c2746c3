//! SQL for who is in a matter and what reaches them: participants, invitations, the timeline
//! and notifications.

use chrono::{DateTime, Utc};

use super::kind::join_roles;
use super::model::*;
use super::store::{Change, MEMBER_SQL, MatterRow, Member};
use crate::auth::audit::audit;
use crate::auth::audit::{AuditEvent, Who};
use crate::db::Store;
use crate::db::{dispatch, transaction};
use crate::ids::{MatterId, new_id, now, random_token, secret_digest};
use crate::{AppError, Result};

/// The invitation email, in both languages: the invitee has no account yet to say which.
pub fn invitation_mail(
    email: &str,
    matter: &MatterRow,
    role: &str,
    link: &str,
) -> crate::mail::Mail {
    let part = |locale: &str| {
        let role = rust_i18n::t!(format!("matters.roles.{role}"), locale = locale);
        rust_i18n::t!("matters.invitation_email", locale = locale)
            .replace("%{reference}", &matter.reference)
            .replace("%{title}", &matter.title)
            .replace("%{role}", &role)
            .replace("%{link}", link)
    };
    let subject = format!(
        "[Corridor] {} / Invitation: {}",
        rust_i18n::t!("matters.invitation_title", locale = "zh-CN"),
        matter.reference
    );
    crate::mail::Mail::new(
        email,
        "",
        "zh-CN",
        subject,
        format!("{}\n\n----\n\n{}\n", part("zh-CN"), part("en")),
    )
    .about("matter", &matter.id)
}

/// A participant joins: matter, user, role, added by, at. A second join changes nothing.
const INSERT_PARTICIPANT: &str = "INSERT INTO matter_participants \
     (matter_id, user_id, role, added_by, added_at) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (matter_id, user_id) DO NOTHING";

impl Store {
    /// Adds a known user as a participant (or changes their role).
    pub async fn add_participant(
        &self,
        change: &Change<'_>,
        user_id: &str,
        user_name: &str,
        role: &str,
    ) -> Result<()> {
        let Change {
            who,
            actor_id,
            matter,
            base,
        } = *change;
        let at = now();
        transaction!(self, |tx| {
            let existed = sqlx::query(
                "UPDATE matter_participants SET role = $1 WHERE matter_id = $2 AND user_id = $3",
            )
            .bind(role)
            .bind(&matter.id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
            if !existed {
                sqlx::query(INSERT_PARTICIPANT)
                    .bind(&matter.id)
                    .bind(user_id)
                    .bind(role)
                    .bind(actor_id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                let member: Member = sqlx::query_as(MEMBER_SQL)
                    .bind(&matter.id)
                    .bind(user_id)
                    .fetch_one(&mut *tx)
                    .await?;
                crate::matters::store::notify!(
                    tx,
                    &member,
                    &matter.id,
                    "added",
                    super::text::args(&[
                        ("reference", &matter.reference),
                        ("title", &matter.title),
                        ("role", role)
                    ]),
                    format!("/matters/{}", matter.id),
                    base
                );
            }
            crate::matters::store::matter_event!(
                tx,
                &matter.id,
                Some(actor_id),
                "joined",
                Some(user_id),
                super::text::args(&[("name", user_name), ("role", role)]),
                String::new()
            );
            audit!(
                tx,
                AuditEvent::by(who, "matter.participant_add", "matter", &matter.id)
                    .in_org(Some(&matter.owner_org_id))
                    .detail(format!("user={user_id} role={role}"))
            );
        });
        Ok(())
    }

    pub async fn remove_participant(
        &self,
        who: &Who,
        actor_id: &str,
        matter: &MatterRow,
        member: &Member,
    ) -> Result<()> {
        transaction!(self, |tx| {
            sqlx::query("DELETE FROM matter_participants WHERE matter_id = $1 AND user_id = $2")
                .bind(&matter.id)
                .bind(&member.user_id)
                .execute(&mut *tx)
                .await?;
            crate::matters::store::matter_event!(
                tx,
                &matter.id,
                Some(actor_id),
                "left",
                Some(&member.user_id),
                super::text::args(&[("name", &member.name)]),
                String::new()
            );
            audit!(
                tx,
                AuditEvent::by(who, "matter.participant_remove", "matter", &matter.id)
                    .in_org(Some(&matter.owner_org_id))
                    .detail(format!("user={}", member.user_id))
            );
        });
        Ok(())
    }

    /// Creates an invitation; returns it with the plain token (only its digest is kept).
    pub async fn invite(
        &self,
        change: &Change<'_>,
        email: &str,
        role: &str,
        valid_for: chrono::Duration,
    ) -> Result<(Invitation, String)> {
        let Change {
            who,
            actor_id,
            matter,
            base,
        } = *change;
        let token = random_token();
        let link = format!("{base}/invitations/{token}");
        let id = new_id();
        let at = now();
        let expires_at = at + valid_for;
        let lead = join_roles(
            &matter
                .kind()
                .rules()
                .lead_roles
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>(),
        );
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO matter_invitations (id, matter_id, email, role, token_hash, created_by, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(&matter.id)
            .bind(email)
            .bind(role)
            .bind(secret_digest(&token))
            .bind(actor_id)
            .bind(at)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            crate::matters::store::matter_event!(
                tx,
                &matter.id,
                Some(actor_id),
                "invited",
                Some(&id),
                super::text::args(&[("email", email), ("role", role)]),
                lead
            );
            let _mail_id =
                crate::mail::enqueue_mail!(tx, invitation_mail(email, matter, role, &link));
            audit!(
                tx,
                AuditEvent::by(who, "matter.invite", "matter", &matter.id)
                    .in_org(Some(&matter.owner_org_id))
                    .detail(format!("invitation={id} role={role}"))
            );
        });
        Ok((
            Invitation {
                id,
                email: email.to_string(),
                role: role.to_string(),
                expires_at,
                accepted_at: None,
            },
            token,
        ))
    }

    pub async fn open_invitations(&self, matter_id: &MatterId) -> Result<Vec<Invitation>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: String,
            email: String,
            role: String,
            expires_at: DateTime<Utc>,
            accepted_at: Option<DateTime<Utc>>,
        }
        let sql = "SELECT id, email, role, expires_at, accepted_at FROM matter_invitations \
                   WHERE matter_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY created_at";
        let rows = dispatch!(self, |pool| sqlx::query_as::<_, Row>(sql)
            .bind(matter_id)
            .bind(now())
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|r| Invitation {
                id: r.id,
                email: r.email,
                role: r.role,
                expires_at: r.expires_at,
                accepted_at: r.accepted_at,
            })
            .collect())
    }

    /// The invitation a token stands for: (id, matter id, role, expires, accepted, email).
    #[allow(clippy::type_complexity)]
    pub async fn invitation_by_token(
        &self,
        token: &str,
    ) -> Result<Option<(String, String, String, DateTime<Utc>, bool, String)>> {
        let sql = "SELECT id, matter_id, role, expires_at, accepted_at IS NOT NULL, email FROM matter_invitations \
                   WHERE token_hash = $1";
        Ok(dispatch!(self, |pool| sqlx::query_as::<
            _,
            (String, String, String, DateTime<Utc>, bool, String),
        >(sql)
        .bind(secret_digest(token))
        .fetch_optional(pool)
        .await?))
    }

    /// Accepts an invitation once: the conditional update makes a second use (or a race of
    /// two) fail with `invitation_used`.
    pub async fn accept_invitation(
        &self,
        who: &Who,
        invitation_id: &str,
        matter: &MatterRow,
        user_id: &str,
        user_name: &str,
        role: &str,
    ) -> Result<()> {
        let at = now();
        transaction!(self, |tx| {
            let claimed = sqlx::query(
                "UPDATE matter_invitations SET accepted_at = $1, accepted_by = $2 \
                 WHERE id = $3 AND accepted_at IS NULL AND expires_at > $1",
            )
            .bind(at)
            .bind(user_id)
            .bind(invitation_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                return Err(AppError::Conflict("invitation_used"));
            }
            // Joining by invitation: the invited person adds themselves.
            sqlx::query(INSERT_PARTICIPANT)
                .bind(&matter.id)
                .bind(user_id)
                .bind(role)
                .bind(user_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            crate::matters::store::matter_event!(
                tx,
                &matter.id,
                Some(user_id),
                "joined",
                Some(user_id),
                super::text::args(&[("name", user_name), ("role", role)]),
                String::new()
            );
            audit!(
                tx,
                AuditEvent::by(who, "matter.invitation_accept", "matter", &matter.id)
                    .in_org(Some(&matter.owner_org_id))
                    .detail(format!("invitation={invitation_id} role={role}"))
            );
        });
        Ok(())
    }

    /// The timeline rows a reader may see, oldest first: (id, at, kind, actor name, object,
    /// args, visible_to).
    #[allow(clippy::type_complexity)]
    pub async fn timeline(
        &self,
        matter_id: &MatterId,
    ) -> Result<
        Vec<(
            String,
            DateTime<Utc>,
            String,
            Option<String>,
            Option<String>,
            String,
            String,
        )>,
    > {
        let sql = "SELECT e.id, e.at, e.kind, u.name, e.object_id, e.summary, e.visible_to \
                   FROM matter_events e LEFT JOIN users u ON u.id = e.actor_id \
                   WHERE e.matter_id = $1 ORDER BY e.at, e.id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(matter_id)
            .fetch_all(pool)
            .await?))
    }

    pub async fn notifications(
        &self,
        user_id: &str,
        limit: i64,
    ) -> Result<
        Vec<(
            String,
            Option<String>,
            String,
            String,
            String,
            DateTime<Utc>,
            bool,
        )>,
    > {
        let sql = "SELECT id, matter_id, kind, summary, link, created_at, read_at IS NOT NULL \
                   FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(user_id)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    pub async fn unread_notifications(&self, user_id: &str) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
        Ok(dispatch!(self, |pool| sqlx::query_scalar::<_, i64>(sql)
            .bind(user_id)
            .fetch_one(pool)
            .await?))
    }

    pub async fn mark_notifications_read(&self, user_id: &str) -> Result<u64> {
        let sql = "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL";
        let n = dispatch!(self, |pool| sqlx::query(sql)
            .bind(now())
            .bind(user_id)
            .execute(pool)
            .await?
            .rows_affected());
        self.changed();
        Ok(n)
    }
}
