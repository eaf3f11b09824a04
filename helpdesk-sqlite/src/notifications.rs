//! In-app notifications (table `notifications`, migration 0007): a recipient's list, one
//! notification, and its state. They are written with the ticket change that causes them, in
//! its commit.

use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{Notification, NotificationId, NotificationState, Recipient};
use helpdesk_core::error::{Entity, Error};

use crate::connection::SqliteStore;
use crate::rows::notification::{self, NOTIFICATION_COLUMNS, read_notification};
use crate::rows::{all, blob, first, micros};

/// A recipient's shown notifications at an instant, newest first: `?1` and `?2` the
/// recipient's kind and id, `?3` the instant, `?4` the limit. `dismissed_at IS NULL` lets
/// SQLite use the partial index `notifications_by_recipient`, which is in this order.
fn list_sql() -> String {
    format!(
        "SELECT {NOTIFICATION_COLUMNS} FROM notifications
         WHERE recipient_kind = ?1 AND recipient_id = ?2 AND dismissed_at IS NULL
           AND (snoozed_until IS NULL OR snoozed_until <= ?3)
         ORDER BY created_at DESC, id DESC
         LIMIT ?4"
    )
}

/// A recipient's notifications shown at `now` (see [`Store::notifications`](helpdesk_core::store::Store::notifications)).
pub(crate) async fn list(
    store: &SqliteStore,
    recipient: Recipient,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<Notification>> {
    let (kind, id) = notification::recipient(recipient);
    store
        .read(move |conn| {
            let params = (kind, id, micros(now), i64::from(limit));
            all(conn, &list_sql(), params, read_notification)
        })
        .await
}

/// One of a recipient's notifications.
pub(crate) async fn one(
    store: &SqliteStore,
    recipient: Recipient,
    id: NotificationId,
) -> Result<Option<Notification>> {
    let (kind, recipient_id) = notification::recipient(recipient);
    store
        .read(move |conn| {
            let sql = format!(
                "SELECT {NOTIFICATION_COLUMNS} FROM notifications
                 WHERE id = ?1 AND recipient_kind = ?2 AND recipient_id = ?3"
            );
            let params = (blob(id.as_uuid()), kind, recipient_id);
            first(conn, &sql, params, read_notification)
        })
        .await
}

/// Replaces a notification's state.
pub(crate) async fn set_state(
    store: &SqliteStore,
    recipient: Recipient,
    id: NotificationId,
    state: &NotificationState,
) -> Result<()> {
    let (kind, recipient_id) = notification::recipient(recipient);
    let (read_at, snoozed_until, dismissed_at) = notification::state(state);
    store
        .write(move |conn| {
            let changed = conn
                .prepare_cached(
                    "UPDATE notifications
                     SET read_at = ?4, snoozed_until = ?5, dismissed_at = ?6
                     WHERE id = ?1 AND recipient_kind = ?2 AND recipient_id = ?3",
                )?
                .execute((
                    blob(id.as_uuid()),
                    kind,
                    recipient_id,
                    read_at,
                    snoozed_until,
                    dismissed_at,
                ))?;
            if changed == 0 {
                return Err(Error::not_found(Entity::Notification, id).into());
            }
            Ok(())
        })
        .await
}

/// Dismisses at `now` every notification of the recipient's shown at `now`; how many.
pub(crate) async fn dismiss_all(
    store: &SqliteStore,
    recipient: Recipient,
    now: DateTime<Utc>,
) -> Result<u64> {
    let (kind, recipient_id) = notification::recipient(recipient);
    store
        .write(move |conn| {
            let changed = conn
                .prepare_cached(
                    "UPDATE notifications SET dismissed_at = ?3
                     WHERE recipient_kind = ?1 AND recipient_id = ?2 AND dismissed_at IS NULL
                       AND (snoozed_until IS NULL OR snoozed_until <= ?3)",
                )?
                .execute((kind, recipient_id, micros(now)))?;
            Ok(changed as u64)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list reads the recipient's part of the partial index, in its order: no sort.
    #[test]
    fn the_list_is_an_index_scan_without_a_sort() {
        let plan = crate::schema::plan(&list_sql());
        assert!(plan.contains("notifications_by_recipient"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
