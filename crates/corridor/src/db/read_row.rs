//! Decoding the rows of a blocking SQLite read ([`super::sqlite_reads`]) the way sqlx's
//! `FromRow` decodes them on the pool: field by field, by column name, so one struct and one
//! SELECT serve both paths and a reordered SELECT cannot shift values into the wrong fields.

use chrono::{DateTime, Utc};

use super::sqlite_reads::Timestamp;

/// A value of one column, read by name.
pub trait ReadColumn: Sized {
    fn read_column(row: &rusqlite::Row<'_>, name: &str) -> rusqlite::Result<Self>;
}

/// Types rusqlite decodes as sqlx's SQLite driver does.
macro_rules! plain_columns {
    ($($ty:ty),* $(,)?) => {$(
        impl ReadColumn for $ty {
            fn read_column(row: &rusqlite::Row<'_>, name: &str) -> rusqlite::Result<Self> {
                row.get(name)
            }
        }
    )*};
}

plain_columns!(
    String,
    i64,
    i32,
    bool,
    Option<String>,
    Option<i64>,
    Option<i32>,
    Option<bool>
);

/// Timestamps through [`Timestamp`]'s fast path rather than rusqlite's format-string parse.
impl ReadColumn for DateTime<Utc> {
    fn read_column(row: &rusqlite::Row<'_>, name: &str) -> rusqlite::Result<Self> {
        Ok(row.get::<_, Timestamp>(name)?.0)
    }
}

impl ReadColumn for Option<DateTime<Utc>> {
    fn read_column(row: &rusqlite::Row<'_>, name: &str) -> rusqlite::Result<Self> {
        Ok(row.get::<_, Option<Timestamp>>(name)?.map(|t| t.0))
    }
}

/// Implements [`ReadRow`](super::sqlite_reads::ReadRow) for a struct whose fields are named
/// as its SELECT's columns (the same contract as `#[derive(sqlx::FromRow)]`, which the struct
/// also needs for PostgreSQL): `read_row!(DocumentRow { id, name, filed_at });`.
macro_rules! read_row {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::db::sqlite_reads::ReadRow for $ty {
            fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                Ok($ty {
                    $($field: $crate::db::read_row::ReadColumn::read_column(
                        row,
                        stringify!($field),
                    )?,)*
                })
            }
        }
    };
}
pub(crate) use read_row;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::sqlite_reads::ReadRow;

    struct Sample {
        id: String,
        size: i64,
        note: Option<String>,
        done: bool,
        at: DateTime<Utc>,
        seen: Option<DateTime<Utc>>,
    }
    read_row!(Sample {
        id,
        size,
        note,
        done,
        at,
        seen
    });

    #[test]
    fn columns_are_read_by_name_whatever_their_order() {
        let connection = rusqlite::Connection::open_in_memory().unwrap();
        let sample = connection
            .query_row(
                "SELECT NULL AS seen, 1 AS done, '2026-12-05T10:00:00+00:00' AS at, \
                 42 AS size, 'a' AS id, NULL AS note",
                [],
                Sample::read,
            )
            .unwrap();
        assert_eq!(sample.id, "a");
        assert_eq!(sample.size, 42);
        assert_eq!(sample.note, None);
        assert!(sample.done);
        assert_eq!(sample.at.to_rfc3339(), "2026-12-05T10:00:00+00:00");
        assert_eq!(sample.seen, None);
        let missing = connection.query_row("SELECT 'a' AS id", [], Sample::read);
        assert!(missing.is_err(), "a column the struct names must be there");
    }
}
