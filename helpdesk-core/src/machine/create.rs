//! Deciding the creation of a ticket.

use chrono::{DateTime, Utc};

use super::NewTicket;
use super::decide::{loaded, required_permission};
use super::priority::initial_priority;
use super::timers::{Activity, advance};
use crate::domain::{
    Actor, Agent, Change, Channel, Customer, Department, EventId, Message, MessageId, Notice,
    Permission, Resolution, Status, Ticket, TicketEvent, TicketId, TicketNumber, Version,
    Visibility,
};
use crate::error::{Error, ForbiddenReason, Result};
use crate::machine::CommandKind;
use crate::policy::{PriorityPolicy, ServiceLevels};
use crate::store::TicketWrite;

/// What opening a ticket needs to know besides the request. The service loads it.
pub struct CreateContext<'a> {
    /// Who opens it.
    pub actor: Actor,
    /// The acting agent, when the actor is an agent.
    pub agent: Option<&'a Agent>,
    /// The customer it is for (the acting customer, or the one an agent named).
    pub customer: Option<&'a Customer>,
    /// The department it goes to.
    pub department: &'a Department,
    /// The master ticket named in the request.
    pub master: Option<&'a Ticket>,
    /// The closed ticket this one follows up.
    pub follow_up_of: Option<TicketId>,
    /// The priority rules.
    pub priority_policy: &'a dyn PriorityPolicy,
    /// The service levels (clocks, calendars, auto-close).
    pub levels: &'a ServiceLevels,
    /// Now.
    pub now: DateTime<Utc>,
}

/// Checks that `ctx.actor` may open `new`. Called before a number is drawn, so that refused
/// requests use none.
pub fn authorize_create(new: &NewTicket, ctx: &CreateContext<'_>) -> Result<()> {
    if !ctx.department.active {
        return Err(Error::validation("department", "is not accepting tickets"));
    }
    if ctx.customer.is_some_and(|c| !c.access_enabled) {
        return Err(Error::forbidden(ForbiddenReason::AccessDisabled));
    }
    match ctx.actor {
        Actor::Customer(id) => {
            if ctx.customer.map(|c| c.id) != Some(id) || new.customer.is_some_and(|c| c != id) {
                return Err(Error::validation(
                    "customer",
                    "customers open tickets only for themselves",
                ));
            }
            if new.internal || new.master.is_some() || new.channel == Channel::Internal {
                return Err(Error::forbidden(ForbiddenReason::AgentsOnly));
            }
        }
        Actor::Agent(_) => {
            let agent = loaded(ctx.agent, "context.agent")?;
            if !agent.active {
                return Err(Error::forbidden(ForbiddenReason::AgentInactive));
            }
            let permission = if new.internal {
                Permission::Note
            } else {
                required_permission(CommandKind::Create)
            };
            if !agent.can(permission, ctx.department.id) {
                return Err(Error::forbidden(ForbiddenReason::MissingPermission {
                    permission,
                }));
            }
        }
        Actor::System => {}
    }
    if !new.internal && ctx.customer.is_none() {
        return Err(Error::validation(
            "customer",
            "is required unless the ticket is internal",
        ));
    }
    if let Some(master) = ctx.master
        && (master.master.is_some() || master.status == Status::Closed(Resolution::Merged))
    {
        return Err(Error::validation(
            "master",
            "must be a ticket that is not itself linked or merged",
        ));
    }
    Ok(())
}

/// Decides the creation of `new` with the number the store drew: the write of the ticket,
/// its first message and its first events.
pub fn decide_create(
    new: NewTicket,
    ctx: &CreateContext<'_>,
    number: TicketNumber,
) -> Result<TicketWrite> {
    decide_create_with_notices(new, ctx, number).map(|(write, _)| write)
}

/// [`decide_create`], with what to tell the opener: a
/// [`Notice::PriorityAdjusted`](crate::domain::Notice::PriorityAdjusted) when the ticket does
/// not get the priority asked for (see [`initial_priority`]).
pub fn decide_create_with_notices(
    new: NewTicket,
    ctx: &CreateContext<'_>,
    number: TicketNumber,
) -> Result<(TicketWrite, Vec<Notice>)> {
    authorize_create(&new, ctx)?;
    let (priority, notice) = initial_priority(new.priority, ctx);
    let channel = if new.internal {
        Channel::Internal
    } else {
        new.channel
    };
    let id = TicketId::new();
    let mut ticket = Ticket {
        id,
        number,
        subject: new.subject,
        customer: ctx.customer.map(|c| c.id),
        department: ctx.department.id,
        assignee: None,
        status: Status::New,
        priority,
        ticket_type: new.ticket_type,
        categories: new.categories,
        service: new.service,
        custom_fields: new.custom_fields,
        channel,
        internal: new.internal,
        master: new.master,
        merged_into: None,
        follow_up_of: ctx.follow_up_of,
        opened_by: ctx.actor,
        created_at: ctx.now,
        updated_at: ctx.now,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        waiting_since: None,
        timers: Default::default(),
        next_due_at: None,
        satisfaction: None,
        priority_request: None,
        tags: Default::default(),
        metrics: Default::default(),
        version: Version::FIRST,
    };
    let created = Activity {
        created: true,
        ..Activity::default()
    };
    let kind = crate::policy::CustomerFacts::of(ctx.customer);
    advance(None, &mut ticket, created, ctx.levels, kind, ctx.now);
    let event = |change| TicketEvent {
        id: EventId::new(),
        ticket_id: id,
        actor: ctx.actor,
        at: ctx.now,
        change,
        origin: None,
    };
    let visibility = if new.internal {
        Visibility::Internal
    } else {
        Visibility::Public
    };
    let message = Message {
        id: MessageId::new(),
        ticket_id: id,
        author: ctx.actor,
        visibility,
        channel,
        body: new.body,
        attachments: new.attachments,
        created_at: ctx.now,
        origin: None,
    };
    let mut write = TicketWrite::create(ticket.clone()).with_event(event(Change::Created {
        subject: ticket.subject.clone(),
        department: ticket.department,
        status: ticket.status,
        priority,
        ticket_type: ticket.ticket_type.clone(),
        channel,
        internal: ticket.internal,
        follow_up_of: ticket.follow_up_of,
    }));
    write = write.with_event(event(match visibility {
        Visibility::Public => Change::Replied {
            message: message.id,
            first_response: false,
        },
        Visibility::Internal => Change::NoteAdded {
            message: message.id,
        },
    }));
    if let Some(master) = ticket.master {
        write = write.with_event(event(Change::MasterChanged {
            from: None,
            to: Some(master),
        }));
    }
    Ok((write.with_message(message), notice.into_iter().collect()))
}
