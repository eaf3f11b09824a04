//! Time, behind a trait so that tests control it.

use std::sync::Mutex;

use chrono::{DateTime, Duration, DurationRound, TimeDelta, Utc};

/// A source of the current instant.
///
/// Every instant the library stores is truncated to whole microseconds, the precision that
/// every backend keeps, so that what is read back equals what was written.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// Truncates an instant to whole microseconds.
pub fn to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}

/// The first whole microsecond at or after `at`. For every stored (whole-microsecond) `x`,
/// `x >= at` agrees with `x >= ceil_micros(at)` and `x < at` with `x < ceil_micros(at)`:
/// stores bound ranges of stored instants with it.
///
/// ```
/// use helpdesk_core::clock::ceil_micros;
/// let whole = chrono::DateTime::from_timestamp_micros(1_700_000_000_000_001).unwrap();
/// assert_eq!(ceil_micros(whole), whole);
/// let finer = whole + chrono::TimeDelta::nanoseconds(1);
/// assert_eq!(ceil_micros(finer), whole + chrono::TimeDelta::microseconds(1));
/// ```
pub fn ceil_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    let floor = to_micros(at);
    if floor == at {
        at
    } else {
        floor + TimeDelta::microseconds(1)
    }
}

/// The system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        to_micros(Utc::now())
    }
}

/// A clock that stands still until it is moved, for tests.
///
/// ```
/// use helpdesk_core::clock::{Clock, ManualClock};
/// let clock = ManualClock::new("2026-01-05T09:00:00Z".parse().unwrap());
/// clock.advance(chrono::Duration::hours(2));
/// assert_eq!(clock.now().to_rfc3339(), "2026-01-05T11:00:00+00:00");
/// ```
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    /// A clock showing `at`.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(to_micros(at)),
        }
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now = to_micros(*now + by);
    }

    /// Sets the clock to `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) = to_micros(at);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceil_micros_rounds_only_partial_microseconds_up_also_before_the_epoch() {
        let whole = DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap();
        assert_eq!(ceil_micros(whole), whole);
        let partial = whole + TimeDelta::nanoseconds(1);
        assert_eq!(ceil_micros(partial), whole + TimeDelta::microseconds(1));
        let before_epoch = DateTime::from_timestamp_micros(-5).unwrap() - TimeDelta::nanoseconds(1);
        assert_eq!(
            ceil_micros(before_epoch),
            DateTime::from_timestamp_micros(-5).unwrap()
        );
    }
}
