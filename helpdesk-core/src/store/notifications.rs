//! Reading and updating in-app notifications. They are written with the ticket change that
//! causes them, in [`WriteBatch::notifications`](super::WriteBatch::notifications).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{Notification, NotificationId, NotificationState, Recipient};
use crate::error::Result;

/// The notification half of a store; every [`Store`](super::Store) is one.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// The recipient's notifications shown at `now` (see
    /// [`Notification::is_active`]), newest first (`created_at` descending, then id
    /// descending), at most `limit`.
    async fn notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>>;

    /// One notification, when it is the recipient's (dismissed ones too).
    async fn notification(
        &self,
        recipient: Recipient,
        id: NotificationId,
    ) -> Result<Option<Notification>>;

    /// Replaces a notification's state. [`Error::NotFound`](crate::Error::NotFound) unless it
    /// is the recipient's.
    async fn set_notification_state(
        &self,
        recipient: Recipient,
        id: NotificationId,
        state: &NotificationState,
    ) -> Result<()>;
}
