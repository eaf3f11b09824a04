//! Writing a [`WriteBatch`]: one `BEGIN IMMEDIATE` transaction for the whole batch.
//!
//! The rows (and the search fields, folded) are built before the lock. Inside the transaction
//! the store reads the facts the batch's [`CommitKeys`](helpdesk_core::store::CommitKeys)
//! name and hands them to [`check_commit`], the one definition of what a commit may do; a
//! failed check rolls back and is returned. Then each ticket is inserted or updated as the
//! check says, with its categories, search fields, messages (and the blobs they refer to),
//! events and time entries, and after the tickets what the batch causes: notifications,
//! outbox e-mails, mail references and the rules that fired. The immediate transaction holds SQLite's write lock
//! from the first read to the commit, so nothing changes in between.

use helpdesk_core::Result;
use helpdesk_core::store::{CommitFacts, TicketWrite, TicketWriteKind, WriteBatch, check_commit};
use rusqlite::Transaction;
use rusqlite::types::ToSql;

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::message::{EventRow, MessageRow, TimeEntryRow};
use crate::rows::notification::NotificationRow;
use crate::rows::outbox::{MailReferenceRow, OutboxRow};
use crate::rows::ticket::{STORED_TICKET_COLUMNS, TicketRow, read_stored_ticket};
use crate::rows::{blob, first, json};
use crate::search::{self, FieldRow};
use helpdesk_core::domain::TicketId;

/// Writes `batch` atomically, or nothing, in a transaction it may share with concurrent
/// commits (see [`group_commit`](crate::group_commit)).
pub(crate) async fn commit(store: &SqliteStore, batch: WriteBatch) -> Result<()> {
    // A badly shaped batch fails before any row is built or the writer taken
    // (`check_commit` checks the shape again, first).
    batch.check_shape()?;
    if batch.is_empty() {
        return Ok(());
    }
    let rows = BatchRows::new(&batch)?;
    crate::group_commit::commit(store, batch, rows).await?;
    store.feed_wake().wake();
    Ok(())
}

/// A batch as rows.
pub(crate) struct BatchRows {
    /// Each write's rows, in batch order.
    pub(crate) writes: Vec<WriteRows>,
    notifications: Vec<NotificationRow>,
    outbox: Vec<OutboxRow>,
    mail_references: Vec<MailReferenceRow>,
    rule_firings: Vec<crate::automation::FiringRow>,
}

/// One ticket write as rows.
pub(crate) struct WriteRows {
    pub(crate) ticket: TicketRow,
    /// The search field of the ticket's subject.
    pub(crate) subject: FieldRow,
    /// Each message with its search field.
    pub(crate) messages: Vec<(MessageRow, FieldRow)>,
    pub(crate) events: Vec<EventRow>,
    pub(crate) time_entries: Vec<TimeEntryRow>,
    /// Each message moved here: its id, its origin (JSON) and its search field.
    moved_messages: Vec<([u8; 16], Option<String>, FieldRow)>,
    /// Each history entry moved here: its id and origin (JSON).
    moved_events: Vec<([u8; 16], Option<String>)>,
}

impl BatchRows {
    pub(crate) fn new(batch: &WriteBatch) -> Outcome<Self> {
        Ok(Self {
            writes: batch
                .writes
                .iter()
                .map(WriteRows::new)
                .collect::<Outcome<_>>()?,
            notifications: (batch.notifications.iter())
                .map(NotificationRow::new)
                .collect::<Outcome<_>>()?,
            outbox: batch
                .outbox
                .iter()
                .map(OutboxRow::new)
                .collect::<Outcome<_>>()?,
            mail_references: (batch.mail_references.iter())
                .map(MailReferenceRow::new)
                .collect(),
            rule_firings: (batch.rule_firings.iter())
                .map(crate::automation::FiringRow::new)
                .collect::<Outcome<_>>()?,
        })
    }
}

impl WriteRows {
    fn new(write: &TicketWrite) -> Outcome<Self> {
        Ok(Self {
            ticket: TicketRow::new(&write.ticket)?,
            subject: FieldRow::new(write.ticket.subject.as_str(), false),
            messages: (write.messages.iter())
                .map(|m| Ok((MessageRow::new(m)?, FieldRow::message(m))))
                .collect::<Outcome<_>>()?,
            events: write
                .events
                .iter()
                .map(EventRow::new)
                .collect::<Outcome<_>>()?,
            time_entries: write.time_entries.iter().map(TimeEntryRow::new).collect(),
            moved_messages: (write.moved_messages.iter())
                .map(|m| {
                    let origin = m.origin.as_ref().map(json).transpose()?;
                    Ok((blob(m.id.as_uuid()), origin, FieldRow::message(m)))
                })
                .collect::<Outcome<_>>()?,
            moved_events: (write.moved_events.iter())
                .map(|e| {
                    Ok((
                        blob(e.id.as_uuid()),
                        e.origin.as_ref().map(json).transpose()?,
                    ))
                })
                .collect::<Outcome<_>>()?,
        })
    }
}

/// Checks and writes `batch`, built as `rows`, inside the immediate transaction `tx` (which
/// holds the write lock). On an error, part of the batch may be written: the caller rolls it
/// back (to the batch's savepoint).
pub(crate) fn write_checked(
    tx: &Transaction<'_>,
    batch: &WriteBatch,
    rows: &BatchRows,
) -> Outcome<()> {
    let facts = read_facts(tx, batch)?;
    let kinds = check_commit(batch, &facts)?;
    for (write, kind) in rows.writes.iter().zip(kinds) {
        write_ticket(tx, write, kind)?;
    }
    // After every write's own rows, as the memory store orders them.
    for write in &rows.writes {
        write_moves(tx, write)?;
    }
    let changes = helpdesk_core::feed::changes_of_batch(batch);
    // No endpoint read when the request's reads found none enabled.
    if !batch.no_webhook_endpoints {
        crate::webhooks::enqueue(
            tx,
            &changes,
            helpdesk_core::webhooks::batch_time(batch, chrono::Utc::now()),
        )?;
    }
    crate::webhooks::enqueue_rule_deliveries(tx, &batch.rule_deliveries)?;
    // After the tickets: these rows refer to them.
    write_caused(tx, rows)?;
    crate::feed::append(tx, &changes)
}

/// The stored facts `batch`'s checks depend on, read under the transaction's write lock.
pub(crate) fn read_facts(tx: &Transaction<'_>, batch: &WriteBatch) -> Outcome<CommitFacts> {
    let keys = batch.keys();
    let mut facts = CommitFacts::new();
    let stored = format!("SELECT {STORED_TICKET_COLUMNS} FROM tickets WHERE id = ?1");
    for id in keys.tickets {
        if let Some(ticket) = first(tx, &stored, [blob(id.as_uuid())], read_stored_ticket)? {
            facts.stored_ticket(id, ticket);
        }
    }
    for n in keys.numbers {
        let sql =
            "SELECT EXISTS (SELECT 1 FROM tickets WHERE number_full = ?1 OR number_short = ?1)";
        if exists(tx, sql, n)? {
            facts.number_taken(n);
        }
    }
    for m in keys.email_message_ids {
        if exists(
            tx,
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE message_id = ?1)",
            m,
        )? {
            facts.email_message_id_taken(m);
        }
    }
    for m in keys.reference_message_ids {
        let sql = "SELECT EXISTS (SELECT 1 FROM mail_references WHERE message_id = ?1)";
        if exists(tx, sql, m)? {
            facts.reference_message_id_taken(m);
        }
    }
    for id in keys.notifications {
        let sql = "SELECT EXISTS (SELECT 1 FROM notifications WHERE id = ?1)";
        if exists(tx, sql, blob(id.as_uuid()))? {
            facts.notification_taken(id);
        }
    }
    for id in keys.moved_messages {
        let sql = "SELECT ticket_id FROM messages WHERE id = ?1";
        if let Some(on) = first(tx, sql, [blob(id.as_uuid())], owner)? {
            facts.message_on(id, TicketId::from_uuid(on));
        }
    }
    for id in keys.moved_events {
        let sql = "SELECT ticket_id FROM ticket_events WHERE id = ?1";
        if let Some(on) = first(tx, sql, [blob(id.as_uuid())], owner)? {
            facts.event_on(id, TicketId::from_uuid(on));
        }
    }
    for id in keys.emails {
        let sql = "SELECT EXISTS (SELECT 1 FROM outbox WHERE id = ?1)";
        if exists(tx, sql, blob(id.as_uuid()))? {
            facts.email_taken(id);
        }
    }
    Ok(facts)
}

/// The `ticket_id` of a row.
fn owner(row: &rusqlite::Row<'_>) -> Outcome<uuid::Uuid> {
    crate::rows::Reader::new(row, "ticket_id").uuid("ticket_id")
}

/// The answer of `sql`, a `SELECT EXISTS (...)` of one parameter, for `key`.
fn exists(tx: &Transaction<'_>, sql: &str, key: impl ToSql) -> Outcome<bool> {
    Ok(tx.prepare_cached(sql)?.query_row([key], |row| row.get(0))?)
}

/// Writes one checked ticket write.
fn write_ticket(tx: &Transaction<'_>, write: &WriteRows, kind: TicketWriteKind) -> Outcome<()> {
    let ticket = &write.ticket;
    match kind {
        TicketWriteKind::Insert => {
            tx.prepare_cached(TicketRow::INSERT)?
                .execute(&ticket.params()[..])?;
            search::insert(tx, &ticket.id, None, &write.subject)?;
        }
        TicketWriteKind::Update { subject_changed } => {
            // The row was read, at the expected version, under this transaction's lock.
            tx.prepare_cached(TicketRow::UPDATE)?
                .execute(&ticket.params()[..])?;
            tx.prepare_cached(TicketRow::DELETE_CATEGORIES)?
                .execute([ticket.id])?;
            tx.prepare_cached(TicketRow::DELETE_TAGS)?
                .execute([ticket.id])?;
            if subject_changed {
                search::replace_subject(tx, &ticket.id, &write.subject)?;
            }
        }
    }
    let mut category = tx.prepare_cached(TicketRow::INSERT_CATEGORY)?;
    for name in &ticket.categories {
        category.execute((ticket.id, name))?;
    }
    let mut tag = tx.prepare_cached(TicketRow::INSERT_TAG)?;
    for (key, text) in &ticket.tags {
        tag.execute((ticket.id, key, text))?;
    }
    let mut message = tx.prepare_cached(MessageRow::INSERT)?;
    let mut refers = tx.prepare_cached(MessageRow::INSERT_BLOB)?;
    for (row, field) in &write.messages {
        message.execute(&row.params()[..])?;
        search::insert(tx, &ticket.id, Some(tx.last_insert_rowid()), field)?;
        for sha256 in &row.blobs {
            refers.execute((sha256, row.id))?;
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

/// Moves the messages and history entries `write` takes from other tickets (checked) to the
/// end of its ticket's thread and history; each message's search field goes with it.
fn write_moves(tx: &Transaction<'_>, write: &WriteRows) -> Outcome<()> {
    let ticket = &write.ticket.id;
    for (id, origin, field) in &write.moved_messages {
        tx.prepare_cached(
            "DELETE FROM search_fields WHERE message_seq = (SELECT seq FROM messages WHERE id = ?1)",
        )?
        .execute([id])?;
        let seq: i64 =
            (tx.prepare_cached(MessageRow::MOVE)?).query_row((id, ticket, origin), |r| r.get(0))?;
        search::insert(tx, ticket, Some(seq), field)?;
    }
    let mut event = tx.prepare_cached(EventRow::MOVE)?;
    for (id, origin) in &write.moved_events {
        event.execute((id, ticket, origin))?;
    }
    Ok(())
}

/// Writes the notifications, outbox e-mails and mail references of a checked batch, in batch
/// order.
fn write_caused(tx: &Transaction<'_>, rows: &BatchRows) -> Outcome<()> {
    let mut notification = tx.prepare_cached(NotificationRow::INSERT)?;
    for row in &rows.notifications {
        notification.execute(&row.params()[..])?;
    }
    let mut email = tx.prepare_cached(OutboxRow::INSERT)?;
    for row in &rows.outbox {
        email.execute(&row.params()[..])?;
    }
    let mut reference = tx.prepare_cached(MailReferenceRow::INSERT)?;
    for row in &rows.mail_references {
        reference.execute(&row.params()[..])?;
    }
    crate::automation::insert_firings(tx, &rows.rule_firings)
}
