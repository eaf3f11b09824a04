//! Agents' saved searches (table `saved_searches`): the filter as jsonb, the order as its
//! stable text.

use helpdesk_core::Result;
use helpdesk_core::domain::{AgentId, Name, SavedSearchId};
use helpdesk_core::search::SavedSearch;
use sqlx::postgres::PgRow;

use super::{PgQuery, Reader, json};

/// The column list of saved search reads.
macro_rules! saved_search_columns {
    () => {
        "id, agent, name, query, filter::text AS filter, ticket_order, created_at"
    };
}
pub(crate) use saved_search_columns;

/// A saved search from a row selected with [`saved_search_columns!`].
pub(crate) fn saved_search(row: &PgRow) -> Result<SavedSearch> {
    let r = Reader::new(row, "saved_searches");
    Ok(SavedSearch {
        id: SavedSearchId::from_uuid(r.get("id")?),
        agent: AgentId::from_uuid(r.get("agent")?),
        name: r.parse("name", Name::parse)?,
        query: r.get("query")?,
        filter: r.json("filter")?,
        order: r.text("ticket_order")?,
        created_at: r.get("created_at")?,
    })
}

/// Inserts or replaces a saved search.
pub(crate) const PUT_SAVED_SEARCH: &str = "INSERT INTO saved_searches (id, agent, name, query, \
     filter, ticket_order, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) \
     ON CONFLICT (id) DO UPDATE SET agent = EXCLUDED.agent, name = EXCLUDED.name, \
     query = EXCLUDED.query, filter = EXCLUDED.filter, ticket_order = EXCLUDED.ticket_order, \
     created_at = EXCLUDED.created_at";

/// Binds a saved search for [`PUT_SAVED_SEARCH`].
pub(crate) fn bind_saved_search<'q>(query: PgQuery<'q>, s: &SavedSearch) -> Result<PgQuery<'q>> {
    Ok(query
        .bind(s.id.as_uuid())
        .bind(s.agent.as_uuid())
        .bind(s.name.as_str().to_owned())
        .bind(s.query.clone())
        .bind(json(&s.filter)?)
        .bind(s.order.as_str())
        .bind(s.created_at))
}
