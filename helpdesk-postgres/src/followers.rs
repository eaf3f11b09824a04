//! Tickets' CC addresses and following agents (tables `ticket_cc` and `ticket_followers`,
//! migration 0029): [`FollowerStore`] for [`PostgresStore`].

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{AgentId, Email, TicketId};
use helpdesk_core::store::FollowerStore;
use sqlx::postgres::PgRow;

use crate::connection::PostgresStore;
use crate::rows::{Reader, all, execute};

/// An address from a row of `SELECT address`.
fn address(row: &PgRow) -> Result<Email> {
    Reader::new(row, "ticket_cc").parse("address", |s: String| Email::parse(&s))
}

/// An agent from a row of `SELECT agent_id`.
fn agent_id(row: &PgRow) -> Result<AgentId> {
    Ok(AgentId::from_uuid(
        Reader::new(row, "ticket_followers").get::<uuid::Uuid>("agent_id")?,
    ))
}

/// A ticket from a row of `SELECT ticket_id`.
fn ticket_id(row: &PgRow) -> Result<TicketId> {
    Ok(TicketId::from_uuid(
        Reader::new(row, "ticket_followers").get::<uuid::Uuid>("ticket_id")?,
    ))
}

#[async_trait]
impl FollowerStore for PostgresStore {
    async fn add_cc(&self, ticket: TicketId, addresses: &[Email]) -> Result<()> {
        let addresses: Vec<String> = addresses.iter().map(|a| a.as_str().to_owned()).collect();
        let query = sqlx::query(
            "INSERT INTO ticket_cc (ticket_id, address) \
             SELECT $1, a FROM unnest($2::text[]) AS a \
             ON CONFLICT (ticket_id, address) DO NOTHING",
        )
        .bind(ticket.as_uuid())
        .bind(addresses);
        execute(&self.pool, query).await.map(drop)
    }

    async fn remove_cc(&self, ticket: TicketId, address: &Email) -> Result<bool> {
        let query = sqlx::query("DELETE FROM ticket_cc WHERE ticket_id = $1 AND address = $2")
            .bind(ticket.as_uuid())
            .bind(address.as_str());
        Ok(execute(&self.pool, query).await? > 0)
    }

    async fn cc_addresses(&self, ticket: TicketId) -> Result<Vec<Email>> {
        let query =
            sqlx::query("SELECT address FROM ticket_cc WHERE ticket_id = $1 ORDER BY address")
                .bind(ticket.as_uuid());
        all(&self.pool, query, address).await
    }

    async fn set_following(&self, ticket: TicketId, agent: AgentId, follows: bool) -> Result<()> {
        let sql = if follows {
            "INSERT INTO ticket_followers (ticket_id, agent_id) VALUES ($1, $2) \
             ON CONFLICT (ticket_id, agent_id) DO NOTHING"
        } else {
            "DELETE FROM ticket_followers WHERE ticket_id = $1 AND agent_id = $2"
        };
        let query = sqlx::query(sql)
            .bind(ticket.as_uuid())
            .bind(agent.as_uuid());
        execute(&self.pool, query).await.map(drop)
    }

    async fn followers(&self, ticket: TicketId) -> Result<Vec<AgentId>> {
        let query = sqlx::query(
            "SELECT agent_id FROM ticket_followers WHERE ticket_id = $1 ORDER BY agent_id",
        )
        .bind(ticket.as_uuid());
        all(&self.pool, query, agent_id).await
    }

    async fn followed_tickets(&self, agent: AgentId) -> Result<Vec<TicketId>> {
        let query = sqlx::query(
            "SELECT ticket_id FROM ticket_followers WHERE agent_id = $1 ORDER BY ticket_id",
        )
        .bind(agent.as_uuid());
        all(&self.pool, query, ticket_id).await
    }
}
