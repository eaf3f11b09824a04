//! Master tickets (seed 004: one ticket for a major outage that others link to), as in
//! Znuny: what an agent does on the master reaches every linked ticket, in the same batch.
//!
//! - A public message from staff on the master (a reply, a question, a solution) is copied
//!   into each linked ticket that is not closed, as a public message marked as coming from
//!   the master ([`OriginKind::Master`]), so each customer reads it in their own ticket and
//!   is told of it by notification and e-mail in their own language.
//! - Resolving the master resolves each linked ticket that can be resolved; closing it
//!   (solved, unsolved or duplicate, by an agent or the customer's confirmation) closes each
//!   linked ticket that is not closed yet, with the same resolution.
//! - Nothing goes the other way: a customer's reply on a linked ticket stays on it, and a
//!   master's internal notes, edits and reopening stay on the master.
//!
//! A linked ticket for which a step is illegal (a closed one cannot be replied to) is left
//! as it is; the master's change never fails because of one.

use chrono::{DateTime, Utc};

use super::Command;
use super::decide::change_status;
use super::timers::{Activity, advance};
use super::transitions::{Step, next_status};
use crate::domain::{
    Actor, Change, EventId, Message, MessageId, Origin, OriginKind, Resolution, Status, Ticket,
    TicketEvent,
};
use crate::policy::{CustomerFacts, ServiceLevels};
use crate::store::TicketWrite;

/// A ticket linked to the master, with its customer's facts (for its service levels).
#[derive(Debug, Clone, Copy)]
pub struct Linked<'a> {
    /// The linked ticket as stored.
    pub ticket: &'a Ticket,
    /// Its customer's facts (kind and organisation; none without a customer).
    pub customer: CustomerFacts,
}

/// Whether `write` (a change of a master ticket) does anything its linked tickets follow:
/// a public message from staff, or a status change to resolved or closed.
pub fn reaches_linked(write: &TicketWrite) -> bool {
    write.events.iter().any(|e| step_of(write, e).is_some())
}

/// Whether deciding `command` may give a write that [`reaches_linked`] (a public message
/// from staff, or resolving or closing), so that the tickets linked to the ticket are worth
/// reading with it; `customer_acts` when a customer sends it (their replies stay on their
/// ticket). Only a hint for what to read up front: a write that reaches them without it has
/// them read then.
pub fn may_reach_linked(command: &Command, customer_acts: bool) -> bool {
    match command {
        Command::Reply { .. } => !customer_acts,
        Command::AskCustomer { .. }
        | Command::Resolve { .. }
        | Command::ConfirmResolution
        | Command::Close { .. } => true,
        _ => false,
    }
}

/// What an event of the master's `write` does to a linked ticket.
enum Follow<'w> {
    /// Copy this public message.
    Message(&'w Message),
    /// Take this step.
    Status(Step),
}

fn step_of<'w>(write: &'w TicketWrite, event: &TicketEvent) -> Option<Follow<'w>> {
    match &event.change {
        Change::Replied { message, .. } => write
            .messages
            .iter()
            .find(|m| m.id == *message)
            .filter(|m| m.is_public() && !matches!(m.author, Actor::Customer(_)))
            .map(Follow::Message),
        Change::StatusChanged {
            to: Status::Resolved,
            ..
        } => Some(Follow::Status(Step::Resolve)),
        Change::StatusChanged {
            to:
                Status::Closed(r @ (Resolution::Solved | Resolution::Unsolved | Resolution::Duplicate)),
            ..
        } => Some(Follow::Status(Step::Close(*r))),
        _ => None,
    }
}

/// The writes that carry the master's change `write` (made on `master`) to each of `linked`,
/// at `now`: one per linked ticket it changes, to commit in the same batch as `write`.
pub fn fan_out(
    master: &Ticket,
    write: &TicketWrite,
    linked: &[Linked<'_>],
    levels: &ServiceLevels,
    now: DateTime<Utc>,
) -> Vec<TicketWrite> {
    let origin = Origin::new(OriginKind::Master, master.id, master.number.clone());
    linked
        .iter()
        .filter(|l| l.ticket.id != master.id && l.ticket.master == Some(master.id))
        .filter_map(|l| follow(write, l, &origin, levels, now))
        .collect()
}

/// The write that carries `write` to the linked ticket `l`, if it changes anything.
fn follow(
    write: &TicketWrite,
    l: &Linked<'_>,
    origin: &Origin,
    levels: &ServiceLevels,
    now: DateTime<Utc>,
) -> Option<TicketWrite> {
    let before = l.ticket;
    let mut next = before.clone();
    next.version = before.version.next();
    next.updated_at = now;
    let mut out = TicketWrite::update(before.version, next);
    let mut activity = Activity::default();
    let event = |actor: Actor, at, change| TicketEvent {
        id: EventId::new(),
        ticket_id: before.id,
        actor,
        at,
        change,
        origin: Some(origin.clone()),
    };
    for e in &write.events {
        match step_of(write, e) {
            Some(Follow::Message(m)) => {
                let Some(to) = next_status(out.ticket.status, Step::AgentReply) else {
                    continue;
                };
                let id = MessageId::new();
                let first_response =
                    matches!(m.author, Actor::Agent(_)) && out.ticket.first_response_at.is_none();
                if first_response {
                    out.ticket.first_response_at = Some(now);
                }
                if matches!(m.author, Actor::Agent(_)) {
                    activity.agent_reply = true;
                }
                out.messages.push(Message {
                    id,
                    ticket_id: before.id,
                    origin: Some(origin.clone()),
                    ..m.clone()
                });
                out.events.push(event(
                    e.actor,
                    e.at,
                    Change::Replied {
                        message: id,
                        first_response,
                    },
                ));
                if let Some(change) = change_status(&mut out.ticket, to, now) {
                    out.events.push(event(e.actor, e.at, change));
                }
            }
            Some(Follow::Status(step)) => {
                let Some(to) = next_status(out.ticket.status, step) else {
                    continue;
                };
                if let Some(change) = change_status(&mut out.ticket, to, now) {
                    out.events.push(event(e.actor, e.at, change));
                }
            }
            None => {}
        }
    }
    if out.events.is_empty() {
        return None;
    }
    advance(
        Some(before),
        &mut out.ticket,
        activity,
        levels,
        l.customer,
        now,
    );
    Some(out)
}
