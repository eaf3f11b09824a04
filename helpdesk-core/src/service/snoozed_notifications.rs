//! The actor's snoozed notifications (issue 21): what "remind me later" hid, with the time
//! each comes back, for the notification centre and the portal.

use super::Acting;
use crate::domain::{Notification, Recipient};
use crate::error::{Ability, Error, Result};

impl Acting {
    /// The actor's notifications snoozed now (not dismissed, coming back later), the soonest
    /// back first, at most `limit` (capped at [`MAX_NOTIFICATIONS`](super::MAX_NOTIFICATIONS)).
    ///
    /// # Errors
    ///
    /// A validation error for the system (it has no notifications);
    /// [`Error::Unsupported`] when the store does not list snoozed notifications.
    pub async fn snoozed_notifications(&self, limit: u32) -> Result<Vec<Notification>> {
        let recipient = Recipient::of(self.actor())
            .ok_or_else(|| Error::validation("actor", "the system has no notifications"))?;
        let store = self
            .desk
            .store
            .as_snoozed_notification_store()
            .ok_or(Error::unsupported(Ability::SnoozedNotifications))?;
        store
            .snoozed_notifications(
                recipient,
                self.desk.now(),
                limit.min(super::MAX_NOTIFICATIONS),
            )
            .await
    }
}
