//! An agent's saved searches: a named filter and query, their own queue view.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{AgentId, Name, SavedSearchId};
use crate::listing::{TicketFilter, TicketOrder};

/// A named view: a filter, an optional search query (as typed) and an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSearch {
    /// Its id.
    pub id: SavedSearchId,
    /// The agent it belongs to.
    pub agent: AgentId,
    /// Its name in the agent's list.
    pub name: Name,
    /// The search query as typed, if any (parsed again each time it runs).
    pub query: Option<String>,
    /// The filter.
    pub filter: TicketFilter,
    /// The order.
    pub order: TicketOrder,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
}
