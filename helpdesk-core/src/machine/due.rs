//! What the passing of time does to a ticket: SLA warnings and breaches, pending reminders,
//! auto-close warnings and auto-closes. Run by [`Helpdesk::run_due`](crate::Helpdesk::run_due).

use chrono::{DateTime, Utc};

use super::decide::change_status;
use super::timers::{Activity, advance};
use super::transitions::{Step, next_status};
use crate::domain::{Actor, Change, EventId, SlaOutcome, Status, Ticket, TicketEvent};
use crate::policy::ServiceLevels;
use crate::store::TicketWrite;

/// The write for everything about `ticket` that is due at `now`, or `None` when nothing is.
/// Each warning, breach and reminder fires once: the write records that it fired, so
/// deciding again on the written ticket gives `None`.
pub fn decide_due(
    ticket: &Ticket,
    levels: &ServiceLevels,
    kind: crate::policy::CustomerFacts,
    now: DateTime<Utc>,
) -> Option<TicketWrite> {
    if ticket.next_due_at.is_none_or(|d| d > now) {
        return None;
    }
    let mut next = ticket.clone();
    let mut changes = Vec::new();
    for clock in next.timers.clocks.iter_mut().filter(|c| !c.stopped) {
        if !clock.warned && clock.warn_at.is_some_and(|w| w <= now) {
            clock.warned = true;
            changes.push(Change::SlaWarning {
                target: clock.target,
            });
        }
        if clock.outcome.is_none() && clock.due_at.is_some_and(|d| d <= now) {
            clock.outcome = Some(SlaOutcome::Breached);
            clock.warned = true;
            changes.push(Change::SlaBreached {
                target: clock.target,
            });
        }
    }
    if next.timers.pending_until.is_some_and(|p| p <= now) {
        next.timers.pending_until = None;
        changes.push(Change::PendingReminder);
        changes.extend(change_status(&mut next, Status::Open, now));
    }
    if let Some(closes_at) = next.timers.auto_close_at {
        if next.timers.auto_close_warn_at.is_some_and(|w| w <= now) {
            next.timers.auto_close_warn_at = None;
            changes.push(Change::AutoCloseWarning { closes_at });
        }
        if closes_at <= now {
            if let Some(closed) = next_status(next.status, Step::AutoClose) {
                changes.extend(change_status(&mut next, closed, now));
            }
            next.timers.auto_close_at = None;
            next.timers.auto_close_warn_at = None;
        }
    }
    if changes.is_empty() {
        // Only stale instants were due (e.g. a warning already given): just re-index.
        next.next_due_at = next.timers.next_due_at();
        if next.next_due_at == ticket.next_due_at {
            return None;
        }
    }
    advance(
        Some(ticket),
        &mut next,
        Activity::default(),
        levels,
        kind,
        now,
    );
    next.version = ticket.version.next();
    next.updated_at = now;
    let events = changes
        .into_iter()
        .map(|change| TicketEvent {
            id: EventId::new(),
            ticket_id: ticket.id,
            actor: Actor::System,
            at: now,
            change,
            origin: None,
        })
        .collect();
    Some(TicketWrite {
        events,
        ..TicketWrite::update(ticket.version, next)
    })
}
