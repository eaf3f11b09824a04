//! The backend's own errors, and how SQLite's errors become `helpdesk_core` errors.

use std::path::{Path, PathBuf};

use helpdesk_core::error::{Entity, Error};
use rusqlite::ErrorCode;

/// What went wrong inside the SQLite store. It reaches callers as the source of
/// [`helpdesk_core::Error::Backend`]; downcast to inspect it. A stored value that does not
/// parse is not an `SqliteError` but the core's
/// [`CorruptValue`](helpdesk_core::error::CorruptValue), as in every store.
///
/// ```
/// # async fn doc(store: &dyn helpdesk_core::store::Store) {
/// use helpdesk_core::error::CorruptValue;
/// use helpdesk_sqlite::SqliteError;
/// if let Err(helpdesk_core::Error::Backend { source }) = store.departments().await {
///     if let Some(bad) = source.downcast_ref::<CorruptValue>() {
///         eprintln!("bad value in {}.{}", bad.table(), bad.column());
///     } else if let Some(SqliteError::Sqlite(e)) = source.downcast_ref() {
///         eprintln!("SQLite failed: {e}");
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
    /// The database file could not be opened or created.
    #[error("cannot open the SQLite database {}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: OpenFailure,
    },
}

/// Why a database file could not be opened: what the operating system says about its
/// directory or the file, when it says something, else SQLite's own error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenFailure {
    /// The directory the file should be in cannot be read (it is missing, say).
    #[error("its directory {} cannot be read", .0.display())]
    Directory(PathBuf, #[source] std::io::Error),
    /// The file exists but cannot be opened for reading and writing.
    #[error("the file cannot be opened for reading and writing")]
    File(#[source] std::io::Error),
    /// SQLite's error, when the operating system names no cause.
    #[error(transparent)]
    Sqlite(rusqlite::Error),
}

impl OpenFailure {
    /// Why SQLite failed to open `path` with `error`: the operating system's error about the
    /// file's directory or the file when there is one. Looks, never creates.
    pub(crate) fn of(path: &Path, error: rusqlite::Error) -> Self {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Err(e) = std::fs::read_dir(dir) {
            return OpenFailure::Directory(dir.to_owned(), e);
        }
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
        {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => OpenFailure::File(e),
            _ => OpenFailure::Sqlite(error),
        }
    }
}

impl From<SqliteError> for Error {
    fn from(e: SqliteError) -> Self {
        Error::backend(e)
    }
}

/// How a database call fails inside the store: with an error already in the core's terms,
/// which the caller sees as is (a conflict, a missing ticket, a corrupt stored value), or
/// with an SQLite error.
#[derive(Debug)]
pub(crate) enum Failure {
    Core(Error),
    Backend(SqliteError),
}

pub(crate) type Outcome<T> = Result<T, Failure>;

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
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
            Some(conflict) => Failure::Core(conflict),
            None => Failure::Backend(e.into()),
        }
    }
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Core(e) => e,
            Failure::Backend(e) => e.into(),
        }
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
fn conflict_for(columns: &str) -> Option<Error> {
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
        "account_links.hash" => (Entity::AccountLink, "hash"),
        _ => return None,
    };
    Some(Error::duplicate(entity, field))
}

#[cfg(test)]
mod tests {
    use helpdesk_core::error::ConflictKind;

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
        let Failure::Core(Error::Conflict { entity, kind }) = err.into() else {
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
            let Failure::Core(Error::Conflict { entity, kind }) = e.into() else {
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
        let core: Error = Failure::from(err).into();
        let Error::Backend { source } = core else {
            panic!("not a backend error");
        };
        assert!(matches!(
            source.downcast_ref::<SqliteError>(),
            Some(SqliteError::Sqlite(_))
        ));
    }
}
