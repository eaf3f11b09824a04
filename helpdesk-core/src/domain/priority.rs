//! Ticket priority.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

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

impl Priority {
    /// Every priority, lowest first.
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    /// The stable text form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

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

impl std::fmt::Display for Priority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Priority {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        Priority::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| ValidationError::new("priority", format!("unknown priority {s:?}")))
    }
}
