//! Ticket number schemes. The store hands out the sequence (never repeating, also under
//! concurrent writers, inside the creating transaction); the scheme turns it into a number.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::TicketNumber;

/// Turns the store's sequence value into a ticket number.
///
/// Implementations must be injective in `sequence`: two sequence values never give the same
/// full number nor the same short form, so that both stay unique.
pub trait TicketNumberGenerator: Send + Sync + 'static {
    /// The number for the `sequence`-th ticket (1-based), created at `at`.
    fn generate(&self, sequence: u64, at: DateTime<Utc>) -> TicketNumber;
}

/// The date scheme of seed 004: `YYYYMMDD`, a two-digit system id and a counter of at least
/// six digits, e.g. `2013041610000135`. The short form, which customers are told, is the
/// system id and the counter (`10000135`).
///
/// The counter does not restart each day, so the short form alone is unique and customers
/// can quote it without the date.
///
/// ```
/// use helpdesk_core::policy::{DateScheme, TicketNumberGenerator};
/// let scheme = DateScheme::default();
/// let at = "2013-04-16T10:00:00Z".parse().unwrap();
/// let number = scheme.generate(135, at);
/// assert_eq!(number.full(), "2013041610000135");
/// assert_eq!(number.short(), "10000135");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DateScheme {
    system_id: u8,
    zone: Tz,
}

impl DateScheme {
    /// A scheme with the given system id (10–99) whose dates are taken in `zone`.
    pub fn new(system_id: u8, zone: Tz) -> Result<Self, crate::error::ValidationError> {
        if !(10..=99).contains(&system_id) {
            return Err(crate::error::ValidationError::new(
                "system_id",
                "must be between 10 and 99",
            ));
        }
        Ok(Self { system_id, zone })
    }
}

impl Default for DateScheme {
    fn default() -> Self {
        Self {
            system_id: 10,
            zone: Tz::UTC,
        }
    }
}

impl TicketNumberGenerator for DateScheme {
    fn generate(&self, sequence: u64, at: DateTime<Utc>) -> TicketNumber {
        let short = format!("{:02}{:06}", self.system_id, sequence);
        let date = at.with_timezone(&self.zone).format("%Y%m%d");
        TicketNumber::new(format!("{date}{short}"), short)
            .expect("a date and a counter are always digits")
    }
}

/// A plain increasing counter, starting after `offset`: `1001`, `1002`, ... The short form is
/// the number itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct CounterScheme {
    offset: u64,
}

impl CounterScheme {
    /// A counter whose first number is `offset + 1`.
    pub fn new(offset: u64) -> Self {
        Self { offset }
    }
}

impl TicketNumberGenerator for CounterScheme {
    fn generate(&self, sequence: u64, _at: DateTime<Utc>) -> TicketNumber {
        let n = self.offset.saturating_add(sequence).to_string();
        TicketNumber::new(n.clone(), n).expect("a counter is always digits")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn date_scheme_short_forms_never_repeat(a in 1u64..10_000_000_000, b in 1u64..10_000_000_000) {
            prop_assume!(a != b);
            let scheme = DateScheme::default();
            let at: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
            prop_assert_ne!(scheme.generate(a, at).short().to_owned(), scheme.generate(b, at).short().to_owned());
        }
    }

    #[test]
    fn date_scheme_uses_the_zone_for_the_date() {
        let moscow = DateScheme::new(10, chrono_tz::Europe::Moscow).unwrap();
        let late_utc = "2026-03-01T22:30:00Z".parse().unwrap();
        assert_eq!(moscow.generate(1, late_utc).full(), "2026030210000001");
    }
}
