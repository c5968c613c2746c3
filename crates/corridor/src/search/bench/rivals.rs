//! The alternatives Corridor's search is measured against, each used as its documentation
//! recommends for ranked full-text search: SQLite FTS5 (`porter unicode61`, bm25 with the title
//! weighted like ours) and PostgreSQL full-text search (`english` configuration, a stored
//! weighted tsvector with a GIN index, `ts_rank`).

use std::str::FromStr;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{PgPool, SqlitePool};

use super::corpus::Corpus;

const BATCH: usize = 250;

pub struct Fts5 {
    pool: SqlitePool,
}

impl Fts5 {
    pub async fn build(path: &std::path::Path, corpus: &Corpus) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::query(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize = 'porter unicode61')",
        )
        .execute(&pool)
        .await?;
        let mut tx = pool.begin().await?;
        let mut i = 0;
        while i < corpus.docs {
            let end = (i + BATCH).min(corpus.docs);
            let mut sql = String::from("INSERT INTO docs (id, title, body) VALUES ");
            for k in i..end {
                if k > i {
                    sql.push(',');
                }
                sql.push_str("(?, ?, ?)");
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for k in i..end {
                let d = corpus.doc(k);
                q = q.bind(d.id).bind(d.title).bind(d.body);
            }
            q.execute(&mut *tx).await?;
            i = end;
        }
        tx.commit().await?;
        Ok(Self { pool })
    }

    pub async fn search(&self, text: &str) -> anyhow::Result<Vec<String>> {
        // Any word may match (like Corridor's ranking), each quoted so user text is never
        // read as FTS5 syntax.
        let query = text
            .split_whitespace()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" OR ");
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs, 0.0, 4.0, 1.0) LIMIT 10",
        )
        .bind(query)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}

pub struct PgFts {
    pool: PgPool,
    pub server: String,
    pub name: String,
}

impl PgFts {
    pub async fn build(server: &str, corpus: &Corpus) -> anyhow::Result<Self> {
        let (url, name) =
            crate::db::testing::create_postgres_database(server, "corridor_search_bench").await?;
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .connect(&url)
            .await?;
        sqlx::query(
            "CREATE TABLE docs (id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, \
             tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') || \
             setweight(to_tsvector('english', body), 'B')) STORED)",
        )
        .execute(&pool)
        .await?;
        let mut conn = pool.acquire().await?;
        let mut copy = conn
            .copy_in_raw("COPY docs (id, title, body) FROM STDIN")
            .await?;
        let mut buf = String::new();
        for i in 0..corpus.docs {
            let d = corpus.doc(i);
            for (k, field) in [d.id, d.title, d.body].iter().enumerate() {
                if k > 0 {
                    buf.push('\t');
                }
                for c in field.chars() {
                    match c {
                        '\\' => buf.push_str("\\\\"),
                        '\t' => buf.push_str("\\t"),
                        '\n' => buf.push_str("\\n"),
                        c => buf.push(c),
                    }
                }
            }
            buf.push('\n');
            if buf.len() > 1 << 20 {
                copy.send(std::mem::take(&mut buf).into_bytes()).await?;
            }
        }
        copy.send(buf.into_bytes()).await?;
        copy.finish().await?;
        drop(conn);
        sqlx::query("CREATE INDEX docs_tsv ON docs USING GIN (tsv)")
            .execute(&pool)
            .await?;
        sqlx::query("ANALYZE docs").execute(&pool).await?;
        Ok(Self {
            pool,
            server: server.to_string(),
            name,
        })
    }

    pub async fn search(&self, text: &str) -> anyhow::Result<Vec<String>> {
        let query = text.split_whitespace().collect::<Vec<_>>().join(" OR ");
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM docs, websearch_to_tsquery('english', $1) q WHERE tsv @@ q \
             ORDER BY ts_rank(tsv, q) DESC LIMIT 10",
        )
        .bind(query)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub async fn drop_database(self) -> anyhow::Result<()> {
        self.pool.close().await;
        crate::db::testing::drop_postgres_database(&self.server, &self.name).await
    }
}
