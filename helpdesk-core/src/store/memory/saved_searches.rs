//! [`SavedSearchStore`] for the in-memory reference store: each agent's views.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::{AgentId, SavedSearchId};
use crate::error::Result;
use crate::search::SavedSearch;
use crate::store::SavedSearchStore;

#[async_trait]
impl SavedSearchStore for MemoryStore {
    async fn put_saved_search(&self, search: &SavedSearch) -> Result<()> {
        self.lock().saved_searches.insert(search.id, search.clone());
        Ok(())
    }

    async fn saved_searches(&self, agent: AgentId) -> Result<Vec<SavedSearch>> {
        let mut mine: Vec<SavedSearch> = self
            .lock()
            .saved_searches
            .values()
            .filter(|s| s.agent == agent)
            .cloned()
            .collect();
        mine.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
        Ok(mine)
    }

    async fn delete_saved_search(&self, id: SavedSearchId) -> Result<bool> {
        Ok(self.lock().saved_searches.remove(&id).is_some())
    }
}
