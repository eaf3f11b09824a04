//! Followers and CC (issue 20): the addresses copied on a ticket's public thread and the
//! agents who follow it.
//!
//! - CC addresses are kept per ticket: taken from the `Cc` of the customer's mail (see
//!   [`ingest`](super::ingest)) and added or removed by the ticket's customer or by staff
//!   who may reply on the ticket. They get the agents' public replies by e-mail (as `Cc`),
//!   never internal notes, and their mail to the ticket is added to its thread (as a
//!   participant's note, like any participant's).
//! - Agents follow the tickets they may read; the assignee always counts as a follower.
//!   Followers are told in the app of customers' replies, other agents' replies and notes,
//!   and status changes (see [`effects`](super::effects)).
//! - Customers see a ticket's CC addresses, never its following agents nor an agent's list.

use super::Acting;
use super::acting::Principal;
use crate::domain::{AgentId, Email, Permission, Ticket, TicketId, TicketKey};
use crate::error::{Ability, Error, ForbiddenReason, Result};
use crate::store::FollowerStore;

/// The most CC addresses a ticket keeps.
pub const MAX_CC: usize = 20;

impl Acting {
    /// The follower abilities of the store, or [`Error::Unsupported`].
    fn follower_store(&self) -> Result<&dyn FollowerStore> {
        self.desk
            .store
            .as_follower_store()
            .ok_or(Error::unsupported(Ability::Followers))
    }

    /// The CC addresses of the ticket, sorted (anyone who may see the ticket).
    pub async fn ticket_cc(&self, ticket: impl Into<TicketKey>) -> Result<Vec<Email>> {
        let ticket = self.visible_ticket(ticket).await?;
        self.follower_store()?.cc_addresses(ticket.id).await
    }

    /// Adds `addresses` to the ticket's CC addresses and returns them all after. Only the
    /// ticket's customer, or staff with [`Permission::Reply`] in its department, may. Each
    /// address must be valid and neither the customer's own nor the desk's; at most
    /// [`MAX_CC`] in all. Any refusal is a typed error and nothing is written.
    pub async fn add_cc(
        &self,
        ticket: impl Into<TicketKey>,
        addresses: &[&str],
    ) -> Result<Vec<Email>> {
        let ticket = self.cc_ticket(ticket).await?;
        let store = self.follower_store()?;
        if addresses.is_empty() {
            return Err(Error::validation("cc", "name an address to add"));
        }
        let mut parsed = Vec::with_capacity(addresses.len());
        for raw in addresses {
            let email = Email::parse(raw)
                .map_err(|_| Error::validation("cc", format!("not an e-mail address: {raw:?}")))?;
            if !parsed.contains(&email) {
                parsed.push(email);
            }
        }
        let excluded = self.not_cc(&ticket).await?;
        if let Some(own) = parsed.iter().find(|e| excluded.contains(e)) {
            return Err(Error::validation(
                "cc",
                format!("{own} is the ticket's customer or the desk itself"),
            ));
        }
        let mut after = store.cc_addresses(ticket.id).await?;
        after.extend(parsed.iter().cloned());
        after.sort();
        after.dedup();
        if after.len() > MAX_CC {
            return Err(Error::validation(
                "cc",
                format!("a ticket keeps at most {MAX_CC} CC addresses"),
            ));
        }
        store.add_cc(ticket.id, &parsed).await?;
        Ok(after)
    }

    /// Takes `address` off the ticket's CC addresses (who may add may remove) and returns
    /// those left. An address that is not there changes nothing.
    pub async fn remove_cc(
        &self,
        ticket: impl Into<TicketKey>,
        address: &str,
    ) -> Result<Vec<Email>> {
        let ticket = self.cc_ticket(ticket).await?;
        let store = self.follower_store()?;
        let email = Email::parse(address)
            .map_err(|_| Error::validation("cc", format!("not an e-mail address: {address:?}")))?;
        store.remove_cc(ticket.id, &email).await?;
        store.cc_addresses(ticket.id).await
    }

    /// The ticket, if the principal may change its CC addresses: its own customer (not a
    /// member who sees it through the organisation), staff who may reply on it, the system.
    async fn cc_ticket(&self, key: impl Into<TicketKey>) -> Result<Ticket> {
        let ticket = self.visible_ticket(key).await?;
        match &self.principal {
            Principal::System => Ok(ticket),
            Principal::Customer(c) if ticket.customer == Some(c.id) && !ticket.internal => {
                Ok(ticket)
            }
            Principal::Customer(_) => Err(Error::forbidden(ForbiddenReason::CustomersOnly)),
            Principal::Agent(a) if a.can(Permission::Reply, ticket.department) => Ok(ticket),
            Principal::Agent(_) => Err(Error::forbidden(ForbiddenReason::MissingPermission {
                permission: Permission::Reply,
            })),
        }
    }

    /// Addresses that are never a ticket's CC: its customer's and the desk's own.
    async fn not_cc(&self, ticket: &Ticket) -> Result<Vec<Email>> {
        let mut excluded = Vec::new();
        if let Some(c) = ticket.customer
            && let Some(c) = self.desk.store.customer(c).await?
            && let Some(email) = c.email
        {
            excluded.push(email);
        }
        if let Some(settings) = self.desk.mail_in_force().await? {
            excluded.extend(settings.own_addresses());
        }
        Ok(excluded)
    }

    /// The acting agent starts following the ticket (one they may read). Returns the
    /// ticket's followers after, as [`ticket_followers`](Self::ticket_followers).
    pub async fn follow_ticket(&self, ticket: impl Into<TicketKey>) -> Result<Vec<AgentId>> {
        self.set_following(ticket.into(), true).await
    }

    /// The acting agent stops following the ticket (the assignee still counts as one while
    /// assigned). Returns the ticket's followers after.
    pub async fn unfollow_ticket(&self, ticket: impl Into<TicketKey>) -> Result<Vec<AgentId>> {
        self.set_following(ticket.into(), false).await
    }

    async fn set_following(&self, key: TicketKey, follows: bool) -> Result<Vec<AgentId>> {
        let agent = self.require_agent()?.id;
        let ticket = self.visible_ticket(key).await?;
        let store = self.follower_store()?;
        store.set_following(ticket.id, agent, follows).await?;
        followers_of(store, &ticket).await
    }

    /// The agents who follow the ticket, by id: those who chose to and its assignee (staff
    /// only; customers never see them).
    pub async fn ticket_followers(&self, ticket: impl Into<TicketKey>) -> Result<Vec<AgentId>> {
        self.require_staff()?;
        let ticket = self.visible_ticket(ticket).await?;
        followers_of(self.follower_store()?, &ticket).await
    }

    /// The tickets the acting agent chose to follow, by id, those they may no longer read
    /// left out (agents only, their own list).
    pub async fn followed_tickets(&self) -> Result<Vec<TicketId>> {
        let agent = self.require_agent()?.clone();
        let ids = self.follower_store()?.followed_tickets(agent.id).await?;
        let mut readable = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(t) = self.desk.store.ticket(id).await?
                && agent.can(Permission::Read, t.department)
            {
                readable.push(id);
            }
        }
        Ok(readable)
    }
}

/// The agents following `ticket`: those recorded and its assignee, by id.
pub(crate) async fn followers_of(
    store: &dyn FollowerStore,
    ticket: &Ticket,
) -> Result<Vec<AgentId>> {
    let mut ids = store.followers(ticket.id).await?;
    ids.extend(ticket.assignee);
    ids.sort();
    ids.dedup();
    Ok(ids)
}
