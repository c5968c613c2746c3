//! The reads nearly every request about a matter makes: the matter with the reader's place in
//! it, its members, one document. On SQLite they run on the blocking readers
//! ([`Store::fetch_rows`]), and the matter and the reader's role come in one statement.

use super::store::{MATTER_COLUMNS, MatterRow, Member};
use super::store_documents::{DOC_COLUMNS, DOC_FROM, DocumentRow};
use crate::Result;
use crate::db::Store;
use crate::db::read_row::{ReadColumn, read_row};
use crate::db::sql::{Param, Sql};
use crate::db::sqlite_reads::ReadRow;
use crate::ids::{DocumentId, MatterId};

read_row!(MatterRow {
    id,
    kind,
    owner_org_id,
    reference,
    title,
    status,
    created_at,
    updated_at,
    owner_slug,
    owner_name_en,
    owner_name_zh
});

read_row!(Member {
    user_id,
    name,
    email,
    role,
    locale,
    time_zone,
    added_at
});

read_row!(DocumentRow {
    id,
    matter_id,
    role,
    name,
    content_type,
    sha256,
    size,
    version,
    previous_id,
    superseded_by,
    visible_to,
    filed_by,
    filed_by_name,
    filed_at,
    ledger_index,
    ledger_record,
    ledger_entry_id
});

/// A matter and the role a given user holds in it, if any.
#[derive(sqlx::FromRow)]
struct SeenMatter {
    #[sqlx(flatten)]
    matter: MatterRow,
    my_role: Option<String>,
}

impl ReadRow for SeenMatter {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(SeenMatter {
            matter: MatterRow::read(row)?,
            my_role: ReadColumn::read_column(row, "my_role")?,
        })
    }
}

impl Store {
    pub async fn matter_row(&self, id: &MatterId) -> Result<Option<MatterRow>> {
        let mut sql = Sql::new(&format!(
            "SELECT {MATTER_COLUMNS} FROM matters m JOIN organizations o ON o.id = m.owner_org_id \
             WHERE m.id = $1"
        ));
        sql.params = vec![Param::from(id.as_str())];
        Ok(self.fetch_rows(&sql).await?.pop())
    }

    /// The matter and `user_id`'s role in it (`None`: not a participant), in one statement.
    pub async fn matter_seen_by(
        &self,
        id: &MatterId,
        user_id: &str,
    ) -> Result<Option<(MatterRow, Option<String>)>> {
        let mut sql = Sql::new(&format!(
            "SELECT {MATTER_COLUMNS}, p.role AS my_role \
             FROM matters m JOIN organizations o ON o.id = m.owner_org_id \
             LEFT JOIN matter_participants p ON p.matter_id = m.id AND p.user_id = $2 \
             WHERE m.id = $1"
        ));
        sql.params = vec![Param::from(id.as_str()), Param::from(user_id)];
        let seen: Option<SeenMatter> = self.fetch_rows(&sql).await?.pop();
        Ok(seen.map(|s| (s.matter, s.my_role)))
    }

    pub async fn members(&self, matter_id: &MatterId) -> Result<Vec<Member>> {
        let mut sql = Sql::new(
            "SELECT p.user_id, u.name, u.email, p.role, u.locale, u.time_zone, p.added_at \
             FROM matter_participants p JOIN users u ON u.id = p.user_id \
             WHERE p.matter_id = $1 ORDER BY p.added_at, u.name",
        );
        sql.params = vec![Param::from(matter_id.as_str())];
        self.fetch_rows(&sql).await
    }

    pub async fn document(
        &self,
        matter_id: &MatterId,
        id: &DocumentId,
    ) -> Result<Option<DocumentRow>> {
        let mut sql = Sql::new(&format!(
            "SELECT {DOC_COLUMNS} FROM {DOC_FROM} WHERE d.matter_id = $1 AND d.id = $2"
        ));
        sql.params = vec![Param::from(matter_id.as_str()), Param::from(id.as_str())];
        Ok(self.fetch_rows(&sql).await?.pop())
    }
}
