//! The Message-IDs of the mail a desk sent or received, each filed under its ticket, so that
//! replies thread by `In-Reply-To`/`References` and a message ingested twice is stored once.

use serde::{Deserialize, Serialize};

use super::TicketId;

/// A Message-ID the desk knows, and its ticket.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MailReference {
    /// The Message-ID without angle brackets (unique in a store).
    pub message_id: String,
    /// The ticket the mail belongs to.
    pub ticket_id: TicketId,
    /// Whether the desk received it (`true`) or sent it (`false`).
    pub inbound: bool,
}
