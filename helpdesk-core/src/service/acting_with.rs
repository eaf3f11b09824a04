//! Acting as someone for one request whose reads are known before they are loaded: the
//! principal (an agent with their departments and permissions, or a customer) read in the
//! same store call as the request's own reads, then admitted by the rule of
//! [`Helpdesk::acting_as`] ([`admit`]) before anything read is used. One store call instead of
//! two: on SQLite one blocking task, on PostgreSQL one round of queries.

use super::acting::{Principal, admit};
use super::attachments::Staged;
use super::reads::{empty, scope};
use super::tickets::{ExecOptions, Opened, Outcome, command_reads, open_reads, refuse_stored};
use super::{Acting, Helpdesk};
use crate::domain::Ticket;
use crate::domain::{Actor, TicketKey};
use crate::error::{Entity, Error, Result};
use crate::listing::Pass;
use crate::machine::{Command, NewTicket};
use crate::store::thread_page::check_limit;
use crate::store::{
    Page, PageRequest, ReadSet, ReadTogether, ThreadRead, TicketFilter, TicketThread, TicketsRead,
};

impl Helpdesk {
    /// `set` read together with the principal `actor` names, and the principal admitted:
    /// the errors of [`acting_as`](Self::acting_as) come first, whatever else was read.
    async fn act_with(&self, actor: Actor, mut set: ReadSet) -> Result<(Acting, ReadTogether)> {
        if actor == Actor::System {
            let read = self.store.read_together(&set).await?;
            return Ok((self.as_system(), read));
        }
        match actor {
            Actor::Agent(id) => set.agent = Some(id),
            Actor::Customer(id) if !set.customers.contains(&id) => set.customers.push(id),
            _ => {}
        }
        let mut read = self.store.read_together(&set).await?;
        let customer = match actor {
            Actor::Customer(id) => read.customer(id).cloned(),
            _ => None,
        };
        let principal = admit(actor, read.agent.take(), customer)?;
        Ok((self.acting_for(principal), read))
    }

    /// [`acting_as(actor)`](Self::acting_as) then
    /// [`ticket_with_thread(ticket, limit)`](Acting::ticket_with_thread), in one store call:
    /// the ticket the principal may see with the newest `limit` messages of its thread
    /// (customers never get internal notes), and the desk acting as them for the rest of the
    /// request.
    ///
    /// # Errors
    ///
    /// Those of [`acting_as`](Self::acting_as) first, then those of
    /// [`Acting::ticket_with_thread`].
    pub async fn ticket_with_thread_as(
        &self,
        actor: Actor,
        ticket: impl Into<TicketKey>,
        limit: u32,
    ) -> Result<(Acting, TicketThread)> {
        check_limit(limit)?;
        let key = ticket.into();
        let set = ReadSet {
            ticket: Some(key.clone()),
            ticket_thread: Some(ThreadRead {
                include_internal: !matches!(actor, Actor::Customer(_)),
                newest: Some(limit),
            }),
            ..ReadSet::default()
        };
        let (acting, read) = self.act_with(actor, set).await?;
        let (Some(ticket), Some(thread)) = (read.ticket, read.thread) else {
            return Err(Error::not_found(Entity::Ticket, &key));
        };
        // Checked as `visible_ticket` checks it (the thread is public only for customers).
        let (ticket, _) = acting.visible_or_shared(&key, Some(ticket)).await?;
        let ticket = acting.shown(ticket);
        Ok((acting, TicketThread { ticket, thread }))
    }

    /// [`acting_as(actor)`](Self::acting_as) then
    /// [`list_tickets(filter, page)`](Acting::list_tickets), the principal read in the same
    /// store call as the page (narrowed to what they may see by the same rule): a queue page
    /// in one store call. A page after the first of a pass also reads the tickets that
    /// changed since the pass began, as `list_tickets` does, in a second call.
    ///
    /// # Errors
    ///
    /// Those of [`acting_as`](Self::acting_as) first, then those of
    /// [`Acting::list_tickets`].
    pub async fn list_tickets_as(
        &self,
        actor: Actor,
        filter: TicketFilter,
        page: PageRequest,
    ) -> Result<(Acting, Page<Ticket>)> {
        let pass = Pass::of(&page, self.now());
        let set = ReadSet {
            tickets: Some(TicketsRead {
                viewer: actor,
                filter: pass.narrow(&filter),
                page: page.clone(),
            }),
            ..ReadSet::default()
        };
        let (acting, read) = self.act_with(actor, set).await?;
        // A member of an organisation may see its tickets: their circle is read as
        // `list_tickets` reads it (a page of their own tickets is not the whole answer).
        if let Principal::Customer(c) = acting.principal()
            && c.organisation.is_some()
        {
            let page = acting.list_tickets(filter, page).await?;
            return Ok((acting, page));
        }
        // No page: they may see none of it (a customer asking for another's tickets).
        let (Some(found), Some(filter)) = (read.tickets, scope(acting.principal(), None, filter))
        else {
            return Ok((acting, empty()));
        };
        let changed = match pass.changed_filter(&filter) {
            Some(changed) => {
                let store = &self.store;
                Some(store.list_tickets(&changed, &Pass::changed_page()).await?)
            }
            None => None,
        };
        let page = acting.shown_page(pass.finish(found, changed));
        Ok((acting, page))
    }

    /// [`acting_as(actor)`](Self::acting_as) then
    /// [`open_ticket_with_notices(new, [])`](Acting::open_ticket_with_notices), the principal
    /// read in the same store call as what opening decides on (the department, the customer,
    /// the agents, the settings, the triggers): one store call fewer per new ticket. The
    /// first message carries no files here (attachments in `new` are refused before anything
    /// is read).
    ///
    /// # Errors
    ///
    /// Those of [`acting_as`](Self::acting_as) first, then those of
    /// [`Acting::open_ticket_with_notices`].
    pub async fn open_ticket_as(&self, actor: Actor, new: NewTicket) -> Result<(Acting, Opened)> {
        refuse_stored(&new.attachments)?;
        let set = open_reads(&new, matches!(actor, Actor::Customer(_)));
        let (acting, read) = self.act_with(actor, set).await?;
        acting.refuse_channel(&new)?;
        let opened = (acting.open_from(new, None, &Staged::default(), read)).await?;
        Ok((acting, opened))
    }

    /// [`acting_as(actor)`](Self::acting_as) then [`execute(ticket, command)`](Acting::execute),
    /// the principal read in the same store call as the reads the command decides on (the
    /// ticket, its department and customer, the agents, the settings): one store call fewer
    /// per command.
    ///
    /// # Errors
    ///
    /// Those of [`acting_as`](Self::acting_as) first, then those of [`Acting::execute`].
    pub async fn execute_as(
        &self,
        actor: Actor,
        ticket: impl Into<TicketKey>,
        command: Command,
    ) -> Result<Outcome> {
        self.execute_as_with(actor, ticket, command, ExecOptions::default())
            .await
    }

    /// [`execute_as`](Self::execute_as) with `options` (an expected version, the channel),
    /// as [`Acting::execute_with`] takes them: one store call fewer than `acting_as` then
    /// `execute_with`. Replies and notes carry no files here (a command naming stored
    /// attachments is refused before anything is read).
    ///
    /// # Errors
    ///
    /// Those of [`acting_as`](Self::acting_as) first, then those of
    /// [`Acting::execute_with`].
    pub async fn execute_as_with(
        &self,
        actor: Actor,
        ticket: impl Into<TicketKey>,
        command: Command,
        options: ExecOptions,
    ) -> Result<Outcome> {
        if let Command::Reply { attachments, .. } | Command::AddNote { attachments, .. } = &command
        {
            refuse_stored(attachments)?;
        }
        let key = ticket.into();
        // No expected version: the ticket's turn is taken before its first read, as
        // `execute` takes it.
        let turn = match &key {
            TicketKey::Id(id) if options.expected.is_none() => {
                Some(self.turnstiles.enter(*id).await)
            }
            _ => None,
        };
        let customer_acts = matches!(actor, Actor::Customer(_));
        let set = command_reads(customer_acts, &key, &command);
        let (acting, read) = self.act_with(actor, set).await?;
        let staged = Staged::default();
        let outcome = acting
            .execute_from(key, command, options, &staged, Some(read), turn)
            .await?;
        Ok(acting.shown_outcome(outcome))
    }
}
