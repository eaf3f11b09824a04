//! The ticket: one customer's request and everything the desk knows about its state.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    Actor, AgentId, Category, Channel, CustomFields, CustomerId, DepartmentId, Priority,
    PriorityRequest, Satisfaction, ServiceName, Status, Subject, TicketId, TicketNumber,
    TicketType, Timers,
};

/// A ticket's version, for optimistic concurrency: 1 when created, +1 on every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Version(u64);

impl Version {
    /// The version of a newly created ticket.
    pub const FIRST: Version = Version(1);

    /// Wraps a stored version.
    pub const fn new(v: u64) -> Self {
        Self(v)
    }

    /// The number inside.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The version after this one.
    pub const fn next(self) -> Self {
        Self(self.0 + 1)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A ticket's current state. Messages, history and time entries are read separately.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// Its id.
    pub id: TicketId,
    /// Its number (full and short form).
    pub number: TicketNumber,
    /// A short summary.
    pub subject: Subject,
    /// The customer who asked; `None` only for internal tickets about no customer.
    pub customer: Option<CustomerId>,
    /// The department (queue) it is in.
    pub department: DepartmentId,
    /// The agent working on it.
    pub assignee: Option<AgentId>,
    /// Where it is in its life.
    pub status: Status,
    /// How urgent it is.
    pub priority: Priority,
    /// What kind of request it is.
    pub ticket_type: TicketType,
    /// Topical categories, any number (seed 004: several at once).
    pub categories: BTreeSet<Category>,
    /// The service it concerns (seed 003).
    pub service: Option<ServiceName>,
    /// Deployment-defined fields (district, customer type, ...).
    pub custom_fields: CustomFields,
    /// How it reached the desk.
    pub channel: Channel,
    /// Internal tickets are opened by agents and seen only by agents (seed 003).
    pub internal: bool,
    /// The master ticket of an outage this ticket is part of (seed 004).
    pub master: Option<TicketId>,
    /// The ticket this one was merged into.
    pub merged_into: Option<TicketId>,
    /// The closed ticket this one follows up.
    pub follow_up_of: Option<TicketId>,
    /// Who opened it.
    pub opened_by: Actor,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When an agent first answered the customer publicly.
    pub first_response_at: Option<DateTime<Utc>>,
    /// When it was last resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it was last closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Since when the customer has been waiting for us: their oldest message that no public
    /// agent reply has answered yet (seed 003: each ticket's waiting time).
    #[serde(default)]
    pub waiting_since: Option<DateTime<Utc>>,
    /// Service-level clocks, the pending reminder and the auto-close.
    #[serde(default)]
    pub timers: Timers,
    /// The earliest instant at which something about this ticket is due; always
    /// `timers.next_due_at()`, kept as a field so stores can index it.
    #[serde(default)]
    pub next_due_at: Option<DateTime<Utc>>,
    /// The customer's rating, once the ticket is solved.
    #[serde(default)]
    pub satisfaction: Option<Satisfaction>,
    /// A customer's pending request to raise the priority.
    #[serde(default)]
    pub priority_request: Option<PriorityRequest>,
    /// Free tags agents put on it (staff only: customers never see them).
    #[serde(default)]
    pub tags: BTreeSet<super::Tag>,
    /// What its life measured so far (for reports).
    #[serde(default)]
    pub metrics: super::TicketMetrics,
    /// Its version, checked on every write.
    pub version: Version,
}

impl Ticket {
    /// Whether `customer` may see this ticket at all: their own, and not internal.
    pub fn visible_to_customer(&self, customer: CustomerId) -> bool {
        !self.internal && self.customer == Some(customer)
    }

    /// This ticket as customers may see it: without what is for staff only (its tags).
    pub fn for_customer(mut self) -> Self {
        self.tags.clear();
        self
    }
}
