//! What a change causes beyond the ticket: in-app notifications for the people it concerns
//! and e-mail to the customer, added to the change's own [`WriteBatch`] so they commit with
//! it or not at all (the transactional outbox).
//!
//! The rules ([`effects_of`]) are pure:
//! - a new ticket: its department's agents are notified; the customer gets the "request
//!   received" e-mail;
//! - a customer's reply: the assignee is notified, or the department's agents when nobody is;
//! - an agent's public reply: the customer is notified and e-mailed (the reply carries the
//!   agent's signature);
//! - an internal note: the assignee only; customers never hear of notes;
//! - an assignment: the new assignee;
//! - SLA warnings and breaches: the assignee, or the department's supervisors (its agents
//!   when it has no supervisor);
//! - a pending reminder and a customer's priority request: the assignee, or the
//!   department's agents;
//! - a live chat waiting in the queue: the department's agents who may reply;
//! - the auto-close warning, resolving and closing: the customer;
//! - followers of the ticket (agents who follow it, and its assignee): customers' replies,
//!   agents' replies, notes and status changes (one that comes with a reply or note is
//!   told as that message); an agent an internal note mentions
//!   ([`mentioned_agents`]) gets [`NotificationKind::Mention`] instead of the note's
//!   notification;
//! - an agent's public reply e-mailed to the customer is copied (`Cc`) to the ticket's CC
//!   addresses; nothing else is.
//!
//! Live chat says nothing by itself: a chat's lines (and the chat's opening) cause no
//! notification and no e-mail; the customer gets the transcript once at the end if they ask
//! ([`Acting::end_chat_with`](super::Acting::end_chat_with)).
//!
//! Each agent hears of an event as their notification preferences say: in the app, by
//! e-mail (in their language, through the outbox, see `agent_notices`), both or not at all.
//!
//! Nobody is notified of their own action; inactive agents, customers without portal
//! access and internal tickets' customers get nothing.

use std::collections::HashMap;

use super::agent_notices::AgentNotice;
use super::{Helpdesk, MailSettings};
use crate::domain::{
    Actor, Agent, AgentId, Change, Channel, Customer, CustomerId, Delivery, Email, EmailKind,
    Language, MailReference, Notification, NotificationId, NotificationKind, NotificationState,
    OutboundEmail, OutboxId, Permission, PublicUrl, Recipient, Status, Ticket, TicketEvent,
    mentioned_agents,
};
use crate::error::Result;
use crate::render::{EmailContext, render_email};
use crate::store::{TicketWrite, WriteBatch};

/// One consequence of one event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Effect {
    /// An in-app notification.
    Notify(Recipient, NotificationKind),
    /// An e-mail to the ticket's customer, with the text it carries.
    EmailCustomer(EmailKind, Option<String>),
}

/// Who a ticket's events may concern.
pub(crate) struct People<'a> {
    /// Every agent (inactive ones are skipped).
    pub agents: &'a [Agent],
    /// The ticket's customer, if any.
    pub customer: Option<&'a Customer>,
    /// The agents following the ticket (its assignee among them).
    pub followers: &'a [AgentId],
}

impl People<'_> {
    fn department_agents(&self, ticket: &Ticket) -> Vec<AgentId> {
        self.agents
            .iter()
            .filter(|a| a.active && a.departments.contains_key(&ticket.department))
            .map(|a| a.id)
            .collect()
    }

    fn assignee_or_department(&self, ticket: &Ticket) -> Vec<AgentId> {
        match ticket.assignee {
            Some(a) => vec![a],
            None => self.department_agents(ticket),
        }
    }

    /// The assignee; else the department's supervisors (agents of role
    /// [`Role::Supervisor`](crate::domain::Role) in it); else, when it has none, its agents.
    fn assignee_or_supervisors(&self, ticket: &Ticket) -> Vec<AgentId> {
        if let Some(a) = ticket.assignee {
            return vec![a];
        }
        let supervisors: Vec<AgentId> = self
            .agents
            .iter()
            .filter(|a| {
                a.active
                    && a.role == crate::domain::Role::Supervisor
                    && a.departments.contains_key(&ticket.department)
            })
            .map(|a| a.id)
            .collect();
        if supervisors.is_empty() {
            self.department_agents(ticket)
        } else {
            supervisors
        }
    }

    /// The department's agents who may reply in it (who take its chats).
    fn department_repliers(&self, ticket: &Ticket) -> Vec<AgentId> {
        self.agents
            .iter()
            .filter(|a| {
                a.departments.contains_key(&ticket.department)
                    && a.can(crate::domain::Permission::Reply, ticket.department)
            })
            .map(|a| a.id)
            .collect()
    }

    fn reachable_customer(&self, ticket: &Ticket) -> Option<&Customer> {
        self.customer
            .filter(|c| !ticket.internal && c.access_enabled && ticket.customer == Some(c.id))
    }
}

/// What `event` of `write` causes.
pub(crate) fn effects_of(
    write: &TicketWrite,
    event: &TicketEvent,
    people: &People<'_>,
) -> Vec<Effect> {
    let t = &write.ticket;
    let mut effects = Vec::new();
    let agents = |ids: Vec<AgentId>, kind: NotificationKind, effects: &mut Vec<Effect>| {
        for id in ids {
            if event.actor != Actor::Agent(id)
                && people.agents.iter().any(|a| a.id == id && a.active)
            {
                effects.push(Effect::Notify(Recipient::Agent(id), kind));
            }
        }
    };
    // Followers who may still read the ticket.
    let followers = |kind: NotificationKind, effects: &mut Vec<Effect>| {
        for id in people.followers {
            if event.actor != Actor::Agent(*id)
                && (people.agents.iter())
                    .any(|a| a.id == *id && a.can(Permission::Read, t.department))
            {
                effects.push(Effect::Notify(Recipient::Agent(*id), kind));
            }
        }
    };
    // A status change that comes with a reply or a note (a reply waiting on the customer)
    // is told to followers as that message.
    let with_message = (write.events.iter())
        .any(|e| matches!(e.change, Change::Replied { .. } | Change::NoteAdded { .. }));
    let status_to_followers = |effects: &mut Vec<Effect>| {
        if !with_message {
            followers(NotificationKind::StatusChanged, effects);
        }
    };
    let customer = people.reachable_customer(t);
    let notify_customer = |kind: NotificationKind, effects: &mut Vec<Effect>| {
        if let Some(c) = customer
            && event.actor != Actor::Customer(c.id)
        {
            effects.push(Effect::Notify(Recipient::Customer(c.id), kind));
        }
    };
    match &event.change {
        // A chat's ticket opens with the customer's first line: the chat tells agents when
        // it waits for them, and the customer gets no "request received" e-mail.
        Change::Created { .. } if t.channel == Channel::Chat => {}
        Change::Created { .. } => {
            agents(
                people.department_agents(t),
                NotificationKind::NewTicket,
                &mut effects,
            );
            if customer.is_some() {
                effects.push(Effect::EmailCustomer(EmailKind::TicketReceived, None));
            }
        }
        Change::Replied { message, .. } => {
            let opening = write
                .events
                .iter()
                .any(|e| matches!(e.change, Change::Created { .. }));
            let Some(m) = write.messages.iter().find(|m| m.id == *message) else {
                return effects;
            };
            // A live chat's line is no e-mail reply: nobody is notified or mailed per line.
            if opening || m.channel == Channel::Chat {
                // The ticket's first message: "new ticket" says it all.
                return effects;
            }
            match m.author {
                Actor::Customer(_) => {
                    agents(
                        people.assignee_or_department(t),
                        NotificationKind::CustomerReplied,
                        &mut effects,
                    );
                    followers(NotificationKind::CustomerReplied, &mut effects);
                }
                Actor::Agent(_) | Actor::System => {
                    followers(NotificationKind::AgentReplied, &mut effects);
                    notify_customer(NotificationKind::AgentReplied, &mut effects);
                    if customer.is_some() && m.is_public() {
                        effects.push(Effect::EmailCustomer(
                            EmailKind::AgentReply,
                            Some(m.body.as_str().to_owned()),
                        ));
                    }
                }
            }
        }
        Change::NoteAdded { message } => {
            if let Some(m) = write.messages.iter().find(|m| m.id == *message) {
                let named: Vec<AgentId> = mentioned_agents(m.body.as_str(), people.agents)
                    .into_iter()
                    .filter(|id| {
                        (people.agents.iter())
                            .any(|a| a.id == *id && a.can(Permission::Read, t.department))
                    })
                    .collect();
                agents(named, NotificationKind::Mention, &mut effects);
            }
            if let Some(a) = t.assignee {
                agents(vec![a], NotificationKind::NoteAdded, &mut effects);
            }
            followers(NotificationKind::NoteAdded, &mut effects);
        }
        Change::AssigneeChanged { to: Some(a), .. } => {
            agents(vec![*a], NotificationKind::Assigned, &mut effects);
        }
        Change::SlaWarning { target } => agents(
            people.assignee_or_supervisors(t),
            NotificationKind::SlaWarning { target: *target },
            &mut effects,
        ),
        Change::SlaBreached { target } => agents(
            people.assignee_or_supervisors(t),
            NotificationKind::SlaBreached { target: *target },
            &mut effects,
        ),
        Change::PendingReminder => agents(
            people.assignee_or_department(t),
            NotificationKind::PendingReminder,
            &mut effects,
        ),
        Change::PriorityRequested { .. } => agents(
            people.assignee_or_department(t),
            NotificationKind::PriorityRequested,
            &mut effects,
        ),
        Change::ChatWaiting => agents(
            people.department_repliers(t),
            NotificationKind::ChatWaiting,
            &mut effects,
        ),
        Change::AutoCloseWarning { closes_at } => {
            notify_customer(
                NotificationKind::AutoCloseWarning {
                    closes_at: *closes_at,
                },
                &mut effects,
            );
            if customer.is_some() {
                effects.push(Effect::EmailCustomer(EmailKind::AutoCloseWarning, None));
            }
        }
        Change::StatusChanged {
            to: Status::Resolved,
            ..
        } => {
            status_to_followers(&mut effects);
            notify_customer(NotificationKind::Resolved, &mut effects);
            if customer.is_some() {
                effects.push(Effect::EmailCustomer(EmailKind::Resolved, None));
            }
        }
        Change::StatusChanged {
            to: Status::Closed(_),
            ..
        } => {
            status_to_followers(&mut effects);
            let by_customer = customer.is_some_and(|c| event.actor == Actor::Customer(c.id));
            if customer.is_some() && !by_customer && t.merged_into.is_none() {
                effects.push(Effect::EmailCustomer(EmailKind::Closed, None));
            }
        }
        Change::StatusChanged { .. } => status_to_followers(&mut effects),
        _ => {}
    }
    // One notification per person and event: the first reason (a mention before the note).
    let mut told: Vec<Recipient> = Vec::new();
    effects.retain(|e| match e {
        Effect::Notify(r, _) if told.contains(r) => false,
        Effect::Notify(r, _) => {
            told.push(*r);
            true
        }
        Effect::EmailCustomer(..) => true,
    });
    effects
}

/// Whether `event` of `write` may concern the ticket's followers: a reply after the first
/// message, a note, a status change.
fn concerns_followers(write: &TicketWrite, event: &TicketEvent) -> bool {
    match &event.change {
        Change::Replied { .. } => {
            !(write.events.iter()).any(|e| matches!(e.change, Change::Created { .. }))
        }
        Change::NoteAdded { .. } | Change::StatusChanged { .. } => true,
        _ => false,
    }
}

/// People the caller already loaded (the ticket's customer, mostly), so that working out the
/// effects reads only what nobody has read yet.
#[derive(Debug, Default)]
pub(crate) struct Known {
    customers: Vec<Customer>,
    /// The agent directory, when the caller read it already.
    agents: Option<Vec<Agent>>,
    /// The stored value of the mail settings, when the caller read it already.
    stored_mail: Option<Option<String>>,
    /// The automation rules, when the caller read them already (with its other reads).
    rules: Option<Vec<crate::automation::Rule>>,
    /// The webhook endpoints, when the caller read them already (with its other reads).
    webhooks: Option<Vec<crate::webhooks::WebhookEndpoint>>,
}

impl Known {
    /// `customer` is known, when there is one.
    pub(crate) fn customer(customer: Option<Customer>) -> Self {
        Self {
            customers: customer.into_iter().collect(),
            ..Self::default()
        }
    }

    /// `customers` are known.
    pub(crate) fn customers(customers: Vec<Customer>) -> Self {
        Self {
            customers,
            ..Self::default()
        }
    }

    /// The agent directory is known too, when read (`None`: not read).
    pub(crate) fn with_agents(mut self, agents: Option<Vec<Agent>>) -> Self {
        self.agents = agents;
        self
    }

    /// The stored value of the mail settings ([`SettingKey::Mail`](crate::store::SettingKey))
    /// is known too (`None`: none stored).
    pub(crate) fn with_stored_mail(mut self, stored: Option<String>) -> Self {
        self.stored_mail = Some(stored);
        self
    }

    /// The automation rules are known too, when read (`None`: not read).
    pub(crate) fn with_rules(mut self, rules: Option<Vec<crate::automation::Rule>>) -> Self {
        self.rules = rules;
        self
    }

    /// The webhook endpoints are known too, when read (`None`: not read).
    pub(crate) fn with_webhooks(
        mut self,
        webhooks: Option<Vec<crate::webhooks::WebhookEndpoint>>,
    ) -> Self {
        self.webhooks = webhooks;
        self
    }

    /// The webhook endpoints, when the caller read them.
    pub(crate) fn webhooks(&self) -> Option<&[crate::webhooks::WebhookEndpoint]> {
        self.webhooks.as_deref()
    }

    /// The customer `id`, when the caller read them.
    pub(crate) fn known_customer(&self, id: CustomerId) -> Option<&Customer> {
        self.customers.iter().find(|c| c.id == id)
    }

    /// The automation rules, when the caller read them.
    pub(crate) fn rules(&self) -> Option<&[crate::automation::Rule]> {
        self.rules.as_deref()
    }
}

/// Whether working out what `event` of `write` causes needs the agent directory: agents are
/// told of new tickets, customers' replies, notes, assignments and SLA warnings and breaches;
/// an agent's reply or a status change concerns only the customer.
fn concerns_agents(write: &TicketWrite, event: &TicketEvent) -> bool {
    match &event.change {
        Change::Replied { message, .. } => write.messages.iter().any(|m| {
            m.id == *message && matches!(m.author, Actor::Customer(_)) && m.channel != Channel::Chat
        }),
        Change::Created { .. } => write.ticket.channel != Channel::Chat,
        Change::NoteAdded { .. }
        | Change::PendingReminder
        | Change::PriorityRequested { .. }
        | Change::ChatWaiting
        | Change::AssigneeChanged { .. }
        | Change::SlaWarning { .. }
        | Change::SlaBreached { .. } => true,
        _ => false,
    }
}

/// The most Message-IDs an e-mail's `References` lists (the first and the latest ones).
const MAX_REFERENCES: usize = 10;

impl Helpdesk {
    /// `batch` with the notifications, outbox e-mails and mail references its events cause.
    /// People in `known` are not read again.
    pub(crate) async fn with_effects(
        &self,
        mut batch: WriteBatch,
        known: &Known,
    ) -> Result<WriteBatch> {
        let events = batch.writes.iter().map(|w| w.events.len()).sum::<usize>();
        if events == 0 {
            return Ok(batch);
        }
        // The followers of each write's ticket, read when one of its events may concern them
        // and the store keeps them (the assignee always counts).
        let mut followers: Vec<Vec<AgentId>> = Vec::with_capacity(batch.writes.len());
        for w in &batch.writes {
            let ids = match self.store.as_follower_store() {
                Some(store) if w.events.iter().any(|e| concerns_followers(w, e)) => {
                    super::followers::followers_of(store, &w.ticket).await?
                }
                _ => Vec::new(),
            };
            followers.push(ids);
        }
        let needs_agents = (batch.writes.iter())
            .any(|w| w.events.iter().any(|e| concerns_agents(w, e)))
            || followers.iter().any(|f| !f.is_empty());
        let read;
        let agents: &[Agent] = match (&known.agents, needs_agents) {
            (Some(agents), true) => agents,
            (None, true) => {
                read = self.store.agents().await?;
                &read
            }
            (_, false) => &[],
        };
        let mut customers: HashMap<crate::domain::CustomerId, Option<Customer>> = known
            .customers
            .iter()
            .map(|c| (c.id, Some(c.clone())))
            .collect();
        // Read when the first e-mail is written, once for the batch.
        let mut public_url: Option<Option<PublicUrl>> = None;
        // The mail settings in force, read at the first e-mail effect, once for the batch.
        let mut mail: Option<Option<std::sync::Arc<MailSettings>>> = None;
        let mut notifications = Vec::new();
        let mut outbox = Vec::new();
        let mut references = Vec::new();
        let mut for_agents = Vec::new();
        for (write, followers) in batch.writes.iter().zip(&followers) {
            let customer = match write.ticket.customer {
                Some(id) => {
                    if let std::collections::hash_map::Entry::Vacant(slot) = customers.entry(id) {
                        slot.insert(self.store.customer(id).await?);
                    }
                    customers.get(&id).and_then(Option::as_ref)
                }
                None => None,
            };
            let people = People {
                agents,
                customer,
                followers,
            };
            let mut thread: Option<Vec<String>> = None;
            // The ticket's CC addresses, read at its first agent's reply e-mailed.
            let mut cc: Option<Vec<Email>> = None;
            for event in &write.events {
                for effect in effects_of(write, event, &people) {
                    match effect {
                        // Told as each agent's preferences say, once all are known.
                        Effect::Notify(Recipient::Agent(agent), kind) => {
                            for_agents.push(AgentNotice {
                                agent,
                                kind,
                                ticket: &write.ticket,
                                event,
                            });
                        }
                        Effect::Notify(recipient, kind) => notifications.push(Notification {
                            id: NotificationId::new(),
                            recipient,
                            ticket_id: write.ticket.id,
                            event_id: event.id,
                            kind,
                            created_at: event.at,
                            state: NotificationState::default(),
                        }),
                        Effect::EmailCustomer(kind, text) => {
                            let Some(c) = customer else { continue };
                            let Some(to) = c.email.clone() else { continue };
                            if mail.is_none() {
                                mail = Some(match &known.stored_mail {
                                    Some(stored) => self.mail_in_force_from(stored.as_deref())?,
                                    None => self.mail_in_force().await?,
                                });
                            }
                            let Some(settings) = mail.as_ref().and_then(Option::as_deref) else {
                                continue;
                            };
                            if kind == EmailKind::TicketReceived
                                && (settings
                                    .own_addresses()
                                    .iter()
                                    .any(|own| crate::mail::class::never_auto_answered(&to, own))
                                    || self.answered_enough(c, event.at, settings).await?)
                            {
                                continue;
                            }
                            if thread.is_none() {
                                let mut known: Vec<String> = self
                                    .store
                                    .mail_references(write.ticket.id)
                                    .await?
                                    .into_iter()
                                    .map(|r| r.message_id)
                                    .collect();
                                known.extend(
                                    batch
                                        .mail_references
                                        .iter()
                                        .filter(|r| r.ticket_id == write.ticket.id)
                                        .map(|r| r.message_id.clone()),
                                );
                                thread = Some(known);
                            }
                            let known = thread.get_or_insert_with(Vec::new);
                            if public_url.is_none() {
                                public_url = Some(self.public_url().await?);
                            }
                            let language = c.language.unwrap_or(Language::English);
                            let rendered = render_email(
                                kind,
                                language,
                                &EmailContext {
                                    number: &write.ticket.number,
                                    public_url: public_url.as_ref().and_then(Option::as_ref),
                                    subject: write.ticket.subject.as_str(),
                                    recipient_name: c.name.as_str(),
                                    text: text.as_deref(),
                                    closes_at: match event.change {
                                        Change::AutoCloseWarning { closes_at } => Some(closes_at),
                                        _ => None,
                                    },
                                    desk_name: &settings.from_name,
                                },
                            );
                            let copied = match (kind, self.store.as_follower_store()) {
                                (EmailKind::AgentReply, Some(store)) => {
                                    if cc.is_none() {
                                        cc = Some(store.cc_addresses(write.ticket.id).await?);
                                    }
                                    (cc.iter().flatten())
                                        .filter(|a| **a != to)
                                        .cloned()
                                        .collect()
                                }
                                _ => Vec::new(),
                            };
                            let message_id = settings.new_message_id();
                            let email = OutboundEmail {
                                id: OutboxId::new(),
                                message_id: message_id.clone(),
                                ticket_id: Some(write.ticket.id),
                                ticket_number: Some(write.ticket.number.full().to_owned()),
                                kind,
                                language,
                                to,
                                to_name: Some(c.name.as_str().to_owned()),
                                cc: copied,
                                subject: rendered.subject,
                                body: rendered.body,
                                references: trim_references(known),
                                created_at: event.at,
                                attempts: 0,
                                delivery: Delivery::Pending { at: event.at },
                                last_error: None,
                            };
                            references.push(MailReference {
                                message_id: message_id.clone(),
                                ticket_id: write.ticket.id,
                                inbound: false,
                            });
                            known.push(message_id);
                            outbox.push(email);
                        }
                    }
                }
            }
        }
        let told = self
            .tell_agents(&for_agents, agents, &known.stored_mail)
            .await?;
        notifications.extend(told.notifications);
        outbox.extend(told.outbox);
        batch.notifications.extend(notifications);
        batch.outbox.extend(outbox);
        batch.mail_references.extend(references);
        Ok(batch)
    }
}

impl Helpdesk {
    /// Whether `customer` had [`MailSettings::auto_answers_per_hour`] tickets opened in the
    /// hour before `at` (each of which got, or could have got, a "request received"
    /// answer): then no further automatic answer goes out this hour.
    async fn answered_enough(
        &self,
        customer: &Customer,
        at: chrono::DateTime<chrono::Utc>,
        settings: &MailSettings,
    ) -> Result<bool> {
        let filter = crate::listing::TicketFilter {
            customer: Some(customer.id),
            created: crate::listing::TimeRange {
                from: Some(at - chrono::Duration::hours(1)),
                to: None,
            },
            ..Default::default()
        };
        let recent = self.store.count_tickets(&filter).await?;
        Ok(recent >= u64::from(settings.auto_answers_per_hour))
    }
}

/// The first Message-ID of a conversation and the latest ones, at most [`MAX_REFERENCES`].
fn trim_references(known: &[String]) -> Vec<String> {
    if known.len() <= MAX_REFERENCES {
        return known.to_vec();
    }
    let mut kept = vec![known[0].clone()];
    kept.extend_from_slice(&known[known.len() - (MAX_REFERENCES - 1)..]);
    kept
}
