//! A user's in-app notifications (seed 000): listed newest first, marked read, snoozed
//! ("Remind later") or dismissed. The ticket stays whatever is done with its notification.

use super::Acting;
use crate::domain::{Actor, Notification, NotificationAction, NotificationId, Recipient};
use crate::error::{Entity, Error, Result};

/// The most notifications one call lists.
pub const MAX_NOTIFICATIONS: u32 = 200;

fn recipient(actor: Actor) -> Result<Recipient> {
    Recipient::of(actor).ok_or_else(|| {
        Error::validation(
            "actor",
            "the system has no notifications; ask as an agent or a customer",
        )
    })
}

impl Acting {
    /// The actor's notifications shown now (not dismissed, not snoozed), newest first, at
    /// most `limit` (capped at [`MAX_NOTIFICATIONS`]).
    pub async fn notifications(&self, limit: u32) -> Result<Vec<Notification>> {
        let recipient = recipient(self.actor())?;
        self.desk
            .store
            .notifications(recipient, self.desk.now(), limit.min(MAX_NOTIFICATIONS))
            .await
    }

    /// Marks one of the actor's notifications read, snoozes it until a time, or dismisses it;
    /// returns it as it is now. [`Error::NotFound`] for someone else's notification.
    pub async fn act_on_notification(
        &self,
        id: NotificationId,
        action: NotificationAction,
    ) -> Result<Notification> {
        let recipient = recipient(self.actor())?;
        let now = self.desk.now();
        if let NotificationAction::Snooze { until } = action
            && until <= now
        {
            return Err(Error::validation("until", "must be in the future"));
        }
        let mut notification = self
            .desk
            .store
            .notification(recipient, id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Notification, id))?;
        notification.state = action.apply(notification.state, now);
        self.desk
            .store
            .set_notification_state(recipient, id, &notification.state)
            .await?;
        Ok(notification)
    }

    /// Dismisses every notification of the actor's shown now (snoozed ones still hidden stay
    /// snoozed); how many it dismissed. The tickets stay.
    pub async fn dismiss_all_notifications(&self) -> Result<u64> {
        let recipient = recipient(self.actor())?;
        self.desk
            .store
            .dismiss_notifications(recipient, self.desk.now())
            .await
    }
}
