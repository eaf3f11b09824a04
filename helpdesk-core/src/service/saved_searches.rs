//! Agents' saved searches: their own queue views.

use super::Acting;
use crate::domain::{Name, SavedSearchId, Ticket};
use crate::error::{Entity, Error, Result};
use crate::search::SavedSearch;
use crate::search::SearchQuery;
use crate::store::{Page, PageRequest, TicketFilter, TicketOrder};

impl Acting {
    /// Saves a filter and an optional query (checked now, parsed again on every run) under
    /// `name` for the acting agent.
    pub async fn save_search(
        &self,
        name: Name,
        query: Option<String>,
        filter: TicketFilter,
        order: TicketOrder,
    ) -> Result<SavedSearch> {
        let agent = self.require_agent()?.id;
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
            created_at: self.desk.now(),
        };
        self.desk
            .saved_search_store()?
            .put_saved_search(&saved)
            .await?;
        Ok(saved)
    }

    /// The acting agent's saved searches, by name.
    pub async fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        let agent = self.require_agent()?.id;
        self.desk.saved_search_store()?.saved_searches(agent).await
    }

    /// Deletes one of the acting agent's saved searches.
    pub async fn delete_saved_search(&self, id: SavedSearchId) -> Result<()> {
        self.own_saved_search(id).await?;
        self.desk
            .saved_search_store()?
            .delete_saved_search(id)
            .await?;
        Ok(())
    }

    /// Runs one of the acting agent's saved searches: the first page of `limit`, or the page
    /// after `cursor` (from an earlier page of the same saved search).
    pub async fn run_saved_search(
        &self,
        id: SavedSearchId,
        page: PageRequest,
    ) -> Result<Page<Ticket>> {
        let saved = self.own_saved_search(id).await?;
        let page = match page.cursor() {
            Some(c) => PageRequest::first(saved.order, page.limit()).after(*c)?,
            None => PageRequest::first(saved.order, page.limit()),
        };
        match saved.query {
            Some(q) => self.search_tickets(&q, saved.filter, page).await,
            None => self.list_tickets(saved.filter, page).await,
        }
    }

    async fn own_saved_search(&self, id: SavedSearchId) -> Result<SavedSearch> {
        let agent = self.require_agent()?.id;
        self.desk
            .saved_search_store()?
            .saved_searches(agent)
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| Error::not_found(Entity::SavedSearch, id))
    }
}
