//! Writing a [`WriteBatch`]: one `BEGIN IMMEDIATE` transaction for the whole batch.
//!
//! The rows are built before the lock. Inside the transaction the store reads the facts the
//! batch's [`CommitKeys`](helpdesk_core::store::CommitKeys) name and hands them to
//! [`check_commit`], the one definition of what a commit may do; the first failed check rolls
//! back and is returned. Then the tickets are written, with their categories, messages (and
//! the blobs each refers to), events and time entries, and after them what the batch causes:
//! notifications, outbox e-mails and mail references. The immediate transaction holds
//! SQLite's write lock from the first read to the commit, so nothing changes in between.

use helpdesk_core::domain::Version;
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::store::{
    CommitFacts, StoredTicket, TicketWrite, TicketWriteKind, WriteBatch, check_commit,
};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::error::Outcome;
use crate::notifications::NotificationRow;
use crate::outbox::{MailReferenceRow, OutboxRow};
use crate::rows::{EventRow, MessageRow, TicketRow, TimeEntryRow, blob};
use crate::search::{self, FieldRow};

/// One write, as rows.
struct WriteRows {
    ticket: TicketRow,
    /// The ticket's subject, for the search index.
    subject: String,
    messages: Vec<MessageRow>,
    /// Each message's search field, folded before the transaction starts.
    message_fields: Vec<FieldRow>,
    /// Each message's blobs, as `message_blobs` rows.
    message_blobs: Vec<Vec<(String, [u8; 16])>>,
    events: Vec<EventRow>,
    time_entries: Vec<TimeEntryRow>,
}

impl WriteRows {
    fn new(write: &TicketWrite) -> Outcome<Self> {
        Ok(Self {
            ticket: TicketRow::new(&write.ticket)?,
            subject: write.ticket.subject.as_str().to_owned(),
            messages: write
                .messages
                .iter()
                .map(MessageRow::new)
                .collect::<rusqlite::Result<_>>()?,
            events: write
                .events
                .iter()
                .map(EventRow::new)
                .collect::<rusqlite::Result<_>>()?,
            message_fields: write.messages.iter().map(FieldRow::message).collect(),
            message_blobs: write
                .messages
                .iter()
                .map(|m| {
                    (m.attachments.iter())
                        .map(|a| (a.sha256().to_owned(), blob(m.id.as_uuid())))
                        .collect()
                })
                .collect(),
            time_entries: write.time_entries.iter().map(TimeEntryRow::new).collect(),
        })
    }
}

/// What a batch causes beside its tickets, as rows.
struct CausedRows {
    notifications: Vec<NotificationRow>,
    outbox: Vec<OutboxRow>,
    mail_references: Vec<MailReferenceRow>,
}

impl CausedRows {
    fn new(batch: &WriteBatch) -> rusqlite::Result<Self> {
        Ok(Self {
            notifications: batch
                .notifications
                .iter()
                .map(NotificationRow::new)
                .collect::<rusqlite::Result<_>>()?,
            outbox: batch
                .outbox
                .iter()
                .map(OutboxRow::new)
                .collect::<rusqlite::Result<_>>()?,
            mail_references: batch
                .mail_references
                .iter()
                .map(MailReferenceRow::new)
                .collect(),
        })
    }
}

/// Writes `batch` atomically.
pub(crate) fn commit(conn: &mut Connection, batch: &WriteBatch) -> Outcome<()> {
    batch.check_shape()?;
    if batch.is_empty() {
        return Ok(());
    }
    let rows = batch
        .writes
        .iter()
        .map(WriteRows::new)
        .collect::<Outcome<Vec<_>>>()?;
    let caused = CausedRows::new(batch)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let facts = read_facts(&tx, batch)?;
    let kinds = check_commit(batch, &facts)?;
    for (write, kind) in rows.iter().zip(kinds) {
        apply(&tx, write, kind)?;
    }
    // After the tickets: these rows refer to them.
    apply_caused(&tx, &caused)?;
    tx.commit()?;
    Ok(())
}

/// The stored facts `batch`'s checks depend on, read under the transaction's write lock.
fn read_facts(tx: &Transaction<'_>, batch: &WriteBatch) -> Outcome<CommitFacts> {
    let keys = batch.keys();
    let mut facts = CommitFacts::new();
    let mut ticket = tx.prepare_cached(
        "SELECT version, number_full, number_short, subject FROM tickets WHERE id = ?1",
    )?;
    for id in keys.tickets {
        let row: Option<(i64, String, String, String)> = ticket
            .query_row([blob(id.as_uuid())], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        if let Some((version, number_full, number_short, subject)) = row {
            let version = u64::try_from(version)
                .map(Version::new)
                .map_err(|e| Error::corrupt("tickets", "version", e))?;
            facts.stored_ticket(
                id,
                StoredTicket {
                    version,
                    number_full,
                    number_short,
                    subject,
                },
            );
        }
    }
    let exists = |sql: &str, key: &dyn rusqlite::ToSql| -> Outcome<bool> {
        Ok(tx.prepare_cached(sql)?.query_row([key], |row| row.get(0))?)
    };
    for n in keys.numbers {
        let sql =
            "SELECT EXISTS (SELECT 1 FROM tickets WHERE number_full = ?1 OR number_short = ?1)";
        if exists(sql, &n)? {
            facts.number_taken(n);
        }
    }
    for m in keys.email_message_ids {
        if exists(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE message_id = ?1)",
            &m,
        )? {
            facts.email_message_id_taken(m);
        }
    }
    for m in keys.reference_message_ids {
        let sql = "SELECT EXISTS (SELECT 1 FROM mail_references WHERE message_id = ?1)";
        if exists(sql, &m)? {
            facts.reference_message_id_taken(m);
        }
    }
    for id in keys.notifications {
        let sql = "SELECT EXISTS (SELECT 1 FROM notifications WHERE id = ?1)";
        if exists(sql, &blob(id.as_uuid()))? {
            facts.notification_taken(id);
        }
    }
    for id in keys.emails {
        if exists(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE id = ?1)",
            &blob(id.as_uuid()),
        )? {
            facts.email_taken(id);
        }
    }
    Ok(facts)
}

/// Writes one checked write.
fn apply(tx: &Transaction<'_>, write: &WriteRows, kind: TicketWriteKind) -> Outcome<()> {
    let ticket = &write.ticket;
    match kind {
        TicketWriteKind::Insert => {
            tx.prepare_cached(TicketRow::INSERT)?
                .execute(&ticket.params()[..])?;
        }
        TicketWriteKind::Update { .. } => {
            // The version was checked under this transaction's write lock.
            let changed = tx
                .prepare_cached(TicketRow::UPDATE)?
                .execute(&ticket.params()[..])?;
            if changed != 1 {
                let id = uuid::Uuid::from_bytes(ticket.id);
                return Err(Error::not_found(Entity::Ticket, id).into());
            }
        }
    }

    tx.prepare_cached("DELETE FROM ticket_categories WHERE ticket_id = ?1")?
        .execute([ticket.id])?;
    let mut category =
        tx.prepare_cached("INSERT INTO ticket_categories (ticket_id, category) VALUES (?1, ?2)")?;
    for name in &ticket.categories {
        category.execute((ticket.id, name))?;
    }

    // The search index: the subject (again only when it changed) and each new message.
    search::put_subject(tx, &ticket.id, &write.subject)?;
    let mut message = tx.prepare_cached(MessageRow::INSERT)?;
    let mut refers = tx.prepare_cached(
        "INSERT OR IGNORE INTO message_blobs (sha256, message_id) VALUES (?1, ?2)",
    )?;
    for ((row, field), blobs) in write
        .messages
        .iter()
        .zip(&write.message_fields)
        .zip(&write.message_blobs)
    {
        message.execute(&row.params()[..])?;
        search::insert(tx, &ticket.id, Some(tx.last_insert_rowid()), field)?;
        for (sha256, message_id) in blobs {
            refers.execute((sha256, message_id))?;
        }
    }
    let mut event = tx.prepare_cached(EventRow::INSERT)?;
    for row in &write.events {
        event.execute(&row.params()[..])?;
    }
    let mut entry = tx.prepare_cached(TimeEntryRow::INSERT)?;
    for row in &write.time_entries {
        entry.execute(&row.params()[..])?;
    }
    Ok(())
}

/// Writes the checked notifications, outbox e-mails and mail references, in batch order.
fn apply_caused(tx: &Transaction<'_>, caused: &CausedRows) -> Outcome<()> {
    let mut notification = tx.prepare_cached(NotificationRow::INSERT)?;
    for row in &caused.notifications {
        notification.execute(&row.params()[..])?;
    }
    let mut email = tx.prepare_cached(OutboxRow::INSERT)?;
    for row in &caused.outbox {
        email.execute(&row.params()[..])?;
    }
    let mut reference = tx.prepare_cached(MailReferenceRow::INSERT)?;
    for row in &caused.mail_references {
        reference.execute(&row.params()[..])?;
    }
    Ok(())
}
