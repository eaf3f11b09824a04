//! Presence kept by heartbeats: an agent's console and chat windows say they are there every
//! little while, and an agent not seen for the desk's [`PresenceTimeout`] counts as offline
//! (routing passes them by, customers are not told they talk to them), whatever they last
//! chose. The clock is always passed in, so every rule here is decided the same way in every
//! process.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::chat::{Availability, Presence};

/// How long an agent counts as present after they were last seen: a whole number of seconds
/// from [`PresenceTimeout::MIN_SECONDS`] to [`PresenceTimeout::MAX_SECONDS`] (default 60).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct PresenceTimeout(u32);

impl PresenceTimeout {
    /// The shortest timeout: a heartbeat goes out every third of it.
    pub const MIN_SECONDS: u32 = 6;
    /// The longest: a day.
    pub const MAX_SECONDS: u32 = 86_400;
    /// The default: a minute.
    pub const DEFAULT: PresenceTimeout = PresenceTimeout(60);

    /// A timeout of `seconds`, or a validation error naming `presence_timeout`.
    pub fn from_seconds(seconds: u32) -> Result<Self, ValidationError> {
        if (Self::MIN_SECONDS..=Self::MAX_SECONDS).contains(&seconds) {
            Ok(Self(seconds))
        } else {
            Err(ValidationError::new(
                "presence_timeout",
                format!(
                    "must be {} to {} seconds",
                    Self::MIN_SECONDS,
                    Self::MAX_SECONDS
                ),
            ))
        }
    }

    /// A timeout as typed: whole seconds (surrounding spaces allowed).
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let seconds = text.trim().parse::<u32>().map_err(|_| {
            ValidationError::new("presence_timeout", "must be a whole number of seconds")
        })?;
        Self::from_seconds(seconds)
    }

    /// Its seconds.
    pub fn seconds(self) -> u32 {
        self.0
    }

    /// As a duration.
    pub fn duration(self) -> Duration {
        Duration::seconds(i64::from(self.0))
    }

    /// How often a console or chat window should say it is there: a third of the timeout,
    /// so that two lost heartbeats in a row still do not make an agent absent.
    pub fn heartbeat_seconds(self) -> u32 {
        (self.0 / 3).max(1)
    }
}

impl Default for PresenceTimeout {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for PresenceTimeout {
    type Error = ValidationError;

    fn try_from(seconds: u32) -> Result<Self, ValidationError> {
        Self::from_seconds(seconds)
    }
}

impl From<PresenceTimeout> for u32 {
    fn from(t: PresenceTimeout) -> u32 {
        t.0
    }
}

impl std::fmt::Display for PresenceTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Availability {
    /// Whether the agent is there at `now`: not offline by choice, and seen less than
    /// `timeout` ago (never seen: not there).
    pub fn is_present(&self, now: DateTime<Utc>, timeout: PresenceTimeout) -> bool {
        self.presence != Presence::Offline
            && self
                .last_seen_at
                .is_some_and(|seen| now - seen < timeout.duration())
    }

    /// The availability as it counts at `now`: as stored while the agent is present,
    /// otherwise the same with presence offline.
    pub fn as_of(&self, now: DateTime<Utc>, timeout: PresenceTimeout) -> Availability {
        let mut a = self.clone();
        if !self.is_present(now, timeout) {
            a.presence = Presence::Offline;
        }
        a
    }

    /// Whether a new chat can go to them at `now`: present, online, with a free seat.
    pub fn has_seat_at(&self, now: DateTime<Utc>, timeout: PresenceTimeout) -> bool {
        self.is_present(now, timeout) && self.has_seat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AgentId;
    use proptest::prelude::*;

    fn seen(presence: Presence, at: Option<DateTime<Utc>>) -> Availability {
        let mut a = Availability::offline(AgentId::new(), 3);
        a.presence = presence;
        a.last_seen_at = at;
        a
    }

    #[test]
    fn a_timeout_is_whole_seconds_within_its_bounds() {
        assert_eq!(PresenceTimeout::parse(" 60 ").unwrap().seconds(), 60);
        assert_eq!(PresenceTimeout::default().seconds(), 60);
        for bad in ["", "5", "86401", "-1", "1.5", "sixty"] {
            let e = PresenceTimeout::parse(bad).unwrap_err();
            assert_eq!(e.field(), "presence_timeout", "{bad}");
        }
        assert!(serde_json::from_str::<PresenceTimeout>("3").is_err());
        assert_eq!(
            serde_json::to_string(&PresenceTimeout::DEFAULT).unwrap(),
            "60"
        );
    }

    #[test]
    fn an_agent_never_seen_or_offline_is_not_present() {
        let now = Utc::now();
        let t = PresenceTimeout::DEFAULT;
        assert!(!seen(Presence::Online, None).is_present(now, t));
        assert!(!seen(Presence::Offline, Some(now)).is_present(now, t));
        assert!(seen(Presence::Away, Some(now)).is_present(now, t));
        assert!(
            !seen(Presence::Away, Some(now)).has_seat_at(now, t),
            "away takes no chats"
        );
    }

    proptest! {
        /// Present exactly while less than the timeout has passed since last seen; once
        /// absent, the availability counts as offline and takes no chats.
        #[test]
        fn presence_expires_exactly_at_the_timeout(timeout in 6u32..600, after in 0i64..1200) {
            let t = PresenceTimeout::from_seconds(timeout).unwrap();
            let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
            let a = seen(Presence::Online, Some(at));
            let now = at + Duration::seconds(after);
            let present = after < i64::from(timeout);
            prop_assert_eq!(a.is_present(now, t), present);
            prop_assert_eq!(a.has_seat_at(now, t), present);
            let shown = a.as_of(now, t);
            prop_assert_eq!(shown.presence, if present { Presence::Online } else { Presence::Offline });
            prop_assert_eq!(shown.last_seen_at, a.last_seen_at);
        }
    }
}
