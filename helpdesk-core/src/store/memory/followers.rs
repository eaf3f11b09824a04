//! [`FollowerStore`] for the in-memory reference store: two ordered sets of pairs.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::{AgentId, Email, TicketId};
use crate::error::Result;
use crate::store::FollowerStore;

#[async_trait]
impl FollowerStore for MemoryStore {
    async fn add_cc(&self, ticket: TicketId, addresses: &[Email]) -> Result<()> {
        let mut state = self.lock();
        for a in addresses {
            state.ticket_cc.insert((ticket, a.clone()));
        }
        Ok(())
    }

    async fn remove_cc(&self, ticket: TicketId, address: &Email) -> Result<bool> {
        Ok(self.lock().ticket_cc.remove(&(ticket, address.clone())))
    }

    async fn cc_addresses(&self, ticket: TicketId) -> Result<Vec<Email>> {
        Ok(self
            .lock()
            .ticket_cc
            .iter()
            .filter(|(t, _)| *t == ticket)
            .map(|(_, a)| a.clone())
            .collect())
    }

    async fn set_following(&self, ticket: TicketId, agent: AgentId, follows: bool) -> Result<()> {
        let mut state = self.lock();
        if follows {
            state.followers.insert((ticket, agent));
        } else {
            state.followers.remove(&(ticket, agent));
        }
        Ok(())
    }

    async fn followers(&self, ticket: TicketId) -> Result<Vec<AgentId>> {
        Ok(self
            .lock()
            .followers
            .iter()
            .filter(|(t, _)| *t == ticket)
            .map(|(_, a)| *a)
            .collect())
    }

    async fn followed_tickets(&self, agent: AgentId) -> Result<Vec<TicketId>> {
        let mut tickets: Vec<TicketId> = (self.lock().followers.iter())
            .filter(|(_, a)| *a == agent)
            .map(|(t, _)| *t)
            .collect();
        tickets.sort();
        Ok(tickets)
    }
}
