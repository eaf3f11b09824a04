//! Scheduled rules (issue 22, item 2): how often one runs, and for how long a ticket must
//! have stayed unchanged (its conditions held) before the rule handles it.
//!
//! A scheduled rule has the conditions and actions of a trigger; `run_due` runs it every
//! [`RuleSchedule::every_minutes`] on the tickets its conditions hold for, each once per run.
//! "Held for" is measured from the ticket's last change (`updated_at`): nothing about the
//! ticket changed since, so every condition on its fields has held that long. Business units
//! count the working time of the ticket's department calendar.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::ValidationError;
use crate::policy::Calendar;

/// The least [`RuleSchedule::every_minutes`] may be.
pub const MIN_EVERY_MINUTES: u32 = 1;

/// The most [`RuleSchedule::every_minutes`] may be: 31 days.
pub const MAX_EVERY_MINUTES: u32 = 44_640;

/// The most a [`HeldFor::amount`] may be.
pub const MAX_HELD_AMOUNT: u32 = 10_000;

/// When a scheduled rule runs and which tickets are old enough for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSchedule {
    /// It runs at most once every this many minutes ([`MIN_EVERY_MINUTES`] to
    /// [`MAX_EVERY_MINUTES`]).
    pub every_minutes: u32,
    /// Only tickets unchanged for at least this long (`None`: any matching ticket).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unchanged_for: Option<HeldFor>,
}

/// A length of time, in wall-clock or business units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldFor {
    /// How many units (1 to [`MAX_HELD_AMOUNT`]).
    pub amount: u32,
    /// Which.
    pub unit: HeldUnit,
}

/// The unit of a [`HeldFor`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeldUnit {
    /// Wall-clock hours.
    Hours,
    /// Wall-clock days (24 hours).
    Days,
    /// Hours of working time on the department's calendar.
    BusinessHours,
    /// Working days on the department's calendar (dates with working time).
    BusinessDays,
}

impl HeldUnit {
    /// Every unit, in a stable order.
    pub const ALL: [HeldUnit; 4] = [
        HeldUnit::Hours,
        HeldUnit::Days,
        HeldUnit::BusinessHours,
        HeldUnit::BusinessDays,
    ];

    /// Its stable name (`hours`, `days`, `business_hours`, `business_days`).
    pub fn as_str(self) -> &'static str {
        match self {
            HeldUnit::Hours => "hours",
            HeldUnit::Days => "days",
            HeldUnit::BusinessHours => "business_hours",
            HeldUnit::BusinessDays => "business_days",
        }
    }

    /// The unit named `name` (see [`as_str`](Self::as_str)).
    pub fn parse(name: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|u| u.as_str() == name.trim())
            .ok_or_else(|| ValidationError::new("unit", "is not a known unit"))
    }
}

impl RuleSchedule {
    /// Checks the bounds.
    pub fn check(&self) -> Result<(), ValidationError> {
        if !(MIN_EVERY_MINUTES..=MAX_EVERY_MINUTES).contains(&self.every_minutes) {
            return Err(ValidationError::new(
                "every_minutes",
                "must be between 1 and 44640 (31 days)",
            ));
        }
        if let Some(held) = self.unchanged_for
            && !(1..=MAX_HELD_AMOUNT).contains(&held.amount)
        {
            return Err(ValidationError::new(
                "unchanged_for",
                "must be between 1 and 10000 units",
            ));
        }
        Ok(())
    }

    /// The time between two runs.
    pub fn every(&self) -> Duration {
        Duration::minutes(i64::from(self.every_minutes))
    }

    /// When a rule on this schedule runs next, at `now`: a period after its `last` run, or
    /// at the next `run_due` (`now`) when it never ran or is due already.
    pub fn next_run(&self, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> DateTime<Utc> {
        last.map_or(now, |last| (last + self.every()).max(now))
    }

    /// Whether a ticket last changed at `since` is old enough at `now`, on its department's
    /// `calendar`.
    pub fn old_enough(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        calendar: &Calendar,
    ) -> bool {
        self.unchanged_for
            .is_none_or(|held| held.held(since, now, calendar))
    }
}

impl HeldFor {
    /// Whether this much time has passed from `since` to `now` (business units on
    /// `calendar`).
    pub fn held(&self, since: DateTime<Utc>, now: DateTime<Utc>, calendar: &Calendar) -> bool {
        let n = i64::from(self.amount);
        match self.unit {
            HeldUnit::Hours => now - since >= Duration::hours(n),
            HeldUnit::Days => now - since >= Duration::days(n),
            HeldUnit::BusinessHours => calendar.between(since, now) >= Duration::hours(n),
            HeldUnit::BusinessDays => calendar
                .add_working_days(since, self.amount)
                .is_some_and(|at| at <= now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{WorkingRange, weekdays};
    use proptest::prelude::*;

    fn office() -> Calendar {
        Calendar::weekly(
            chrono_tz::Europe::Bucharest,
            weekdays(vec![WorkingRange::parse("09:00", "18:00").unwrap()]),
        )
        .unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn ten_business_days_skip_the_weekends() {
        let held = HeldFor {
            amount: 10,
            unit: HeldUnit::BusinessDays,
        };
        // Friday 2026-01-09 10:00 local; ten working days later is Friday 2026-01-23.
        let since = at("2026-01-09T08:00:00Z");
        assert!(!held.held(since, at("2026-01-22T08:00:00Z"), &office()));
        assert!(held.held(since, at("2026-01-23T08:00:00Z"), &office()));
        // Wall-clock days count the weekend.
        let days = HeldFor {
            amount: 10,
            unit: HeldUnit::Days,
        };
        assert!(days.held(since, at("2026-01-19T08:00:00Z"), &office()));
    }

    #[test]
    fn business_hours_count_only_working_time() {
        let held = HeldFor {
            amount: 9,
            unit: HeldUnit::BusinessHours,
        };
        // Friday 17:00 local: one hour that day, eight on Monday.
        let since = at("2026-01-09T15:00:00Z");
        assert!(!held.held(since, at("2026-01-12T14:59:00Z"), &office()));
        assert!(held.held(since, at("2026-01-12T15:00:00Z"), &office()));
    }

    #[test]
    fn bounds_are_checked() {
        let bad = [
            RuleSchedule {
                every_minutes: 0,
                unchanged_for: None,
            },
            RuleSchedule {
                every_minutes: MAX_EVERY_MINUTES + 1,
                unchanged_for: None,
            },
            RuleSchedule {
                every_minutes: 60,
                unchanged_for: Some(HeldFor {
                    amount: 0,
                    unit: HeldUnit::Hours,
                }),
            },
        ];
        for s in bad {
            assert!(s.check().is_err(), "{s:?}");
        }
        assert_eq!(HeldUnit::parse("business_days"), Ok(HeldUnit::BusinessDays));
        assert!(HeldUnit::parse("weeks").is_err());
    }

    #[test]
    fn the_next_run_is_a_period_after_the_last_or_now() {
        let hourly = RuleSchedule {
            every_minutes: 60,
            unchanged_for: None,
        };
        let now = at("2026-01-09T08:00:00Z");
        assert_eq!(hourly.next_run(None, now), now);
        let last = at("2026-01-09T07:30:00Z");
        assert_eq!(hourly.next_run(Some(last), now), at("2026-01-09T08:30:00Z"));
        let overdue = at("2026-01-09T06:00:00Z");
        assert_eq!(hourly.next_run(Some(overdue), now), now);
    }

    proptest! {
        /// The next run is never before now nor before a period after the last run, and is
        /// exactly that when it lies ahead.
        #[test]
        fn the_next_run_is_never_in_the_past(
            every in MIN_EVERY_MINUTES..=MAX_EVERY_MINUTES,
            since_last in 0i64..(60 * 24 * 62),
        ) {
            let schedule = RuleSchedule { every_minutes: every, unchanged_for: None };
            let now = at("2026-01-01T00:00:00Z");
            let last = now - Duration::minutes(since_last);
            let next = schedule.next_run(Some(last), now);
            prop_assert!(next >= now);
            prop_assert!(next >= last + schedule.every());
            if last + schedule.every() > now {
                prop_assert_eq!(next, last + schedule.every());
            }
        }

        /// Once a ticket is old enough it stays old enough as time goes on, in every unit.
        #[test]
        fn old_enough_never_turns_back(
            amount in 1u32..30,
            unit in 0usize..4,
            start in 0i64..(60 * 24 * 60),
            first in 0i64..(60 * 24 * 40),
            more in 0i64..(60 * 24 * 10),
        ) {
            let held = HeldFor { amount, unit: HeldUnit::ALL[unit] };
            let since = at("2026-01-01T00:00:00Z") + Duration::minutes(start);
            let now = since + Duration::minutes(first);
            if held.held(since, now, &office()) {
                prop_assert!(held.held(since, now + Duration::minutes(more), &office()));
            }
            // Business time never passes faster than wall-clock time.
            if held.unit == HeldUnit::BusinessHours && held.held(since, now, &office()) {
                let wall = HeldFor { unit: HeldUnit::Hours, ..held };
                prop_assert!(wall.held(since, now, &office()));
            }
        }
    }
}
