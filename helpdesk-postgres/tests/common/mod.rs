//! Helpers shared by the integration tests: the shared domain-value builders of
//! [`helpdesk_core::testkit::samples`], and a PostgreSQL store next to the in-memory reference.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use helpdesk_core::Error;
use helpdesk_core::domain::{
    Change, DepartmentId, Message, Permission, Ticket, TicketEvent, TicketId, TimeEntry, Visibility,
};
use helpdesk_core::error::ConflictKind;
use helpdesk_core::store::{Store, TicketWrite};
pub use helpdesk_core::testkit::samples::*;

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

/// A comparable summary of an error: its code, and the conflict's details.
pub fn describe(e: &Error) -> String {
    match e {
        Error::Conflict {
            entity,
            kind: ConflictKind::Duplicate { field },
        } => format!("duplicate {entity} {field}"),
        Error::Conflict {
            entity,
            kind: ConflictKind::StaleVersion { expected, actual },
        } => format!("stale {entity} {expected} {actual}"),
        Error::NotFound { entity, key } => format!("not found {entity} {key}"),
        Error::Validation(v) => format!("invalid {}", v.field()),
        other => format!("{}: {other}", other.code()),
    }
}

/// The outcome of a call on both stores, which must agree.
pub fn same_outcome<T: std::fmt::Debug + PartialEq>(
    got: helpdesk_core::Result<T>,
    want: helpdesk_core::Result<T>,
) -> helpdesk_core::Result<T> {
    match (&got, &want) {
        (Ok(g), Ok(w)) => assert_eq!(g, w),
        (Err(g), Err(w)) => assert_eq!(describe(g), describe(w)),
        _ => panic!("PostgreSQL gave {got:?}, the reference {want:?}"),
    }
    got
}

/// Everything the store holds about a ticket.
pub async fn snapshot(
    store: &dyn Store,
    id: TicketId,
) -> (
    Option<Ticket>,
    Vec<Message>,
    Vec<TicketEvent>,
    Vec<TimeEntry>,
) {
    (
        store.ticket(id).await.unwrap(),
        store.messages(id, true).await.unwrap(),
        store.history(id).await.unwrap(),
        store.time_entries(id).await.unwrap(),
    )
}

/// Every permission in every department, for agents that need them.
pub fn all_permissions(
    departments: &[DepartmentId],
) -> BTreeMap<DepartmentId, BTreeSet<Permission>> {
    departments
        .iter()
        .map(|d| (*d, Permission::ALL.into_iter().collect()))
        .collect()
}
