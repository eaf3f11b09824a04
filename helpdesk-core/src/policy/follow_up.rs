//! What a customer's reply to a closed ticket does, per department.

use serde::{Deserialize, Serialize};

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

impl FollowUpPolicy {
    /// The stable text form.
    pub const fn as_str(self) -> &'static str {
        match self {
            FollowUpPolicy::Reopen => "reopen",
            FollowUpPolicy::Reject => "reject",
            FollowUpPolicy::NewTicket => "new_ticket",
        }
    }
}

impl std::str::FromStr for FollowUpPolicy {
    type Err = crate::error::ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Reopen, Self::Reject, Self::NewTicket]
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                crate::error::ValidationError::new("follow_up", format!("unknown policy {s:?}"))
            })
    }
}
