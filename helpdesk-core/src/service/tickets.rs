//! Opening tickets and running commands on them.

use super::Helpdesk;
use super::access::{Principal, check_visible};
use super::attachments::{Staged, Upload};
use crate::domain::{Actor, Channel, Ticket, TicketId, Version};
use crate::error::{ConflictKind, Entity, Error, Result};
use crate::machine::{
    Command, Context, CreateContext, NewTicket, Plan, authorize_create, decide, decide_create,
};
use crate::store::{StoreExt, WriteBatch};

/// What a command did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The ticket changed; here is its new state.
    Changed(Ticket),
    /// The command asked for what already was (e.g. the same priority); nothing was written.
    Unchanged(Ticket),
    /// The customer's reply to a closed ticket opened a new ticket that follows it up.
    FollowUpOpened {
        /// The closed ticket, unchanged.
        closed: TicketId,
        /// The new ticket.
        ticket: Ticket,
    },
}

impl Outcome {
    /// The ticket the command left the actor looking at.
    pub fn ticket(&self) -> &Ticket {
        match self {
            Outcome::Changed(t) | Outcome::Unchanged(t) => t,
            Outcome::FollowUpOpened { ticket, .. } => ticket,
        }
    }
}

/// How to run a command.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExecOptions {
    /// The version the actor saw. When given, a ticket changed since is a
    /// [`Conflict`](Error::Conflict) and nothing is written; when absent, a concurrent
    /// change makes the desk decide the command again on the new state (up to a few times).
    pub expected: Option<Version>,
    /// How the command came in; new messages get this channel.
    pub channel: Channel,
}

const RETRIES: usize = 3;

impl Helpdesk {
    /// Opens a ticket. Customers open their own; agents open tickets for customers (phone
    /// tickets) and internal tickets; the system opens any.
    pub async fn open_ticket(&self, actor: Actor, new: NewTicket) -> Result<Ticket> {
        self.open_ticket_with_uploads(actor, new, Vec::new()).await
    }

    /// Opens a ticket whose first message carries `uploads`. They are checked against the
    /// [`AttachmentLimits`](super::AttachmentLimits) first: over a limit, the error is
    /// [`Error::LimitExceeded`] and nothing is stored.
    pub async fn open_ticket_with_uploads(
        &self,
        actor: Actor,
        mut new: NewTicket,
        uploads: Vec<Upload>,
    ) -> Result<Ticket> {
        let mut staged = Staged::default();
        let added = self.stage(new.attachments.len(), uploads, &mut staged)?;
        new.attachments.extend(added);
        self.open_ticket_following(actor, new, None, &staged).await
    }

    pub(crate) async fn open_ticket_following(
        &self,
        actor: Actor,
        new: NewTicket,
        follow_up_of: Option<TicketId>,
        staged: &Staged,
    ) -> Result<Ticket> {
        let principal = self.principal(actor).await?;
        let customer = match (&principal, new.customer) {
            (Principal::Customer(c), _) => Some(c.clone()),
            (_, Some(id)) => Some(self.store.require_customer(id).await?),
            (_, None) => None,
        };
        let department = self.store.require_department(new.department).await?;
        let master = match new.master {
            Some(id) => {
                let master = self.store.require_ticket(id).await?;
                check_visible(&principal, &master)?;
                Some(master)
            }
            None => None,
        };
        let now = self.now();
        let ctx = CreateContext {
            actor,
            agent: principal.agent(),
            customer: customer.as_ref(),
            department: &department,
            master: master.as_ref(),
            follow_up_of,
            priority_policy: self.priority.as_ref(),
            levels: &self.levels,
            now,
        };
        authorize_create(&new, &ctx)?;
        let sequence = self.store.next_ticket_sequence().await?;
        let number = self.numbers.generate(sequence, now);
        let write = decide_create(new, &ctx, number)?;
        let ticket = write.ticket.clone();
        self.commit(WriteBatch::one(write), staged).await?;
        Ok(ticket)
    }

    /// Runs `command` on a ticket, from the web channel, retrying on concurrent changes.
    pub async fn execute(
        &self,
        actor: Actor,
        ticket: TicketId,
        command: Command,
    ) -> Result<Outcome> {
        self.execute_with(actor, ticket, command, ExecOptions::default())
            .await
    }

    /// Runs `command` on a ticket with `options`.
    pub async fn execute_with(
        &self,
        actor: Actor,
        ticket: TicketId,
        command: Command,
        options: ExecOptions,
    ) -> Result<Outcome> {
        self.execute_with_uploads(actor, ticket, command, Vec::new(), options)
            .await
    }

    /// Runs a reply or a note whose message carries `uploads` (checked against the
    /// [`AttachmentLimits`](super::AttachmentLimits) before anything is written; over a
    /// limit, [`Error::LimitExceeded`] and nothing is stored). Uploads on any other command
    /// are a validation error.
    pub async fn execute_with_uploads(
        &self,
        actor: Actor,
        ticket: TicketId,
        mut command: Command,
        uploads: Vec<Upload>,
        options: ExecOptions,
    ) -> Result<Outcome> {
        let mut staged = Staged::default();
        if !uploads.is_empty() {
            match &mut command {
                Command::Reply { attachments, .. } | Command::AddNote { attachments, .. } => {
                    let added = self.stage(attachments.len(), uploads, &mut staged)?;
                    attachments.extend(added);
                }
                _ => {
                    return Err(Error::validation(
                        "attachments",
                        "only replies and notes carry attachments",
                    ));
                }
            }
        }
        let principal = self.principal(actor).await?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self
                .execute_once(&principal, actor, ticket, command.clone(), options, &staged)
                .await;
            match result {
                Err(Error::Conflict {
                    kind: ConflictKind::StaleVersion { .. },
                    ..
                }) if options.expected.is_none() && attempt < RETRIES => continue,
                other => return other,
            }
        }
    }

    pub(crate) async fn execute_once(
        &self,
        principal: &Principal,
        actor: Actor,
        id: TicketId,
        command: Command,
        options: ExecOptions,
        staged: &Staged,
    ) -> Result<Outcome> {
        let ticket = self.visible_ticket(principal, id).await?;
        if let Some(expected) = options.expected
            && expected != ticket.version
        {
            return Err(Error::Conflict {
                entity: Entity::Ticket,
                kind: ConflictKind::StaleVersion {
                    expected,
                    actual: ticket.version,
                },
            });
        }
        let department = self.store.require_department(ticket.department).await?;
        let customer = match ticket.customer {
            Some(c) => self.store.customer(c).await?,
            None => None,
        };
        let related_id = match &command {
            Command::LinkToMaster { master } => *master,
            Command::MergeInto { target } => Some(*target),
            _ => None,
        };
        let related_ticket = match related_id {
            Some(rid) => Some(self.visible_ticket(principal, rid).await?),
            None => None,
        };
        let target_department = match &command {
            Command::MoveToDepartment { department } => {
                Some(self.store.require_department(*department).await?)
            }
            _ => None,
        };
        let new_assignee = match &command {
            Command::Assign { agent: Some(a) } => Some(self.store.require_agent(*a).await?),
            _ => None,
        };
        let ctx = Context {
            actor,
            agent: principal.agent(),
            department: &department,
            customer: customer.as_ref(),
            related_ticket: related_ticket.as_ref(),
            target_department: target_department.as_ref(),
            new_assignee: new_assignee.as_ref(),
            priority_policy: self.priority.as_ref(),
            levels: &self.levels,
            channel: options.channel,
            now: self.now(),
        };
        match decide(&ticket, command, &ctx)? {
            Plan::NoChange => Ok(Outcome::Unchanged(ticket)),
            Plan::Write(writes) => {
                let changed = writes
                    .first()
                    .map(|w| w.ticket.clone())
                    .expect("a plan writes at least the ticket");
                self.commit(WriteBatch::of(writes), staged).await?;
                Ok(Outcome::Changed(changed))
            }
            Plan::OpenFollowUp { body, attachments } => {
                let mut new = NewTicket::new(ticket.subject.clone(), body, ticket.department);
                new.customer = ticket.customer;
                new.ticket_type = ticket.ticket_type.clone();
                new.categories = ticket.categories.clone();
                new.service = ticket.service.clone();
                new.channel = options.channel;
                new.attachments = attachments;
                let opened = self
                    .open_ticket_following(actor, new, Some(ticket.id), staged)
                    .await?;
                Ok(Outcome::FollowUpOpened {
                    closed: ticket.id,
                    ticket: opened,
                })
            }
        }
    }
}
