//! Ticket priority.

use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;

use super::ValidationError;

/// How urgent a ticket is; ordered from `Low` to `Urgent`.
///
/// ```
/// use helpdesk_core::domain::Priority;
/// assert!(Priority::High > Priority::Normal);
/// assert_eq!("high".parse::<Priority>().unwrap(), Priority::High);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Can wait.
    Low,
    /// The default.
    #[default]
    Normal,
    /// Organisations' tickets by default (seed 004).
    High,
    /// Drop everything.
    Urgent,
}

// Every priority, lowest first.
stable_text!(Priority, "priority" {
    Low => "low",
    Normal => "normal",
    High => "high",
    Urgent => "urgent",
});

impl Priority {
    /// A rank for storage and sorting: 1 (low) to 4 (urgent).
    pub const fn rank(self) -> i16 {
        match self {
            Priority::Low => 1,
            Priority::Normal => 2,
            Priority::High => 3,
            Priority::Urgent => 4,
        }
    }

    /// The priority of a [`rank`](Self::rank).
    pub fn from_rank(rank: i64) -> Result<Self, ValidationError> {
        Priority::ALL
            .into_iter()
            .find(|p| i64::from(p.rank()) == rank)
            .ok_or_else(|| ValidationError::new("priority", format!("unknown rank {rank}")))
    }
}
