//! Tickets' CC addresses and following agents (tables `ticket_cc` and `ticket_followers`,
//! migration 0029): [`FollowerStore`] for [`SqliteStore`].

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{AgentId, Email, TicketId};
use helpdesk_core::store::FollowerStore;
use rusqlite::{Row, TransactionBehavior};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, all, blob};

/// An address from a row of `SELECT address`.
fn read_address(row: &Row<'_>) -> Outcome<Email> {
    Reader::new(row, "ticket_cc").parse("address", Email::try_from)
}

/// An agent from a row of `SELECT agent_id`.
fn read_agent(row: &Row<'_>) -> Outcome<AgentId> {
    Ok(AgentId::from_uuid(
        Reader::new(row, "ticket_followers").uuid("agent_id")?,
    ))
}

/// A ticket from a row of `SELECT ticket_id`.
fn read_ticket(row: &Row<'_>) -> Outcome<TicketId> {
    Ok(TicketId::from_uuid(
        Reader::new(row, "ticket_followers").uuid("ticket_id")?,
    ))
}

#[async_trait]
impl FollowerStore for SqliteStore {
    async fn add_cc(&self, ticket: TicketId, addresses: &[Email]) -> Result<()> {
        let id = blob(ticket.as_uuid());
        let addresses: Vec<String> = addresses.iter().map(|a| a.as_str().to_owned()).collect();
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for a in &addresses {
                tx.prepare_cached(
                    "INSERT INTO ticket_cc (ticket_id, address) VALUES (?1, ?2)
                     ON CONFLICT DO NOTHING",
                )?
                .execute((id, a))?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn remove_cc(&self, ticket: TicketId, address: &Email) -> Result<bool> {
        let id = blob(ticket.as_uuid());
        let address = address.as_str().to_owned();
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM ticket_cc WHERE ticket_id = ?1 AND address = ?2")?
                .execute((id, address))?;
            Ok(n > 0)
        })
        .await
    }

    async fn cc_addresses(&self, ticket: TicketId) -> Result<Vec<Email>> {
        let id = blob(ticket.as_uuid());
        self.read(move |conn| {
            let sql = "SELECT address FROM ticket_cc WHERE ticket_id = ?1 ORDER BY address";
            all(conn, sql, [id], read_address)
        })
        .await
    }

    async fn set_following(&self, ticket: TicketId, agent: AgentId, follows: bool) -> Result<()> {
        let (ticket, agent) = (blob(ticket.as_uuid()), blob(agent.as_uuid()));
        self.write(move |conn| {
            let sql = if follows {
                "INSERT INTO ticket_followers (ticket_id, agent_id) VALUES (?1, ?2)
                 ON CONFLICT DO NOTHING"
            } else {
                "DELETE FROM ticket_followers WHERE ticket_id = ?1 AND agent_id = ?2"
            };
            conn.prepare_cached(sql)?.execute((ticket, agent))?;
            Ok(())
        })
        .await
    }

    async fn followers(&self, ticket: TicketId) -> Result<Vec<AgentId>> {
        let id = blob(ticket.as_uuid());
        self.read(move |conn| {
            let sql = "SELECT agent_id FROM ticket_followers WHERE ticket_id = ?1
                       ORDER BY agent_id";
            all(conn, sql, [id], read_agent)
        })
        .await
    }

    async fn followed_tickets(&self, agent: AgentId) -> Result<Vec<TicketId>> {
        let id = blob(agent.as_uuid());
        self.read(move |conn| {
            let sql = "SELECT ticket_id FROM ticket_followers WHERE agent_id = ?1
                       ORDER BY ticket_id";
            all(conn, sql, [id], read_ticket)
        })
        .await
    }
}
