//! What a customer may say about their ticket besides messages, asked before a form offers
//! it: the priorities they may request, and whether they may rate it now (seed 002). Decided
//! by the state machine itself, so a form never offers what would be refused.

use super::Acting;
use crate::domain::{Actor, Priority, Rating, ShortNote, Ticket, TicketKey};
use crate::error::Result;
use crate::machine::{Command, Context, decide};
use crate::store::StoreExt;

impl Acting {
    /// The priorities the actor may ask for on a ticket now (a priority request), lowest
    /// first: above its current priority and within the customer's cap; empty for anyone
    /// but the ticket's customer and on a ticket that can no longer change.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`](crate::error::Error::NotFound) for a ticket the actor may not see.
    pub async fn requestable_priorities(
        &self,
        ticket: impl Into<TicketKey>,
    ) -> Result<Vec<Priority>> {
        let ticket = self.visible_ticket(ticket).await?;
        // The machine lets the system do anything; a request is the customer's alone.
        if !self.is_customer() {
            return Ok(Vec::new());
        }
        let reason = ShortNote::parse("?")?;
        let commands = Priority::ALL.map(|priority| Command::RequestPriority {
            priority,
            reason: reason.clone(),
        });
        let allowed = self.allowed(&ticket, commands.to_vec()).await?;
        Ok(Priority::ALL
            .into_iter()
            .zip(allowed)
            .filter_map(|(p, ok)| ok.then_some(p))
            .collect())
    }

    /// Whether the actor may rate a ticket now: the ticket's customer, once it is closed as
    /// solved, and only once.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`](crate::error::Error::NotFound) for a ticket the actor may not see.
    pub async fn may_rate(&self, ticket: impl Into<TicketKey>) -> Result<bool> {
        let ticket = self.visible_ticket(ticket).await?;
        if !self.is_customer() {
            return Ok(false);
        }
        let rate = Command::RateSatisfaction {
            score: Rating::new(5)?,
            comment: None,
        };
        Ok(self.allowed(&ticket, vec![rate]).await?[0])
    }

    /// Whether the actor is a customer (the only one a customer's offers are for; the
    /// ticket's visibility is checked by [`visible_ticket`](Self::visible_ticket)).
    fn is_customer(&self) -> bool {
        matches!(self.actor(), Actor::Customer(_))
    }

    /// Whether the state machine would accept each of `commands` from the actor on `ticket`
    /// now (nothing is written).
    async fn allowed(&self, ticket: &Ticket, commands: Vec<Command>) -> Result<Vec<bool>> {
        let department = self
            .desk
            .store
            .require_department(ticket.department)
            .await?;
        let customer = self.customer_of(ticket).await?;
        let levels = self.desk.levels_in_force().await?;
        let ctx = Context {
            actor: self.actor(),
            agent: self.principal.agent(),
            department: &department,
            customer: customer.as_ref(),
            related_ticket: None,
            target_department: None,
            new_assignee: None,
            priority_policy: self.desk.priority.as_ref(),
            levels: &levels,
            channel: Default::default(),
            now: self.desk.now(),
        };
        Ok(commands
            .into_iter()
            .map(|command| decide(ticket, command, &ctx).is_ok())
            .collect())
    }
}
