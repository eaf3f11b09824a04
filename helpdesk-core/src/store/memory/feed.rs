//! [`ChangeFeed`] for the in-memory reference store: the records are appended under the
//! store's one lock by `commit` and `commit_chat` (so positions are in commit order), and
//! waiting readers are woken after.

use std::collections::VecDeque;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::MemoryStore;
use crate::error::Result;
use crate::feed::{FeedChange, FeedPosition};
use crate::store::{ChangeFeed, FeedEntry};

/// The records kept, and the last position handed out.
#[derive(Debug, Default)]
pub(super) struct Feed {
    entries: VecDeque<FeedEntry>,
    last: u64,
}

impl Feed {
    /// Appends `changes`, each at the next position, committed now.
    pub(super) fn append(&mut self, changes: Vec<FeedChange>) {
        let at = crate::clock::to_micros(Utc::now());
        for change in changes {
            self.last += 1;
            self.entries.push_back(FeedEntry {
                position: FeedPosition::new(self.last),
                at,
                change,
            });
        }
    }

    fn after(&self, after: FeedPosition, limit: u32) -> Vec<FeedEntry> {
        // Positions are dense from the first kept one: skip straight to `after`.
        let first = self.entries.front().map_or(0, |e| e.position.get());
        let skip = after.get().saturating_add(1).saturating_sub(first);
        (self.entries.iter())
            .skip(usize::try_from(skip).unwrap_or(usize::MAX))
            .take(limit as usize)
            .cloned()
            .collect()
    }
}

#[async_trait]
impl ChangeFeed for MemoryStore {
    async fn changes_after(&self, after: FeedPosition, limit: u32) -> Result<Vec<FeedEntry>> {
        Ok(self.lock().feed.after(after, limit))
    }

    async fn last_position(&self) -> Result<FeedPosition> {
        Ok(FeedPosition::new(self.lock().feed.last))
    }

    async fn wait_for_changes(&self, after: FeedPosition, timeout: Duration) -> Result<bool> {
        self.feed_wake
            .wait(timeout, timeout, || async move {
                Ok(self.lock().feed.last > after.get())
            })
            .await
    }

    async fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64> {
        let mut inner = self.lock();
        let entries = &mut inner.feed.entries;
        let old = entries.len();
        // Commit instants grow with positions: the old ones are at the front.
        while entries.front().is_some_and(|e| e.at < before) {
            entries.pop_front();
        }
        Ok((old - entries.len()) as u64)
    }
}
