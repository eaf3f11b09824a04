//! How long the change feed keeps its records ([`FeedRetention`]): a whole number of days an
//! admin sets, pruned by `run_due`.

use serde::{Deserialize, Serialize};

use crate::domain::ValidationError;

/// How many days the feed keeps its records: 1 to [`FeedRetention::MAX_DAYS`] (default
/// [`FeedRetention::DEFAULT`], a week).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct FeedRetention(u32);

impl FeedRetention {
    /// The longest: ten years.
    pub const MAX_DAYS: u32 = 3650;
    /// The default: a week.
    pub const DEFAULT: FeedRetention = FeedRetention(7);

    /// A retention of `days`, or a validation error naming `feed_retention_days`.
    pub fn from_days(days: u32) -> Result<Self, ValidationError> {
        if (1..=Self::MAX_DAYS).contains(&days) {
            Ok(Self(days))
        } else {
            Err(ValidationError::new(
                "feed_retention_days",
                format!("keep changes 1 to {} days", Self::MAX_DAYS),
            ))
        }
    }

    /// A retention as typed: whole days (surrounding spaces allowed).
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let days = text.trim().parse::<u32>().map_err(|_| {
            ValidationError::new("feed_retention_days", "must be a whole number of days")
        })?;
        Self::from_days(days)
    }

    /// Its days.
    pub fn days(self) -> u32 {
        self.0
    }

    /// As a duration.
    pub fn duration(self) -> chrono::Duration {
        chrono::Duration::days(i64::from(self.0))
    }
}

impl Default for FeedRetention {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for FeedRetention {
    type Error = ValidationError;

    fn try_from(days: u32) -> Result<Self, Self::Error> {
        Self::from_days(days)
    }
}

impl From<FeedRetention> for u32 {
    fn from(retention: FeedRetention) -> u32 {
        retention.0
    }
}

impl std::fmt::Display for FeedRetention {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn zero_and_past_ten_years_are_refused_naming_the_field() {
        for bad in ["0", "3651", "-1", "seven", "", "1.5"] {
            let e = FeedRetention::parse(bad).unwrap_err();
            assert_eq!(e.field(), "feed_retention_days", "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_day_count_in_range_reads_back_as_typed(days in 1u32..=FeedRetention::MAX_DAYS) {
            let typed = format!(" {days} ");
            let retention = FeedRetention::parse(&typed).unwrap();
            prop_assert_eq!(retention.days(), days);
            prop_assert_eq!(FeedRetention::parse(&retention.to_string()).unwrap(), retention);
        }
    }
}
