//! Restoring many tickets at once ([`BulkRestore`]): the write an import makes of the
//! tickets of an export, checked before by [`Restore`](crate::export::Restore).
//!
//! The ordinary [`commit`](super::Store::commit) is made for one change at a time: it reads
//! what the change depends on field by field, announces the change to webhooks, and a
//! ticket's CC addresses and followers are written after it, apart. A restore writes tickets
//! that are new to the desk, many at once: a backend that offers this ability writes a whole
//! batch of them in one transaction, statements prepared once, the search index rows written
//! in a row, CC addresses and followers with them.

use async_trait::async_trait;

use super::{TicketWrite, WriteBatch};
use crate::domain::{AgentId, Email, TicketId};
use crate::error::Result;
use crate::export::{Restore, TicketRecord};

/// An ability a store may offer
/// ([`Store::as_bulk_restore`](super::Store::as_bulk_restore)): restored tickets written in
/// bulk.
///
/// [`restore_tickets`](Self::restore_tickets) stores exactly what the ordinary restore
/// stores (a [`commit`](super::Store::commit) of [`RestoredTickets::batch`], then each
/// ticket's CC addresses and followers): the same tickets, threads, history, time entries,
/// search entries, CC addresses, followers and change feed records, read back equal. It
/// differs in three ways: the whole call is one transaction (all of it or nothing, CC and
/// followers included); the batch is refused as [`check_commit`](super::check_commit)
/// refuses it (a ticket id or number already stored is a conflict, nothing written); and
/// no webhook delivery is queued (a restore is no change to announce).
#[async_trait]
pub trait BulkRestore: Send + Sync {
    /// Writes `tickets`, each a new ticket as it was exported, in one transaction.
    async fn restore_tickets(&self, tickets: Vec<TicketRecord>) -> Result<()>;
}

/// Restored tickets as a store writes them: the batch the ordinary commit would get, and
/// what goes beside it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RestoredTickets {
    /// A write creating each ticket as it was ([`Restore::ticket_write`]).
    pub batch: WriteBatch,
    /// Each ticket's CC addresses, for the tickets that have some.
    pub cc: Vec<(TicketId, Vec<Email>)>,
    /// Each ticket's following agents, for the tickets that have some.
    pub followers: Vec<(TicketId, Vec<AgentId>)>,
}

impl RestoredTickets {
    /// `records` as writes, in their order.
    pub fn new(records: Vec<TicketRecord>) -> Self {
        let mut restored = Self::default();
        let mut writes: Vec<TicketWrite> = Vec::with_capacity(records.len());
        for mut record in records {
            let id = record.ticket.id;
            let cc = std::mem::take(&mut record.cc);
            let followers = std::mem::take(&mut record.followers);
            if !cc.is_empty() {
                restored.cc.push((id, cc));
            }
            if !followers.is_empty() {
                restored.followers.push((id, followers));
            }
            writes.push(Restore::ticket_write(record));
        }
        restored.batch = WriteBatch::of(writes);
        restored
    }
}
