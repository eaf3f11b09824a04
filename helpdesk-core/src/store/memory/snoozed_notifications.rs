//! [`SnoozedNotificationStore`] for the in-memory reference store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::MemoryStore;
use crate::domain::{Notification, Recipient};
use crate::error::Result;
use crate::store::SnoozedNotificationStore;

#[async_trait]
impl SnoozedNotificationStore for MemoryStore {
    async fn snoozed_notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        let mut snoozed: Vec<Notification> = self
            .lock()
            .notifications
            .values()
            .filter(|n| {
                n.recipient == recipient
                    && n.state.dismissed_at.is_none()
                    && n.state.snoozed_until.is_some_and(|s| s > now)
            })
            .cloned()
            .collect();
        snoozed.sort_by_key(|n| {
            (
                n.state.snoozed_until,
                std::cmp::Reverse((n.created_at, n.id)),
            )
        });
        snoozed.truncate(limit as usize);
        Ok(snoozed)
    }
}
