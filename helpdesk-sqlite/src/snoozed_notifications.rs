//! Snoozed notifications (table `notifications`, migration 0007):
//! [`SnoozedNotificationStore`] for [`SqliteStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{Notification, Recipient};
use helpdesk_core::store::SnoozedNotificationStore;

use crate::connection::SqliteStore;
use crate::rows::notification::{self, NOTIFICATION_COLUMNS, read_notification};
use crate::rows::{all, micros};

#[async_trait]
impl SnoozedNotificationStore for SqliteStore {
    async fn snoozed_notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        let (kind, id) = notification::recipient(recipient);
        self.read(move |conn| {
            let sql = format!(
                "SELECT {NOTIFICATION_COLUMNS} FROM notifications
                 WHERE recipient_kind = ?1 AND recipient_id = ?2 AND dismissed_at IS NULL
                   AND snoozed_until > ?3
                 ORDER BY snoozed_until, created_at DESC, id DESC
                 LIMIT ?4"
            );
            let params = (kind, id, micros(now), i64::from(limit));
            all(conn, &sql, params, read_notification)
        })
        .await
    }
}
