//! The drift check (P4): compares the migrated schema of the database in use with the data map.
//! A column the map does not declare (personal or not) is drift; so is a declaration whose column
//! no longer exists. Run by the test suite on both backends.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::data_map;
use crate::db::DbConn;

#[derive(QueryableByName)]
struct ColumnName {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// Every `(table, column)` of the database's own tables (SQLite's catalogue, or PostgreSQL's
/// `information_schema` for the current schema), sorted.
pub fn schema_columns(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    let sql = match conn {
        DbConn::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             ORDER BY 1, 2"
        }
        DbConn::Pg(_) => {
            "SELECT CAST(table_name AS TEXT) AS table_name, CAST(column_name AS TEXT) AS column_name \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() \
             ORDER BY 1, 2"
        }
    };
    let rows: Vec<ColumnName> = diesel::sql_query(sql).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.table_name, r.column_name))
        .collect())
}

/// What the database and the data map disagree on.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Columns in the database that the data map does not declare.
    pub undeclared: Vec<(String, String)>,
    /// Declarations whose column is not in the database.
    pub stale: Vec<(String, String)>,
}

impl Drift {
    /// True when database and data map agree.
    pub fn is_empty(&self) -> bool {
        self.undeclared.is_empty() && self.stale.is_empty()
    }
}

/// Compares the database with the data map.
pub fn check(conn: &mut DbConn) -> QueryResult<Drift> {
    let actual = schema_columns(conn)?;
    let undeclared = actual
        .iter()
        .filter(|(t, c)| !data_map::is_declared(t, c))
        .cloned()
        .collect();
    let stale = data_map::declared_columns()
        .into_iter()
        .filter(|(t, c)| !actual.iter().any(|(at, ac)| at == t && ac == c))
        .map(|(t, c)| (t.to_owned(), c.to_owned()))
        .collect();
    Ok(Drift { undeclared, stale })
}
