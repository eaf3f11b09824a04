//! In-app notifications (seed 000): one per event that concerns a user, which they can mark
//! read, snooze ("Remind later") or dismiss.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Actor, AgentId, CustomerId, EventId, NotificationId, SlaTarget, TicketId};

/// Who a notification is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Recipient {
    /// An agent.
    Agent(AgentId),
    /// A customer.
    Customer(CustomerId),
}

impl Recipient {
    /// The recipient an actor reads notifications as; the system has none.
    pub fn of(actor: Actor) -> Option<Self> {
        match actor {
            Actor::Agent(id) => Some(Recipient::Agent(id)),
            Actor::Customer(id) => Some(Recipient::Customer(id)),
            Actor::System => None,
        }
    }

    /// The actor this recipient is.
    pub fn actor(self) -> Actor {
        match self {
            Recipient::Agent(id) => Actor::Agent(id),
            Recipient::Customer(id) => Actor::Customer(id),
        }
    }
}

/// What happened that the recipient should know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotificationKind {
    /// A new ticket arrived in one of the agent's departments.
    NewTicket,
    /// The ticket was assigned to the agent.
    Assigned,
    /// The customer replied.
    CustomerReplied,
    /// An agent replied to the customer.
    AgentReplied,
    /// A colleague added an internal note to the agent's ticket (agents only).
    NoteAdded,
    /// The ticket was resolved; the customer is asked to confirm.
    Resolved,
    /// A service-level target is close to passing.
    SlaWarning {
        /// Which target.
        target: SlaTarget,
    },
    /// A service-level target passed.
    SlaBreached {
        /// Which target.
        target: SlaTarget,
    },
    /// The ticket will close itself unless the customer answers.
    AutoCloseWarning {
        /// When it will close.
        closes_at: DateTime<Utc>,
    },
    /// The time a pending or on-hold ticket was set aside until has come (agents only).
    PendingReminder,
    /// The customer asked to raise the priority; the request waits (agents only).
    PriorityRequested,
    /// A live chat waits for an agent in the queue of the agent's department.
    ChatWaiting,
    /// A followed ticket's status changed (agents who follow it).
    StatusChanged,
    /// An internal note named the agent (`@` and the part of their e-mail before the `@`,
    /// see [`mentioned_agents`](super::mentioned_agents)).
    Mention,
    /// An automation rule or a macro asked for the agent to be told (its `notify` action;
    /// the firing log says which rule).
    RuleNotice,
}

impl NotificationKind {
    /// The stable name of the kind (`new_ticket`, `assigned`, ...).
    pub fn as_str(&self) -> &'static str {
        match self {
            NotificationKind::NewTicket => "new_ticket",
            NotificationKind::Assigned => "assigned",
            NotificationKind::CustomerReplied => "customer_replied",
            NotificationKind::AgentReplied => "agent_replied",
            NotificationKind::NoteAdded => "note_added",
            NotificationKind::Resolved => "resolved",
            NotificationKind::SlaWarning { .. } => "sla_warning",
            NotificationKind::SlaBreached { .. } => "sla_breached",
            NotificationKind::AutoCloseWarning { .. } => "auto_close_warning",
            NotificationKind::PendingReminder => "pending_reminder",
            NotificationKind::PriorityRequested => "priority_requested",
            NotificationKind::ChatWaiting => "chat_waiting",
            NotificationKind::StatusChanged => "status_changed",
            NotificationKind::Mention => "mention",
            NotificationKind::RuleNotice => "rule_notice",
        }
    }
}

/// What a user did with a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NotificationState {
    /// When they read it ("View").
    pub read_at: Option<DateTime<Utc>>,
    /// Hidden until then ("Remind later"); it comes back at that instant.
    pub snoozed_until: Option<DateTime<Utc>>,
    /// When they dismissed it; the ticket stays.
    pub dismissed_at: Option<DateTime<Utc>>,
}

/// One notification for one user about one event of a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    /// Its id.
    pub id: NotificationId,
    /// Who it is for.
    pub recipient: Recipient,
    /// The ticket it is about.
    pub ticket_id: TicketId,
    /// The event that caused it.
    pub event_id: EventId,
    /// What happened.
    pub kind: NotificationKind,
    /// When.
    pub created_at: DateTime<Utc>,
    /// What the recipient did with it.
    pub state: NotificationState,
}

impl Notification {
    /// Whether it is shown at `now`: not dismissed, and not snoozed past `now`.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.state.dismissed_at.is_none() && self.state.snoozed_until.is_none_or(|s| s <= now)
    }

    /// Whether it has been read.
    pub fn is_read(&self) -> bool {
        self.state.read_at.is_some()
    }
}

/// What a user does with a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum NotificationAction {
    /// Mark it read ("View").
    Read,
    /// Hide it until `until` ("Remind later"); it comes back unread then.
    Snooze {
        /// When it comes back.
        until: DateTime<Utc>,
    },
    /// Remove it from the list; the ticket stays.
    Dismiss,
}

impl NotificationAction {
    /// The state after the action, done at `now`.
    pub fn apply(self, state: NotificationState, now: DateTime<Utc>) -> NotificationState {
        match self {
            NotificationAction::Read => NotificationState {
                read_at: state.read_at.or(Some(now)),
                ..state
            },
            NotificationAction::Snooze { until } => NotificationState {
                read_at: None,
                snoozed_until: Some(until),
                ..state
            },
            NotificationAction::Dismiss => NotificationState {
                dismissed_at: state.dismissed_at.or(Some(now)),
                ..state
            },
        }
    }
}
