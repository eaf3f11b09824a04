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
    /// Whether the customer is billed for it. Customers see their tickets' billable
    /// entries (seed 002), never the others.
    pub billable: bool,
    /// What was done.
    pub note: ShortNote,
    /// Whether the customer may read `note` when they see the entry (a billable one): an
    /// explicit choice of the agent who logs it, `false` (hidden) unless made.
    #[serde(default)]
    pub note_visible_to_customer: bool,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
}

impl TimeEntry {
    /// The entry as a customer may see it: its note only when it was made visible to them,
    /// else an empty note. (Which entries a customer sees at all is the read's rule: the
    /// billable ones.)
    pub fn as_seen_by_customer(mut self) -> Self {
        if !self.note_visible_to_customer {
            self.note = ShortNote::empty();
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_read_a_note_only_when_it_was_made_visible_to_them() {
        let entry = |visible| TimeEntry {
            id: TimeEntryId::new(),
            ticket_id: TicketId::new(),
            agent: AgentId::new(),
            minutes: Minutes::new(30).unwrap(),
            billable: true,
            note: ShortNote::parse("VPN set up; the client's firewall was a mess").unwrap(),
            note_visible_to_customer: visible,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let shown = entry(true);
        assert_eq!(shown.clone().as_seen_by_customer(), shown);
        let hidden = entry(false).as_seen_by_customer();
        assert_eq!(hidden.note, ShortNote::empty());
        assert_eq!(hidden.minutes.get(), 30);
    }

    #[test]
    fn entries_stored_without_the_choice_read_back_hidden() {
        let json = serde_json::json!({
            "id": TimeEntryId::new(), "ticket_id": TicketId::new(), "agent": AgentId::new(),
            "minutes": 5, "billable": true, "note": "call", "created_at": "2026-01-05T09:00:00Z",
        });
        let entry: TimeEntry = serde_json::from_value(json).unwrap();
        assert!(!entry.note_visible_to_customer);
    }
}
