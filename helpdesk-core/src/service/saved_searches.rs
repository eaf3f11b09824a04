//! Agents' saved searches: their own queue views.

use super::Helpdesk;
use super::access::Principal;
use crate::domain::{Actor, Name, SavedSearch, SavedSearchId, Ticket};
use crate::error::{Entity, Error, ForbiddenReason, Result};
use crate::search::SearchQuery;
use crate::store::{Page, PageRequest, TicketFilter, TicketOrder};

impl Helpdesk {
    /// Saves a filter and an optional query (checked now, parsed again on every run) under
    /// `name` for the acting agent.
    pub async fn save_search(
        &self,
        actor: Actor,
        name: Name,
        query: Option<String>,
        filter: TicketFilter,
        order: TicketOrder,
    ) -> Result<SavedSearch> {
        let agent = self.acting_agent(actor).await?;
        if let Some(q) = &query {
            SearchQuery::parse(q)?;
        }
        let saved = SavedSearch {
            id: SavedSearchId::new(),
            agent,
            name,
            query,
            filter,
            order,
            created_at: self.now(),
        };
        self.store.put_saved_search(&saved).await?;
        Ok(saved)
    }

    /// The acting agent's saved searches, by name.
    pub async fn saved_searches(&self, actor: Actor) -> Result<Vec<SavedSearch>> {
        let agent = self.acting_agent(actor).await?;
        self.store.saved_searches(agent).await
    }

    /// Deletes one of the acting agent's saved searches.
    pub async fn delete_saved_search(&self, actor: Actor, id: SavedSearchId) -> Result<()> {
        self.own_saved_search(actor, id).await?;
        self.store.delete_saved_search(id).await?;
        Ok(())
    }

    /// Runs one of the acting agent's saved searches: the first page of `limit`, or the page
    /// after `cursor` (from an earlier page of the same saved search).
    pub async fn run_saved_search(
        &self,
        actor: Actor,
        id: SavedSearchId,
        page: PageRequest,
    ) -> Result<Page<Ticket>> {
        let saved = self.own_saved_search(actor, id).await?;
        let page = match page.cursor() {
            Some(c) => PageRequest::first(saved.order, page.limit()).after(*c)?,
            None => PageRequest::first(saved.order, page.limit()),
        };
        match saved.query {
            Some(q) => self.search_tickets(actor, &q, saved.filter, page).await,
            None => self.list_tickets(actor, saved.filter, page).await,
        }
    }

    async fn own_saved_search(&self, actor: Actor, id: SavedSearchId) -> Result<SavedSearch> {
        let agent = self.acting_agent(actor).await?;
        self.store
            .saved_searches(agent)
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| Error::not_found(Entity::SavedSearch, id))
    }

    async fn acting_agent(&self, actor: Actor) -> Result<crate::domain::AgentId> {
        match self.principal(actor).await? {
            Principal::Agent(a) => Ok(a.id),
            _ => Err(Error::forbidden(ForbiddenReason::AgentsOnly)),
        }
    }
}
