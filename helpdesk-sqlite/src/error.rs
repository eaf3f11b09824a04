//! The backend's own errors, and how SQLite's errors become `helpdesk_core` errors.

use helpdesk_core::error::{BoxError, ConflictKind, Entity};
use rusqlite::ErrorCode;

/// What went wrong inside the SQLite store. It reaches callers as the source of
/// [`helpdesk_core::Error::Backend`]; downcast to inspect it.
///
/// ```
/// # async fn doc(store: &dyn helpdesk_core::store::Store) {
/// use helpdesk_sqlite::SqliteError;
/// if let Err(helpdesk_core::Error::Backend { source }) = store.departments().await {
///     if let Some(SqliteError::Corrupt { table, column, .. }) = source.downcast_ref() {
///         eprintln!("bad value in {table}.{column}");
///     }
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SqliteError {
    /// SQLite refused a statement or could not open the database.
    #[error("SQLite call failed")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("migrating the database schema failed")]
    Migration(#[from] rusqlite_migration::Error),
    /// A stored value does not parse as the domain type it should hold.
    #[error("stored value in {table}.{column} is invalid")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// Why it does not parse.
        #[source]
        source: BoxError,
    },
    /// The database file could not be put in WAL mode (some file systems cannot share memory
    /// between connections).
    #[error("the database refused journal_mode=WAL and kept {kept}")]
    WalRefused {
        /// The journal mode SQLite kept.
        kept: String,
    },
    /// The blocking task that ran the database call panicked or was cancelled.
    #[error("database task failed")]
    Task(#[from] tokio::task::JoinError),
}

impl From<SqliteError> for helpdesk_core::Error {
    fn from(e: SqliteError) -> Self {
        helpdesk_core::Error::backend(e)
    }
}

/// A stored value that is out of the range its domain type allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value} is not a valid {what}")]
pub struct OutOfRange {
    /// What the value should have been.
    pub what: &'static str,
    /// The value found, as text.
    pub value: String,
}

/// How a database call fails inside the store: with a domain error (a conflict, a missing
/// ticket) that the caller should see as is, or with a backend error.
#[derive(Debug)]
pub(crate) enum Failure {
    Domain(helpdesk_core::Error),
    Backend(SqliteError),
}

pub(crate) type Outcome<T> = Result<T, Failure>;

impl From<helpdesk_core::Error> for Failure {
    fn from(e: helpdesk_core::Error) -> Self {
        Failure::Domain(e)
    }
}

impl From<SqliteError> for Failure {
    fn from(e: SqliteError) -> Self {
        Failure::Backend(e)
    }
}

/// A unique constraint SQLite enforces becomes the conflict the memory store reports for it;
/// every other error is a backend error.
impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        match unique_violation(&e).and_then(conflict_for) {
            Some(conflict) => Failure::Domain(conflict),
            None => Failure::Backend(e.into()),
        }
    }
}

impl From<Failure> for helpdesk_core::Error {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Domain(e) => e,
            Failure::Backend(e) => e.into(),
        }
    }
}

/// A `Duplicate` conflict on `entity`'s `field`.
pub(crate) fn duplicate(entity: Entity, field: &'static str) -> helpdesk_core::Error {
    helpdesk_core::Error::Conflict {
        entity,
        kind: ConflictKind::Duplicate {
            field: field.into(),
        },
    }
}

/// The `table.column` list of a violated UNIQUE or PRIMARY KEY constraint, from SQLite's
/// message (`UNIQUE constraint failed: tickets.number_full`).
fn unique_violation(e: &rusqlite::Error) -> Option<&str> {
    let rusqlite::Error::SqliteFailure(code, Some(message)) = e else {
        return None;
    };
    let unique = code.code == ErrorCode::ConstraintViolation
        && matches!(
            code.extended_code,
            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
        );
    if !unique {
        return None;
    }
    message.strip_prefix("UNIQUE constraint failed: ")
}

/// The conflict for a violated unique column.
fn conflict_for(columns: &str) -> Option<helpdesk_core::Error> {
    let (entity, field) = match columns {
        "tickets.id" => (Entity::Ticket, "id"),
        "tickets.number_full" | "tickets.number_short" => (Entity::Ticket, "number"),
        "messages.id" => (Entity::Ticket, "message_id"),
        "ticket_events.id" => (Entity::Ticket, "event_id"),
        "time_entries.id" => (Entity::Ticket, "time_entry_id"),
        "agents.email" => (Entity::Agent, "email"),
        "customers.email" => (Entity::Customer, "email"),
        "customers.contract_number" => (Entity::Customer, "contract_number"),
        "notifications.id" => (Entity::Notification, "id"),
        "outbox.id" => (Entity::Email, "id"),
        "outbox.message_id" | "mail_references.message_id" => (Entity::Email, "message_id"),
        "logins.login" => (Entity::Login, "login"),
        "auth_tokens.hash" => (Entity::Session, "hash"),
        _ => return None,
    };
    Some(duplicate(entity, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_become_conflicts_and_keep_other_errors_whole() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE agents (id INTEGER PRIMARY KEY, email TEXT UNIQUE);
             INSERT INTO agents (email) VALUES ('a@b.c');",
        )
        .unwrap();
        let err = conn
            .execute("INSERT INTO agents (email) VALUES ('a@b.c')", [])
            .unwrap_err();
        let Failure::Domain(helpdesk_core::Error::Conflict { entity, kind }) = err.into() else {
            panic!("not a conflict");
        };
        assert_eq!(entity, Entity::Agent);
        assert_eq!(
            kind,
            ConflictKind::Duplicate {
                field: "email".into()
            }
        );

        // The Message-IDs of e-mails and mail references, each unique in its own table.
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        for insert in [
            "INSERT INTO outbox (id, message_id, kind, language, to_address, subject, body,
                                 message_refs, created_at, attempts, delivery, delivery_at)
             VALUES (randomblob(16), 'm@x', 'closed', 'en', 'a@b.c', 's', 'b', '[]', 0, 0,
                     'pending', 0)",
            "INSERT INTO mail_references (message_id, ticket_id, inbound)
             VALUES ('m@x', randomblob(16), 1)",
        ] {
            conn.execute(insert, []).unwrap();
            let e = conn.execute(insert, []).unwrap_err();
            let Failure::Domain(helpdesk_core::Error::Conflict { entity, kind }) = e.into() else {
                panic!("not a conflict");
            };
            assert_eq!(entity, Entity::Email);
            assert_eq!(
                kind,
                ConflictKind::Duplicate {
                    field: "message_id".into()
                }
            );
        }

        let err = conn
            .execute("INSERT INTO nowhere VALUES (1)", [])
            .unwrap_err();
        let core: helpdesk_core::Error = Failure::from(err).into();
        let helpdesk_core::Error::Backend { source } = core else {
            panic!("not a backend error");
        };
        assert!(matches!(
            source.downcast_ref::<SqliteError>(),
            Some(SqliteError::Sqlite(_))
        ));
    }
}
