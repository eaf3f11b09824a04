//! What customers say about a ticket besides messages: a satisfaction rating once it is
//! solved, and a request to raise its priority (seed 002).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::{Priority, ShortNote};

/// A satisfaction score from 1 (bad) to 5 (excellent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Rating(u8);

impl Rating {
    /// Validates a score.
    pub fn new(score: u8) -> Result<Self, ValidationError> {
        if (1..=5).contains(&score) {
            Ok(Self(score))
        } else {
            Err(ValidationError::new("score", "must be between 1 and 5"))
        }
    }

    /// The score.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Rating {
    type Error = ValidationError;
    fn try_from(v: u8) -> Result<Self, Self::Error> {
        Self::new(v)
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

/// The customer's rating of a solved ticket; given once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Satisfaction {
    /// The score.
    pub score: Rating,
    /// What they said.
    pub comment: Option<ShortNote>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A customer's request to raise the priority of their ticket, awaiting an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityRequest {
    /// The priority asked for.
    pub priority: Priority,
    /// Why.
    pub reason: ShortNote,
    /// When.
    pub at: DateTime<Utc>,
}
