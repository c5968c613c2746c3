//! Who is asking: the user behind a session cookie, an API token or an id, with their
//! memberships, each in one statement.
//!
//! Every request starts here, so the credential, the user and the memberships are read
//! together (a row per membership) rather than in three round trips, and on SQLite through
//! the blocking readers ([`Store::fetch_rows`]).

use chrono::{DateTime, Duration, Utc};

use super::roles::{OrgRole, PlatformRole};
use super::{Actor, Membership};
use crate::Result;
use crate::db::read_row::read_row;
use crate::db::sql::{Param, Sql};
use crate::db::{Store, dispatch};
use crate::ids::{now, secret_digest};

/// One membership of the user (or none: the membership columns are NULL), with what the
/// credential says about itself.
#[derive(sqlx::FromRow)]
struct ActorRow {
    id: String,
    email: String,
    name: String,
    platform_role: Option<String>,
    /// When the credential was last used (tokens) or seen (sessions).
    seen_at: Option<DateTime<Utc>>,
    csrf_token: Option<String>,
    organization_id: Option<String>,
    slug: Option<String>,
    org_name_en: Option<String>,
    org_name_zh: Option<String>,
    member_role: Option<String>,
    org_kind: Option<String>,
    org_country: Option<String>,
}
read_row!(ActorRow {
    id,
    email,
    name,
    platform_role,
    seen_at,
    csrf_token,
    organization_id,
    slug,
    org_name_en,
    org_name_zh,
    member_role,
    org_kind,
    org_country
});

const USER_COLUMNS: &str = "u.id, u.email, u.name, u.platform_role, m.organization_id, o.slug, \
     o.name_en AS org_name_en, o.name_zh AS org_name_zh, m.role AS member_role, \
     o.kind AS org_kind, o.jurisdiction AS org_country";

/// The user's memberships, joined so a user without any still gives one row.
const MEMBERSHIPS: &str = " LEFT JOIN memberships m ON m.user_id = u.id \
     LEFT JOIN organizations o ON o.id = m.organization_id";

/// `SELECT … FROM {credential} JOIN users u … WHERE {condition} AND u.is_active`.
fn actor_sql(credential: &str, extra: &str, condition: &str) -> Sql {
    Sql::new(&format!(
        "SELECT {USER_COLUMNS}, {extra} FROM {credential}{MEMBERSHIPS} \
         WHERE {condition} AND u.is_active ORDER BY o.name_en"
    ))
}

/// The actor of an active user's rows and what the credential said (`seen_at`, CSRF token).
fn actor_of(rows: Vec<ActorRow>) -> Option<(Actor, Option<DateTime<Utc>>)> {
    let first = rows.first()?;
    let mut actor = Actor {
        user_id: first.id.clone(),
        email: first.email.clone(),
        name: first.name.clone(),
        platform_role: first.platform_role.as_deref().and_then(PlatformRole::parse),
        memberships: Vec::new(),
        csrf_token: first.csrf_token.clone(),
    };
    let seen_at = first.seen_at;
    actor.memberships = rows
        .into_iter()
        .filter_map(|m| {
            Some(Membership {
                role: OrgRole::parse(m.member_role.as_deref()?)?,
                organization_id: m.organization_id?,
                slug: m.slug?,
                name_en: m.org_name_en?,
                name_zh: m.org_name_zh?,
                organization_kind: m.org_kind?,
                organization_country: m.org_country?,
            })
        })
        .collect();
    Some((actor, seen_at))
}

impl Store {
    /// Loads an active user with their memberships.
    pub async fn actor_for_user(&self, user_id: &str) -> Result<Option<Actor>> {
        let mut sql = actor_sql(
            "users u",
            "NULL AS seen_at, NULL AS csrf_token",
            "u.id = $1",
        );
        sql.params.push(Param::Text(user_id.to_string()));
        Ok(actor_of(self.fetch_rows(&sql).await?).map(|(actor, _)| actor))
    }

    /// The signed-in user behind a session cookie, sliding its expiry forward.
    pub async fn actor_for_session(&self, secret: &str, idle: Duration) -> Result<Option<Actor>> {
        let digest = secret_digest(secret);
        let at = now();
        let mut sql = actor_sql(
            "sessions s JOIN users u ON u.id = s.user_id",
            "s.last_seen_at AS seen_at, s.csrf_token",
            "s.id_hash = $1 AND s.expires_at > $2",
        );
        sql.params = vec![Param::Text(digest.clone()), Param::Time(at)];
        let Some((actor, seen_at)) = actor_of(self.fetch_rows(&sql).await?) else {
            return Ok(None);
        };
        // Writing on every request would serialise readers behind SQLite's single writer;
        // a minute of slack in the idle timeout is harmless.
        if seen_at.is_none_or(|seen| at - seen > Duration::seconds(60)) {
            let touch = "UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1";
            dispatch!(self, |pool| {
                sqlx::query(touch)
                    .bind(&digest)
                    .bind(at)
                    .bind(at + idle)
                    .execute(pool)
                    .await?;
            });
        }
        Ok(Some(actor))
    }

    /// The user an API token belongs to, while it is not revoked.
    pub async fn actor_for_token(&self, token: &str) -> Result<Option<Actor>> {
        let digest = secret_digest(token);
        let mut sql = actor_sql(
            "api_tokens t JOIN users u ON u.id = t.user_id",
            "t.last_used_at AS seen_at, NULL AS csrf_token",
            "t.token_hash = $1 AND t.revoked_at IS NULL",
        );
        sql.params.push(Param::Text(digest.clone()));
        let Some((actor, last_used_at)) = actor_of(self.fetch_rows(&sql).await?) else {
            return Ok(None);
        };
        // As for sessions: a write (and, on PostgreSQL, a WAL flush) on every API call would
        // put every reader behind the single writer; "last used" to the minute is enough.
        let at = now();
        if last_used_at.is_none_or(|last| at - last > Duration::seconds(60)) {
            let touch = "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1";
            dispatch!(self, |pool| {
                sqlx::query(touch)
                    .bind(&digest)
                    .bind(at)
                    .execute(pool)
                    .await?;
            });
        }
        Ok(Some(actor))
    }
}
