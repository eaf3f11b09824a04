//! Opening tickets and running commands on them.

use super::Acting;
use super::acting::Principal;
use super::attachments::{OnTicket, Staged, Upload};
use super::effects::Known;
use super::retry;
use crate::domain::{Attachment, Channel, Customer, Notice, Ticket, TicketId, TicketKey, Version};
use crate::error::{Entity, Error, ForbiddenReason, Result};
use crate::machine::{
    Command, Context, CreateContext, NewTicket, Plan, authorize_create, decide,
    decide_create_with_notices, may_reach_linked,
};
use crate::store::{ReadSet, ReadTogether, SettingKey, WriteBatch};

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

/// A ticket just opened, and what the desk tells its opener about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// The new ticket.
    pub ticket: Ticket,
    /// What was done otherwise than asked (e.g. a priority above the customer's cap applied
    /// lower), each with its reason; empty when everything is as asked.
    pub notices: Vec<Notice>,
}

/// How to run a command.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExecOptions {
    /// The version the actor saw. When given, a ticket changed since is a
    /// [`Conflict`](Error::Conflict) and nothing is written; when absent, a concurrent
    /// change makes the desk decide the command again on the new state, after a jittered
    /// pause, until it lands: callers that give no version never see a stale-version
    /// conflict (unless a thousand other changes of the ticket land while it tries).
    pub expected: Option<Version>,
    /// How the command came in; new messages get this channel.
    pub channel: Channel,
}

/// Refuses attachment metadata that did not come from this desk's own staging: callers send
/// files as [`Upload`]s, never as stored [`Attachment`]s (which would name any blob by its
/// hash, another customer's file included).
pub(crate) fn refuse_stored(attachments: &[Attachment]) -> Result<()> {
    if attachments.is_empty() {
        Ok(())
    } else {
        Err(Error::validation(
            "attachments",
            "send files as uploads; stored attachments cannot be given",
        ))
    }
}

/// Everything opening `new` decides on and its effects read, in one call: the department,
/// the customer unless they act (`customer_acts`), the agents (a new ticket is told to its
/// department's), the service levels, the mail settings, the priority rules and the triggers.
pub(crate) fn open_reads(new: &NewTicket, customer_acts: bool) -> ReadSet {
    ReadSet {
        departments: vec![new.department],
        customers: (new.customer)
            .filter(|_| !customer_acts)
            .into_iter()
            .collect(),
        agents: true,
        settings: vec![
            SettingKey::ServiceLevels,
            SettingKey::Mail,
            SettingKey::PriorityRules,
        ],
        rules: true,
        webhooks: true,
        ..ReadSet::default()
    }
}

impl Acting {
    /// Opens a ticket. Customers open their own; agents open tickets for customers (phone
    /// tickets) and internal tickets; the system opens any.
    /// What the desk did otherwise than asked is not told: see
    /// [`open_ticket_with_notices`](Self::open_ticket_with_notices).
    pub async fn open_ticket(&self, new: NewTicket) -> Result<Ticket> {
        self.open_ticket_with_uploads(new, Vec::new()).await
    }

    /// Opens a ticket whose first message carries `uploads`. They are checked against the
    /// [`AttachmentLimits`](super::AttachmentLimits) first: over a limit, the error is
    /// [`Error::LimitExceeded`] and nothing is stored. `new.attachments` must be empty.
    pub async fn open_ticket_with_uploads(
        &self,
        new: NewTicket,
        uploads: Vec<Upload>,
    ) -> Result<Ticket> {
        Ok(self.open_ticket_with_notices(new, uploads).await?.ticket)
    }

    /// Opens a ticket (with `uploads`, as
    /// [`open_ticket_with_uploads`](Self::open_ticket_with_uploads) does) and says what was
    /// done otherwise than asked: a priority the rules do not let the ticket have is applied
    /// lower or set by the desk's rule, and [`Opened::notices`] says which and why, for the
    /// opener to be told.
    pub async fn open_ticket_with_notices(
        &self,
        mut new: NewTicket,
        uploads: Vec<Upload>,
    ) -> Result<Opened> {
        refuse_stored(&new.attachments)?;
        self.refuse_channel(&new)?;
        let mut staged = Staged::default();
        if !uploads.is_empty() {
            let limits = self.desk.limits_in_force(Some(new.department)).await?;
            new.attachments =
                (self.desk).stage(&limits, OnTicket::default(), uploads, &mut staged)?;
        }
        self.open_staged(new, None, &staged).await
    }

    /// How a customer's ticket came in is the desk's to say (its mail and chat set it): a
    /// customer opening one here opens it on the web.
    pub(crate) fn refuse_channel(&self, new: &NewTicket) -> Result<()> {
        if matches!(self.principal, Principal::Customer(_)) && new.channel != Channel::Web {
            return Err(Error::forbidden(ForbiddenReason::AgentsOnly));
        }
        Ok(())
    }

    /// Opens a ticket whose attachments were staged by the desk itself.
    pub(crate) async fn open_staged(
        &self,
        new: NewTicket,
        follow_up_of: Option<TicketId>,
        staged: &Staged,
    ) -> Result<Opened> {
        let set = open_reads(&new, self.principal.customer().is_some());
        let read = self.desk.store.read_together(&set).await?;
        self.open_from(new, follow_up_of, staged, read).await
    }

    /// Opens a ticket from what [`open_reads`] read: the decision, then the commit.
    pub(crate) async fn open_from(
        &self,
        new: NewTicket,
        follow_up_of: Option<TicketId>,
        staged: &Staged,
        mut read: ReadTogether,
    ) -> Result<Opened> {
        let customer = match (&self.principal, new.customer) {
            (Principal::Customer(c), _) => Some(c.clone()),
            (_, Some(id)) => Some(
                read.customer(id)
                    .cloned()
                    .ok_or_else(|| Error::not_found(Entity::Customer, id))?,
            ),
            (_, None) => None,
        };
        let department = (read.department(new.department).cloned())
            .ok_or_else(|| Error::not_found(Entity::Department, new.department))?;
        // Customers name no master (opening refuses it): nothing is looked up for them, so
        // the answer never depends on which tickets exist.
        let master = match new.master {
            Some(id) if self.principal.is_staff() => Some(self.visible_ticket(id).await?),
            _ => None,
        };
        let now = self.desk.now();
        let levels = (self.desk).levels_in_force_from(read.setting(SettingKey::ServiceLevels))?;
        let priority =
            (self.desk).priority_in_force_from(read.setting(SettingKey::PriorityRules))?;
        let ctx = CreateContext {
            actor: self.actor(),
            agent: self.principal.agent(),
            customer: customer.as_ref(),
            department: &department,
            master: master.as_ref(),
            follow_up_of,
            priority_policy: priority.as_ref(),
            levels: &levels,
            now,
        };
        authorize_create(&new, &ctx)?;
        let sequence = self.desk.sequence.next(self.desk.store.as_ref()).await?;
        let number = self.desk.numbers.generate(sequence, now);
        let (write, notices) = decide_create_with_notices(new, &ctx, number)?;
        let known = known(customer, &mut read);
        let written = self
            .desk
            .commit(WriteBatch::one(write), staged, &known)
            .await?;
        let ticket = written
            .into_iter()
            .next()
            .ok_or_else(|| Error::validation("batch", "a new ticket's commit writes the ticket"))?;
        Ok(Opened { ticket, notices })
    }

    /// Runs `command` on a ticket, from the web channel, retrying on concurrent changes.
    /// Replies and notes carry no attachments here: see
    /// [`execute_with_uploads`](Self::execute_with_uploads).
    pub async fn execute(&self, ticket: impl Into<TicketKey>, command: Command) -> Result<Outcome> {
        self.execute_with(ticket, command, ExecOptions::default())
            .await
    }

    /// Runs `command` on a ticket with `options`.
    pub async fn execute_with(
        &self,
        ticket: impl Into<TicketKey>,
        command: Command,
        options: ExecOptions,
    ) -> Result<Outcome> {
        self.execute_with_uploads(ticket, command, Vec::new(), options)
            .await
    }

    /// Runs a reply or a note whose message carries `uploads` (checked against the
    /// [`AttachmentLimits`](super::AttachmentLimits) before anything is written; over a
    /// limit, [`Error::LimitExceeded`] and nothing is stored). Uploads on any other command,
    /// and attachments already in the command, are validation errors.
    pub async fn execute_with_uploads(
        &self,
        ticket: impl Into<TicketKey>,
        mut command: Command,
        uploads: Vec<Upload>,
        options: ExecOptions,
    ) -> Result<Outcome> {
        let mut staged = Staged::default();
        let ticket = ticket.into();
        match &mut command {
            Command::Reply { attachments, .. } | Command::AddNote { attachments, .. } => {
                refuse_stored(attachments)?;
                if !uploads.is_empty() {
                    let on = self.visible_ticket(ticket.clone()).await?;
                    let limits = self.desk.limits_in_force(Some(on.department)).await?;
                    let on_ticket = self.desk.on_ticket(&limits, on.id).await?;
                    *attachments = self.desk.stage(&limits, on_ticket, uploads, &mut staged)?;
                }
            }
            _ if uploads.is_empty() => {}
            _ => {
                return Err(Error::validation(
                    "attachments",
                    "only replies and notes carry attachments",
                ));
            }
        }
        let outcome = self
            .execute_staged(ticket, command, options, &staged)
            .await?;
        Ok(self.shown_outcome(outcome))
    }

    /// Runs a command whose attachments the desk staged itself, deciding it again on a
    /// concurrent change when no version was expected (see [`retry`](super::retry)).
    pub(crate) async fn execute_staged(
        &self,
        ticket: TicketKey,
        command: Command,
        options: ExecOptions,
        staged: &Staged,
    ) -> Result<Outcome> {
        self.execute_from(ticket, command, options, staged, None, None)
            .await
    }

    /// [`execute_staged`](Self::execute_staged), its first attempt deciding on `first` (the
    /// reads of [`command_reads`], already made) when given, in the ticket's `turn` when
    /// already taken.
    pub(crate) async fn execute_from(
        &self,
        ticket: TicketKey,
        command: Command,
        options: ExecOptions,
        staged: &Staged,
        mut first: Option<ReadTogether>,
        mut turn: Option<super::turnstile::Turn>,
    ) -> Result<Outcome> {
        // Without an expected version, the command waits for the ticket's turn in this
        // process (see [`turnstile`](super::turnstile)): from the start when the key is the
        // id, else from the first retry, once the read told the id.
        let mut id = match &ticket {
            TicketKey::Id(id) => Some(*id),
            TicketKey::Number(_) => None,
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            if options.expected.is_none()
                && turn.is_none()
                && let Some(id) = id
            {
                turn = Some(self.desk.turnstiles.enter(id).await);
            }
            let result = self
                .execute_once(
                    &ticket,
                    command.clone(),
                    options,
                    staged,
                    first.take(),
                    &mut id,
                )
                .await;
            if options.expected.is_some()
                || attempt >= retry::MAX_ATTEMPTS
                || !retry::is_stale(&result)
            {
                return result;
            }
            retry::pause(attempt).await;
        }
    }

    /// The customer of `ticket`, if it has one.
    pub(crate) async fn customer_of(&self, ticket: &Ticket) -> Result<Option<Customer>> {
        // The acting customer is usually the ticket's: no need to read them again.
        Ok(match (ticket.customer, self.principal.customer()) {
            (Some(id), Some(me)) if me.id == id => Some(me.clone()),
            (Some(id), _) => self.desk.store.customer(id).await?,
            (None, _) => None,
        })
    }

    /// Reads (unless `read` was made already), decides and writes `command` once; `id` is
    /// set to the ticket's id once read.
    async fn execute_once(
        &self,
        key: &TicketKey,
        command: Command,
        options: ExecOptions,
        staged: &Staged,
        read: Option<ReadTogether>,
        id: &mut Option<TicketId>,
    ) -> Result<Outcome> {
        let customer_acts = self.principal.customer().is_some();
        let mut read = match read {
            Some(read) => read,
            None => {
                (self.desk.store)
                    .read_together(&command_reads(customer_acts, key, &command))
                    .await?
            }
        };
        let read_id = read.ticket.as_ref().map(|t| t.id);
        let (ticket, shared) = self.visible_or_shared(key, read.ticket.take()).await?;
        // Seen through the organisation: a colleague may reply, nothing else.
        if shared && !matches!(command, Command::Reply { .. }) {
            return Err(Error::forbidden(ForbiddenReason::CustomersOnly));
        }
        // A reply to a merged ticket goes to the ticket it was merged into.
        let ticket = match &command {
            Command::Reply { .. } => self.reply_target(ticket).await?,
            _ => ticket,
        };
        *id = Some(ticket.id);
        if let Some(expected) = options.expected
            && expected != ticket.version
        {
            return Err(Error::stale(Entity::Ticket, expected, ticket.version));
        }
        let department = match read.department(ticket.department).cloned() {
            Some(d) => d,
            None => (self.desk.store.department(ticket.department).await?)
                .ok_or_else(|| Error::not_found(Entity::Department, ticket.department))?,
        };
        let customer = match ticket.customer.and_then(|c| read.customer(c)) {
            Some(read) => Some(read.clone()),
            None => self.customer_of(&ticket).await?,
        };
        let related_id = match &command {
            Command::LinkToMaster { master } => *master,
            Command::MergeInto { target } => Some(*target),
            _ => None,
        };
        // Customers may not link or merge (deciding refuses it): the ticket they name is not
        // looked up, so the answer never depends on which tickets exist.
        let related_ticket = match related_id {
            Some(rid) if self.principal.is_staff() => Some(self.visible_ticket(rid).await?),
            _ => None,
        };
        let target_department = match &command {
            Command::MoveToDepartment { department } => Some(
                (read.department(*department).cloned())
                    .ok_or_else(|| Error::not_found(Entity::Department, *department))?,
            ),
            _ => None,
        };
        let new_assignee = match &command {
            Command::Assign { agent: Some(a) } => Some(
                (read
                    .agents
                    .iter()
                    .flatten()
                    .find(|agent| agent.id == *a)
                    .cloned())
                .ok_or_else(|| Error::not_found(Entity::Agent, *a))?,
            ),
            _ => None,
        };
        let levels = (self.desk).levels_in_force_from(read.setting(SettingKey::ServiceLevels))?;
        let priority =
            (self.desk).priority_in_force_from(read.setting(SettingKey::PriorityRules))?;
        let ctx = Context {
            actor: self.actor(),
            agent: self.principal.agent(),
            department: &department,
            customer: customer.as_ref(),
            related_ticket: related_ticket.as_ref(),
            target_department: target_department.as_ref(),
            new_assignee: new_assignee.as_ref(),
            priority_policy: priority.as_ref(),
            levels: &levels,
            channel: options.channel,
            now: self.desk.now(),
        };
        let merging = matches!(command, Command::MergeInto { .. });
        match decide(&ticket, command, &ctx)? {
            Plan::NoChange => Ok(Outcome::Unchanged(ticket)),
            Plan::Write(mut writes) => {
                if writes.is_empty() {
                    return Ok(Outcome::Unchanged(ticket));
                }
                if merging {
                    self.add_merge_moves(&ticket, &mut writes).await?;
                }
                // Read with the ticket, unless the reply went on to the one it was merged into.
                let read_linked = read.linked.take().filter(|_| read_id == Some(ticket.id));
                let (linked, mut customers) = (self)
                    .linked_writes(&ticket, &writes[0], &levels, read_linked, customer.as_ref())
                    .await?;
                writes.extend(linked);
                customers.extend(customer);
                let known = known(customers, &mut read);
                let written = self
                    .desk
                    .commit(WriteBatch::of(writes), staged, &known)
                    .await?;
                match written.into_iter().next() {
                    Some(changed) => Ok(Outcome::Changed(changed)),
                    None => Ok(Outcome::Unchanged(ticket)),
                }
            }
            Plan::OpenFollowUp { body, attachments } => {
                let mut new = NewTicket::new(ticket.subject.clone(), body, ticket.department);
                new.customer = ticket.customer;
                new.ticket_type = ticket.ticket_type.clone();
                new.categories = ticket.categories.clone();
                new.service = ticket.service.clone();
                new.channel = options.channel;
                new.attachments = attachments;
                let opened = self.open_staged(new, Some(ticket.id), staged).await?;
                Ok(Outcome::FollowUpOpened {
                    closed: ticket.id,
                    ticket: opened.ticket,
                })
            }
        }
    }
}

/// What deciding `command` on the ticket `key` and its effects read, in one call: the
/// ticket with its department (and its customer, unless a customer acts), a department it
/// moves to, the agents when they may be told (of a customer's reply, a note, an
/// assignment), the service levels, the mail settings, the priority rules and the automation
/// rules, and the tickets linked to it when the command may reach them (should it be a
/// master).
pub(crate) fn command_reads(customer_acts: bool, key: &TicketKey, command: &Command) -> ReadSet {
    ReadSet {
        ticket: Some(key.clone()),
        ticket_department: true,
        ticket_customer: !customer_acts,
        departments: match command {
            Command::MoveToDepartment { department } => vec![*department],
            _ => Vec::new(),
        },
        agents: customer_acts
            || matches!(command, Command::AddNote { .. } | Command::Assign { .. }),
        settings: vec![
            SettingKey::ServiceLevels,
            SettingKey::Mail,
            SettingKey::PriorityRules,
        ],
        ticket_linked: may_reach_linked(command, customer_acts),
        rules: true,
        webhooks: true,
        ..ReadSet::default()
    }
}

/// What the effects of a change need that `read` already holds: `customer`, the agents when
/// read, the stored mail settings, the automation rules.
fn known(customers: impl IntoIterator<Item = Customer>, read: &mut ReadTogether) -> Known {
    let stored_mail = read.setting(SettingKey::Mail).map(str::to_owned);
    Known::customers(customers.into_iter().collect())
        .with_agents(read.agents.take())
        .with_stored_mail(stored_mail)
        .with_rules(read.rules.take())
        .with_webhooks(read.webhooks.take())
}
