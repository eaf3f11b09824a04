//! The e-mail outbox and mail references (tables `outbox` and `mail_references`, migration
//! 0007): their rows, and [`OutboxStore`] for [`SqliteStore`]. Both are written by
//! [`commit`](crate::commit) with the ticket change that causes them.

use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{
    Delivery, DeliveryOutcome, DeliveryState, MailReference, OutboundEmail, OutboxId, TicketId,
};
use helpdesk_core::error::{Entity, Error};
use rusqlite::types::ToSql;
use rusqlite::{Row, TransactionBehavior};

use crate::error::Outcome;
use crate::rows::{Columns, blob, json, literal, micros};
use crate::store::{SqliteStore, all, first};

/// An outbox e-mail's columns.
pub(crate) struct OutboxRow {
    id: [u8; 16],
    message_id: String,
    ticket_id: Option<[u8; 16]>,
    kind: &'static str,
    language: &'static str,
    to_address: String,
    to_name: Option<String>,
    subject: String,
    body: String,
    message_refs: String,
    created_at: i64,
    attempts: i64,
    delivery: &'static str,
    delivery_at: i64,
    last_error: Option<String>,
}

impl OutboxRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO outbox (id, message_id, ticket_id, kind, language, to_address, to_name,
                            subject, body, message_refs, created_at, attempts, delivery,
                            delivery_at, last_error)
        VALUES (:id, :message_id, :ticket_id, :kind, :language, :to_address, :to_name,
                :subject, :body, :message_refs, :created_at, :attempts, :delivery,
                :delivery_at, :last_error)";

    pub(crate) fn new(e: &OutboundEmail) -> rusqlite::Result<Self> {
        Ok(Self {
            id: blob(e.id.as_uuid()),
            message_id: e.message_id.clone(),
            ticket_id: e.ticket_id.map(|t| blob(t.as_uuid())),
            kind: e.kind.as_str(),
            language: e.language.as_str(),
            to_address: e.to.as_str().to_owned(),
            to_name: e.to_name.clone(),
            subject: e.subject.clone(),
            body: e.body.clone(),
            message_refs: json(&e.references)?,
            created_at: micros(e.created_at),
            attempts: i64::from(e.attempts),
            delivery: e.delivery.state().as_str(),
            delivery_at: micros(e.delivery.at()),
            last_error: e.last_error.clone(),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 15] {
        [
            (":id", &self.id),
            (":message_id", &self.message_id),
            (":ticket_id", &self.ticket_id),
            (":kind", &self.kind),
            (":language", &self.language),
            (":to_address", &self.to_address),
            (":to_name", &self.to_name),
            (":subject", &self.subject),
            (":body", &self.body),
            (":message_refs", &self.message_refs),
            (":created_at", &self.created_at),
            (":attempts", &self.attempts),
            (":delivery", &self.delivery),
            (":delivery_at", &self.delivery_at),
            (":last_error", &self.last_error),
        ]
    }
}

/// A mail reference's columns; its `seq` keeps the written order.
pub(crate) struct MailReferenceRow {
    message_id: String,
    ticket_id: [u8; 16],
    inbound: bool,
}

impl MailReferenceRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO mail_references (message_id, ticket_id, inbound)
        VALUES (:message_id, :ticket_id, :inbound)";

    pub(crate) fn new(r: &MailReference) -> Self {
        Self {
            message_id: r.message_id.clone(),
            ticket_id: blob(r.ticket_id.as_uuid()),
            inbound: r.inbound,
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 3] {
        [
            (":message_id", &self.message_id),
            (":ticket_id", &self.ticket_id),
            (":inbound", &self.inbound),
        ]
    }
}

/// The columns `read_outbound_email` reads.
const OUTBOX_COLUMNS: &str = "
    id, message_id, ticket_id, kind, language, to_address, to_name, subject, body,
    message_refs, created_at, attempts, delivery, delivery_at, last_error";

/// The columns `read_mail_reference` reads.
const MAIL_REFERENCE_COLUMNS: &str = "message_id, ticket_id, inbound";

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

/// An outbox e-mail from a row of [`OUTBOX_COLUMNS`].
fn read_outbound_email(row: &Row<'_>) -> Outcome<OutboundEmail> {
    let r = Columns {
        row,
        table: "outbox",
    };
    let delivery = Delivery::from_parts(r.text("delivery")?, r.instant("delivery_at")?);
    let attempts: i64 = r.get("attempts")?;
    Ok(OutboundEmail {
        id: OutboxId::from_uuid(r.uuid("id")?),
        message_id: r.get("message_id")?,
        ticket_id: r.uuid_opt("ticket_id")?.map(TicketId::from_uuid),
        kind: r.text("kind")?,
        language: r.text("language")?,
        to: r.parse("to_address", helpdesk_core::domain::Email::try_from)?,
        to_name: r.get("to_name")?,
        subject: r.get("subject")?,
        body: r.get("body")?,
        references: r.json::<Vec<String>>("message_refs")?,
        created_at: r.instant("created_at")?,
        attempts: u32::try_from(attempts).map_err(|e| r.corrupt("attempts", e))?,
        delivery,
        last_error: r.get("last_error")?,
    })
}

/// A mail reference from a row of [`MAIL_REFERENCE_COLUMNS`].
fn read_mail_reference(row: &Row<'_>) -> Outcome<MailReference> {
    let r = Columns {
        row,
        table: "mail_references",
    };
    Ok(MailReference {
        message_id: r.get("message_id")?,
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        inbound: r.bool("inbound")?,
    })
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
