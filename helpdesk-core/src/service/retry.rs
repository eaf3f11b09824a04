//! The one rule for concurrent changes of commands sent without an expected version: decide
//! again on the new state, after a jittered pause, until the write lands.
//!
//! A command given an expected version (the API's `If-Match`) is a conflict as soon as the
//! ticket moved on; one without it never is: every stale-version conflict it meets means
//! another writer's change landed, so each new attempt sees more of the ticket's history, and
//! the jittered pause spreads racing writers apart so that each gets its turn. The pause
//! yields to the async runtime (the core knows no timer): the other writers' reads and
//! commits run in it.

use std::collections::hash_map::RandomState;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::{ConflictKind, Error, Result};

/// How many times a command without an expected version is decided at most. Each failed
/// attempt means another writer's change to the same ticket landed in between, so this is
/// reached only when more than this many writers keep changing one ticket at once.
pub(crate) const MAX_ATTEMPTS: u32 = 1000;

/// The longest pause between two attempts, in runtime turns.
const MAX_PAUSE: u32 = 64;

/// Whether `result` is a stale-version conflict that a command without an expected version
/// retries.
pub(crate) fn is_stale<T>(result: &Result<T>) -> bool {
    matches!(
        result,
        Err(Error::Conflict {
            kind: ConflictKind::StaleVersion { .. },
            ..
        })
    )
}

/// The pause after failed attempt `attempt` (1-based): a random number of runtime turns
/// between one and `2^attempt`, at most [`MAX_PAUSE`].
pub(crate) async fn pause(attempt: u32) {
    let ceiling = 1u32 << attempt.clamp(1, MAX_PAUSE.trailing_zeros());
    let turns = 1 + (random() % u64::from(ceiling)) as u32;
    for _ in 0..turns {
        YieldNow(false).await;
    }
}

/// A random number from the standard library's per-instance hash keys.
fn random() -> u64 {
    RandomState::new().build_hasher().finish()
}

/// Returns to the runtime once, then completes.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Version;
    use crate::error::Entity;

    #[test]
    fn only_stale_versions_are_retried() {
        let stale: Result<()> = Err(Error::stale(
            Entity::Ticket,
            Version::FIRST,
            Version::new(2),
        ));
        assert!(is_stale(&stale));
        let duplicate: Result<()> = Err(Error::duplicate(Entity::Ticket, "number"));
        assert!(!is_stale(&duplicate));
        assert!(!is_stale(&Ok(())));
    }

    #[tokio::test]
    async fn a_pause_completes_at_any_attempt() {
        for attempt in [0, 1, 5, 6, 7, MAX_ATTEMPTS] {
            pause(attempt).await;
        }
    }
}
