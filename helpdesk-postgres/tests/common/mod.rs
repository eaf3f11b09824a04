//! Helpers shared by the PostgreSQL-only tests: the domain-value builders of
//! [`helpdesk_core::testkit::samples`], and writes of tickets as the desk makes them.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use helpdesk_core::domain::{Change, Ticket, Visibility};
use helpdesk_core::store::TicketWrite;
pub use helpdesk_core::testkit::samples::*;

/// The `Created` change of `ticket`.
pub fn created(ticket: &Ticket) -> Change {
    Change::Created {
        subject: ticket.subject.clone(),
        department: ticket.department,
        status: ticket.status,
        priority: ticket.priority,
        ticket_type: ticket.ticket_type.clone(),
        channel: ticket.channel,
        internal: ticket.internal,
        follow_up_of: ticket.follow_up_of,
    }
}

/// A write creating `ticket` with its first message and `Created` event.
pub fn create(ticket: &Ticket) -> TicketWrite {
    TicketWrite::create(ticket.clone())
        .with_message(message(ticket, "Первое сообщение", Visibility::Public))
        .with_event(event(ticket, created(ticket)))
}

/// `ticket` one version on, at `at`, with `change` applied.
pub fn changed(ticket: &Ticket, at: DateTime<Utc>, change: impl FnOnce(&mut Ticket)) -> Ticket {
    let mut next = ticket.clone();
    next.version = ticket.version.next();
    next.updated_at = at;
    change(&mut next);
    next
}
