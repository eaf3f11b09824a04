//! Notification reads and state changes (table `notifications`, migration 0007).
//!
//! Notifications are written by `commit`, in the batch's transaction. A
//! recipient is two columns, its kind and its id; the state is three nullable instants, so
//! that a recipient's list is one scan of an index in its order.

use chrono::{DateTime, Utc};
use helpdesk_core::clock::to_micros;
use helpdesk_core::domain::{Notification, NotificationId, NotificationState, Recipient};
use helpdesk_core::error::Entity;
use helpdesk_core::{Error, Result};
use sqlx::PgPool;

use crate::rows::notification::{notification, notification_columns, recipient_key};
use crate::rows::{all, execute, optional};

/// A recipient's notifications shown at an instant, newest first: `$1` and `$2` are the
/// recipient's kind and id, `$3` the (whole-microsecond) instant, `$4` the limit. A scan of
/// `notifications_recipient_idx` (which holds no dismissed ones) in its order.
const LIST: &str = concat!(
    "SELECT ",
    notification_columns!(),
    " FROM notifications \
     WHERE recipient_kind = $1 AND recipient_id = $2 AND dismissed_at IS NULL \
     AND (snoozed_until IS NULL OR snoozed_until <= $3) \
     ORDER BY created_at DESC, id DESC LIMIT $4"
);

/// A recipient's notifications shown at an instant.
pub(crate) async fn list(
    pool: &PgPool,
    recipient: Recipient,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<Notification>> {
    // For stored (whole-microsecond) instants, `x <= now` and `x <= floor(now)` agree.
    let (kind, id) = recipient_key(recipient);
    let query = sqlx::query(LIST)
        .bind(kind)
        .bind(id)
        .bind(to_micros(now))
        .bind(i64::from(limit));
    all(pool, query, notification).await
}

/// One of a recipient's notifications.
pub(crate) async fn one(
    pool: &PgPool,
    recipient: Recipient,
    id: NotificationId,
) -> Result<Option<Notification>> {
    let (kind, recipient_id) = recipient_key(recipient);
    let sql = concat!(
        "SELECT ",
        notification_columns!(),
        " FROM notifications WHERE id = $1 AND recipient_kind = $2 AND recipient_id = $3"
    );
    let query = sqlx::query(sql)
        .bind(id.as_uuid())
        .bind(kind)
        .bind(recipient_id);
    optional(pool, query, notification).await
}

/// Replaces a notification's state.
pub(crate) async fn set_state(
    pool: &PgPool,
    recipient: Recipient,
    id: NotificationId,
    state: &NotificationState,
) -> Result<()> {
    let (kind, recipient_id) = recipient_key(recipient);
    let query = sqlx::query(
        "UPDATE notifications SET read_at = $4, snoozed_until = $5, dismissed_at = $6 \
         WHERE id = $1 AND recipient_kind = $2 AND recipient_id = $3",
    )
    .bind(id.as_uuid())
    .bind(kind)
    .bind(recipient_id)
    .bind(state.read_at)
    .bind(state.snoozed_until)
    .bind(state.dismissed_at);
    if execute(pool, query).await? == 0 {
        return Err(Error::not_found(Entity::Notification, id));
    }
    Ok(())
}

/// Dismisses at `now` every notification of the recipient's shown at `now`; how many.
pub(crate) async fn dismiss_all(
    pool: &PgPool,
    recipient: Recipient,
    now: DateTime<Utc>,
) -> Result<u64> {
    let (kind, recipient_id) = recipient_key(recipient);
    let now = to_micros(now);
    let query = sqlx::query(
        "UPDATE notifications SET dismissed_at = $3 \
         WHERE recipient_kind = $1 AND recipient_id = $2 AND dismissed_at IS NULL \
         AND (snoozed_until IS NULL OR snoozed_until <= $3)",
    )
    .bind(kind)
    .bind(recipient_id)
    .bind(now);
    execute(pool, query).await
}

#[cfg(test)]
mod tests {
    use helpdesk_core::domain::{AgentId, CustomerId, DepartmentId, EventId, NotificationKind};
    use helpdesk_core::store::{Store, TicketWrite, WriteBatch};
    use helpdesk_core::testkit::samples;

    use super::*;
    use crate::testing;

    /// The plan of a recipient's list on a real server with many notifications: an ordered
    /// scan of `notifications_recipient_idx` with no sort and no table scan.
    #[tokio::test]
    async fn a_recipients_list_is_an_ordered_index_scan() {
        let Some(store) = testing::fresh_store().await else {
            return;
        };
        let agents: Vec<AgentId> = (0..50).map(|_| AgentId::new()).collect();
        for batch in 0..10_u64 {
            let t = samples::ticket(
                samples::number(batch + 1),
                DepartmentId::new(),
                CustomerId::new(),
            );
            let notifications = (0..500_i64)
                .map(|i| Notification {
                    id: NotificationId::new(),
                    recipient: Recipient::Agent(agents[(i % 50) as usize]),
                    ticket_id: t.id,
                    event_id: EventId::new(),
                    kind: NotificationKind::NewTicket,
                    created_at: samples::at(i),
                    state: NotificationState {
                        dismissed_at: (i % 3 == 0).then(|| samples::at(i)),
                        ..NotificationState::default()
                    },
                })
                .collect();
            let batch = WriteBatch {
                notifications,
                ..WriteBatch::one(TicketWrite::create(t))
            };
            store.commit(batch).await.unwrap();
        }
        sqlx::query("ANALYZE notifications")
            .execute(store.pool())
            .await
            .unwrap();
        let (kind, id) = recipient_key(Recipient::Agent(agents[7]));
        let query = testing::explain(LIST)
            .bind(kind)
            .bind(id)
            .bind(samples::at(1000))
            .bind(20_i64);
        let plan = testing::plan(&store, query).await;
        assert!(
            plan.contains("Index Scan using notifications_recipient_idx "),
            "{plan}"
        );
        assert!(
            !plan.contains("Sort") && !plan.contains("Seq Scan"),
            "{plan}"
        );
        testing::discard(store).await.unwrap();
    }
}
