//! Agents' saved searches: their own named queue views.

use async_trait::async_trait;

use crate::domain::{AgentId, SavedSearchId};
use crate::error::Result;
use crate::search::SavedSearch;

/// An ability a store may offer
/// ([`Store::as_saved_search_store`](super::Store::as_saved_search_store)): agents' saved
/// searches.
#[async_trait]
pub trait SavedSearchStore: Send + Sync {
    /// Inserts or replaces a saved search.
    async fn put_saved_search(&self, search: &SavedSearch) -> Result<()>;
    /// An agent's saved searches, by name then id.
    async fn saved_searches(&self, agent: AgentId) -> Result<Vec<SavedSearch>>;
    /// Deletes a saved search; whether it existed.
    async fn delete_saved_search(&self, id: SavedSearchId) -> Result<bool>;
}
