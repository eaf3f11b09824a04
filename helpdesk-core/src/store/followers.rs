//! Who follows a ticket beside its customer ([`FollowerStore`]): the addresses copied on its
//! public thread (CC participants) and the agents who follow it.

use async_trait::async_trait;

use crate::domain::{AgentId, Email, TicketId};
use crate::error::Result;

/// An ability a store may offer ([`Store::as_follower_store`](super::Store::as_follower_store)):
/// a ticket's CC addresses and its following agents, each a set. The service checks that
/// the ticket (and the agent) exist and who may change what; the store only keeps the rows.
#[async_trait]
pub trait FollowerStore: Send + Sync {
    /// Adds `addresses` to the CC addresses of `ticket`, in one write; those already there
    /// stay once.
    async fn add_cc(&self, ticket: TicketId, addresses: &[Email]) -> Result<()>;
    /// Takes `address` off the CC addresses of `ticket`; whether it was there.
    async fn remove_cc(&self, ticket: TicketId, address: &Email) -> Result<bool>;
    /// The CC addresses of `ticket`, sorted bytewise.
    async fn cc_addresses(&self, ticket: TicketId) -> Result<Vec<Email>>;
    /// Records whether `agent` follows `ticket`.
    async fn set_following(&self, ticket: TicketId, agent: AgentId, follows: bool) -> Result<()>;
    /// The agents who follow `ticket`, by id.
    async fn followers(&self, ticket: TicketId) -> Result<Vec<AgentId>>;
    /// The tickets `agent` follows, by id.
    async fn followed_tickets(&self, agent: AgentId) -> Result<Vec<TicketId>>;
}
