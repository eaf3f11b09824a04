//! Notifications (table `notifications`): a recipient is two columns, its kind (the stable
//! text of its [`ActorKind`]) and its id; the kind of notification is jsonb; the state is
//! three nullable instants.

use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{
    ActorKind, AgentId, CustomerId, EventId, Notification, NotificationId, NotificationState,
    Recipient, TicketId,
};
use helpdesk_core::error::OutOfRange;
use sqlx::postgres::PgRow;
use uuid::Uuid;

use super::{PgQuery, Reader, json};

/// The column list of notification reads.
macro_rules! notification_columns {
    () => {
        "id, recipient_kind, recipient_id, ticket_id, event_id, kind::text AS kind, \
         created_at, read_at, snoozed_until, dismissed_at"
    };
}
pub(crate) use notification_columns;

/// A recipient's kind column (the stable text of its [`ActorKind`]) and id.
pub(crate) fn recipient_key(recipient: Recipient) -> (&'static str, Uuid) {
    match recipient {
        Recipient::Agent(id) => (ActorKind::Agent.as_str(), id.as_uuid()),
        Recipient::Customer(id) => (ActorKind::Customer.as_str(), id.as_uuid()),
    }
}

/// A notification from a row selected with [`notification_columns!`].
pub(crate) fn notification(row: &PgRow) -> Result<Notification> {
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
