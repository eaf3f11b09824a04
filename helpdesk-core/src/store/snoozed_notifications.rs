//! Snoozed notifications ([`SnoozedNotificationStore`]): a recipient's notifications hidden
//! until a later time, so that the pages can list them with the time each comes back.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{Notification, Recipient};
use crate::error::Result;

/// An ability a store may offer
/// ([`Store::as_snoozed_notification_store`](super::Store::as_snoozed_notification_store)).
#[async_trait]
pub trait SnoozedNotificationStore: Send + Sync {
    /// `recipient`'s notifications snoozed at `now` (not dismissed, snoozed until after
    /// `now`), the soonest back first (then newest), at most `limit`.
    async fn snoozed_notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>>;
}
