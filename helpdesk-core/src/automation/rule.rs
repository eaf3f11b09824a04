//! What a rule, a macro and an entry of the firing log are.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{
    AgentId, CannedResponseId, Channel, CustomerId, DepartmentId, MacroId, MessageBody, Name,
    Priority, Resolution, RuleFiringId, RuleId, Status, Tag, TicketId, TicketType, ValidationError,
    WebhookId,
};
use crate::machine::Command;

/// The most actions a rule or a macro holds.
pub const MAX_ACTIONS: usize = 20;

/// The most values one condition lists.
pub const MAX_CONDITION_VALUES: usize = 100;

/// How many times rules may fire on one ticket within an hour: past it, no rule fires on the
/// ticket until the hour has passed (a guard against rules that answer each other through
/// people and mail).
pub const MAX_FIRINGS_PER_TICKET_PER_HOUR: u32 = 10;

/// What happened to a ticket, as a trigger sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleEvent {
    /// The ticket was opened.
    Created,
    /// The customer replied (after the first message).
    CustomerReplied,
    /// An agent (or the desk) replied publicly.
    AgentReplied,
    /// The status changed.
    StatusChanged,
    /// A service-level target is close to passing.
    SlaWarning,
    /// A service-level target passed.
    SlaBreached,
}

impl RuleEvent {
    /// Every event, in a stable order.
    pub const ALL: [RuleEvent; 6] = [
        RuleEvent::Created,
        RuleEvent::CustomerReplied,
        RuleEvent::AgentReplied,
        RuleEvent::StatusChanged,
        RuleEvent::SlaWarning,
        RuleEvent::SlaBreached,
    ];

    /// Its stable name (`created`, `customer_replied`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleEvent::Created => "created",
            RuleEvent::CustomerReplied => "customer_replied",
            RuleEvent::AgentReplied => "agent_replied",
            RuleEvent::StatusChanged => "status_changed",
            RuleEvent::SlaWarning => "sla_warning",
            RuleEvent::SlaBreached => "sla_breached",
        }
    }

    /// The event named `name` (see [`as_str`](Self::as_str)).
    pub fn parse(name: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|e| e.as_str() == name.trim())
            .ok_or_else(|| ValidationError::new("events", "is not a known event"))
    }
}

/// When a rule applies. Every condition given must hold (an empty list: any value); within
/// a list, any value may match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Conditions {
    /// What happened (triggers only; a dry run and macros ignore it). Empty: any change.
    pub events: Vec<RuleEvent>,
    /// The ticket's status.
    pub statuses: Vec<Status>,
    /// Its priority.
    pub priorities: Vec<Priority>,
    /// Its department.
    pub departments: Vec<DepartmentId>,
    /// Its request type.
    pub ticket_types: Vec<TicketType>,
    /// How it came in.
    pub channels: Vec<Channel>,
    /// Tags it carries, all of them.
    pub tags: Vec<Tag>,
    /// Tags it does not carry, none of them.
    pub without_tags: Vec<Tag>,
    /// Its customer.
    pub customers: Vec<CustomerId>,
    /// Its customer's organisation.
    pub organisations: Vec<CustomerId>,
    /// Text in the subject or in the change's new messages, compared folded (case and
    /// accents ignored).
    pub text: Option<Name>,
    /// `Some(true)`: only within the department's business hours (its calendar in the
    /// service levels); `Some(false)`: only outside them.
    pub business_hours: Option<bool>,
}

impl Conditions {
    /// Checks the sizes of the lists.
    pub fn check(&self) -> Result<(), ValidationError> {
        let sizes = [
            self.events.len(),
            self.statuses.len(),
            self.priorities.len(),
            self.departments.len(),
            self.ticket_types.len(),
            self.channels.len(),
            self.tags.len(),
            self.without_tags.len(),
            self.customers.len(),
            self.organisations.len(),
        ];
        if sizes.iter().any(|n| *n > MAX_CONDITION_VALUES) {
            return Err(ValidationError::new(
                "conditions",
                "a condition lists at most 100 values",
            ));
        }
        Ok(())
    }
}

/// What a rule or a macro does to a ticket. Each runs as the command an agent would give
/// ([`Action::command`]), so it keeps the same rules (the status table, the priority rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Assign to an agent, or unassign.
    Assign {
        /// The new assignee (`None`: unassign).
        agent: Option<AgentId>,
    },
    /// Move to another department (the ticket becomes unassigned).
    MoveDepartment {
        /// Where to.
        department: DepartmentId,
    },
    /// Set the priority (within the priority rules).
    SetPriority {
        /// The new priority.
        priority: Priority,
    },
    /// Put a tag on.
    AddTag {
        /// The tag.
        tag: Tag,
    },
    /// Take a tag off.
    RemoveTag {
        /// The tag.
        tag: Tag,
    },
    /// Add an internal note.
    AddNote {
        /// Its text.
        body: MessageBody,
    },
    /// Reply to the customer with a canned response, its placeholders filled in.
    Reply {
        /// The canned response.
        response: CannedResponseId,
    },
    /// Close the ticket with a resolution (solved, unsolved or duplicate).
    Close {
        /// Why.
        resolution: Resolution,
    },
    /// Tell agents with an in-app notification, in the change's own commit.
    Notify {
        /// Who.
        to: NotifyTarget,
    },
    /// Call a webhook endpoint: a `rule_fired` delivery to it is written in the change's own
    /// commit (triggers and scheduled rules only; a disabled endpoint gets none, and the
    /// firing log lists the action as skipped).
    CallWebhook {
        /// The endpoint.
        endpoint: WebhookId,
    },
}

/// Whom a [`Action::Notify`] tells (active agents only; never the agent applying a macro).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum NotifyTarget {
    /// The ticket's assignee, when it has one (after the actions before this one).
    Assignee,
    /// Every agent of a department.
    Department(DepartmentId),
    /// One agent.
    Agent(AgentId),
}

impl Action {
    /// The command this action gives, the reply's text already filled in (`reply`: the
    /// filled canned response, needed for [`Action::Reply`] only).
    pub fn command(&self, reply: Option<MessageBody>) -> Option<Command> {
        Some(match self {
            Action::Assign { agent } => Command::Assign { agent: *agent },
            Action::MoveDepartment { department } => Command::MoveToDepartment {
                department: *department,
            },
            Action::SetPriority { priority } => Command::ChangePriority {
                priority: *priority,
            },
            Action::AddTag { tag } => Command::Tag {
                add: [tag.clone()].into(),
                remove: Default::default(),
            },
            Action::RemoveTag { tag } => Command::Tag {
                add: Default::default(),
                remove: [tag.clone()].into(),
            },
            Action::AddNote { body } => Command::note(body.clone()),
            Action::Reply { .. } => Command::reply(reply?),
            Action::Close { resolution } => Command::Close {
                resolution: *resolution,
            },
            Action::Notify { .. } | Action::CallWebhook { .. } => return None,
        })
    }
}

/// Checks a list of actions: one at least, at most [`MAX_ACTIONS`]; a close names a
/// resolution people choose (solved, unsolved, duplicate).
pub fn check_actions(actions: &[Action]) -> Result<(), ValidationError> {
    let chosen = [
        Resolution::Solved,
        Resolution::Unsolved,
        Resolution::Duplicate,
    ];
    if (actions.iter())
        .any(|a| matches!(a, Action::Close { resolution } if !chosen.contains(resolution)))
    {
        return Err(ValidationError::new(
            "resolution",
            "a rule closes as solved, unsolved or duplicate",
        ));
    }
    if actions.is_empty() {
        return Err(ValidationError::new("actions", "name one action at least"));
    }
    if actions.len() > MAX_ACTIONS {
        return Err(ValidationError::new("actions", "at most 20 actions"));
    }
    Ok(())
}

/// A trigger: when a change to a ticket matches its conditions, its actions run in the same
/// transaction as the change; or a scheduled rule ([`Rule::schedule`]), run by `run_due`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Its id.
    pub id: RuleId,
    /// Its name.
    pub name: Name,
    /// Rules run by position, lowest first (ties by id).
    pub position: u32,
    /// Whether it runs.
    pub active: bool,
    /// When it applies.
    pub conditions: Conditions,
    /// What it does, in order.
    pub actions: Vec<Action>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// `None`: a trigger, run on changes. `Some`: a scheduled rule, run by `run_due` on this
    /// schedule (its conditions name no events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<super::RuleSchedule>,
}

impl Rule {
    /// Whether it runs on a schedule rather than on changes.
    pub fn is_scheduled(&self) -> bool {
        self.schedule.is_some()
    }
}

/// A named list of actions an agent applies to tickets by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Macro {
    /// Its id.
    pub id: MacroId,
    /// Its name.
    pub name: Name,
    /// What it does, in order.
    pub actions: Vec<Action>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// An entry of the log of rules that fired: which rule, on which ticket, when, and the
/// actions that changed something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleFiring {
    /// Its id.
    pub id: RuleFiringId,
    /// The rule.
    pub rule: RuleId,
    /// The rule's name then.
    pub rule_name: Name,
    /// The ticket.
    pub ticket_id: TicketId,
    /// When.
    pub at: DateTime<Utc>,
    /// The actions that took effect, in order.
    pub actions: Vec<Action>,
    /// The actions that could not take effect and were passed over (a webhook call to an
    /// endpoint disabled or removed since the rule was saved), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Action>,
}
