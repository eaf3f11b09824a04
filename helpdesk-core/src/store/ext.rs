//! Conveniences over [`Store`]'s required methods.

use async_trait::async_trait;

use super::Store;
use crate::domain::{
    Agent, AgentId, Customer, CustomerId, Department, DepartmentId, Ticket, TicketId, TicketNumber,
};
use crate::error::{Entity, Error, Result};

/// Conveniences for every [`Store`]: reads that turn "absent" into
/// [`Error::NotFound`], and look-up by a number as a person typed it.
#[async_trait]
pub trait StoreExt: Store {
    /// A ticket that must exist.
    async fn require_ticket(&self, id: TicketId) -> Result<Ticket> {
        self.ticket(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Ticket, id))
    }

    /// A department that must exist.
    async fn require_department(&self, id: DepartmentId) -> Result<Department> {
        self.department(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Department, id))
    }

    /// An agent who must exist.
    async fn require_agent(&self, id: AgentId) -> Result<Agent> {
        self.agent(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Agent, id))
    }

    /// A customer who must exist.
    async fn require_customer(&self, id: CustomerId) -> Result<Customer> {
        self.customer(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Customer, id))
    }

    /// A ticket by a number as typed: full or short form, a leading `#`, any digit script.
    async fn find_ticket_by_number(&self, typed: &str) -> Result<Option<Ticket>> {
        let digits = TicketNumber::normalize(typed)?;
        self.ticket_by_number(&digits).await
    }
}

impl<S: Store + ?Sized> StoreExt for S {}
