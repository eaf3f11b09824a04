//! Time spent on a ticket, for paid consultations (seed 002).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::{AgentId, ShortNote, TicketId, TimeEntryId};

/// Minutes of work, 1 to 1,440 (a day) per entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Minutes(u32);

impl Minutes {
    /// Validates a number of minutes.
    pub fn new(minutes: u32) -> Result<Self, ValidationError> {
        if (1..=1_440).contains(&minutes) {
            Ok(Self(minutes))
        } else {
            Err(ValidationError::new(
                "minutes",
                "must be between 1 and 1440",
            ))
        }
    }

    /// The number inside.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Minutes {
    type Error = ValidationError;
    fn try_from(m: u32) -> Result<Self, Self::Error> {
        Self::new(m)
    }
}

impl From<Minutes> for u32 {
    fn from(m: Minutes) -> u32 {
        m.0
    }
}

/// Work logged on a ticket by an agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeEntry {
    /// Its id.
    pub id: TimeEntryId,
    /// The ticket worked on.
    pub ticket_id: TicketId,
    /// Who worked.
    pub agent: AgentId,
    /// For how long.
    pub minutes: Minutes,
    /// Whether the customer is billed for it.
    pub billable: bool,
    /// What was done.
    pub note: ShortNote,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
}
