//! Triggers at work: the rules a change fires, run inside the change's own [`WriteBatch`]
//! (so they commit with it or not at all), and the action runner macros share.
//!
//! The order: for each write of the batch, the events of the change itself
//! ([`fired_events`]) pick the active rules that match ([`rules_to_fire`], by position);
//! each rule's actions run in order, as the system, through the same
//! [`decide`](crate::machine::decide) an agent's command goes through, on the ticket as the
//! change and the earlier rules left it. An action the ticket's state refuses (setting the
//! priority it has, a note on a closed ticket's status table, ...) is skipped; the log entry
//! ([`RuleFiring`]) lists the actions that changed something. The events rules add are
//! never evaluated: a rule's own changes fire no rule. Past
//! [`MAX_FIRINGS_PER_TICKET_PER_HOUR`] firings on a ticket within the hour (counted in the
//! log), no rule fires on it until the hour has passed.
//!
//! The limit holds under concurrent changes (several desks or processes on one store): the
//! count is read after the ticket the change was decided on, and a firing commits only with
//! its ticket moved to its next version ([`WriteBatch::check_shape`]), checked in the
//! commit's transaction against the stored one. So a firing committed after the count was
//! read makes this commit stale, and the change is decided again on the new state, count
//! and all: the ticket's row serialises the changes that fire rules on it.

use super::Helpdesk;
use super::effects::Known;
use crate::automation::{
    Action, MAX_FIRINGS_PER_TICKET_PER_HOUR, NotifyTarget, Rule, RuleFacts, RuleFiring,
    fired_events, rules_to_fire,
};
use crate::domain::{
    Actor, Agent, AgentId, CannedResponseId, Channel, Customer, EventId, MessageBody, Notification,
    NotificationId, NotificationKind, NotificationState, Recipient, RuleFiringId, Ticket,
    fill_placeholders, uses_placeholder,
};
use crate::error::{Entity, Error, ForbiddenReason, Result};
use crate::machine::{Context, Plan, decide};
use crate::policy::{PriorityPolicy, ServiceLevels};
use crate::store::{TicketWrite, WriteBatch};
use crate::webhooks::{RuleFired, WebhookDelivery, WebhookEndpoint, rule_fired_delivery};
use std::sync::Arc;

/// Who runs a list of actions, and whether a refused action refuses them all.
pub(crate) struct Runner<'a> {
    /// The actor (the system for triggers, the agent for macros).
    pub actor: Actor,
    /// The acting agent, for macros.
    pub agent: Option<&'a Agent>,
    /// Whether a refused action is an error (macros) or skipped (triggers).
    pub strict: bool,
    /// The priority rules in force (the stored ones over the policy in code).
    pub priority: Arc<dyn PriorityPolicy>,
}

/// What running actions reads once and collects on the way: the agents (read at the first
/// assignment or notice) and the in-app notifications the `notify` actions add (they go in
/// the batch of the change).
#[derive(Default)]
pub(crate) struct Scratch {
    /// The agents, once read.
    pub agents: Option<Vec<Agent>>,
    /// The notifications `notify` actions made.
    pub notifications: Vec<Notification>,
    /// The webhook endpoints, once read (or as the caller read them).
    pub webhooks: Option<Vec<WebhookEndpoint>>,
    /// The endpoints the last run of actions called (enabled ones), each once.
    pub calls: Vec<crate::domain::WebhookId>,
    /// The actions the last run passed over (calls to disabled or removed endpoints).
    pub skipped: Vec<Action>,
}

impl Scratch {
    /// The deliveries the last run of `rule`'s actions on `ticket` (after `events`) called
    /// for, at `at`; the calls and skipped actions taken, the skipped ones returned too.
    pub(crate) fn take_calls(
        &mut self,
        rule: &Rule,
        ticket: &Ticket,
        events: &[crate::automation::RuleEvent],
        at: chrono::DateTime<chrono::Utc>,
    ) -> (Vec<WebhookDelivery>, Vec<Action>) {
        let calls = std::mem::take(&mut self.calls);
        let skipped = std::mem::take(&mut self.skipped);
        if calls.is_empty() {
            return (Vec::new(), skipped);
        }
        let fired = RuleFired::new(rule, ticket, events, at);
        let deliveries = (calls.into_iter())
            .map(|endpoint| rule_fired_delivery(endpoint, &fired, at))
            .collect();
        (deliveries, skipped)
    }
}

impl Helpdesk {
    /// `batch` with what the rules its changes fire do, and their log entries. The rules
    /// are those in `known` when the caller read them with its other reads, else read here.
    pub(crate) async fn with_triggers(
        &self,
        mut batch: WriteBatch,
        known: &Known,
    ) -> Result<WriteBatch> {
        let Some(store) = self.store.as_automation_store() else {
            return Ok(batch);
        };
        let events: Vec<_> = batch.writes.iter().map(fired_events).collect();
        if events.iter().all(Vec::is_empty) {
            return Ok(batch);
        }
        let rules: Vec<Rule> = match known.rules() {
            Some(rules) => rules.iter().filter(|r| r.active).cloned().collect(),
            None => (store.rules().await?.into_iter())
                .filter(|r| r.active)
                .collect(),
        };
        if rules.is_empty() {
            return Ok(batch);
        }
        let levels = self.levels_in_force().await?;
        let now = self.now();
        let runner = Runner {
            actor: Actor::System,
            agent: None,
            strict: false,
            priority: self.priority_in_force().await?,
        };
        let mut scratch = Scratch {
            webhooks: known.webhooks().map(<[_]>::to_vec),
            ..Scratch::default()
        };
        for (write, events) in batch.writes.iter_mut().zip(&events) {
            if events.is_empty() {
                continue;
            }
            // The ticket's customer as the caller read them, else read here.
            let customer = match write.ticket.customer {
                Some(id) => match known.known_customer(id) {
                    Some(c) => Some(c.clone()),
                    None => self.store.customer(id).await?,
                },
                None => None,
            };
            let new_text: String = (write.messages.iter())
                .map(|m| m.body.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let facts = RuleFacts {
                customer: customer.as_ref(),
                business_hours: levels
                    .department_calendar(write.ticket.department)
                    .is_open(now),
                new_text: &new_text,
            };
            let fire: Vec<Rule> = rules_to_fire(&rules, &write.ticket, events, &facts)
                .into_iter()
                .cloned()
                .collect();
            if fire.is_empty() {
                continue;
            }
            let mut fired = store
                .firings_since(write.ticket.id, now - chrono::Duration::hours(1))
                .await?;
            for rule in fire {
                if fired >= MAX_FIRINGS_PER_TICKET_PER_HOUR {
                    break;
                }
                let done = self
                    .run_actions(
                        write,
                        &rule.actions,
                        &runner,
                        customer.as_ref(),
                        &levels,
                        &mut scratch,
                    )
                    .await?;
                let (deliveries, skipped) = scratch.take_calls(&rule, &write.ticket, events, now);
                batch.rule_deliveries.extend(deliveries);
                batch.rule_firings.push(RuleFiring {
                    id: RuleFiringId::new(),
                    rule: rule.id,
                    rule_name: rule.name.clone(),
                    ticket_id: write.ticket.id,
                    at: now,
                    actions: done,
                    skipped,
                });
                fired += 1;
            }
        }
        batch.notifications.append(&mut scratch.notifications);
        Ok(batch)
    }

    /// Runs `actions` in order on the ticket of `write`, adding what each does to it (the
    /// notifications to `scratch`); the actions that changed something.
    pub(crate) async fn run_actions(
        &self,
        write: &mut TicketWrite,
        actions: &[Action],
        runner: &Runner<'_>,
        customer: Option<&Customer>,
        levels: &ServiceLevels,
        scratch: &mut Scratch,
    ) -> Result<Vec<Action>> {
        let mut done = Vec::new();
        for action in actions {
            let outcome = match action {
                Action::Notify { to } => self.notify(write, *to, runner, scratch).await,
                Action::CallWebhook { endpoint } => {
                    self.call_webhook(*endpoint, runner, scratch).await
                }
                _ => {
                    self.run_action(write, action, runner, customer, levels, &mut scratch.agents)
                        .await
                }
            };
            match outcome {
                Ok(true) => done.push(action.clone()),
                Ok(false) => {}
                Err(e) if runner.strict || matches!(e, Error::Backend { .. }) => return Err(e),
                Err(_) => {}
            }
        }
        Ok(done)
    }

    /// Adds an in-app notification for each active agent `to` names (never the agent running
    /// a macro; one per agent and ticket in a batch) about the last event of `write` (a
    /// fresh id when the actions wrote none); whether it told anybody.
    async fn notify(
        &self,
        write: &TicketWrite,
        to: NotifyTarget,
        runner: &Runner<'_>,
        scratch: &mut Scratch,
    ) -> Result<bool> {
        if scratch.agents.is_none() {
            scratch.agents = Some(self.store.agents().await?);
        }
        let agents = scratch.agents.as_deref().unwrap_or_default();
        let ids: Vec<AgentId> = match to {
            NotifyTarget::Assignee => write.ticket.assignee.into_iter().collect(),
            NotifyTarget::Department(d) => (agents.iter())
                .filter(|a| a.departments.contains_key(&d))
                .map(|a| a.id)
                .collect(),
            NotifyTarget::Agent(a) => vec![a],
        };
        let event_id = write.events.last().map_or_else(EventId::new, |e| e.id);
        let now = self.now();
        let mut told = false;
        for id in ids {
            let active = agents.iter().any(|a| a.id == id && a.active);
            let recipient = Recipient::Agent(id);
            let again = (scratch.notifications.iter())
                .any(|n| n.ticket_id == write.ticket.id && n.recipient == recipient);
            if !active || again || runner.agent.is_some_and(|me| me.id == id) {
                continue;
            }
            scratch.notifications.push(Notification {
                id: NotificationId::new(),
                recipient,
                ticket_id: write.ticket.id,
                event_id,
                kind: NotificationKind::RuleNotice,
                created_at: now,
                state: NotificationState::default(),
            });
            told = true;
        }
        Ok(told)
    }

    /// Notes a call of webhook `endpoint` for the rule running (its delivery is made by the
    /// caller, who knows the rule); whether it will be delivered: a disabled or removed
    /// endpoint is passed over (listed as skipped). A macro calls no webhook.
    async fn call_webhook(
        &self,
        endpoint: crate::domain::WebhookId,
        runner: &Runner<'_>,
        scratch: &mut Scratch,
    ) -> Result<bool> {
        if runner.actor != Actor::System {
            return Err(Error::validation(
                "actions",
                "call_webhook is an action of triggers and scheduled rules, not of macros",
            ));
        }
        if scratch.webhooks.is_none() {
            scratch.webhooks = Some(match self.store.as_webhook_store() {
                Some(store) => store.webhooks().await?,
                None => Vec::new(),
            });
        }
        let enabled = (scratch.webhooks.iter().flatten()).any(|e| e.id == endpoint && e.enabled);
        if !enabled {
            scratch.skipped.push(Action::CallWebhook { endpoint });
            return Ok(false);
        }
        if !scratch.calls.contains(&endpoint) {
            scratch.calls.push(endpoint);
        }
        Ok(true)
    }

    /// Runs one action; whether it changed something.
    async fn run_action(
        &self,
        write: &mut TicketWrite,
        action: &Action,
        runner: &Runner<'_>,
        customer: Option<&Customer>,
        levels: &ServiceLevels,
        agents: &mut Option<Vec<Agent>>,
    ) -> Result<bool> {
        let ticket = &write.ticket;
        let reply = match action {
            Action::Reply { response } => Some(
                self.filled_response(*response, ticket, customer, runner.agent)
                    .await?,
            ),
            _ => None,
        };
        // Rules keep the priority rules: never above the customer's ceiling.
        if let Action::SetPriority { priority } = action {
            let cap = runner.priority.ceiling(customer);
            if runner.actor == Actor::System && *priority > cap {
                return Err(Error::forbidden(ForbiddenReason::PriorityAboveCap { cap }));
            }
        }
        let Some(command) = action.command(reply) else {
            return Ok(false);
        };
        let department = (self.store.department(ticket.department).await?)
            .ok_or_else(|| Error::not_found(Entity::Department, ticket.department))?;
        let target_department = match action {
            Action::MoveDepartment { department } => Some(
                (self.store.department(*department).await?)
                    .ok_or_else(|| Error::not_found(Entity::Department, *department))?,
            ),
            _ => None,
        };
        let new_assignee = match action {
            Action::Assign { agent: Some(id) } => {
                if agents.is_none() {
                    *agents = Some(self.store.agents().await?);
                }
                Some(
                    (agents.iter().flatten().find(|a| a.id == *id).cloned())
                        .ok_or_else(|| Error::not_found(Entity::Agent, *id))?,
                )
            }
            _ => None,
        };
        let ctx = Context {
            actor: runner.actor,
            agent: runner.agent,
            department: &department,
            customer,
            related_ticket: None,
            target_department: target_department.as_ref(),
            new_assignee: new_assignee.as_ref(),
            priority_policy: runner.priority.as_ref(),
            levels,
            channel: Channel::Web,
            now: self.now(),
        };
        match decide(ticket, command, &ctx)? {
            Plan::Write(steps) => {
                let mut steps = steps.into_iter();
                let Some(step) = steps.next().filter(|s| s.ticket.id == ticket.id) else {
                    return Ok(false);
                };
                let version = write.ticket.version;
                write.ticket = step.ticket;
                write.ticket.version = version;
                write.messages.extend(step.messages);
                write.events.extend(step.events);
                write.time_entries.extend(step.time_entries);
                Ok(true)
            }
            Plan::NoChange | Plan::OpenFollowUp { .. } => Ok(false),
        }
    }

    /// A canned response filled in for `ticket` (as
    /// [`Acting::fill_canned_response`](super::Acting::fill_canned_response) does; the
    /// agent's name empty when the system replies).
    async fn filled_response(
        &self,
        response: CannedResponseId,
        ticket: &Ticket,
        customer: Option<&Customer>,
        agent: Option<&Agent>,
    ) -> Result<MessageBody> {
        let response = (self.template_store()?.canned_responses(None, None).await?)
            .into_iter()
            .find(|c| c.id == response && c.department.is_none_or(|d| d == ticket.department))
            .ok_or_else(|| Error::not_found(Entity::CannedResponse, response))?;
        let link = if uses_placeholder(response.body.as_str(), "ticket_link") {
            let url = self.public_url().await?.ok_or_else(|| {
                Error::validation(
                    "public_url",
                    "the response has {{ticket_link}}, and the desk's public URL is not set",
                )
            })?;
            url.ticket_link(&ticket.number)
        } else {
            String::new()
        };
        let customer = customer.map(|c| c.name.to_string()).unwrap_or_default();
        let agent = agent.map(|a| a.name.to_string()).unwrap_or_default();
        let text = fill_placeholders(
            response.body.as_str(),
            &[
                ("customer_name", &customer),
                ("ticket_number", ticket.number.short()),
                ("agent_name", &agent),
                ("ticket_link", &link),
            ],
        );
        Ok(MessageBody::parse(text)?)
    }
}
