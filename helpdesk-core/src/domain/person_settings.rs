//! A person's own settings beside their profile (issue 21): the time zone their pages show
//! dates and times in, and, for staff, the language of their pages (a customer's language
//! is on their profile, [`Customer::language`](crate::domain::Customer::language)).

use serde::{Deserialize, Serialize};

use crate::domain::Language;
use crate::domain::ValidationError;

/// A time zone by its IANA name (`Europe/Bucharest`, `Asia/Tehran`, `UTC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    /// Coordinated Universal Time, the zone of a person who chose none.
    pub const UTC: TimeZone = TimeZone(chrono_tz::UTC);

    /// The zone named `name` (an IANA name, matched exactly, surrounding blanks ignored).
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on `time_zone` for a name the time zone database lacks.
    pub fn parse(name: &str) -> Result<Self, ValidationError> {
        name.trim()
            .parse::<chrono_tz::Tz>()
            .map(TimeZone)
            .map_err(|_| ValidationError::new("time_zone", "is not a known IANA time zone"))
    }

    /// Its IANA name.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The zone, for date arithmetic.
    pub const fn zone(self) -> chrono_tz::Tz {
        self.0
    }

    /// Every zone of the database, by name.
    pub fn all() -> impl Iterator<Item = TimeZone> {
        chrono_tz::TZ_VARIANTS.iter().map(|z| TimeZone(*z))
    }
}

impl std::fmt::Display for TimeZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for TimeZone {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TimeZone::parse(s)
    }
}

impl TryFrom<String> for TimeZone {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        TimeZone::parse(&s)
    }
}

impl From<TimeZone> for String {
    fn from(z: TimeZone) -> String {
        z.name().to_owned()
    }
}

/// A person's own settings; what is not chosen is `None` (UTC, and the page language from
/// the switch or the browser).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSettings {
    /// The time zone of their pages.
    pub time_zone: Option<TimeZone>,
    /// The language of their pages (staff; a customer's is on their profile).
    pub language: Option<Language>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// IANA names parse and give their name back; anything else is a validation error.
    #[test]
    fn time_zones_parse_by_their_iana_name_only() {
        assert_eq!(
            TimeZone::parse(" Asia/Tehran ").unwrap().name(),
            "Asia/Tehran"
        );
        assert_eq!(TimeZone::parse("UTC").unwrap(), TimeZone::UTC);
        for bad in ["", "Mars/Olympus", "+03:30", "Europe/"] {
            assert!(TimeZone::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        /// Every zone of the database survives its name and JSON.
        #[test]
        fn every_zone_round_trips_through_its_name(i in 0..chrono_tz::TZ_VARIANTS.len()) {
            let zone = TimeZone(chrono_tz::TZ_VARIANTS[i]);
            prop_assert_eq!(TimeZone::parse(zone.name()).unwrap(), zone);
            let json = serde_json::to_string(&zone).unwrap();
            prop_assert_eq!(serde_json::from_str::<TimeZone>(&json).unwrap(), zone);
        }
    }
}
