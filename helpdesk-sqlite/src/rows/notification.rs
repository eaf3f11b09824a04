//! In-app notifications.

use helpdesk_core::domain::{
    ActorKind, EventId, Notification, NotificationId, NotificationKind, NotificationState,
    Recipient, TicketId,
};
use helpdesk_core::error::OutOfRange;
use rusqlite::Row;
use rusqlite::types::ToSql;

use super::{Reader, bind, blob, json, micros};
use crate::error::Outcome;

/// A recipient as stored: the kind and id of the actor it is.
pub(crate) fn recipient(r: Recipient) -> (&'static str, [u8; 16]) {
    let (kind, id) = match r {
        Recipient::Agent(id) => (ActorKind::Agent, id.as_uuid()),
        Recipient::Customer(id) => (ActorKind::Customer, id.as_uuid()),
    };
    (kind.as_str(), blob(id))
}

/// A notification's state as stored: `read_at`, `snoozed_until`, `dismissed_at`.
pub(crate) fn state(s: &NotificationState) -> (Option<i64>, Option<i64>, Option<i64>) {
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

    pub(crate) fn new(n: &Notification) -> Outcome<Self> {
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
        bind!(self; id, recipient_kind, recipient_id, ticket_id, event_id, kind, kind_data,
              created_at, read_at, snoozed_until, dismissed_at)
    }
}

/// The columns `read_notification` reads.
pub(crate) const NOTIFICATION_COLUMNS: &str = "
    id, recipient_kind, recipient_id, ticket_id, event_id, kind_data, created_at, read_at,
    snoozed_until, dismissed_at";

/// A notification from a row of [`NOTIFICATION_COLUMNS`].
pub(crate) fn read_notification(row: &Row<'_>) -> Outcome<Notification> {
    let r = Reader::new(row, "notifications");
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
