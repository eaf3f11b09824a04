//! Agents' saved searches (table `saved_searches`, migration 0004): [`SavedSearchStore`] for
//! [`SqliteStore`].

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{AgentId, SavedSearchId};
use helpdesk_core::search::SavedSearch;
use helpdesk_core::store::SavedSearchStore;

use crate::connection::SqliteStore;
use crate::rows::saved_search::{SAVED_SEARCH_COLUMNS, SavedSearchRow, read_saved_search};
use crate::rows::{all, blob};

#[async_trait]
impl SavedSearchStore for SqliteStore {
    async fn put_saved_search(&self, search: &SavedSearch) -> Result<()> {
        let row = SavedSearchRow::new(search)?;
        self.write(move |conn| {
            conn.prepare_cached(SavedSearchRow::UPSERT)?
                .execute(&row.params()[..])?;
            Ok(())
        })
        .await
    }

    async fn saved_searches(&self, agent: AgentId) -> Result<Vec<SavedSearch>> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {SAVED_SEARCH_COLUMNS} FROM saved_searches WHERE agent_id = ?1
                 ORDER BY name, id"
            );
            all(conn, &sql, [blob(agent.as_uuid())], read_saved_search)
        })
        .await
    }

    async fn delete_saved_search(&self, id: SavedSearchId) -> Result<bool> {
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM saved_searches WHERE id = ?1")?
                .execute([blob(id.as_uuid())])?;
            Ok(n > 0)
        })
        .await
    }
}
