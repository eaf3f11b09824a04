//! Where a message or a history entry came from when another ticket put it in this one: a
//! master ticket's reply copied to a linked ticket, a merged ticket's thread, or messages
//! split off into a new ticket.

use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;
use super::{TicketId, TicketNumber};

/// How an entry came to a ticket from another one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginKind {
    /// Copied from the master ticket this one is linked to (its reply or solution).
    Master,
    /// Moved here when the ticket it was on was merged into this one.
    Merge,
    /// Moved here when this ticket was split off the one it was on.
    Split,
}

stable_text!(OriginKind, "origin kind" {
    Master => "master",
    Merge => "merge",
    Split => "split",
});

/// The ticket an entry came from, and how.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// How it came.
    pub kind: OriginKind,
    /// The ticket it came from.
    pub ticket: TicketId,
    /// That ticket's number, as it was shown to people.
    pub number: TicketNumber,
}

impl Origin {
    /// An entry that came from `ticket` (numbered `number`) by `kind`.
    pub fn new(kind: OriginKind, ticket: TicketId, number: TicketNumber) -> Self {
        Self {
            kind,
            ticket,
            number,
        }
    }
}
