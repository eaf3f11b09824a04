//! Splitting a ticket: chosen messages of its thread move to a new ticket of the same
//! customer and department, linked both ways in their histories
//! ([`Change::SplitOff`] on the old one, [`Change::SplitFrom`] on the new one), each moved
//! message marked with the ticket it came from ([`OriginKind::Split`]).

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::decide::loaded;
use super::timers::{Activity, advance};
use crate::domain::{
    Actor, Agent, Change, CommandKind, EventId, Message, MessageId, Origin, OriginKind, Permission,
    Status, Subject, Ticket, TicketEvent, TicketId, TicketNumber, Version,
};
use crate::error::{Error, ForbiddenReason, Result};
use crate::policy::{CustomerFacts, ServiceLevels};
use crate::store::TicketWrite;

/// What a split needs to know besides the ticket and its thread. The service loads it.
pub struct SplitContext<'a> {
    /// Who splits.
    pub actor: Actor,
    /// The acting agent, when the actor is an agent.
    pub agent: Option<&'a Agent>,
    /// The ticket's customer's facts (kind and organisation; none without a customer).
    pub customer: CustomerFacts,
    /// The service levels (the new ticket's clocks).
    pub levels: &'a ServiceLevels,
    /// Now.
    pub now: DateTime<Utc>,
}

/// A split: which messages move, and the new ticket's subject.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitRequest {
    /// The messages to move, by id; at least one, all on the ticket, not all of its thread.
    pub messages: Vec<MessageId>,
    /// The new ticket's subject; the old one's when `None`.
    pub subject: Option<Subject>,
}

/// Decides splitting `request.messages` off `ticket` (whose whole stored `thread` is given,
/// internal notes too) into a new ticket numbered `number`: the old ticket's write, then the
/// new one's, to commit together.
///
/// Agents with the edit permission in the ticket's department split (customers: forbidden);
/// a closed ticket is an invalid transition; no message, a message not on the ticket, or
/// every message of the thread (the old ticket would be left empty) is a validation error
/// on `messages`. Nothing is written on an error.
pub fn decide_split(
    ticket: &Ticket,
    thread: &[Message],
    request: SplitRequest,
    ctx: &SplitContext<'_>,
    number: TicketNumber,
) -> Result<[TicketWrite; 2]> {
    check_split(ticket, thread, &request, ctx)?;
    let chosen: HashSet<MessageId> = request.messages.iter().copied().collect();
    let now = ctx.now;
    let id = TicketId::new();
    let mut new = Ticket {
        id,
        number,
        subject: request.subject.unwrap_or_else(|| ticket.subject.clone()),
        status: Status::Open,
        master: None,
        merged_into: None,
        follow_up_of: None,
        opened_by: ctx.actor,
        created_at: now,
        updated_at: now,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        waiting_since: None,
        timers: Default::default(),
        next_due_at: None,
        satisfaction: None,
        priority_request: None,
        metrics: Default::default(),
        version: Version::FIRST,
        ..ticket.clone()
    };
    let created = Activity {
        created: true,
        ..Activity::default()
    };
    advance(None, &mut new, created, ctx.levels, ctx.customer, now);
    let event = |ticket_id, change| TicketEvent {
        id: EventId::new(),
        ticket_id,
        actor: ctx.actor,
        at: now,
        change,
        origin: None,
    };
    let origin = Origin::new(OriginKind::Split, ticket.id, ticket.number.clone());
    let moved: Vec<Message> = thread
        .iter()
        .filter(|m| chosen.contains(&m.id))
        .map(|m| Message {
            ticket_id: id,
            origin: Some(origin.clone()),
            ..m.clone()
        })
        .collect();
    let mut split = TicketWrite::create(new.clone())
        .with_event(event(
            id,
            Change::Created {
                subject: new.subject.clone(),
                department: new.department,
                status: new.status,
                priority: new.priority,
                ticket_type: new.ticket_type.clone(),
                channel: new.channel,
                internal: new.internal,
                follow_up_of: None,
            },
        ))
        .with_event(event(id, Change::SplitFrom { source: ticket.id }));
    split.moved_messages = moved;
    let mut old = ticket.clone();
    old.version = ticket.version.next();
    old.updated_at = now;
    advance(
        Some(ticket),
        &mut old,
        Activity::default(),
        ctx.levels,
        ctx.customer,
        now,
    );
    let old = TicketWrite::update(ticket.version, old).with_event(event(
        ticket.id,
        Change::SplitOff {
            into: id,
            messages: split.moved_messages.iter().map(|m| m.id).collect(),
        },
    ));
    Ok([old, split])
}

/// The refusals of [`decide_split`], checked without deciding (so that the desk takes no
/// ticket number for a refused split).
pub fn check_split(
    ticket: &Ticket,
    thread: &[Message],
    request: &SplitRequest,
    ctx: &SplitContext<'_>,
) -> Result<()> {
    match ctx.actor {
        Actor::System => {}
        Actor::Customer(_) => return Err(Error::forbidden(ForbiddenReason::AgentsOnly)),
        Actor::Agent(_) => {
            let agent = loaded(ctx.agent, "context.agent")?;
            if !agent.active {
                return Err(Error::forbidden(ForbiddenReason::AgentInactive));
            }
            if !agent.can(Permission::Edit, ticket.department) {
                return Err(Error::forbidden(ForbiddenReason::MissingPermission {
                    permission: Permission::Edit,
                }));
            }
        }
    }
    if ticket.status.is_closed() {
        return Err(Error::InvalidTransition {
            from: ticket.status,
            command: CommandKind::Split,
        });
    }
    let chosen: HashSet<&MessageId> = request.messages.iter().collect();
    if chosen.is_empty() {
        return Err(Error::validation("messages", "choose at least one message"));
    }
    if chosen.iter().any(|id| !thread.iter().any(|m| m.id == **id)) {
        return Err(Error::validation(
            "messages",
            "every message split off must be on this ticket",
        ));
    }
    if chosen.len() >= thread.len() {
        return Err(Error::validation(
            "messages",
            "leave at least one message on the ticket",
        ));
    }
    Ok(())
}
