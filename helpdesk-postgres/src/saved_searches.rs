//! Agents' saved searches: [`SavedSearchStore`] for [`PostgresStore`].

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{AgentId, SavedSearchId};
use helpdesk_core::search::SavedSearch;
use helpdesk_core::store::SavedSearchStore;

use crate::connection::PostgresStore;
use crate::rows::saved_search::{
    PUT_SAVED_SEARCH, bind_saved_search, saved_search, saved_search_columns,
};
use crate::rows::{all, execute};

#[async_trait]
impl SavedSearchStore for PostgresStore {
    async fn put_saved_search(&self, search: &SavedSearch) -> Result<()> {
        let query = bind_saved_search(sqlx::query(PUT_SAVED_SEARCH), search)?;
        execute(&self.pool, query).await.map(drop)
    }

    async fn saved_searches(&self, agent: AgentId) -> Result<Vec<SavedSearch>> {
        let sql = concat!(
            "SELECT ",
            saved_search_columns!(),
            " FROM saved_searches WHERE agent = $1 ORDER BY name, id"
        );
        all(
            &self.pool,
            sqlx::query(sql).bind(agent.as_uuid()),
            saved_search,
        )
        .await
    }

    async fn delete_saved_search(&self, id: SavedSearchId) -> Result<bool> {
        let query = sqlx::query("DELETE FROM saved_searches WHERE id = $1").bind(id.as_uuid());
        Ok(execute(&self.pool, query).await? > 0)
    }
}
