//! The schema: versioned migrations under `migrations/`, embedded in the binary and applied on
//! open. The schema version is SQLite's `user_version`.
//!
//! A migration is never edited once released; a change is a new file, added at the end.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::error::SqliteError;

/// Every migration, in order.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(include_str!("../migrations/0001_initial.sql"))])
}

/// Brings the schema of `conn`'s database up to date, in one transaction.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), SqliteError> {
    migrations().to_latest(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_idempotent() {
        migrations().validate().unwrap();
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 1);
    }

    #[test]
    fn migration_files_use_lf_line_endings() {
        assert!(!include_str!("../migrations/0001_initial.sql").contains('\r'));
    }
}
