//! The change feed kept by a store ([`ChangeFeed`]): the records
//! ([`FeedChange`](crate::feed::FeedChange)) each committed ticket batch and chat commit
//! yields, written in the same transaction by every store's commit, each at a position that
//! grows with every record and survives restarts.
//!
//! The records of a batch are made by [`changes_of_batch`](crate::feed::changes_of_batch)
//! and [`changes_of_chat`](crate::feed::changes_of_chat), written once in the core; a
//! backend stores them in that order. A reader that read up to position `N` and reads after
//! `N` again never misses a record committed later: positions become visible in order.

use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::feed::{FeedChange, FeedPosition};

/// The most records one read returns.
pub const MAX_FEED_READ: u32 = 1000;

/// One stored record of the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEntry {
    /// Where it stands in the feed.
    pub position: FeedPosition,
    /// When its batch committed (whole microseconds, the store's clock).
    pub at: DateTime<Utc>,
    /// What changed.
    pub change: FeedChange,
}

/// An ability a store may offer ([`Store::as_change_feed`](super::Store::as_change_feed)):
/// the records of every committed batch, in position order.
#[async_trait]
pub trait ChangeFeed: Send + Sync {
    /// Up to `limit` records after `after`, by position.
    async fn changes_after(&self, after: FeedPosition, limit: u32) -> Result<Vec<FeedEntry>>;
    /// The position of the newest record, [`FeedPosition::START`] when there is none (also
    /// after every record was pruned, the last position handed out).
    async fn last_position(&self) -> Result<FeedPosition>;
    /// Waits until there is a record after `after`, or `timeout` passes; whether there is
    /// one. Returns at once when there already is one.
    async fn wait_for_changes(&self, after: FeedPosition, timeout: Duration) -> Result<bool>;
    /// Deletes the records committed before `before`; how many.
    async fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64>;
}

/// A wake-up for readers waiting on a feed: the committing code calls [`wake`](Self::wake)
/// after a commit; [`wait`](Self::wait) checks for records and sleeps until woken, or a
/// polling interval passes (the check is the truth, the wake-up only saves time).
#[derive(Debug, Default)]
pub struct FeedWake {
    notify: tokio::sync::Notify,
}

impl FeedWake {
    /// Wakes every reader waiting now.
    pub fn wake(&self) {
        self.notify.notify_waiters();
    }

    /// Calls `has_some` until it answers `true` (then `true`) or `timeout` passes (then
    /// `false`), again after each wake-up and at least every `poll`.
    pub async fn wait<F, Fut>(
        &self,
        timeout: Duration,
        poll: Duration,
        mut has_some: F,
    ) -> Result<bool>
    where
        F: FnMut() -> Fut + Send,
        Fut: Future<Output = Result<bool>> + Send,
    {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            // Registered before the check: a wake-up between the check and the sleep counts.
            notified.as_mut().enable();
            if has_some().await? {
                return Ok(true);
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Ok(false);
            }
            let step = (deadline - now).min(poll);
            let _ = tokio::time::timeout(step, notified).await;
        }
    }
}
