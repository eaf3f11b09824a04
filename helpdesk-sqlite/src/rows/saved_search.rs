//! Agents' saved searches.

use helpdesk_core::domain::{AgentId, Name, SavedSearchId};
use helpdesk_core::search::SavedSearch;
use rusqlite::Row;
use rusqlite::types::ToSql;

use super::{Reader, bind, blob, json, micros};
use crate::error::Outcome;

/// A saved search's columns.
pub(crate) struct SavedSearchRow {
    id: [u8; 16],
    agent_id: [u8; 16],
    name: String,
    query: Option<String>,
    filter: String,
    ticket_order: &'static str,
    created_at: i64,
}

impl SavedSearchRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO saved_searches (id, agent_id, name, query, filter, ticket_order, created_at)
        VALUES (:id, :agent_id, :name, :query, :filter, :ticket_order, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            agent_id = excluded.agent_id,
            name = excluded.name,
            query = excluded.query,
            filter = excluded.filter,
            ticket_order = excluded.ticket_order,
            created_at = excluded.created_at";

    pub(crate) fn new(s: &SavedSearch) -> Outcome<Self> {
        Ok(Self {
            id: blob(s.id.as_uuid()),
            agent_id: blob(s.agent.as_uuid()),
            name: s.name.as_str().to_owned(),
            query: s.query.clone(),
            filter: json(&s.filter)?,
            ticket_order: s.order.as_str(),
            created_at: micros(s.created_at),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 7] {
        bind!(self; id, agent_id, name, query, filter, ticket_order, created_at)
    }
}

/// The columns `read_saved_search` reads.
pub(crate) const SAVED_SEARCH_COLUMNS: &str =
    "id, agent_id, name, query, filter, ticket_order, created_at";

/// A saved search from a row of [`SAVED_SEARCH_COLUMNS`].
pub(crate) fn read_saved_search(row: &Row<'_>) -> Outcome<SavedSearch> {
    let r = Reader::new(row, "saved_searches");
    Ok(SavedSearch {
        id: SavedSearchId::from_uuid(r.uuid("id")?),
        agent: AgentId::from_uuid(r.uuid("agent_id")?),
        name: r.parse("name", Name::parse)?,
        query: r.get("query")?,
        filter: r.json("filter")?,
        order: r.text("ticket_order")?,
        created_at: r.instant("created_at")?,
    })
}
