//! Reading tickets, threads, history and lists, filtered by what the actor may see.

use super::Acting;
use super::acting::Principal;
use super::search_box;
use crate::domain::{CustomerId, Message, Ticket, TicketEvent, TicketKey, TimeEntry};
use crate::error::{Entity, Error, Result};
use crate::listing::Pass;
use crate::search::{SearchQuery, TicketSearch};
use crate::store::thread_page::check_limit;
use crate::store::{Page, PageRequest, TicketFilter, TicketThread};

impl Acting {
    /// A ticket the actor may see, by id or number (see [`TicketKey`]).
    pub async fn ticket(&self, ticket: impl Into<TicketKey>) -> Result<Ticket> {
        Ok(self.shown(self.visible_ticket(ticket).await?))
    }

    /// A ticket's thread, oldest first. Customers never get internal notes.
    pub async fn thread(&self, ticket: impl Into<TicketKey>) -> Result<Vec<Message>> {
        Ok(self.with_thread(ticket.into(), None).await?.thread.items)
    }

    /// A ticket the actor may see with the newest `limit` messages of its thread (1 to
    /// [`MAX_THREAD_PAGE`](crate::store::MAX_THREAD_PAGE); the first page of
    /// [`thread_page`](Self::thread_page)), read together: what a page showing a ticket
    /// needs, in one store call. Customers never get internal notes.
    pub async fn ticket_with_thread(
        &self,
        ticket: impl Into<TicketKey>,
        limit: u32,
    ) -> Result<TicketThread> {
        check_limit(limit)?;
        self.with_thread(ticket.into(), Some(limit)).await
    }

    /// The ticket `key` with its whole thread (`newest` `None`) or its newest page, if the
    /// actor may see it: one store call, the ticket checked as
    /// [`visible_ticket`](Self::visible_ticket) checks it.
    async fn with_thread(&self, key: TicketKey, newest: Option<u32>) -> Result<TicketThread> {
        let found = self
            .desk
            .store
            .ticket_with_thread(&key, self.principal.is_staff(), newest)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Ticket, &key))?;
        let TicketThread { ticket, thread } = found;
        // Checked as `visible_ticket` checks it (the thread is public only for customers).
        let (ticket, _) = self.visible_or_shared(&key, Some(ticket)).await?;
        Ok(TicketThread {
            ticket: self.shown(ticket),
            thread,
        })
    }

    /// One page of a ticket's thread: the `limit` messages (1 to
    /// [`MAX_THREAD_PAGE`](crate::store::MAX_THREAD_PAGE)) written just before the message
    /// `before`, or the newest ones; oldest first, with the cursor to older ones. Customers
    /// never get internal notes (nor may they page from one).
    pub async fn thread_page(
        &self,
        ticket: impl Into<TicketKey>,
        before: Option<crate::domain::MessageId>,
        limit: u32,
    ) -> Result<crate::store::MessagePage> {
        let Some(before) = before else {
            // The newest page: with the ticket, in one store call.
            return Ok(self.ticket_with_thread(ticket, limit).await?.thread);
        };
        let ticket = self.visible_ticket(ticket).await?;
        self.desk
            .store
            .messages_page(ticket.id, self.principal.is_staff(), Some(before), limit)
            .await
    }

    /// A ticket's history, oldest first. Customers see only the public events.
    pub async fn history(&self, ticket: impl Into<TicketKey>) -> Result<Vec<TicketEvent>> {
        let ticket = self.visible_ticket(ticket).await?;
        let events = self.desk.store.history(ticket.id).await?;
        Ok(match self.principal {
            Principal::Customer(_) => events
                .into_iter()
                .filter(|e| e.change.is_public())
                .collect(),
            _ => events,
        })
    }

    /// Time logged on a ticket. Customers see the billable entries (seed 002), each with its
    /// note only when the agent made it visible to them
    /// ([`TimeEntry::as_seen_by_customer`]).
    pub async fn time_entries(&self, ticket: impl Into<TicketKey>) -> Result<Vec<TimeEntry>> {
        let ticket = self.visible_ticket(ticket).await?;
        let entries = self.desk.store.time_entries(ticket.id).await?;
        Ok(match self.principal {
            Principal::Customer(_) => (entries.into_iter())
                .filter(|e| e.billable)
                .map(TimeEntry::as_seen_by_customer)
                .collect(),
            _ => entries,
        })
    }

    /// A page of the tickets the actor may see that match `filter`. Customers see their own
    /// non-internal tickets; agents those of the departments they may read.
    ///
    /// The page is part of a [`Pass`]: its `next` cursor carries when the pass began, a page
    /// after the first lists only tickets that did not change since, and names those that
    /// did in [`Page::changed`]. So a pass lists each ticket at most once, and every ticket
    /// it leaves out is reported.
    pub async fn list_tickets(
        &self,
        filter: TicketFilter,
        page: PageRequest,
    ) -> Result<Page<Ticket>> {
        let circle = self.organisation_circle().await?;
        let Some(filter) = scope(&self.principal, circle, filter) else {
            return Ok(empty());
        };
        let store = &self.desk.store;
        let pass = Pass::of(&page, self.desk.now());
        let found = store.list_tickets(&pass.narrow(&filter), &page).await?;
        let changed = match pass.changed_filter(&filter) {
            Some(changed) => Some(store.list_tickets(&changed, &Pass::changed_page()).await?),
            None => None,
        };
        Ok(self.shown_page(pass.finish(found, changed)))
    }

    /// How many tickets the actor may see match `filter`: as many as a pass of
    /// [`list_tickets`](Self::list_tickets) would list if nothing changed, scoped the same way.
    pub async fn count_tickets(&self, filter: TicketFilter) -> Result<u64> {
        let circle = self.organisation_circle().await?;
        match scope(&self.principal, circle, filter) {
            Some(filter) => self.desk.store.count_tickets(&filter).await,
            None => Ok(0),
        }
    }

    /// A page of the tickets the actor may see that match the search `query` (as typed:
    /// words, "phrases", prefix*, -exclusions, % patterns) and `filter`. Internal notes are
    /// searched for agents only. Paged in a [`Pass`] as
    /// [`list_tickets`](Self::list_tickets) is, in any order (relevance too: the cursor
    /// carries the score).
    ///
    /// The box also reads `query` as a whole: a ticket's number (full or short, any digit
    /// script) and, for staff, a customer's e-mail, phone (national or international, see
    /// [`phone_region`](crate::Helpdesk::phone_region)) or name. The first page starts with
    /// the tickets it names (at most all but one of the page), the text matches follow, and
    /// no page lists a named ticket again.
    pub async fn search_tickets(
        &self,
        typed: &str,
        filter: TicketFilter,
        page: PageRequest,
    ) -> Result<Page<Ticket>> {
        let query = SearchQuery::parse(typed)?;
        let circle = self.organisation_circle().await?;
        let Some(filter) = scope(&self.principal, circle, filter) else {
            return Ok(empty());
        };
        let store = &self.desk.store;
        let pass = Pass::of(&page, self.desk.now());
        let search = |filter: TicketFilter| TicketSearch {
            query: query.clone(),
            filter,
            include_internal: self.principal.is_staff(),
        };
        let room = page.limit().saturating_sub(1) as usize;
        let hits = self
            .search_box_hits(typed, &pass.narrow(&filter), room)
            .await?;
        let first = page.cursor().is_none();
        let text_page = if first && !hits.is_empty() {
            let left = page.limit() - u32::try_from(hits.len()).unwrap_or(0);
            PageRequest::first(page.order(), left)
        } else {
            page.clone()
        };
        let mut found = store
            .search_tickets(&search(pass.narrow(&filter)), &text_page)
            .await?;
        let hit_ids: Vec<_> = hits.iter().map(|t| t.id).collect();
        search_box::without_hits(&mut found.items, &hit_ids);
        if first && !hits.is_empty() {
            found.items.splice(0..0, hits);
        }
        let changed = match pass.changed_filter(&filter) {
            Some(changed) => Some(
                store
                    .search_tickets(&search(changed), &Pass::changed_page())
                    .await?,
            ),
            None => None,
        };
        Ok(self.shown_page(pass.finish(found, changed)))
    }
}

pub(super) fn empty() -> Page<Ticket> {
    Page {
        items: Vec::new(),
        next: None,
        changed: None,
    }
}

/// Narrows `filter` to what `principal` may see; `None` when that is nothing (the rule of
/// [`crate::listing::scope`]). `circle`: the customers whose tickets a customer who sees
/// their organisation's tickets lists (see [`Acting::organisation_circle`]).
pub(super) fn scope(
    principal: &Principal,
    circle: Option<Vec<CustomerId>>,
    filter: TicketFilter,
) -> Option<TicketFilter> {
    match principal {
        Principal::System => Some(filter),
        Principal::Customer(c) => crate::listing::scope::for_customer(c, circle, filter),
        Principal::Agent(a) => Some(crate::listing::scope::for_agent(a, filter)),
    }
}
