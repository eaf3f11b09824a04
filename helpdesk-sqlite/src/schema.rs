//! The schema: versioned migrations under `migrations/`, embedded in the binary and applied on
//! open. The schema version is SQLite's `user_version`.
//!
//! A migration is never edited once released; a change is a new file, added at the end.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::error::SqliteError;

/// Every migration, in order.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../migrations/0001_initial.sql")),
        M::up(include_str!("../migrations/0002_timers.sql")),
    ])
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
        assert_eq!(version, 2);
    }

    /// A ticket written under 0001 reads back after 0002 with no timers, nobody waiting and
    /// nothing due; and the column default is exactly the JSON of `Timers::default()`.
    #[test]
    fn tickets_from_before_0002_read_back_with_default_timers() {
        use helpdesk_core::domain::{Channel, Status, TicketType, Timers};

        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 1).unwrap();
        let id = uuid::Uuid::now_v7();
        conn.execute(
            "INSERT INTO tickets (
                 id, number_full, number_short, subject, department, status, priority,
                 ticket_type, custom_fields, channel, internal, opened_by_kind, created_at,
                 updated_at, version
             ) VALUES (
                 ?1, '2026010500000001', '00000001', 'Old', ?2, ?3, 2, ?4, '{}', ?5, 0,
                 'system', 1767600000000000, 1767600000000000, 1
             )",
            (
                crate::rows::blob(id),
                crate::rows::blob(uuid::Uuid::now_v7()),
                Status::New.as_str(),
                TicketType::Incident.as_str(),
                Channel::Web.as_str(),
            ),
        )
        .unwrap();
        migrate(&mut conn).unwrap();

        let default: String = conn
            .query_row(
                "SELECT dflt_value FROM pragma_table_info('tickets') WHERE name = 'timers'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let json = serde_json::to_string(&Timers::default()).unwrap();
        assert_eq!(default, format!("'{json}'"));

        let ticket = conn
            .query_row(
                &format!("SELECT {} FROM tickets t", crate::rows::TICKET_COLUMNS),
                [],
                |row| Ok(crate::rows::read_ticket(row)),
            )
            .unwrap()
            .unwrap();
        assert_eq!(ticket.id.as_uuid(), id);
        assert_eq!(ticket.timers, Timers::default());
        assert_eq!((ticket.waiting_since, ticket.next_due_at), (None, None));
    }

    #[test]
    fn migration_files_use_lf_line_endings() {
        for sql in [
            include_str!("../migrations/0001_initial.sql"),
            include_str!("../migrations/0002_timers.sql"),
        ] {
            assert!(!sql.contains('\r'));
        }
    }
}
