//! SQL for users, memberships, sessions, API tokens and login attempts.

use chrono::{DateTime, Duration, Utc};

use super::audit::{AuditEvent, Who};
use super::roles::{OrgRole, PlatformRole};
use crate::auth::audit::audit;
use crate::db::Store;
use crate::db::{dispatch, transaction};
use crate::ids::{new_id, now, random_token, secret_digest};
use crate::{AppError, Result};

/// A new user, as given by `corridor user add` or the demo loader.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password: &'a str,
    pub platform_role: Option<PlatformRole>,
    pub memberships: Vec<(String, OrgRole)>,
}

#[derive(sqlx::FromRow)]
/// What signing in needs of a user.
struct UserRow {
    id: String,
    password_hash: String,
    is_active: bool,
}

#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct ApiTokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Emails compare case-insensitively; stored lower-case.
pub fn normalize_email(email: &str) -> Result<String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !email.contains(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err(AppError::invalid("email", "email"))
    }
}

impl Store {
    pub async fn add_user(&self, who: &Who, user: NewUser<'_>) -> Result<String> {
        let email = normalize_email(user.email)?;
        let name = user.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::invalid("name", "required"));
        }
        if name
            .chars()
            .any(|c| c.is_control() || crate::text::is_invisible(c))
        {
            return Err(AppError::invalid("name", "invisible_characters"));
        }
        let hash = super::password::hash(user.password)?;
        let id = new_id();
        let created = now();
        transaction!(self, |tx| {
            sqlx::query(
                "INSERT INTO users (id, email, name, password_hash, platform_role, is_active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, TRUE, $6)",
            )
            .bind(&id)
            .bind(&email)
            .bind(name)
            .bind(&hash)
            .bind(user.platform_role.map(|r| r.as_str()))
            .bind(created)
            .execute(&mut *tx)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => AppError::Conflict("email_taken"),
                other => other,
            })?;
            for (org_id, role) in &user.memberships {
                sqlx::query(
                    "INSERT INTO memberships (user_id, organization_id, role) VALUES ($1, $2, $3)",
                )
                .bind(&id)
                .bind(org_id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
            }
            audit!(
                tx,
                AuditEvent::by(who, "user.create", "user", &id).detail(format!(
                    "platform_role={} memberships={}",
                    user.platform_role.map(|r| r.as_str()).unwrap_or("none"),
                    user.memberships.len()
                ))
            );
        });
        Ok(id)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>> {
        let sql = "SELECT id, password_hash, is_active FROM users WHERE email = $1";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, UserRow>(sql)
            .bind(email)
            .fetch_optional(pool)
            .await?))
    }

    /// Checks a password and, when it is right, returns the user id. Always spends one argon2
    /// verification, whether or not the email exists.
    pub async fn check_password(&self, email: &str, password: &str) -> Result<Option<String>> {
        let Ok(email) = normalize_email(email) else {
            super::password::verify(password, super::password::decoy_hash());
            return Ok(None);
        };
        let user = self.user_by_email(&email).await?;
        let stored = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(|| super::password::decoy_hash().to_string());
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || super::password::verify(&password, &stored))
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        Ok(user.filter(|u| ok && u.is_active).map(|u| u.id))
    }

    pub async fn record_login_attempt(&self, email: &str, ip: &str, succeeded: bool) -> Result<()> {
        let sql =
            "INSERT INTO login_attempts (id, email, ip, succeeded, at) VALUES ($1, $2, $3, $4, $5)";
        dispatch!(self, |pool| {
            sqlx::query(sql)
                .bind(new_id())
                .bind(email.trim().to_lowercase())
                .bind(ip)
                .bind(succeeded)
                .bind(now())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// What the sign-in throttle ([`super::sign_in::gate`]) needs to know about this email
    /// and this address.
    pub async fn sign_in_history(
        &self,
        email: &str,
        ip: &str,
        now: DateTime<Utc>,
    ) -> Result<super::sign_in::History> {
        use super::sign_in::{KNOWN_ADDRESS_DAYS, WINDOW_MINUTES};
        let by_both = "SELECT COUNT(*) FROM login_attempts WHERE at > $1 AND NOT succeeded \
                       AND email = $2 AND ip = $3";
        let by_ip =
            "SELECT COUNT(*) FROM login_attempts WHERE at > $1 AND NOT succeeded AND ip = $2";
        let by_email =
            "SELECT COUNT(*) FROM login_attempts WHERE at > $1 AND NOT succeeded AND email = $2";
        let last = "SELECT at FROM login_attempts WHERE at > $1 AND NOT succeeded AND email = $2 \
                    ORDER BY at DESC LIMIT 1";
        let known = "SELECT COUNT(*) FROM login_attempts WHERE at > $1 AND succeeded \
                     AND email = $2 AND ip = $3";
        let since = now - Duration::minutes(WINDOW_MINUTES);
        let known_since = now - Duration::days(KNOWN_ADDRESS_DAYS);
        let email = email.trim().to_lowercase();
        Ok(dispatch!(self, |pool| {
            let email_from_address: i64 = sqlx::query_scalar(by_both)
                .bind(since)
                .bind(&email)
                .bind(ip)
                .fetch_one(pool)
                .await?;
            let from_address: i64 = sqlx::query_scalar(by_ip)
                .bind(since)
                .bind(ip)
                .fetch_one(pool)
                .await?;
            let by_email: i64 = sqlx::query_scalar(by_email)
                .bind(since)
                .bind(&email)
                .fetch_one(pool)
                .await?;
            let last_email_failure: Option<DateTime<Utc>> = sqlx::query_scalar(last)
                .bind(since)
                .bind(&email)
                .fetch_optional(pool)
                .await?;
            let known: i64 = sqlx::query_scalar(known)
                .bind(known_since)
                .bind(&email)
                .bind(ip)
                .fetch_one(pool)
                .await?;
            super::sign_in::History {
                email_from_address,
                from_address,
                email: by_email,
                last_email_failure,
                known_address: known > 0,
            }
        }))
    }

    /// Starts a session; returns the secret for the cookie (only its digest is stored).
    pub async fn create_session(&self, user_id: &str, idle: Duration) -> Result<String> {
        let secret = random_token();
        let at = now();
        let sql = "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
                   VALUES ($1, $2, $3, $4, $4, $5)";
        transaction!(self, |tx| {
            sqlx::query(sql)
                .bind(secret_digest(&secret))
                .bind(user_id)
                .bind(random_token())
                .bind(at)
                .bind(at + idle)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                AuditEvent::by(
                    &Who {
                        user_id: Some(user_id.to_string()),
                        label: user_id.to_string()
                    },
                    "session.login",
                    "user",
                    user_id
                )
            );
        });
        Ok(secret)
    }

    pub async fn end_session(&self, secret: &str) -> Result<()> {
        let digest = secret_digest(secret);
        transaction!(self, |tx| {
            let user_id: Option<String> =
                sqlx::query_scalar("DELETE FROM sessions WHERE id_hash = $1 RETURNING user_id")
                    .bind(&digest)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(user_id) = user_id {
                audit!(
                    tx,
                    AuditEvent::by(
                        &Who {
                            user_id: Some(user_id.clone()),
                            label: user_id.clone()
                        },
                        "session.logout",
                        "user",
                        &user_id
                    )
                );
            }
        });
        Ok(())
    }

    pub async fn user_id_by_email(&self, email: &str) -> Result<Option<String>> {
        let email = normalize_email(email)?;
        Ok(self.user_by_email(&email).await?.map(|u| u.id))
    }

    /// Creates an API token; the plain token is returned once and only its digest is kept.
    pub async fn create_token(
        &self,
        who: &Who,
        user_id: &str,
        name: &str,
    ) -> Result<(String, String)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::invalid("name", "required"));
        }
        let id = new_id();
        let token = format!("cor_{}", random_token());
        let sql = "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)";
        transaction!(self, |tx| {
            sqlx::query(sql)
                .bind(&id)
                .bind(user_id)
                .bind(name)
                .bind(secret_digest(&token))
                .bind(now())
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                AuditEvent::by(who, "api_token.create", "api_token", &id)
                    .detail(format!("user={user_id}"))
            );
        });
        Ok((id, token))
    }

    pub async fn list_tokens(&self, user_id: &str) -> Result<Vec<ApiTokenInfo>> {
        let sql = "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens \
                   WHERE user_id = $1 ORDER BY id DESC";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, ApiTokenInfo>(
            sql
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?))
    }

    /// Revokes one of the user's own tokens; another user's token is "not found".
    pub async fn revoke_token(&self, who: &Who, user_id: &str, token_id: &str) -> Result<()> {
        let sql = "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL";
        transaction!(self, |tx| {
            let done = sqlx::query(sql)
                .bind(token_id)
                .bind(user_id)
                .bind(now())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 0 {
                return Err(AppError::NotFound);
            }
            audit!(
                tx,
                AuditEvent::by(who, "api_token.revoke", "api_token", token_id)
            );
        });
        Ok(())
    }

    pub async fn count_users(&self) -> Result<i64> {
        Ok(dispatch!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM users"
        )
        .fetch_one(pool)
        .await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            normalize_email(" Ana@Firm.Example ").unwrap(),
            "ana@firm.example"
        );
        assert!(normalize_email("no-at-sign").is_err());
        assert!(normalize_email("a@nodot").is_err());
        assert!(normalize_email("a b@x.example").is_err());
    }
}
