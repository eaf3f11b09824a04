//! In-app notifications (table `notifications`, migration 0007): their rows, and
//! [`NotificationStore`] for [`SqliteStore`]. They are written by
//! [`commit`](crate::commit) with the ticket change that causes them.

use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{
    ActorKind, EventId, Notification, NotificationId, NotificationKind, NotificationState,
    Recipient, TicketId,
};
use helpdesk_core::error::{Entity, Error, OutOfRange};
use rusqlite::Row;
use rusqlite::types::ToSql;

use crate::error::Outcome;
use crate::rows::{Columns, blob, json, micros};
use crate::store::{SqliteStore, all, first};

/// A recipient as stored: the kind and id of the actor it is.
fn recipient(r: Recipient) -> (&'static str, [u8; 16]) {
    let (kind, id) = match r {
        Recipient::Agent(id) => (ActorKind::Agent, id.as_uuid()),
        Recipient::Customer(id) => (ActorKind::Customer, id.as_uuid()),
    };
    (kind.as_str(), blob(id))
}

/// A notification's state as stored: `read_at`, `snoozed_until`, `dismissed_at`.
fn state(s: &NotificationState) -> (Option<i64>, Option<i64>, Option<i64>) {
    (
        s.read_at.map(micros),
        s.snoozed_until.map(micros),
        s.dismissed_at.map(micros),
    )
}

/// A notification's columns.
pub(crate) struct NotificationRow {
    id: [u8; 16],
    recipient_kind: &'static str,
    recipient_id: [u8; 16],
    ticket_id: [u8; 16],
    event_id: [u8; 16],
    kind: &'static str,
    kind_data: String,
    created_at: i64,
    read_at: Option<i64>,
    snoozed_until: Option<i64>,
    dismissed_at: Option<i64>,
}

impl NotificationRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO notifications (id, recipient_kind, recipient_id, ticket_id, event_id, kind,
                                   kind_data, created_at, read_at, snoozed_until, dismissed_at)
        VALUES (:id, :recipient_kind, :recipient_id, :ticket_id, :event_id, :kind, :kind_data,
                :created_at, :read_at, :snoozed_until, :dismissed_at)";

    pub(crate) fn new(n: &Notification) -> rusqlite::Result<Self> {
        let (recipient_kind, recipient_id) = recipient(n.recipient);
        let (read_at, snoozed_until, dismissed_at) = state(&n.state);
        Ok(Self {
            id: blob(n.id.as_uuid()),
            recipient_kind,
            recipient_id,
            ticket_id: blob(n.ticket_id.as_uuid()),
            event_id: blob(n.event_id.as_uuid()),
            kind: n.kind.as_str(),
            kind_data: json(&n.kind)?,
            created_at: micros(n.created_at),
            read_at,
            snoozed_until,
            dismissed_at,
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 11] {
        [
            (":id", &self.id),
            (":recipient_kind", &self.recipient_kind),
            (":recipient_id", &self.recipient_id),
            (":ticket_id", &self.ticket_id),
            (":event_id", &self.event_id),
            (":kind", &self.kind),
            (":kind_data", &self.kind_data),
            (":created_at", &self.created_at),
            (":read_at", &self.read_at),
            (":snoozed_until", &self.snoozed_until),
            (":dismissed_at", &self.dismissed_at),
        ]
    }
}

/// The columns `read_notification` reads.
const NOTIFICATION_COLUMNS: &str = "
    id, recipient_kind, recipient_id, ticket_id, event_id, kind_data, created_at, read_at,
    snoozed_until, dismissed_at";

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

/// A notification from a row of [`NOTIFICATION_COLUMNS`].
fn read_notification(row: &Row<'_>) -> Outcome<Notification> {
    let r = Columns {
        row,
        table: "notifications",
    };
    let actor = r.actor("recipient_kind", "recipient_id")?;
    let recipient = Recipient::of(actor).ok_or_else(|| {
        let value = OutOfRange {
            what: "recipient",
            value: actor.to_string(),
        };
        r.corrupt("recipient_kind", value)
    })?;
    Ok(Notification {
        id: NotificationId::from_uuid(r.uuid("id")?),
        recipient,
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        event_id: EventId::from_uuid(r.uuid("event_id")?),
        kind: r.json::<NotificationKind>("kind_data")?,
        created_at: r.instant("created_at")?,
        state: NotificationState {
            read_at: r.instant_opt("read_at")?,
            snoozed_until: r.instant_opt("snoozed_until")?,
            dismissed_at: r.instant_opt("dismissed_at")?,
        },
    })
}

/// A recipient's notifications shown at `now` (see [`Store::notifications`](helpdesk_core::store::Store::notifications)).
pub(crate) async fn list(
    store: &SqliteStore,
    recipient: Recipient,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<Notification>> {
    let (kind, id) = self::recipient(recipient);
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
    let (kind, recipient_id) = self::recipient(recipient);
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
    let (kind, recipient_id) = self::recipient(recipient);
    let (read_at, snoozed_until, dismissed_at) = self::state(state);
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
