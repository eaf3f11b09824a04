//! Reading tickets, threads, history and lists, filtered by what the actor may see.

use super::Helpdesk;
use super::access::{Principal, check_visible};
use crate::domain::{Actor, Message, Ticket, TicketEvent, TicketId, TimeEntry};
use crate::error::{Entity, Error, Result};
use crate::search::{SearchQuery, TicketSearch};
use crate::store::{Page, PageRequest, StoreExt, TicketFilter};

impl Helpdesk {
    /// A ticket the actor may see.
    pub async fn ticket(&self, actor: Actor, id: TicketId) -> Result<Ticket> {
        let principal = self.principal(actor).await?;
        self.visible_ticket(&principal, id).await
    }

    /// A ticket by its number as typed: full or short, with `#`, in any digit script.
    pub async fn ticket_by_number(&self, actor: Actor, typed: &str) -> Result<Ticket> {
        let principal = self.principal(actor).await?;
        let ticket = self
            .store
            .find_ticket_by_number(typed)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Ticket, typed.trim()))?;
        check_visible(&principal, &ticket)?;
        Ok(ticket)
    }

    /// A ticket's thread, oldest first. Customers never get internal notes.
    pub async fn thread(&self, actor: Actor, id: TicketId) -> Result<Vec<Message>> {
        let principal = self.principal(actor).await?;
        self.visible_ticket(&principal, id).await?;
        let staff = !matches!(principal, Principal::Customer(_));
        self.store.messages(id, staff).await
    }

    /// A ticket's history, oldest first. Customers see only the public events.
    pub async fn history(&self, actor: Actor, id: TicketId) -> Result<Vec<TicketEvent>> {
        let principal = self.principal(actor).await?;
        self.visible_ticket(&principal, id).await?;
        let events = self.store.history(id).await?;
        Ok(match principal {
            Principal::Customer(_) => events
                .into_iter()
                .filter(|e| e.change.is_public())
                .collect(),
            _ => events,
        })
    }

    /// Time logged on a ticket. Customers see the billable entries (seed 002).
    pub async fn time_entries(&self, actor: Actor, id: TicketId) -> Result<Vec<TimeEntry>> {
        let principal = self.principal(actor).await?;
        self.visible_ticket(&principal, id).await?;
        let entries = self.store.time_entries(id).await?;
        Ok(match principal {
            Principal::Customer(_) => entries.into_iter().filter(|e| e.billable).collect(),
            _ => entries,
        })
    }

    /// A page of the tickets the actor may see that match `filter`. Customers see their own
    /// non-internal tickets; agents those of the departments they may read.
    pub async fn list_tickets(
        &self,
        actor: Actor,
        filter: TicketFilter,
        page: PageRequest,
    ) -> Result<Page<Ticket>> {
        let principal = self.principal(actor).await?;
        match scope(&principal, filter) {
            Some(filter) => self.store.list_tickets(&filter, &page).await,
            None => Ok(empty()),
        }
    }

    /// A page of the tickets the actor may see that match the search `query` (as typed:
    /// words, "phrases", prefix*, -exclusions, % patterns) and `filter`. Internal notes are
    /// searched for agents only.
    pub async fn search_tickets(
        &self,
        actor: Actor,
        query: &str,
        filter: TicketFilter,
        page: PageRequest,
    ) -> Result<Page<Ticket>> {
        let query = SearchQuery::parse(query)?;
        let principal = self.principal(actor).await?;
        let staff = !matches!(principal, Principal::Customer(_));
        match scope(&principal, filter) {
            Some(filter) => {
                let search = TicketSearch {
                    query,
                    filter,
                    include_internal: staff,
                };
                self.store.search_tickets(&search, &page).await
            }
            None => Ok(empty()),
        }
    }
}

fn empty() -> Page<Ticket> {
    Page {
        items: Vec::new(),
        next: None,
    }
}

/// Narrows `filter` to what `principal` may see; `None` when that is nothing.
fn scope(principal: &Principal, mut filter: TicketFilter) -> Option<TicketFilter> {
    match principal {
        Principal::System => {}
        Principal::Customer(c) => {
            if filter.customer.is_some_and(|other| other != c.id) || filter.internal == Some(true) {
                return None;
            }
            filter.customer = Some(c.id);
            filter.internal = Some(false);
        }
        Principal::Agent(a) => {
            if let Some(readable) = a.readable_departments() {
                filter.departments = Some(match filter.departments {
                    Some(asked) => asked.into_iter().filter(|d| readable.contains(d)).collect(),
                    None => readable,
                });
            }
        }
    }
    Some(filter)
}
