//! The priorities a person may choose, for forms to offer only those (seed 004): on a new
//! ticket, the ones that apply as chosen; on a ticket, the ones they may set.

use super::Acting;
use super::acting::Principal;
use crate::domain::{CustomerId, DepartmentId, Priority, TicketKey};
use crate::error::Result;
use crate::machine::{Context, CreateContext, new_ticket_priorities, settable_priorities};
use crate::store::StoreExt;

impl Acting {
    /// The priorities a new ticket in `department` for `customer` gets as chosen, lowest
    /// first: for a customer, their own (`customer` is ignored; the department does not
    /// change them); for an agent, those of the customer they name (none: an internal
    /// ticket). Anything else asked for is applied otherwise, with a
    /// [`Notice`](crate::domain::Notice).
    pub async fn new_ticket_priorities(
        &self,
        department: DepartmentId,
        customer: Option<CustomerId>,
    ) -> Result<Vec<Priority>> {
        let store = &self.desk.store;
        let customer = match (&self.principal, customer) {
            (Principal::Customer(c), _) => Some(c.clone()),
            (_, Some(id)) => Some(store.require_customer(id).await?),
            (_, None) => None,
        };
        let department = store.require_department(department).await?;
        let levels = self.desk.levels_in_force().await?;
        let priority = self.desk.priority_in_force().await?;
        let ctx = CreateContext {
            actor: self.actor(),
            agent: self.principal.agent(),
            customer: customer.as_ref(),
            department: &department,
            master: None,
            follow_up_of: None,
            priority_policy: priority.as_ref(),
            levels: &levels,
            now: self.desk.now(),
        };
        Ok(new_ticket_priorities(&ctx))
    }

    /// The priorities the actor may set on a ticket now (its current one included), lowest
    /// first; empty when they may not change its priority at all.
    pub async fn settable_priorities(&self, ticket: impl Into<TicketKey>) -> Result<Vec<Priority>> {
        let ticket = self.visible_ticket(ticket).await?;
        let department = self
            .desk
            .store
            .require_department(ticket.department)
            .await?;
        let customer = self.customer_of(&ticket).await?;
        let levels = self.desk.levels_in_force().await?;
        let priority = self.desk.priority_in_force().await?;
        let ctx = Context {
            actor: self.actor(),
            agent: self.principal.agent(),
            department: &department,
            customer: customer.as_ref(),
            related_ticket: None,
            target_department: None,
            new_assignee: None,
            priority_policy: priority.as_ref(),
            levels: &levels,
            channel: Default::default(),
            now: self.desk.now(),
        };
        Ok(settable_priorities(&ticket, &ctx))
    }
}
