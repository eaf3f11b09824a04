//! Failed sign-ins counted in the store, so the throttle survives a restart and holds for
//! every process sharing the database (see [`SignInThrottle`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::Result;

/// One counted sign-in attempt: its own id, the key it counts against (the application's
/// choice, e.g. a hash of the login and the client address) and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInAttempt {
    /// The attempt's id, so the one attempt can be taken back.
    pub id: Uuid,
    /// What the attempt counts against: at most [`SignInAttempt::MAX_KEY_BYTES`] bytes.
    pub key: String,
    /// When it was made (whole microseconds).
    pub at: DateTime<Utc>,
}

impl SignInAttempt {
    /// The longest key, in bytes.
    pub const MAX_KEY_BYTES: usize = 256;
}

/// An ability a store may offer
/// ([`Store::as_sign_in_throttle`](super::Store::as_sign_in_throttle)): sign-in attempts
/// counted per key within a window, so that every server process sharing the store refuses
/// the same attempts, before and after a restart.
///
/// The contract (checked by `testkit::conformance` `sign_in_throttle`):
/// - [`record`](SignInThrottle::record) is one atomic step, also between processes: it
///   counts the key's attempts at or after `since` and, when fewer than `limit`, writes the
///   attempt and answers `None`; otherwise it writes nothing and answers the earliest of
///   those attempts (from which the caller tells how long to wait). Of any number of
///   concurrent records for one key, at most `limit` are written within the window.
/// - [`forget`](SignInThrottle::forget) deletes one attempt by id,
///   [`clear`](SignInThrottle::clear) every attempt of a key, and
///   [`prune`](SignInThrottle::prune) those made before an instant; other keys are untouched.
/// - A key longer than [`SignInAttempt::MAX_KEY_BYTES`] is a validation error on `key`.
#[async_trait]
pub trait SignInThrottle: Send + Sync {
    /// Counts `attempt` unless `limit` attempts of its key were made at or after `since`:
    /// `None` when counted, else the earliest attempt in the window (nothing written).
    async fn record(
        &self,
        attempt: &SignInAttempt,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Option<DateTime<Utc>>>;
    /// Takes back one attempt (one whose outcome could not be told); whether it existed.
    async fn forget(&self, id: Uuid) -> Result<bool>;
    /// Forgets every attempt of `key` (a successful sign-in); how many.
    async fn clear(&self, key: &str) -> Result<u64>;
    /// Deletes every attempt made before `before`; how many.
    async fn prune(&self, before: DateTime<Utc>) -> Result<u64>;
}

/// Refuses a key longer than [`SignInAttempt::MAX_KEY_BYTES`] (every backend's first step).
pub fn check_attempt_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > SignInAttempt::MAX_KEY_BYTES {
        return Err(crate::Error::validation(
            "key",
            format!("must be 1–{} bytes", SignInAttempt::MAX_KEY_BYTES),
        ));
    }
    Ok(())
}
