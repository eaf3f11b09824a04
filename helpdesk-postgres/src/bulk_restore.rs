//! [`BulkRestore`] for [`PostgresStore`]: restored tickets, their CC addresses and followers
//! in one READ COMMITTED transaction: the commit's checked multi-row inserts (one `UNNEST`
//! insert per table for the whole batch), then one insert each for the CC addresses and the
//! followers, and the change feed's records. No webhook delivery is queued.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::export::TicketRecord;
use helpdesk_core::store::{BulkRestore, RestoredTickets};
use uuid::Uuid;

use crate::commit::{Children, write_batch};
use crate::connection::PostgresStore;
use crate::error;

#[async_trait]
impl BulkRestore for PostgresStore {
    async fn restore_tickets(&self, tickets: Vec<TicketRecord>) -> Result<()> {
        let RestoredTickets {
            mut batch,
            cc,
            followers,
        } = RestoredTickets::new(tickets);
        batch.check_shape()?;
        if batch.writes.is_empty() {
            return Ok(());
        }
        // A restore is no change to announce: no endpoint is read, no delivery queued.
        batch.no_webhook_endpoints = true;
        let children = Children::of(&batch)?;
        let (mut cc_tickets, mut addresses) = (Vec::<Uuid>::new(), Vec::<String>::new());
        for (ticket, list) in &cc {
            for a in list {
                cc_tickets.push(ticket.as_uuid());
                addresses.push(a.as_str().to_owned());
            }
        }
        let (mut followed, mut agents) = (Vec::<Uuid>::new(), Vec::<Uuid>::new());
        for (ticket, list) in &followers {
            for a in list {
                followed.push(ticket.as_uuid());
                agents.push(a.as_uuid());
            }
        }
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
            .await
            .map_err(error::db)?;
        write_batch(&mut tx, &batch, children).await?;
        if !cc_tickets.is_empty() {
            sqlx::query(
                "INSERT INTO ticket_cc (ticket_id, address) \
                 SELECT * FROM unnest($1::uuid[], $2::text[]) \
                 ON CONFLICT (ticket_id, address) DO NOTHING",
            )
            .bind(cc_tickets)
            .bind(addresses)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        }
        if !followed.is_empty() {
            sqlx::query(
                "INSERT INTO ticket_followers (ticket_id, agent_id) \
                 SELECT * FROM unnest($1::uuid[], $2::uuid[]) \
                 ON CONFLICT (ticket_id, agent_id) DO NOTHING",
            )
            .bind(followed)
            .bind(agents)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        }
        tx.commit().await.map_err(error::db)
    }
}
