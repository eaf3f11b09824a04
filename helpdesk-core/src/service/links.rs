//! Tickets linked to others, the service side: a master's change carried to its linked
//! tickets, a merge's moves, a merged ticket's replies sent on to the one it lives on in, and
//! splitting. The rules are in [`machine`](crate::machine) (`master`, `merge`, `split`);
//! here the desk reads what they need and commits each as one batch.

use super::Acting;
use super::attachments::Staged;
use super::effects::Known;
use crate::domain::{Customer, CustomerId, Resolution, Status, Ticket, TicketId, TicketKey};
use crate::error::{Entity, Error, Result};
use crate::listing::TicketFilter;
use crate::machine::{
    Linked, SplitContext, SplitRequest, check_split, decide_split, fan_out, merge_moves,
    reaches_linked,
};
use crate::policy::{CustomerFacts, ServiceLevels};
use crate::store::{TicketWrite, WriteBatch, linked_first_page};

/// The most hops followed from a merged ticket to the one it lives on in (a cycle cannot be
/// made, but is never followed forever either).
const MAX_MERGE_HOPS: usize = 8;

/// A split: the ticket split and the new one.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// The ticket the messages left, after the split.
    pub original: Ticket,
    /// The new ticket holding them.
    pub split: Ticket,
}

impl Acting {
    /// The tickets linked to the master ticket `master` (any status), oldest first, for
    /// staff who may see it; the master's own view shows them with their states.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for a ticket the principal may not see.
    pub async fn linked_tickets(&self, master: impl Into<TicketKey>) -> Result<Vec<Ticket>> {
        let master = self.visible_ticket(master).await?;
        if !self.principal.is_staff() {
            return Ok(Vec::new());
        }
        let mut linked = self.desk.linked_to(master.id).await?;
        linked.sort_by_key(|t| (t.created_at, t.id));
        Ok(linked)
    }

    /// The ticket a merged `ticket` lives on in (itself when not merged), following at most
    /// a few hops; visible to the principal as the merged one was.
    pub async fn merge_target(&self, ticket: Ticket) -> Result<Ticket> {
        let mut ticket = ticket;
        for _ in 0..MAX_MERGE_HOPS {
            let Some(into) = ticket.merged_into else {
                break;
            };
            match self.desk.store.ticket(into).await? {
                Some(t) => ticket = t,
                None => break,
            }
        }
        Ok(ticket)
    }

    /// Splits `request.messages` off `ticket` into a new ticket of the same customer and
    /// department (see [`decide_split`] for the rules and refusals), in one batch: the old
    /// ticket's history says where they went, the new one's where they came from, and each
    /// moved message names the ticket it came from. A concurrent change of the ticket is a
    /// stale-version conflict and nothing is written.
    pub async fn split_ticket(
        &self,
        ticket: impl Into<TicketKey>,
        request: SplitRequest,
    ) -> Result<Split> {
        let ticket = self.visible_ticket(ticket).await?;
        let thread = self.desk.store.messages(ticket.id, true).await?;
        let customer = self.customer_of(&ticket).await?;
        let levels = self.desk.levels_in_force().await?;
        let now = self.desk.now();
        let ctx = SplitContext {
            actor: self.actor(),
            agent: self.principal.agent(),
            customer: CustomerFacts::of(customer.as_ref()),
            levels: &levels,
            now,
        };
        // Checked before a number is taken, so that a refused split takes none.
        check_split(&ticket, &thread, &request, &ctx)?;
        let sequence = self.desk.sequence.next(self.desk.store.as_ref()).await?;
        let number = self.desk.numbers.generate(sequence, now);
        let [old, new] = decide_split(&ticket, &thread, request, &ctx, number)?;
        let result = Split {
            original: old.ticket.clone(),
            split: new.ticket.clone(),
        };
        let known = Known::customer(customer);
        self.desk
            .commit(WriteBatch::of(vec![old, new]), &Staged::default(), &known)
            .await?;
        Ok(result)
    }

    /// The writes that carry `write` (a change of `ticket`, decided) to the tickets linked
    /// to it when it is a master, and their customers, read for it. `read`: the tickets
    /// linked to `ticket` when they were read with it ([`ReadSet::ticket_linked`]), else
    /// they are read now, when `write` reaches them; `known`: the master's customer, not
    /// read again for a linked ticket of theirs (nor returned).
    ///
    /// [`ReadSet::ticket_linked`]: crate::store::ReadSet::ticket_linked
    pub(crate) async fn linked_writes(
        &self,
        ticket: &Ticket,
        write: &TicketWrite,
        levels: &ServiceLevels,
        read: Option<Vec<Ticket>>,
        known: Option<&Customer>,
    ) -> Result<(Vec<TicketWrite>, Vec<Customer>)> {
        if ticket.master.is_some() || !reaches_linked(write) {
            return Ok((Vec::new(), Vec::new()));
        }
        let linked = match read {
            Some(linked) => linked,
            None => self.desk.linked_to(ticket.id).await?,
        };
        if linked.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let mut customers: Vec<Customer> = Vec::new();
        for id in linked.iter().filter_map(|t| t.customer) {
            if !customers.iter().chain(known).any(|c| c.id == id)
                && let Some(c) = self.desk.store.customer(id).await?
            {
                customers.push(c);
            }
        }
        let facts = |id: Option<CustomerId>| {
            CustomerFacts::of(id.and_then(|id| customers.iter().chain(known).find(|c| c.id == id)))
        };
        let linked: Vec<Linked<'_>> = linked
            .iter()
            .map(|t| Linked {
                ticket: t,
                customer: facts(t.customer),
            })
            .collect();
        let writes = fan_out(ticket, write, &linked, levels, self.desk.now());
        Ok((writes, customers))
    }

    /// Adds to a merge's writes (the source's, then the target's) the moves of the source's
    /// thread and history into the target.
    pub(crate) async fn add_merge_moves(
        &self,
        source: &Ticket,
        writes: &mut [TicketWrite],
    ) -> Result<()> {
        let Some(target) = writes.get_mut(1) else {
            return Err(Error::validation(
                "target",
                "a merge writes the source and the target",
            ));
        };
        let thread = self.desk.store.messages(source.id, true).await?;
        let history = self.desk.store.history(source.id).await?;
        merge_moves(source, target, thread, history);
        Ok(())
    }

    /// Where a reply to `ticket` goes: the ticket it was merged into when it was merged
    /// (visible to the principal, who could see the merged one), else itself.
    pub(crate) async fn reply_target(&self, ticket: Ticket) -> Result<Ticket> {
        if ticket.status != Status::Closed(Resolution::Merged) || ticket.merged_into.is_none() {
            return Ok(ticket);
        }
        let target = self.merge_target(ticket).await?;
        let id = target.id;
        // Replied to through the organisation or not, the target must be one the
        // principal may see.
        self.visible_or_shared(&TicketKey::Id(id), Some(target))
            .await
            .map(|(t, _)| t)
            .map_err(|_| Error::not_found(Entity::Ticket, id))
    }
}

impl crate::Helpdesk {
    /// Every ticket linked to the master `master`, whatever its status.
    pub(crate) async fn linked_to(&self, master: TicketId) -> Result<Vec<Ticket>> {
        let filter = TicketFilter {
            master: Some(master),
            ..TicketFilter::default()
        };
        let mut page = linked_first_page();
        let mut all = Vec::new();
        loop {
            let got = self.store.list_tickets(&filter, &page).await?;
            all.extend(got.items);
            match got.next {
                Some(cursor) => page = page.after(cursor).map_err(Error::from)?,
                None => return Ok(all),
            }
        }
    }
}
