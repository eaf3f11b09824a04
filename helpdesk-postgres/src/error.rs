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

/// Maps a sqlx error: a known unique violation is a conflict, anything else a backend error.
pub(crate) fn db(e: sqlx::Error) -> Error {
    match duplicate_of(&e) {
        Some((entity, field)) => Error::duplicate(entity, field),
        None => Error::backend(e),
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
        assert_eq!(unique_constraint("messages_pkey"), None);
        assert_eq!(unique_constraint("blobs_pkey"), None);
    }
}
