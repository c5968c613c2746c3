//! Fresh databases for tests and benchmarks (a uniquely named PostgreSQL database on a
//! server), and the few writes the integration tests need inside a transaction: they see
//! none of the crate's store macros.

use sqlx::Connection;
use sqlx::postgres::PgConnection;

/// Creates `<prefix>_<unique>` on the server at `server_url`; returns its URL and name.
pub async fn create_postgres_database(
    server_url: &str,
    prefix: &str,
) -> anyhow::Result<(String, String)> {
    let name = format!("{prefix}_{}", crate::ids::new_id().replace('-', ""));
    let mut conn = PgConnection::connect(server_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok((with_database(server_url, &name), name))
}

pub async fn drop_postgres_database(server_url: &str, name: &str) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect(server_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(())
}

/// Replaces the database name in a PostgreSQL URL.
pub fn with_database(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server_url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Makes a queued email due now with `attempts` made, as if its retry wait had passed.
pub async fn make_mail_due(store: &super::Store, id: &str, attempts: i64) -> crate::Result<()> {
    super::dispatch!(store, |pool| {
        sqlx::query("UPDATE mail SET next_attempt_at = created_at, attempts = $2 WHERE id = $1")
            .bind(id)
            .bind(attempts)
            .execute(pool)
            .await?;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_replaced_keeping_options() {
        assert_eq!(
            with_database("postgres://u@h/test", "x"),
            "postgres://u@h/x"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
        assert_eq!(
            with_database("postgres://u@h:5432/a?sslmode=disable", "x"),
            "postgres://u@h:5432/x?sslmode=disable"
        );
    }
}
