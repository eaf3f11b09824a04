//! [`RetryPolicy`]: when a failed delivery is tried again, and when its endpoint is disabled.

use chrono::Duration;

/// How failed deliveries are retried: exponential backoff from `first_wait`, doubling after
/// each failure up to `max_wait`, at most `max_attempts` attempts; an endpoint whose
/// attempts fail `disable_after` times in a row is disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure.
    pub first_wait: Duration,
    /// The longest wait.
    pub max_wait: Duration,
    /// Attempts before a delivery fails for good (at least 1).
    pub max_attempts: u32,
    /// Failed attempts in a row that disable an endpoint (at least 1).
    pub disable_after: u32,
}

impl Default for RetryPolicy {
    /// 30 seconds, doubling up to 6 hours, 12 attempts (about 1 day and 8 hours in all);
    /// an endpoint is disabled after 10 failures in a row.
    fn default() -> Self {
        Self {
            first_wait: Duration::seconds(30),
            max_wait: Duration::hours(6),
            max_attempts: 12,
            disable_after: 10,
        }
    }
}

impl RetryPolicy {
    /// The wait before the next attempt after `failed` attempts (1 or more) failed, or
    /// `None` when no attempt is left: `first_wait × 2^(failed − 1)`, at most `max_wait`.
    pub fn backoff(&self, failed: u32) -> Option<Duration> {
        if failed >= self.max_attempts.max(1) {
            return None;
        }
        let doublings = failed.saturating_sub(1).min(40);
        let wait = (self.first_wait.num_milliseconds().max(0))
            .checked_mul(1_i64 << doublings)
            .map_or(self.max_wait, Duration::milliseconds);
        Some(wait.min(self.max_wait))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_default_waits_double_from_thirty_seconds() {
        let p = RetryPolicy::default();
        let waits: Vec<i64> = (1..=4)
            .map(|n| p.backoff(n).unwrap().num_seconds())
            .collect();
        assert_eq!(waits, [30, 60, 120, 240]);
        assert_eq!(p.backoff(11), Some(Duration::hours(6)));
        assert_eq!(p.backoff(12), None);
    }

    proptest! {
        #[test]
        fn waits_grow_never_pass_the_cap_and_stop_at_the_last_attempt(
            first in 1i64..10_000,
            cap in 1i64..1_000_000,
            max_attempts in 1u32..80,
            failed in 1u32..100,
        ) {
            let p = RetryPolicy {
                first_wait: Duration::seconds(first),
                max_wait: Duration::seconds(cap),
                max_attempts,
                disable_after: 10,
            };
            match p.backoff(failed) {
                None => prop_assert!(failed >= max_attempts),
                Some(wait) => {
                    prop_assert!(failed < max_attempts);
                    prop_assert!(wait > Duration::zero());
                    prop_assert!(wait <= p.max_wait);
                    prop_assert!(wait >= p.first_wait.min(p.max_wait));
                    if let Some(next) = p.backoff(failed + 1) {
                        prop_assert!(next >= wait);
                        prop_assert!(next <= wait * 2);
                    }
                }
            }
        }
    }
}
