//! A small builder for SQL whose WHERE clause depends on the request (list filters). It numbers
//! placeholders `$1, $2, …`, which SQLite and PostgreSQL both accept, and keeps the values to
//! bind, so one text serves both backends.

#[derive(Clone, Debug)]
pub enum Param {
    Text(String),
    /// Text or NULL (a NULL bound as text, so PostgreSQL types it as a text column's value).
    OptText(Option<String>),
    Int(i64),
    Bool(bool),
    Time(chrono::DateTime<chrono::Utc>),
}

impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(v.to_string())
    }
}

impl From<String> for Param {
    fn from(v: String) -> Self {
        Param::Text(v)
    }
}

impl From<&String> for Param {
    fn from(v: &String) -> Self {
        Param::Text(v.clone())
    }
}

impl From<Option<String>> for Param {
    fn from(v: Option<String>) -> Self {
        Param::OptText(v)
    }
}

impl From<Option<&str>> for Param {
    fn from(v: Option<&str>) -> Self {
        Param::OptText(v.map(str::to_string))
    }
}

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<chrono::DateTime<chrono::Utc>> for Param {
    fn from(v: chrono::DateTime<chrono::Utc>) -> Self {
        Param::Time(v)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Sql {
    pub text: String,
    pub params: Vec<Param>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
            params: Vec::new(),
        }
    }

    /// A whole statement and its values, `$1` first (fixed SQL text; values are bound).
    pub fn statement(text: &str, params: Vec<Param>) -> Self {
        Self {
            text: text.to_string(),
            params,
        }
    }

    /// Appends fixed SQL text. Never pass user input here; bind it.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `param`.
    pub fn bind(&mut self, param: Param) -> &mut Self {
        self.params.push(param);
        self.text.push_str(&format!("${}", self.params.len()));
        self
    }

    pub fn bind_text(&mut self, value: impl Into<String>) -> &mut Self {
        self.bind(Param::Text(value.into()))
    }

    /// ` LIMIT n`, written as a number rather than bound. PostgreSQL cannot cost a plan whose
    /// LIMIT it does not know, so with a parameter it never settles on a generic plan for the
    /// statement and plans each run anew (a third of a cheap directory list's time in the
    /// database). Use it where the filter's values do not change the best plan (a country, a
    /// kind); bind the LIMIT where they do (one user's matters: ten or ten thousand), or the
    /// generic plan serves everyone the average user's plan (3.4 → 10.7 ms for "my matters").
    /// A number cannot carry SQL.
    pub fn limit(&mut self, n: i64) -> &mut Self {
        self.push(&format!(" LIMIT {n}"))
    }

    /// ` OFFSET n`, written as a number for the same reason as [`Sql::limit`].
    pub fn offset(&mut self, n: i64) -> &mut Self {
        self.push(&format!(" OFFSET {n}"))
    }

    /// `(p1, p2, …)` for an IN list; callers make sure the list is not empty.
    pub fn bind_list(&mut self, values: &[String]) -> &mut Self {
        self.push("(");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind_text(v.clone());
        }
        self.push(")")
    }

    /// ` AND (c1 LIKE p ESCAPE '\' OR c2 LIKE p …)`: any of `columns` (fixed SQL, e.g.
    /// `LOWER(o.name_en)`) contains `text`, lowercased as [`contains_pattern`] makes it.
    pub fn any_contains(&mut self, columns: &[&str], text: &str) -> &mut Self {
        let pattern = contains_pattern(text);
        self.push(" AND (");
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                self.push(" OR ");
            }
            self.push(column)
                .push(" LIKE ")
                .bind_text(pattern.clone())
                .push(" ESCAPE '\\'");
        }
        self.push(")")
    }
}

/// Binds every [`Param`] of a [`Sql`] to a sqlx query of either backend.
macro_rules! bind_params {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                $crate::db::sql::Param::Text(v) => query.bind(v.clone()),
                $crate::db::sql::Param::OptText(v) => query.bind(v.clone()),
                $crate::db::sql::Param::Int(v) => query.bind(*v),
                $crate::db::sql::Param::Bool(v) => query.bind(*v),
                $crate::db::sql::Param::Time(v) => query.bind(*v),
            };
        }
        query
    }};
}
pub(crate) use bind_params;

/// Runs one [`Sql`] statement on an open transaction (`transaction!`'s `tx`) of either backend;
/// evaluates to the number of rows it changed.
macro_rules! execute_sql {
    ($tx:expr, $sql:expr) => {{
        let sql: $crate::db::sql::Sql = $sql;
        $crate::db::bind_params!(sqlx::query(sqlx::AssertSqlSafe(sql.text)), &sql.params)
            .execute(&mut *$tx)
            .await?
            .rows_affected()
    }};
}
pub(crate) use execute_sql;

/// A LIKE pattern that matches `text` anywhere, with `%`, `_` and `\` taken literally
/// (use with `ESCAPE '\'`), lowercased: searches compare with `LOWER(column)`.
pub fn contains_pattern(text: &str) -> String {
    contains_exactly(&text.to_lowercase())
}

/// A LIKE pattern that matches `text` anywhere as written (codes, not words), with `%`, `_`
/// and `\` taken literally (use with `ESCAPE '\'`).
pub fn contains_exactly(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        sql.bind_text("x")
            .push(" AND b IN ")
            .bind_list(&["p".into(), "q".into()]);
        assert_eq!(sql.text, "SELECT 1 WHERE a = $1 AND b IN ($2, $3)");
        assert_eq!(sql.params.len(), 3);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_A\\b"), "%50\\%\\_a\\\\b%");
    }
}
