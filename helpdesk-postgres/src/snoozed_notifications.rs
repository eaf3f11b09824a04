//! Snoozed notifications (table `notifications`, migration 0007):
//! [`SnoozedNotificationStore`] for [`PostgresStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::clock::to_micros;
use helpdesk_core::domain::{Notification, Recipient};
use helpdesk_core::store::SnoozedNotificationStore;

use crate::connection::PostgresStore;
use crate::rows::all;
use crate::rows::notification::{notification, notification_columns, recipient_key};

/// A recipient's notifications snoozed at `$3`, the soonest back first.
const SNOOZED: &str = concat!(
    "SELECT ",
    notification_columns!(),
    " FROM notifications \
     WHERE recipient_kind = $1 AND recipient_id = $2 AND dismissed_at IS NULL \
     AND snoozed_until > $3 \
     ORDER BY snoozed_until, created_at DESC, id DESC LIMIT $4"
);

#[async_trait]
impl SnoozedNotificationStore for PostgresStore {
    async fn snoozed_notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        let (kind, id) = recipient_key(recipient);
        let query = sqlx::query(SNOOZED)
            .bind(kind)
            .bind(id)
            .bind(to_micros(now))
            .bind(i64::from(limit));
        all(&self.pool, query, notification).await
    }
}
