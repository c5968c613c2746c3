//! Synthetic data for `corridor bench matters`, bulk-loaded with set-based SQL.

use crate::auth::OrgRole;
use crate::auth::audit::Who;
use crate::auth::store::NewUser;
use crate::db::{Pool, Store};
use crate::ids::now;

use super::*;

// ---------------------------------------------------------------------------------------------
// Synthetic data.

pub(super) struct Seeded {
    pub(super) matters: u64,
    pub(super) participations: u64,
    pub(super) me_token: String,
    pub(super) admin_token: String,
    /// A matter of the measured user's, for the large file.
    pub(super) upload_matter: String,
    /// The measured user's matters, for the small uploads.
    pub(super) my_matters: Vec<String>,
}

pub(super) fn matter_id(i: u64) -> String {
    format!("01900000-0000-7000-8000-{i:012}")
}

/// Organizations, users, matters with an owner each, and the measured user in every
/// `matters / mine`-th matter (alternately as owner and member), all by set-based SQL. A second
/// user is org admin of organization 0, which owns `matters / ORGS` matters (the staff branch).
pub(super) async fn seed(store: &Store, matters: u64, mine: u64) -> anyhow::Result<Seeded> {
    let at = now();
    let mine = mine.min(matters);
    let stride = matters.checked_div(mine).map_or(u64::MAX, |s| s.max(1));
    let orgs = ORGS.min(matters.max(1));
    let users = USERS.min(matters.max(1));
    // (sqlite, postgres): row numbers 0..n as `i`, and zero-padded text of an integer.
    let series_sqlite = |n: u64| {
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < {n}) "
        )
    };
    let pad_sqlite = |e: &str| format!("printf('%012d', {e})");
    let pad_pg = |e: &str| format!("lpad(({e})::text, 12, '0')");
    let org =
        |pad: &dyn Fn(&str) -> String, e: &str| format!("'01900002-0000-7000-8000-' || {}", pad(e));
    let user =
        |pad: &dyn Fn(&str) -> String, e: &str| format!("'01900001-0000-7000-8000-' || {}", pad(e));
    let mat =
        |pad: &dyn Fn(&str) -> String, e: &str| format!("'01900000-0000-7000-8000-' || {}", pad(e));
    let statements = |pg: bool| -> Vec<(u64, String)> {
        let pad: &dyn Fn(&str) -> String = if pg { &pad_pg } else { &pad_sqlite };
        let series = |n: u64, body: String| {
            if pg {
                format!("{body} FROM generate_series(0, {}) AS s(i)", n as i64 - 1)
            } else {
                format!("{}{body} FROM s", series_sqlite(n))
            }
        };
        // SQLite's INSERT takes the WITH before INSERT; PostgreSQL takes it in the SELECT.
        let insert = |table_cols: &str, n: u64, select: String| {
            let sql = if pg {
                format!("INSERT INTO {table_cols} {}", series(n, select))
            } else {
                format!(
                    "{}INSERT INTO {table_cols} {select} FROM s",
                    series_sqlite(n)
                )
            };
            (n, sql)
        };
        vec![
            insert(
                "organizations (id, slug, kind, name_zh, name_en, jurisdiction, is_demo, created_at, updated_at)",
                orgs,
                format!(
                    "SELECT {}, 'bench-org-' || i, 'local_law_firm', '基准律所' || i || '（演示）', \
                     'Bench Firm ' || i || ' (Demo)', 'CN', TRUE, $1, $1",
                    org(pad, "i")
                ),
            ),
            insert(
                "users (id, email, name, password_hash, is_active, created_at)",
                users,
                format!(
                    "SELECT {}, 'bench-user-' || i || '@bench.example', 'Bench User ' || i, '!', TRUE, $1",
                    user(pad, "i")
                ),
            ),
            insert(
                "memberships (user_id, organization_id, role)",
                users,
                format!(
                    "SELECT {}, {}, 'lawyer'",
                    user(pad, "i"),
                    org(pad, &format!("i % {orgs}"))
                ),
            ),
            insert(
                "matters (id, kind, owner_org_id, reference, title, status, created_by, created_at, updated_at)",
                matters,
                format!(
                    "SELECT {}, 'general', {}, 'BENCH-' || i, 'Bench matter ' || i, \
                     CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'open' END, {}, $1, $1",
                    mat(pad, "i"),
                    org(pad, &format!("i % {orgs}")),
                    user(pad, &format!("i % {users}"))
                ),
            ),
            insert(
                "matter_participants (matter_id, user_id, role, added_by, added_at)",
                matters,
                format!(
                    "SELECT {}, {}, 'owner', {}, $1",
                    mat(pad, "i"),
                    user(pad, &format!("i % {users}")),
                    user(pad, &format!("i % {users}"))
                ),
            ),
        ]
    };
    macro_rules! fill {
        ($pool:expr, $pg:expr) => {{
            let mut tx = $pool.begin().await?;
            if !$pg {
                // The random inserts into the participants' indexes thrash SQLite's 2 MB
                // default page cache; this connection is the loader's, not the server's.
                sqlx::query("PRAGMA cache_size = -524288")
                    .execute(&mut *tx)
                    .await?;
            }
            for (_, sql) in statements($pg).into_iter().filter(|(n, _)| *n > 0) {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }};
    }
    match store.pool() {
        Pool::Sqlite(pool) => fill!(pool, false),
        Pool::Postgres(pool) => fill!(pool, true),
    }
    // The measured user and the org admin, through the ordinary code path.
    let org0 = format!("01900002-0000-7000-8000-{:012}", 0);
    let me = store
        .add_user(
            &Who::cli(),
            NewUser {
                email: "me@bench.example",
                name: "Bench Me",
                password: "bench-password-not-used",
                platform_role: None,
                memberships: vec![(
                    format!("01900002-0000-7000-8000-{:012}", 1 % orgs),
                    OrgRole::Lawyer,
                )],
            },
        )
        .await?;
    let admin = store
        .add_user(
            &Who::cli(),
            NewUser {
                email: "admin@bench.example",
                name: "Bench Admin",
                password: "bench-password-not-used",
                platform_role: None,
                memberships: vec![(org0, OrgRole::OrgAdmin)],
            },
        )
        .await?;
    let my_matters: Vec<String> = if matters == 0 {
        Vec::new()
    } else {
        (0..mine).map(|k| matter_id(k * stride)).collect()
    };
    macro_rules! mine {
        ($pool:expr) => {{
            let mut tx = $pool.begin().await?;
            for (k, id) in my_matters.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO matter_participants (matter_id, user_id, role, added_by, added_at) \
                     VALUES ($1, $2, $3, $2, $4)",
                )
                .bind(id)
                .bind(&me)
                .bind(if k % 2 == 0 { "owner" } else { "member" })
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }};
    }
    match store.pool() {
        Pool::Sqlite(pool) => mine!(pool),
        Pool::Postgres(pool) => {
            mine!(pool);
            // What autovacuum would have done by the time a database holds this much (the
            // visibility map lets index-only scans skip the heap), for the tables loaded here
            // only. A table analyzed while empty is planned as empty: the foreign-key checks
            // of every upload (a plan each connection keeps) then read the whole of
            // `file_blobs`, which no database that holds a million matters would do.
            sqlx::query(
                "VACUUM ANALYZE organizations, users, memberships, api_tokens, matters, \
                 matter_participants",
            )
            .execute(pool)
            .await?;
        }
    }
    // Without seeded matters, the transfer and the anchoring need one matter of the user's.
    let (upload_matter, my_matters) = if my_matters.is_empty() {
        let org1 = format!("01900002-0000-7000-8000-{:012}", 1 % orgs);
        let id = store
            .create_matter(
                &Who::cli(),
                &me,
                crate::matters::kind::MatterKind::General,
                &org1,
                "bench-org-1",
                "Bench upload",
            )
            .await?
            .into_string();
        (id.clone(), vec![id])
    } else {
        (my_matters[0].clone(), my_matters)
    };
    settle(store).await?;
    Ok(Seeded {
        matters: matters.max(1),
        participations: matters + mine,
        me_token: store.create_token(&Who::cli(), &me, "bench").await?.1,
        admin_token: store.create_token(&Who::cli(), &admin, "bench").await?.1,
        upload_matter,
        my_matters,
    })
}

/// Writes what the bulk load left in the write-ahead log into the database files now, so the
/// server under test does not do it (SQLite's first commit there, PostgreSQL's checkpointer)
/// in the middle of a measurement.
async fn settle(store: &Store) -> anyhow::Result<()> {
    match store.pool() {
        Pool::Sqlite(pool) => {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(pool)
                .await?;
        }
        Pool::Postgres(pool) => {
            sqlx::query("CHECKPOINT").execute(pool).await?;
        }
    }
    Ok(())
}

pub(super) async fn count_anchored(store: &Store) -> anyhow::Result<i64> {
    let sql = "SELECT COUNT(*) FROM matter_documents d \
               JOIN ledger_outbox o ON o.id = d.ledger_entry_id WHERE o.leaf_index IS NOT NULL";
    Ok(match store.pool() {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
        Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
    })
}
