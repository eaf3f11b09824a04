//! [`BulkRestore`] for the in-memory reference store: the ordinary commit's check and
//! writes, and the CC addresses and followers, under one lock.

use async_trait::async_trait;

use super::MemoryStore;
use crate::error::Result;
use crate::export::TicketRecord;
use crate::store::{BulkRestore, RestoredTickets, check_commit};

#[async_trait]
impl BulkRestore for MemoryStore {
    async fn restore_tickets(&self, tickets: Vec<TicketRecord>) -> Result<()> {
        let RestoredTickets {
            batch,
            cc,
            followers,
        } = RestoredTickets::new(tickets);
        let mut inner = self.lock();
        check_commit(&batch, &inner.facts(&batch))?;
        let changes = crate::feed::changes_of_batch(&batch);
        inner.apply(batch);
        inner.feed.append(changes);
        for (ticket, addresses) in cc {
            inner
                .ticket_cc
                .extend(addresses.into_iter().map(|a| (ticket, a)));
        }
        for (ticket, agents) in followers {
            inner
                .followers
                .extend(agents.into_iter().map(|a| (ticket, a)));
        }
        drop(inner);
        self.feed_wake.wake();
        Ok(())
    }
}
