//! [`BulkRestore`] for [`SqliteStore`]: restored tickets written in one `BEGIN IMMEDIATE`
//! transaction, outside the group commit.
//!
//! The rows are built before the lock, as a commit builds them; inside the transaction the
//! facts [`check_commit`] needs are read and checked once for the whole batch (a ticket id or
//! number already stored refuses it, nothing written). Then every row is written with
//! statements prepared once: a ticket's rowid comes from its insert, so the rowid of each of
//! its search fields (`(ticket rowid << 24) | (ordinal << 1) | internal`, migration 0017) is
//! computed, not read back field by field as a commit of one new message must; then CC
//! addresses, followers and the change feed's records. No webhook delivery is queued.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::export::TicketRecord;
use helpdesk_core::store::{BulkRestore, RestoredTickets, check_commit};
use rusqlite::{Transaction, TransactionBehavior};

use crate::commit::{BatchRows, WriteRows, read_facts};
use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::blob;
use crate::rows::message::{EventRow, MessageRow, TimeEntryRow};
use crate::rows::ticket::TicketRow;
use crate::search::{FieldRow, field_seq};

#[async_trait]
impl BulkRestore for SqliteStore {
    async fn restore_tickets(&self, tickets: Vec<TicketRecord>) -> Result<()> {
        let restored = RestoredTickets::new(tickets);
        restored.batch.check_shape()?;
        if restored.batch.writes.is_empty() {
            return Ok(());
        }
        let rows = BatchRows::new(&restored.batch)?;
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            write_restored(&tx, &restored, &rows)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
        self.feed_wake().wake();
        Ok(())
    }
}

/// Checks and writes `restored`, built as `rows`, inside `tx`; on an error the caller's
/// transaction is dropped, rolled back.
fn write_restored(
    tx: &Transaction<'_>,
    restored: &RestoredTickets,
    rows: &BatchRows,
) -> Outcome<()> {
    let batch = &restored.batch;
    // Every write is an insert: a stored id or number fails the check.
    check_commit(batch, &read_facts(tx, batch)?)?;
    let mut statements = Statements::new(tx)?;
    let mut fields = Vec::new();
    for write in &rows.writes {
        statements.ticket(tx, write, &mut fields)?;
    }
    insert_fields(tx, &fields)?;
    let mut cc = tx.prepare_cached(
        "INSERT INTO ticket_cc (ticket_id, address) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?;
    for (ticket, addresses) in &restored.cc {
        let id = blob(ticket.as_uuid());
        for a in addresses {
            cc.execute((id, a.as_str()))?;
        }
    }
    let mut follower = tx.prepare_cached(
        "INSERT INTO ticket_followers (ticket_id, agent_id) VALUES (?1, ?2)
         ON CONFLICT DO NOTHING",
    )?;
    for (ticket, agents) in &restored.followers {
        let id = blob(ticket.as_uuid());
        for agent in agents {
            follower.execute((id, blob(agent.as_uuid())))?;
        }
    }
    crate::feed::append(tx, &helpdesk_core::feed::changes_of_batch(batch))
}

/// The statements of a restore, prepared once for the whole batch.
struct Statements<'tx> {
    ticket: rusqlite::CachedStatement<'tx>,
    category: rusqlite::CachedStatement<'tx>,
    tag: rusqlite::CachedStatement<'tx>,
    message: rusqlite::CachedStatement<'tx>,
    refers: rusqlite::CachedStatement<'tx>,
    event: rusqlite::CachedStatement<'tx>,
    entry: rusqlite::CachedStatement<'tx>,
}

impl<'tx> Statements<'tx> {
    fn new(tx: &'tx Transaction<'_>) -> Outcome<Self> {
        Ok(Self {
            ticket: tx.prepare_cached(TicketRow::INSERT)?,
            category: tx.prepare_cached(TicketRow::INSERT_CATEGORY)?,
            tag: tx.prepare_cached(TicketRow::INSERT_TAG)?,
            message: tx.prepare_cached(MessageRow::INSERT)?,
            refers: tx.prepare_cached(MessageRow::INSERT_BLOB)?,
            event: tx.prepare_cached(EventRow::INSERT)?,
            entry: tx.prepare_cached(TimeEntryRow::INSERT)?,
        })
    }

    /// Inserts one new ticket with its rows, but for its search fields: those are added to
    /// `fields`, to be inserted together.
    fn ticket<'w>(
        &mut self,
        tx: &Transaction<'_>,
        write: &'w WriteRows,
        fields: &mut Vec<Field<'w>>,
    ) -> Outcome<()> {
        let ticket = &write.ticket;
        self.ticket.execute(&ticket.params()[..])?;
        let rowid = tx.last_insert_rowid();
        fields.push(Field::new(rowid, 0, &ticket.id, None, &write.subject)?);
        for name in &ticket.categories {
            self.category.execute((ticket.id, name))?;
        }
        for (key, text) in &ticket.tags {
            self.tag.execute((ticket.id, key, text))?;
        }
        for (ordinal, (row, field)) in (1..).zip(&write.messages) {
            self.message.execute(&row.params()[..])?;
            let message_seq = tx.last_insert_rowid();
            fields.push(Field::new(
                rowid,
                ordinal,
                &ticket.id,
                Some(message_seq),
                field,
            )?);
            for sha256 in &row.blobs {
                self.refers.execute((sha256, row.id))?;
            }
        }
        for row in &write.events {
            self.event.execute(&row.params()[..])?;
        }
        for row in &write.time_entries {
            self.entry.execute(&row.params()[..])?;
        }
        Ok(())
    }
}

/// A search field row to insert.
struct Field<'w> {
    seq: i64,
    ticket_id: &'w [u8; 16],
    message_seq: Option<i64>,
    row: &'w FieldRow,
}

impl<'w> Field<'w> {
    /// The search field at `ordinal` of the ticket at `rowid` (0: its subject).
    fn new(
        rowid: i64,
        ordinal: i64,
        ticket_id: &'w [u8; 16],
        message_seq: Option<i64>,
        row: &'w FieldRow,
    ) -> Outcome<Self> {
        let seq = field_seq(rowid, ordinal, row.internal).ok_or_else(|| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
                Some("the ticket's search index range is full".into()),
            )
        })?;
        Ok(Self {
            seq,
            ticket_id,
            message_seq,
            row,
        })
    }
}

/// Search field rows per `INSERT` statement.
const FIELDS_PER_INSERT: usize = 128;

/// Inserts `fields`, [`FIELDS_PER_INSERT`] rows a statement. An insert into `search_fields`
/// fires the triggers that fill the full-text index, and SQLite opens a statement savepoint
/// for each such statement, at which FTS5 writes out the terms it holds: one row a statement
/// writes the index out row by row, in many small segments it must merge again.
fn insert_fields(tx: &Transaction<'_>, fields: &[Field<'_>]) -> Outcome<()> {
    for chunk in fields.chunks(FIELDS_PER_INSERT) {
        let values = vec!["(?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let sql = format!(
            "INSERT INTO search_fields (seq, ticket_id, message_seq, internal, words, folded, stems)
             VALUES {values}"
        );
        let mut params: Vec<&dyn rusqlite::types::ToSql> = Vec::with_capacity(chunk.len() * 7);
        for f in chunk {
            params.extend([
                &f.seq as &dyn rusqlite::types::ToSql,
                f.ticket_id,
                &f.message_seq,
                &f.row.internal,
                &f.row.words,
                &f.row.folded,
                &f.row.stems,
            ]);
        }
        tx.prepare_cached(&sql)?.execute(&params[..])?;
    }
    Ok(())
}
