//! The e-mail outbox and mail references (tables `outbox` and `mail_references`, migration
//! 0007): leasing e-mails, finishing their delivery, reading them and the references. Both
//! are written with the ticket change that causes them, in its commit.

use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{
    DeliveryOutcome, DeliveryState, MailReference, OutboundEmail, OutboxId, TicketId,
};
use helpdesk_core::error::{Entity, Error};
use rusqlite::TransactionBehavior;

use crate::connection::SqliteStore;
use crate::rows::outbox::{
    MAIL_REFERENCE_COLUMNS, OUTBOX_COLUMNS, read_mail_reference, read_outbound_email,
};
use crate::rows::{all, blob, first, literal, micros};

/// The ids of the e-mails pending at `?1`, earliest first, at most `?2`: a range of the
/// partial index `outbox_pending`, which holds only pending e-mails, in this order.
fn due_sql() -> String {
    format!(
        "SELECT id FROM outbox
         WHERE delivery = {pending} AND delivery_at <= ?1
         ORDER BY delivery_at, id
         LIMIT ?2",
        pending = literal(DeliveryState::Pending)
    )
}

/// A ticket's e-mails (`?1`), oldest first: the index `outbox_by_ticket`, in this order.
fn ticket_emails_sql() -> String {
    format!(
        "SELECT {OUTBOX_COLUMNS} FROM outbox
         WHERE ticket_id = ?1
         ORDER BY created_at, id"
    )
}

/// Leases pending e-mails.
pub(crate) async fn lease(
    store: &SqliteStore,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<OutboundEmail>> {
    let (now, lease_until) = (micros(now), micros(lease_until));
    store
        .write(move |conn| {
            // One immediate transaction: the writer lock is held from choosing the e-mails to
            // moving them past the lease, so no other dispatcher (in this process or another)
            // can take the same ones.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let due: Vec<Vec<u8>> = tx
                .prepare_cached(&due_sql())?
                .query_map((now, i64::from(limit)), |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let sql = format!(
                "UPDATE outbox SET attempts = attempts + 1, delivery_at = ?2
                 WHERE id = ?1
                 RETURNING {OUTBOX_COLUMNS}"
            );
            let mut leased = Vec::with_capacity(due.len());
            for id in due {
                if let Some(email) = first(&tx, &sql, (id, lease_until), read_outbound_email)? {
                    leased.push(email);
                }
            }
            tx.commit()?;
            Ok(leased)
        })
        .await
}

/// Records how an attempt ended.
pub(crate) async fn finish(
    store: &SqliteStore,
    id: OutboxId,
    outcome: &DeliveryOutcome,
) -> Result<()> {
    let (delivery, error) = outcome.delivery();
    let (state, at) = (delivery.state().as_str(), micros(delivery.at()));
    let error = error.map(str::to_owned);
    store
        .write(move |conn| {
            let changed = conn
                .prepare_cached(
                    "UPDATE outbox SET delivery = ?2, delivery_at = ?3, last_error = ?4
                     WHERE id = ?1",
                )?
                .execute((blob(id.as_uuid()), state, at, error))?;
            if changed == 0 {
                return Err(Error::not_found(Entity::Email, id).into());
            }
            Ok(())
        })
        .await
}

/// An outbox e-mail.
pub(crate) async fn email(store: &SqliteStore, id: OutboxId) -> Result<Option<OutboundEmail>> {
    store
        .read(move |conn| {
            let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_outbound_email)
        })
        .await
}

/// A ticket's e-mails.
pub(crate) async fn ticket_emails(
    store: &SqliteStore,
    ticket: TicketId,
) -> Result<Vec<OutboundEmail>> {
    store
        .read(move |conn| {
            all(
                conn,
                &ticket_emails_sql(),
                [blob(ticket.as_uuid())],
                read_outbound_email,
            )
        })
        .await
}

/// A mail reference by Message-ID.
pub(crate) async fn mail_reference(
    store: &SqliteStore,
    message_id: &str,
) -> Result<Option<MailReference>> {
    let message_id = message_id.to_owned();
    store
        .read(move |conn| {
            // `message_id` has the BINARY collation: the look-up is exact, case included.
            let sql = format!(
                "SELECT {MAIL_REFERENCE_COLUMNS} FROM mail_references WHERE message_id = ?1"
            );
            first(conn, &sql, [message_id], read_mail_reference)
        })
        .await
}

/// The mail references with any of `message_ids`, in one statement: the ids go in as one
/// JSON array (no limit on bound parameters).
pub(crate) async fn mail_references_of(
    store: &SqliteStore,
    message_ids: &[String],
) -> Result<Vec<MailReference>> {
    if message_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(message_ids).map_err(Error::backend)?;
    store
        .read(move |conn| {
            let sql = format!(
                "SELECT {MAIL_REFERENCE_COLUMNS} FROM mail_references
                 WHERE message_id IN (SELECT value FROM json_each(?1))"
            );
            all(conn, &sql, [ids], read_mail_reference)
        })
        .await
}

/// A ticket's mail references.
pub(crate) async fn mail_references(
    store: &SqliteStore,
    ticket: TicketId,
) -> Result<Vec<MailReference>> {
    store
        .read(move |conn| {
            let sql = format!(
                "SELECT {MAIL_REFERENCE_COLUMNS} FROM mail_references
                 WHERE ticket_id = ?1
                 ORDER BY seq"
            );
            all(conn, &sql, [blob(ticket.as_uuid())], read_mail_reference)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Leasing and a ticket's e-mails read their index in order: no table scan, no sort.
    #[test]
    fn leasing_and_a_tickets_emails_are_index_scans_without_a_sort() {
        for (sql, index) in [
            (due_sql(), "outbox_pending"),
            (ticket_emails_sql(), "outbox_by_ticket"),
        ] {
            let plan = crate::schema::plan(&sql);
            assert!(plan.contains(index), "{plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{plan}");
        }
    }
}
