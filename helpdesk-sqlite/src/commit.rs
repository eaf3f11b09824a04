//! Writing a [`WriteBatch`]: one `BEGIN IMMEDIATE` transaction for the whole batch.
//!
//! First every write is checked against the state before the batch, exactly as the memory
//! store checks it (ids and numbers free for new tickets, the expected version still stored
//! for changed ones, then the Message-IDs of new e-mails and mail references, then the ids of
//! new notifications and e-mails); the first failed check rolls back and is returned. Then the
//! tickets are written, with their categories, messages, events and time entries, and after
//! them what the batch causes: notifications, outbox e-mails and mail references. The
//! immediate transaction holds SQLite's write lock from the first check to the commit, so
//! nothing can change in between.

use helpdesk_core::domain::{TicketId, Version};
use helpdesk_core::error::{ConflictKind, Entity, Error};
use helpdesk_core::store::{TicketWrite, WriteBatch};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::error::{Outcome, SqliteError, duplicate};
use crate::notifications::NotificationRow;
use crate::outbox::{MailReferenceRow, OutboxRow};
use crate::rows::{EventRow, MessageRow, TicketRow, TimeEntryRow, blob};
use crate::search::{self, FieldRow};

/// One write, as rows.
struct WriteRows {
    expected: Option<Version>,
    ticket: TicketRow,
    /// The ticket's subject, for the search index.
    subject: String,
    messages: Vec<MessageRow>,
    /// Each message's search field, folded before the transaction starts.
    message_fields: Vec<FieldRow>,
    events: Vec<EventRow>,
    time_entries: Vec<TimeEntryRow>,
}

impl WriteRows {
    fn new(write: &TicketWrite) -> Outcome<Self> {
        Ok(Self {
            expected: write.expected,
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
    let rows = batch
        .writes
        .iter()
        .map(WriteRows::new)
        .collect::<Outcome<Vec<_>>>()?;
    let caused = CausedRows::new(batch)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    check(&tx, batch)?;
    check_caused(&tx, batch, &caused)?;
    for write in &rows {
        apply(&tx, write)?;
    }
    // After the tickets: these rows refer to them.
    apply_caused(&tx, &caused)?;
    tx.commit()?;
    Ok(())
}

/// Checks every write against the state before the batch; changes nothing.
fn check(tx: &Transaction<'_>, batch: &WriteBatch) -> Outcome<()> {
    let mut new_numbers: Vec<&str> = Vec::new();
    for write in &batch.writes {
        let t = &write.ticket;
        match write.expected {
            None => {
                if stored_version(tx, t.id)?.is_some() {
                    return Err(duplicate(Entity::Ticket, "id").into());
                }
                for n in [t.number.full(), t.number.short()] {
                    if number_taken(tx, n)? || new_numbers.contains(&n) {
                        return Err(duplicate(Entity::Ticket, "number").into());
                    }
                }
                new_numbers.extend([t.number.full(), t.number.short()]);
            }
            Some(expected) => {
                let actual = stored_version(tx, t.id)?
                    .ok_or_else(|| Error::not_found(Entity::Ticket, t.id))?;
                if stored_number(tx, t.id)?.as_deref() != Some(t.number.full()) {
                    return Err(
                        Error::validation("number", "a ticket's number never changes").into(),
                    );
                }
                if actual != expected {
                    return Err(Error::Conflict {
                        entity: Entity::Ticket,
                        kind: ConflictKind::StaleVersion { expected, actual },
                    }
                    .into());
                }
            }
        }
    }
    Ok(())
}

/// The stored version of a ticket, if it exists.
fn stored_version(tx: &Transaction<'_>, id: TicketId) -> Outcome<Option<Version>> {
    let version: Option<i64> = tx
        .prepare_cached("SELECT version FROM tickets WHERE id = ?1")?
        .query_row([blob(id.as_uuid())], |row| row.get(0))
        .optional()?;
    version
        .map(|v| {
            u64::try_from(v)
                .map(Version::new)
                .map_err(|e| SqliteError::Corrupt {
                    table: "tickets",
                    column: "version",
                    source: e.into(),
                })
        })
        .transpose()
        .map_err(Into::into)
}

/// Whether a stored ticket has `number` as its full or short number: the two forms share one
/// namespace, as they do for look-ups.
/// The stored full number of a ticket, if it exists.
fn stored_number(tx: &Transaction<'_>, id: TicketId) -> Outcome<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT number_full FROM tickets WHERE id = ?1")?
        .query_row([blob(id.as_uuid())], |row| row.get(0))
        .optional()?)
}

fn number_taken(tx: &Transaction<'_>, number: &str) -> Outcome<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM tickets WHERE number_full = ?1 OR number_short = ?1)",
        )?
        .query_row([number], |row| row.get(0))?)
}

/// Writes one checked write.
fn apply(tx: &Transaction<'_>, write: &WriteRows) -> Outcome<()> {
    let ticket = &write.ticket;
    match write.expected {
        None => {
            tx.prepare_cached(TicketRow::INSERT)?
                .execute(&ticket.params()[..])?;
        }
        Some(_) => {
            // The version was checked under this transaction's write lock. The update is by
            // id only, so that a batch changing one ticket twice behaves like the memory
            // store: both writes are checked against the state before the batch, and the
            // last one wins.
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
    search::put_subject(tx, ticket.id, &write.subject)?;
    let mut message = tx.prepare_cached(MessageRow::INSERT)?;
    for (row, field) in write.messages.iter().zip(&write.message_fields) {
        message.execute(&row.params()[..])?;
        search::insert(tx, ticket.id, Some(tx.last_insert_rowid()), field)?;
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

/// Checks what the batch causes against the stored state, in the memory store's order: a
/// Message-ID taken by an outbox e-mail (for a new e-mail) or by a mail reference (for a new
/// reference), then a notification id, then an e-mail id already stored. Changes nothing.
fn check_caused(tx: &Transaction<'_>, batch: &WriteBatch, caused: &CausedRows) -> Outcome<()> {
    let exists = |sql: &str, key: &dyn rusqlite::ToSql| -> Outcome<bool> {
        Ok(tx.prepare_cached(sql)?.query_row([key], |row| row.get(0))?)
    };
    for e in &caused.outbox {
        let sql = "SELECT EXISTS (SELECT 1 FROM outbox WHERE message_id = ?1)";
        if exists(sql, &e.message_id())? {
            return Err(duplicate(Entity::Email, "message_id").into());
        }
    }
    for r in &caused.mail_references {
        let sql = "SELECT EXISTS (SELECT 1 FROM mail_references WHERE message_id = ?1)";
        if exists(sql, &r.message_id())? {
            return Err(duplicate(Entity::Email, "message_id").into());
        }
    }
    for n in &batch.notifications {
        let sql = "SELECT EXISTS (SELECT 1 FROM notifications WHERE id = ?1)";
        if exists(sql, &blob(n.id.as_uuid()))? {
            return Err(duplicate(Entity::Notification, "id").into());
        }
    }
    for e in &caused.outbox {
        let sql = "SELECT EXISTS (SELECT 1 FROM outbox WHERE id = ?1)";
        if exists(sql, &e.id())? {
            return Err(duplicate(Entity::Email, "id").into());
        }
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
