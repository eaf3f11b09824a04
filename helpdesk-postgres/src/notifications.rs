//! [`NotificationStore`] for [`PostgresStore`], and the rows of the `notifications` table.
//!
//! Notifications are written by `commit`, in the batch's transaction, with
//! [`NotificationColumns`]. A recipient is two columns, its kind (`Recipient`'s serde tag)
//! and its id; the kind of notification is jsonb in its serde form; the state is three
//! nullable instants, so that a recipient's list is one scan of an index in its order.

use chrono::{DateTime, Utc};
use helpdesk_core::clock::to_micros;
use helpdesk_core::domain::{
    ActorKind, AgentId, CustomerId, EventId, Notification, NotificationId, NotificationState,
    Recipient, TicketId,
};
use helpdesk_core::error::{Entity, OutOfRange};
use helpdesk_core::{Error, Result};
use sqlx::postgres::PgRow;
use uuid::Uuid;

use crate::PostgresStore;
use crate::error;
use crate::rows::{PgQuery, Reader, json};

/// The column list of notification reads.
macro_rules! columns {
    () => {
        "id, recipient_kind, recipient_id, ticket_id, event_id, kind::text AS kind, \
         created_at, read_at, snoozed_until, dismissed_at"
    };
}

/// A recipient's kind column (the stable text of its [`ActorKind`]) and id.
fn recipient_key(recipient: Recipient) -> (&'static str, Uuid) {
    match recipient {
        Recipient::Agent(id) => (ActorKind::Agent.as_str(), id.as_uuid()),
        Recipient::Customer(id) => (ActorKind::Customer.as_str(), id.as_uuid()),
    }
}

/// A notification from a row selected with [`columns!`].
fn notification(row: &PgRow) -> Result<Notification> {
    let r = Reader::new(row, "notifications");
    let id: Uuid = r.get("recipient_id")?;
    let recipient = match r.text("recipient_kind")? {
        ActorKind::Agent => Recipient::Agent(AgentId::from_uuid(id)),
        ActorKind::Customer => Recipient::Customer(CustomerId::from_uuid(id)),
        ActorKind::System => {
            let kind = OutOfRange {
                what: "recipient kind",
                value: ActorKind::System.as_str().to_owned(),
            };
            return Err(r.corrupt("recipient_kind", kind));
        }
    };
    Ok(Notification {
        id: NotificationId::from_uuid(r.get("id")?),
        recipient,
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        event_id: EventId::from_uuid(r.get("event_id")?),
        kind: r.json("kind")?,
        created_at: r.get("created_at")?,
        state: NotificationState {
            read_at: r.get("read_at")?,
            snoozed_until: r.get("snoozed_until")?,
            dismissed_at: r.get("dismissed_at")?,
        },
    })
}

/// A batch's notifications, as parallel arrays for `UNNEST`.
#[derive(Debug, Default)]
pub(crate) struct NotificationColumns {
    id: Vec<Uuid>,
    recipient_kind: Vec<&'static str>,
    recipient_id: Vec<Uuid>,
    ticket_id: Vec<Uuid>,
    event_id: Vec<Uuid>,
    kind: Vec<String>,
    created_at: Vec<DateTime<Utc>>,
    read_at: Vec<Option<DateTime<Utc>>>,
    snoozed_until: Vec<Option<DateTime<Utc>>>,
    dismissed_at: Vec<Option<DateTime<Utc>>>,
}

impl NotificationColumns {
    /// The columns of `notifications`.
    pub(crate) fn of(notifications: &[Notification]) -> Result<Self> {
        let mut columns = Self::default();
        for n in notifications {
            let (kind, id) = recipient_key(n.recipient);
            columns.id.push(n.id.as_uuid());
            columns.recipient_kind.push(kind);
            columns.recipient_id.push(id);
            columns.ticket_id.push(n.ticket_id.as_uuid());
            columns.event_id.push(n.event_id.as_uuid());
            columns.kind.push(json(&n.kind)?);
            columns.created_at.push(n.created_at);
            columns.read_at.push(n.state.read_at);
            columns.snoozed_until.push(n.state.snoozed_until);
            columns.dismissed_at.push(n.state.dismissed_at);
        }
        Ok(columns)
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Inserts them all.
    pub(crate) const INSERT: &str = "INSERT INTO notifications (id, recipient_kind, \
         recipient_id, ticket_id, event_id, kind, created_at, read_at, snoozed_until, \
         dismissed_at) SELECT id, recipient_kind, recipient_id, ticket_id, event_id, \
         kind::jsonb, created_at, read_at, snoozed_until, dismissed_at \
         FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], \
         $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[]) \
         AS n(id, recipient_kind, recipient_id, ticket_id, event_id, kind, created_at, \
         read_at, snoozed_until, dismissed_at)";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.id)
            .bind(self.recipient_kind)
            .bind(self.recipient_id)
            .bind(self.ticket_id)
            .bind(self.event_id)
            .bind(self.kind)
            .bind(self.created_at)
            .bind(self.read_at)
            .bind(self.snoozed_until)
            .bind(self.dismissed_at)
    }
}

/// A recipient's notifications shown at an instant, newest first: `$1` and `$2` are the
/// recipient's kind and id, `$3` the (whole-microsecond) instant, `$4` the limit. A scan of
/// `notifications_recipient_idx` (which holds no dismissed ones) in its order.
const LIST: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM notifications \
     WHERE recipient_kind = $1 AND recipient_id = $2 AND dismissed_at IS NULL \
     AND (snoozed_until IS NULL OR snoozed_until <= $3) \
     ORDER BY created_at DESC, id DESC LIMIT $4"
);

/// A recipient's notifications shown at an instant.
pub(crate) async fn list(
    store: &PostgresStore,
    recipient: Recipient,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<Notification>> {
    // For stored (whole-microsecond) instants, `x <= now` and `x <= floor(now)` agree.
    let (kind, id) = recipient_key(recipient);
    sqlx::query(LIST)
        .bind(kind)
        .bind(id)
        .bind(to_micros(now))
        .bind(i64::from(limit))
        .fetch_all(&store.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(notification)
        .collect()
}

/// One of a recipient's notifications.
pub(crate) async fn one(
    store: &PostgresStore,
    recipient: Recipient,
    id: NotificationId,
) -> Result<Option<Notification>> {
    let (kind, recipient_id) = recipient_key(recipient);
    sqlx::query(concat!(
        "SELECT ",
        columns!(),
        " FROM notifications WHERE id = $1 AND recipient_kind = $2 AND recipient_id = $3"
    ))
    .bind(id.as_uuid())
    .bind(kind)
    .bind(recipient_id)
    .fetch_optional(&store.pool)
    .await
    .map_err(error::db)?
    .map(|row| notification(&row))
    .transpose()
}

/// Replaces a notification's state.
pub(crate) async fn set_state(
    store: &PostgresStore,
    recipient: Recipient,
    id: NotificationId,
    state: &NotificationState,
) -> Result<()> {
    let (kind, recipient_id) = recipient_key(recipient);
    let done = sqlx::query(
        "UPDATE notifications SET read_at = $4, snoozed_until = $5, dismissed_at = $6 \
             WHERE id = $1 AND recipient_kind = $2 AND recipient_id = $3",
    )
    .bind(id.as_uuid())
    .bind(kind)
    .bind(recipient_id)
    .bind(state.read_at)
    .bind(state.snoozed_until)
    .bind(state.dismissed_at)
    .execute(&store.pool)
    .await
    .map_err(error::db)?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(Entity::Notification, id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use helpdesk_core::domain::{DepartmentId, NotificationKind};
    use helpdesk_core::store::{Store, TicketWrite, WriteBatch};
    use helpdesk_core::testkit::samples;
    use sqlx::Row;

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
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN {LIST}")))
            .bind(kind)
            .bind(id)
            .bind(samples::at(1000))
            .bind(20_i64)
            .fetch_all(store.pool())
            .await
            .unwrap();
        let plan = rows
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect::<Vec<_>>()
            .join("\n");
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
