//! The delivery of a rule's "call a webhook" action
//! ([`Action::CallWebhook`](crate::automation::Action::CallWebhook)): event
//! [`RULE_FIRED_EVENT`], its data the rule, the ticket as the rule left it and what fired it
//! ([`RuleFired`]). The service writes it in the batch of the change (or of the scheduled
//! rule's run), so it exists if and only if that commit does.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::WebhookDelivery;
use super::delivery::delivery;
use crate::automation::{Rule, RuleEvent};
use crate::domain::{
    AgentId, CustomerId, DepartmentId, Priority, RuleId, Status, Ticket, TicketId, WebhookId,
};

/// The event of a delivery a rule's `call_webhook` action writes (no endpoint subscribes to
/// it: the rule names the endpoint).
pub const RULE_FIRED_EVENT: &str = "rule_fired";

/// The rule that fired, in a [`RuleFired`] payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiredRule {
    /// Its id.
    pub id: RuleId,
    /// Its name when it fired.
    pub name: String,
    /// `trigger` (on a change) or `scheduled` (by `run_due`).
    pub kind: &'static str,
}

/// The ticket a rule fired on, as its actions left it: ids and states only, no text (so a
/// delivery holds nothing of a customer an erasure would have to find).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiredTicket {
    /// Its id.
    pub id: TicketId,
    /// Its number, in full.
    pub number: String,
    /// Its status.
    pub status: Status,
    /// Its priority.
    pub priority: Priority,
    /// Its department.
    pub department: DepartmentId,
    /// Its assignee, if any.
    pub assignee: Option<AgentId>,
    /// Its customer, if any.
    pub customer: Option<CustomerId>,
}

/// The `data` of a `rule_fired` delivery: which rule, on which ticket, on what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleFired {
    /// The rule.
    pub rule: FiredRule,
    /// The ticket.
    pub ticket: FiredTicket,
    /// The events of the change that fired a trigger (`created`, `customer_replied`, ...);
    /// empty for a scheduled rule.
    pub events: Vec<RuleEvent>,
    /// When it fired.
    pub fired_at: DateTime<Utc>,
}

impl RuleFired {
    /// What `rule` firing on `ticket` (as its actions left it) at `at`, on `events`, reports.
    pub fn new(rule: &Rule, ticket: &Ticket, events: &[RuleEvent], at: DateTime<Utc>) -> Self {
        Self {
            rule: FiredRule {
                id: rule.id,
                name: rule.name.as_str().to_owned(),
                kind: if rule.is_scheduled() {
                    "scheduled"
                } else {
                    "trigger"
                },
            },
            ticket: FiredTicket {
                id: ticket.id,
                number: ticket.number.to_string(),
                status: ticket.status,
                priority: ticket.priority,
                department: ticket.department,
                assignee: ticket.assignee,
                customer: ticket.customer,
            },
            events: events.to_vec(),
            fired_at: at,
        }
    }
}

/// The delivery of `fired` to `endpoint`, due at `at`.
pub fn rule_fired_delivery(
    endpoint: WebhookId,
    fired: &RuleFired,
    at: DateTime<Utc>,
) -> WebhookDelivery {
    delivery(endpoint, RULE_FIRED_EVENT, fired, at)
}
