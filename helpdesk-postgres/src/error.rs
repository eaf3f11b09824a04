//! From sqlx errors to [`helpdesk_core::Error`].
//!
//! Unique violations of the schema's named constraints become [`Error::duplicate`], naming
//! the same fields as the in-memory reference store; everything else is [`Error::Backend`]
//! with the original error kept whole as its source. (A stored value that does not parse is
//! [`Error::corrupt`], raised where rows are read.)

use helpdesk_core::Error;
use helpdesk_core::error::Entity;

/// The entity and field a named unique constraint protects.
fn unique_constraint(name: &str) -> Option<(Entity, &'static str)> {
    Some(match name {
        "tickets_pkey" => (Entity::Ticket, "id"),
        "tickets_number_full_key" | "tickets_number_short_key" | "ticket_numbers_pkey" => {
            (Entity::Ticket, "number")
        }
        "agents_email_key" => (Entity::Agent, "email"),
        "customers_email_key" => (Entity::Customer, "email"),
        "customers_contract_number_key" => (Entity::Customer, "contract_number"),
        "notifications_pkey" => (Entity::Notification, "id"),
        "outbox_pkey" => (Entity::Email, "id"),
        "outbox_message_id_key" | "mail_references_message_id_key" => (Entity::Email, "message_id"),
        "logins_login_key" => (Entity::Login, "login"),
        "auth_tokens_pkey" => (Entity::Session, "hash"),
        "account_links_pkey" => (Entity::AccountLink, "hash"),
        _ => return None,
    })
}

/// Whether `e` is a unique violation of one of the schema's named constraints, and which.
pub(crate) fn duplicate_of(e: &sqlx::Error) -> Option<(Entity, &'static str)> {
    match e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            db.constraint().and_then(unique_constraint)
        }
        _ => None,
    }
}

/// An error PostgreSQL answered with, and its SQL state (SQLSTATE), which sqlx's own message
/// leaves out: the source of [`Error::Backend`] for every database error but the unique
/// violations the schema names. Downcast to read the code; its source is the sqlx error.
#[derive(Debug)]
pub struct SqlState {
    code: String,
    source: sqlx::Error,
}

impl std::fmt::Display for SqlState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PostgreSQL answered with SQL state {}", self.code)
    }
}

impl std::error::Error for SqlState {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl SqlState {
    /// The five-character SQL state, e.g. `42P01` for a missing table.
    pub fn code(&self) -> &str {
        &self.code
    }
}

/// Maps a sqlx error: a known unique violation is a conflict, anything else a backend error
/// (with its SQL state, when PostgreSQL gave one).
pub(crate) fn db(e: sqlx::Error) -> Error {
    let code = match &e {
        sqlx::Error::Database(db) => db.code().map(|c| c.into_owned()),
        _ => None,
    };
    match (duplicate_of(&e), code) {
        (Some((entity, field)), _) => Error::duplicate(entity, field),
        (None, Some(code)) => Error::backend(SqlState { code, source: e }),
        (None, None) => Error::backend(e),
    }
}

/// Maps a migration error.
pub(crate) fn migrate(e: sqlx::migrate::MigrateError) -> Error {
    Error::backend(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unique_constraint_maps_to_the_memory_stores_field() {
        assert_eq!(
            unique_constraint("tickets_pkey"),
            Some((Entity::Ticket, "id"))
        );
        for n in [
            "tickets_number_full_key",
            "tickets_number_short_key",
            "ticket_numbers_pkey",
        ] {
            assert_eq!(unique_constraint(n), Some((Entity::Ticket, "number")));
        }
        assert_eq!(
            unique_constraint("customers_contract_number_key"),
            Some((Entity::Customer, "contract_number"))
        );
        assert_eq!(
            unique_constraint("notifications_pkey"),
            Some((Entity::Notification, "id"))
        );
        assert_eq!(
            unique_constraint("outbox_pkey"),
            Some((Entity::Email, "id"))
        );
        for n in ["outbox_message_id_key", "mail_references_message_id_key"] {
            assert_eq!(unique_constraint(n), Some((Entity::Email, "message_id")));
        }
        assert_eq!(
            unique_constraint("logins_login_key"),
            Some((Entity::Login, "login"))
        );
        assert_eq!(
            unique_constraint("auth_tokens_pkey"),
            Some((Entity::Session, "hash"))
        );
        assert_eq!(
            unique_constraint("account_links_pkey"),
            Some((Entity::AccountLink, "hash"))
        );
        assert_eq!(unique_constraint("messages_pkey"), None);
        assert_eq!(unique_constraint("blobs_pkey"), None);
    }

    #[tokio::test]
    async fn a_refused_statement_keeps_its_sql_state_in_the_cause_chain() {
        let Some(store) = crate::testing::fresh_store().await else {
            return;
        };
        let e = sqlx::query("SELECT * FROM no_such_table")
            .execute(store.pool())
            .await
            .unwrap_err();
        let error = db(e);
        let chain = helpdesk_core::error::Causes(&error).to_string();
        assert!(chain.contains("SQL state 42P01"), "{chain}");
        assert!(chain.contains("no_such_table"), "{chain}");
        let Error::Backend { source } = error else {
            panic!("not a backend error");
        };
        assert_eq!(source.downcast_ref::<SqlState>().unwrap().code(), "42P01");
    }
}
