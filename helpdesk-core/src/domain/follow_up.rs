//! What a customer's reply to a closed ticket does, per department.

use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;

/// A department's rule for customer replies to closed tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpPolicy {
    /// The ticket reopens (to Open) and the reply is added to it.
    #[default]
    Reopen,
    /// The reply is refused with a typed error; the ticket stays closed.
    Reject,
    /// A new ticket is opened with the reply, linked to the closed one.
    NewTicket,
}

stable_text!(FollowUpPolicy, "follow_up" {
    Reopen => "reopen",
    Reject => "reject",
    NewTicket => "new_ticket",
});
