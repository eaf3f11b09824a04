//! Deciding a command: authorization by permission, the status table, and the write.

use chrono::{DateTime, Utc};

use super::priority::{check_priority_cap, check_request_cap};
use super::timers::{Activity, advance};
use super::transitions::{Step, next_status};
use super::{Command, CommandKind};
use crate::domain::{
    Actor, Agent, Attachment, Change, Channel, Customer, Department, EventId, Message, MessageBody,
    MessageId, Permission, Resolution, Status, Ticket, TicketEvent, TimeEntry, TimeEntryId,
    Visibility,
};
use crate::error::{Error, ForbiddenReason, Result};
use crate::policy::{FollowUpPolicy, PriorityPolicy, ServiceLevels};
use crate::store::TicketWrite;

/// What `decide` needs from its context but was not given: a typed error naming it, never a
/// panic (the service always loads it; another caller may not).
pub(crate) fn loaded<T>(value: Option<T>, what: &'static str) -> Result<T> {
    value.ok_or_else(|| {
        Error::validation(
            what,
            "the context lacks it: load it before deciding this command",
        )
    })
}

/// What a command needs to know besides the ticket. The service loads it.
pub struct Context<'a> {
    /// Who issues the command.
    pub actor: Actor,
    /// The acting agent, when the actor is an agent.
    pub agent: Option<&'a Agent>,
    /// The ticket's department.
    pub department: &'a Department,
    /// The ticket's customer, if it has one.
    pub customer: Option<&'a Customer>,
    /// The other ticket a command names: the master of `LinkToMaster`, the target of
    /// `MergeInto`.
    pub related_ticket: Option<&'a Ticket>,
    /// The destination of `MoveToDepartment`.
    pub target_department: Option<&'a Department>,
    /// The new assignee of `Assign`.
    pub new_assignee: Option<&'a Agent>,
    /// The priority rules.
    pub priority_policy: &'a dyn PriorityPolicy,
    /// The service levels (clocks, calendars, auto-close).
    pub levels: &'a ServiceLevels,
    /// How the command came in (messages get this channel).
    pub channel: Channel,
    /// Now.
    pub now: DateTime<Utc>,
}

/// What to do after deciding.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Commit these writes together.
    Write(Vec<TicketWrite>),
    /// The command changes nothing (e.g. setting the priority it already has).
    NoChange,
    /// The customer replied to a closed ticket whose department opens a new ticket for
    /// follow-ups: open one with this message, linked to the closed one.
    OpenFollowUp {
        /// The customer's message.
        body: MessageBody,
        /// Its attachments.
        attachments: Vec<Attachment>,
    },
}

/// The permission an agent needs in the ticket's department for a command.
pub fn required_permission(kind: CommandKind) -> Permission {
    use CommandKind as K;
    match kind {
        K::Reply | K::AskCustomer | K::PutOnHold | K::Create => Permission::Reply,
        K::AddNote | K::LogTime => Permission::Note,
        K::Assign | K::MoveToDepartment => Permission::Assign,
        K::ChangePriority | K::DecidePriorityRequest | K::RequestPriority => {
            Permission::ChangePriority
        }
        K::RateSatisfaction => Permission::Read,
        K::SetType
        | K::SetCategories
        | K::SetService
        | K::SetCustomFields
        | K::LinkToMaster
        | K::Split
        | K::Tag => Permission::Edit,
        K::Resolve
        | K::Close
        | K::Reopen
        | K::MergeInto
        | K::ConfirmResolution
        | K::AutoClose
        | K::RunDue => Permission::Close,
    }
}

fn authorize(ticket: &Ticket, command: &Command, ctx: &Context<'_>) -> Result<()> {
    let kind = command.kind();
    match ctx.actor {
        Actor::System => Ok(()),
        _ if matches!(
            command,
            Command::RateSatisfaction { .. } | Command::RequestPriority { .. }
        ) =>
        {
            match ctx.actor {
                Actor::Customer(_) => Ok(()),
                _ => Err(Error::forbidden(ForbiddenReason::CustomersOnly)),
            }
        }
        Actor::Customer(_) => match command {
            Command::Reply { .. } | Command::ConfirmResolution => Ok(()),
            Command::Reopen if ticket.status == Status::Resolved => Ok(()),
            _ => Err(Error::forbidden(ForbiddenReason::AgentsOnly)),
        },
        Actor::Agent(_) => {
            let agent = loaded(ctx.agent, "context.agent")?;
            if !agent.active {
                return Err(Error::forbidden(ForbiddenReason::AgentInactive));
            }
            let permission = required_permission(kind);
            if agent.can(permission, ticket.department) {
                Ok(())
            } else {
                Err(Error::forbidden(ForbiddenReason::MissingPermission {
                    permission,
                }))
            }
        }
    }
}

/// Accumulates a ticket's next state, messages and events.
struct Draft<'a> {
    before: &'a Ticket,
    ctx: &'a Context<'a>,
    kind: CommandKind,
    write: TicketWrite,
    activity: Activity,
}

impl<'a> Draft<'a> {
    fn new(before: &'a Ticket, ctx: &'a Context<'a>, kind: CommandKind) -> Self {
        let mut next = before.clone();
        next.version = before.version.next();
        next.updated_at = ctx.now;
        Self {
            before,
            ctx,
            kind,
            write: TicketWrite::update(before.version, next),
            activity: Activity::default(),
        }
    }

    fn ticket(&mut self) -> &mut Ticket {
        &mut self.write.ticket
    }

    /// The status `step` leads to, or the typed error.
    fn target(&self, step: Step) -> Result<Status> {
        next_status(self.write.ticket.status, step).ok_or(Error::InvalidTransition {
            from: self.before.status,
            command: self.kind,
        })
    }

    fn event(&mut self, change: Change) {
        self.write.events.push(TicketEvent {
            id: EventId::new(),
            ticket_id: self.before.id,
            actor: self.ctx.actor,
            at: self.ctx.now,
            change,
            origin: None,
        });
    }

    fn set_status(&mut self, to: Status) {
        let now = self.ctx.now;
        if let Some(change) = change_status(self.ticket(), to, now) {
            self.event(change);
        }
    }

    fn message(&mut self, visibility: Visibility, body: MessageBody, attachments: Vec<Attachment>) {
        let id = MessageId::new();
        // A line said in a live chat is a chat line, not an e-mail reply: it goes unsigned.
        let body = match (self.ctx.actor, visibility, self.ctx.agent) {
            (Actor::Agent(_), Visibility::Public, Some(agent))
                if self.ctx.channel != Channel::Chat =>
            {
                with_signature(body, agent)
            }
            _ => body,
        };
        if visibility == Visibility::Public {
            match self.ctx.actor {
                Actor::Customer(_) => self.activity.customer_message = true,
                Actor::Agent(_) => self.activity.agent_reply = true,
                Actor::System => {}
            }
        }
        let first_response = visibility == Visibility::Public
            && matches!(self.ctx.actor, Actor::Agent(_))
            && self.write.ticket.first_response_at.is_none();
        if first_response {
            self.ticket().first_response_at = Some(self.ctx.now);
        }
        self.write.messages.push(Message {
            id,
            ticket_id: self.before.id,
            author: self.ctx.actor,
            visibility,
            channel: self.ctx.channel,
            body,
            attachments,
            created_at: self.ctx.now,
            origin: None,
        });
        self.event(match visibility {
            Visibility::Public => Change::Replied {
                message: id,
                first_response,
            },
            Visibility::Internal => Change::NoteAdded { message: id },
        });
    }

    /// The write, with its timers brought up to date.
    fn finish(mut self) -> TicketWrite {
        let kind = crate::policy::CustomerFacts::of(self.ctx.customer);
        advance(
            Some(self.before),
            &mut self.write.ticket,
            self.activity,
            self.ctx.levels,
            kind,
            self.ctx.now,
        );
        self.write
    }

    fn plan(self) -> Plan {
        Plan::Write(vec![self.finish()])
    }
}

/// Moves `t` to `to` at `now`, keeping its resolved and closed instants right; the history
/// entry for it, unless it already was there.
pub(super) fn change_status(t: &mut Ticket, to: Status, now: DateTime<Utc>) -> Option<Change> {
    let from = t.status;
    if from == to {
        return None;
    }
    t.status = to;
    match to {
        Status::Resolved => t.resolved_at = Some(now),
        Status::Closed(r) => {
            t.closed_at = Some(now);
            if r == Resolution::Solved && t.resolved_at.is_none() {
                t.resolved_at = Some(now);
            }
        }
        _ => {
            t.resolved_at = None;
            t.closed_at = None;
        }
    }
    Some(Change::StatusChanged { from, to })
}

/// Checks a "come back to it then" instant: it must be in the future.
fn check_until(until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<()> {
    match until {
        Some(at) if at <= now => Err(Error::validation("until", "must be in the future")),
        _ => Ok(()),
    }
}

/// Appends the agent's signature to a public reply (seed 003), once; never to a line said in
/// a live chat.
fn with_signature(body: MessageBody, agent: &Agent) -> MessageBody {
    let signature = agent.signature.as_str();
    if signature.is_empty() || body.as_str().ends_with(signature) {
        return body;
    }
    MessageBody::parse(format!("{body}\n\n-- \n{signature}")).unwrap_or(body)
}

/// Decides `command` on `ticket`: checks permissions and the status table and returns the
/// plan. Pure: it reads only its arguments. A context that lacks what the command needs (the
/// acting agent, the new assignee, the target department, the related ticket) is a
/// validation error naming the missing part (`context.new_assignee`, ...), never a panic.
pub fn decide(ticket: &Ticket, command: Command, ctx: &Context<'_>) -> Result<Plan> {
    authorize(ticket, &command, ctx)?;
    let kind = command.kind();
    let mut d = Draft::new(ticket, ctx, kind);
    match command {
        Command::Reply { body, attachments } => {
            if let Actor::Customer(_) = ctx.actor {
                if ticket.status.is_closed() && ticket.status != Status::Closed(Resolution::Merged)
                {
                    match ctx.department.follow_up {
                        FollowUpPolicy::Reopen => {}
                        FollowUpPolicy::Reject => {
                            return Err(Error::forbidden(ForbiddenReason::FollowUpRejected));
                        }
                        FollowUpPolicy::NewTicket => {
                            return Ok(Plan::OpenFollowUp { body, attachments });
                        }
                    }
                    d.message(Visibility::Public, body, attachments);
                    d.set_status(Status::Open);
                } else {
                    let to = d.target(Step::CustomerReply)?;
                    d.message(Visibility::Public, body, attachments);
                    d.set_status(to);
                }
            } else {
                let to = d.target(Step::AgentReply)?;
                d.message(Visibility::Public, body, attachments);
                d.set_status(to);
            }
        }
        Command::AddNote { body, attachments } => {
            d.target(Step::Note)?;
            d.message(Visibility::Internal, body, attachments);
        }
        Command::Assign { agent } => {
            d.target(Step::Edit)?;
            if agent == ticket.assignee {
                return Ok(Plan::NoChange);
            }
            if agent.is_some() {
                let assignee = loaded(ctx.new_assignee, "context.new_assignee")?;
                if !assignee.can(Permission::Read, ticket.department) {
                    return Err(Error::validation(
                        "agent",
                        "cannot work in this ticket's department",
                    ));
                }
            }
            d.ticket().assignee = agent;
            d.event(Change::AssigneeChanged {
                from: ticket.assignee,
                to: agent,
            });
        }
        Command::ChangePriority { priority } => {
            d.target(Step::Edit)?;
            if priority == ticket.priority {
                return Ok(Plan::NoChange);
            }
            check_priority_cap(ticket, priority, ctx)?;
            d.ticket().priority = priority;
            d.event(Change::PriorityChanged {
                from: ticket.priority,
                to: priority,
            });
        }
        Command::RateSatisfaction { score, comment } => {
            if ticket.status != Status::Closed(Resolution::Solved) {
                return Err(Error::InvalidTransition {
                    from: ticket.status,
                    command: kind,
                });
            }
            if ticket.satisfaction.is_some() {
                return Err(Error::Conflict {
                    entity: crate::error::Entity::Ticket,
                    kind: crate::error::ConflictKind::Duplicate {
                        field: "satisfaction".into(),
                    },
                });
            }
            d.ticket().satisfaction = Some(crate::domain::Satisfaction {
                score,
                comment: comment.clone(),
                at: ctx.now,
            });
            d.event(Change::SatisfactionRated { score, comment });
        }
        Command::RequestPriority { priority, reason } => {
            d.target(Step::Edit)?;
            if reason.as_str().trim().is_empty() {
                return Err(Error::validation(
                    "reason",
                    "say why the ticket is more urgent",
                ));
            }
            if priority <= ticket.priority {
                return Err(Error::validation(
                    "priority",
                    "ask for a priority above the current one",
                ));
            }
            check_request_cap(priority, ctx)?;
            d.ticket().priority_request = Some(crate::domain::PriorityRequest {
                priority,
                reason: reason.clone(),
                at: ctx.now,
            });
            d.event(Change::PriorityRequested { priority, reason });
        }
        Command::DecidePriorityRequest { approve } => {
            d.target(Step::Edit)?;
            let Some(request) = ticket.priority_request.clone() else {
                return Err(Error::validation(
                    "priority_request",
                    "the ticket has no priority request to decide",
                ));
            };
            d.ticket().priority_request = None;
            if approve && request.priority > ticket.priority {
                check_priority_cap(ticket, request.priority, ctx)?;
                d.ticket().priority = request.priority;
                d.event(Change::PriorityChanged {
                    from: ticket.priority,
                    to: request.priority,
                });
            }
            d.event(Change::PriorityRequestDecided {
                priority: request.priority,
                approved: approve,
            });
        }
        Command::MoveToDepartment { department } => {
            d.target(Step::Edit)?;
            if department == ticket.department {
                return Ok(Plan::NoChange);
            }
            let target = loaded(ctx.target_department, "context.target_department")?;
            if !target.active {
                return Err(Error::validation("department", "is not accepting tickets"));
            }
            d.ticket().department = department;
            d.event(Change::DepartmentChanged {
                from: ticket.department,
                to: department,
            });
            if ticket.assignee.is_some() {
                d.ticket().assignee = None;
                d.event(Change::AssigneeChanged {
                    from: ticket.assignee,
                    to: None,
                });
            }
        }
        Command::SetType { ticket_type } => {
            d.target(Step::Edit)?;
            if ticket_type == ticket.ticket_type {
                return Ok(Plan::NoChange);
            }
            d.ticket().ticket_type = ticket_type.clone();
            d.event(Change::TypeChanged {
                from: ticket.ticket_type.clone(),
                to: ticket_type,
            });
        }
        Command::SetCategories { categories } => {
            d.target(Step::Edit)?;
            if categories == ticket.categories {
                return Ok(Plan::NoChange);
            }
            d.event(Change::CategoriesChanged {
                from: ticket.categories.iter().cloned().collect(),
                to: categories.iter().cloned().collect(),
            });
            d.ticket().categories = categories;
        }
        Command::Tag { add, remove } => {
            // Tags are bookkeeping, like notes: any status but merged.
            d.target(Step::Note)?;
            let removed: Vec<_> = (remove.iter())
                .filter(|t| ticket.tags.contains(*t))
                .cloned()
                .collect();
            let added: Vec<_> = (add.iter())
                .filter(|t| !ticket.tags.contains(*t) && !remove.contains(*t))
                .cloned()
                .collect();
            if added.is_empty() && removed.is_empty() {
                return Ok(Plan::NoChange);
            }
            let tags = &mut d.ticket().tags;
            for tag in &removed {
                tags.remove(tag);
            }
            tags.extend(added.iter().cloned());
            d.event(Change::Tagged { added, removed });
        }
        Command::SetService { service } => {
            d.target(Step::Edit)?;
            if service == ticket.service {
                return Ok(Plan::NoChange);
            }
            d.event(Change::ServiceChanged {
                from: ticket.service.clone(),
                to: service.clone(),
            });
            d.ticket().service = service;
        }
        Command::SetCustomFields { fields } => {
            d.target(Step::Edit)?;
            if fields == ticket.custom_fields {
                return Ok(Plan::NoChange);
            }
            d.event(Change::CustomFieldsChanged {
                from: ticket.custom_fields.clone(),
                to: fields.clone(),
            });
            d.ticket().custom_fields = fields;
        }
        Command::AskCustomer { body, until } => {
            let to = d.target(Step::AskCustomer)?;
            check_until(until, ctx.now)?;
            if ticket.customer.is_none() || ticket.internal {
                return Err(Error::validation(
                    "ticket",
                    "an internal ticket has no customer to ask",
                ));
            }
            d.message(Visibility::Public, body, Vec::new());
            d.set_status(to);
            d.ticket().timers.pending_until = until;
        }
        Command::PutOnHold { reason, until } => {
            let to = d.target(Step::Hold)?;
            check_until(until, ctx.now)?;
            if let Some(reason) = reason {
                d.message(Visibility::Internal, reason, Vec::new());
            }
            d.set_status(to);
            d.ticket().timers.pending_until = until;
        }
        Command::Resolve { body } => {
            let to = d.target(Step::Resolve)?;
            if let Some(body) = body {
                d.message(Visibility::Public, body, Vec::new());
            }
            d.set_status(to);
        }
        Command::ConfirmResolution => {
            let to = d.target(Step::Confirm)?;
            d.set_status(to);
        }
        Command::Close { resolution } => {
            let to = d.target(Step::Close(resolution))?;
            d.set_status(to);
        }
        Command::Reopen => {
            let to = d.target(Step::Reopen)?;
            d.set_status(to);
        }
        Command::LinkToMaster { master } => {
            d.target(Step::Edit)?;
            if master == ticket.master {
                return Ok(Plan::NoChange);
            }
            if let Some(id) = master {
                let m = loaded(ctx.related_ticket, "context.related_ticket")?;
                if id == ticket.id || m.master.is_some() {
                    return Err(Error::validation(
                        "master",
                        "must be another ticket that is not itself linked to a master",
                    ));
                }
                if m.status == Status::Closed(Resolution::Merged) {
                    return Err(Error::validation(
                        "master",
                        "was merged into another ticket",
                    ));
                }
            }
            d.ticket().master = master;
            d.event(Change::MasterChanged {
                from: ticket.master,
                to: master,
            });
        }
        Command::MergeInto { target } => {
            let to = d.target(Step::Merge)?;
            let t = loaded(ctx.related_ticket, "context.related_ticket")?;
            if target == ticket.id || t.status.is_closed() {
                return Err(Error::validation(
                    "target",
                    "must be another ticket that is not closed",
                ));
            }
            // The merge writes both tickets: the agent needs the right in both departments.
            if let (Actor::Agent(_), Some(agent)) = (ctx.actor, ctx.agent)
                && !agent.can(required_permission(kind), t.department)
            {
                return Err(Error::forbidden(ForbiddenReason::MissingPermission {
                    permission: required_permission(kind),
                }));
            }
            if t.customer != ticket.customer || t.internal != ticket.internal {
                return Err(Error::validation(
                    "target",
                    "must belong to the same customer",
                ));
            }
            d.ticket().merged_into = Some(target);
            d.event(Change::MergedInto { target });
            d.set_status(to);
            let mut into = Draft::new(t, ctx, kind);
            into.event(Change::MergeReceived { source: ticket.id });
            return Ok(Plan::Write(vec![d.finish(), into.finish()]));
        }
        Command::LogTime {
            minutes,
            billable,
            note,
            note_visible_to_customer,
        } => {
            d.target(Step::Note)?;
            let Actor::Agent(agent) = ctx.actor else {
                return Err(Error::validation("agent", "only agents log time"));
            };
            let entry = TimeEntryId::new();
            d.write.time_entries.push(TimeEntry {
                id: entry,
                ticket_id: ticket.id,
                agent,
                minutes,
                billable,
                note,
                note_visible_to_customer,
                created_at: ctx.now,
            });
            d.event(Change::TimeLogged {
                entry,
                minutes,
                billable,
            });
        }
    }
    Ok(d.plan())
}
