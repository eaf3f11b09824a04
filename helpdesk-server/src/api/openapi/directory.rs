//! Schemas of the directory's entries and the knowledge base's articles as the API answers
//! them (the serde form of `helpdesk::domain`'s `Department`, `Agent`, `Customer`,
//! `Article` and `Notification`).

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use utoipa::ToSchema;
use uuid::Uuid;

use super::ticket_parts::{FieldValue, SlaTarget};

use super::model::{
    Actor, ArticleStatus, CustomerKind, FollowUpPolicy, Language, Role, Visibility,
};

/// A department (queue).
#[derive(ToSchema)]
pub struct Department {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// What a customer's reply to a closed ticket does.
    pub follow_up: FollowUpPolicy,
    /// Whether it takes new tickets.
    pub active: bool,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// `{"items": [...]}` of [`Department`].
#[derive(ToSchema)]
pub struct DepartmentList {
    /// The departments.
    pub items: Vec<Department>,
}

/// An agent.
#[derive(ToSchema)]
pub struct Agent {
    /// Their id.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Their e-mail address.
    pub email: String,
    /// Their role.
    pub role: Role,
    /// The signature of their public replies (may be empty).
    pub signature: String,
    /// Whether they may sign in and work.
    pub active: bool,
    /// Their permissions by department id.
    pub departments: BTreeMap<String, Vec<Permission>>,
    /// When they were added.
    pub created_at: DateTime<Utc>,
}

/// `{"items": [...]}` of [`Agent`].
#[derive(ToSchema)]
pub struct AgentList {
    /// The agents.
    pub items: Vec<Agent>,
}

/// A customer.
#[derive(ToSchema)]
pub struct Customer {
    /// Their id.
    pub id: Uuid,
    /// A person or an organisation.
    pub kind: CustomerKind,
    /// Their name.
    pub name: String,
    /// Their e-mail address; null when unknown.
    #[schema(required = true)]
    pub email: Option<String>,
    /// Their phone number; null when unknown.
    #[schema(required = true)]
    pub phone: Option<String>,
    /// Their contract number; null when none.
    #[schema(required = true)]
    pub contract_number: Option<String>,
    /// Their address; null when unknown.
    #[schema(required = true)]
    pub address: Option<String>,
    /// Deployment-defined fields.
    pub custom_fields: BTreeMap<String, FieldValue>,
    /// The language the desk writes to them in; null for the desk's default.
    #[schema(required = true)]
    pub language: Option<Language>,
    /// Whether they may sign in.
    pub access_enabled: bool,
    /// The organisation (a customer) this person belongs to; null for none.
    #[schema(required = true)]
    pub organisation: Option<Uuid>,
    /// When they were added.
    pub created_at: DateTime<Utc>,
}

/// Customers found or listed: `{"items": [...], "total": n, "next": cursor}`.
#[derive(ToSchema)]
pub struct CustomerDirectory {
    /// The customers, by name (a look-up's at most 50).
    pub items: Vec<Customer>,
    /// How many match in all (a look-up: how many it found).
    pub total: u64,
    /// The `after` of the next page; null on the last page and for a look-up.
    #[schema(required = true)]
    pub next: Option<String>,
}

/// A knowledge-base article.
#[derive(ToSchema)]
pub struct Article {
    /// Its id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
    /// Its section.
    pub category: String,
    /// Its language.
    pub language: Language,
    /// Draft or published.
    pub status: ArticleStatus,
    /// Public or internal (staff only).
    pub visibility: Visibility,
    /// How many found it helpful.
    pub helpful: u32,
    /// How many did not.
    pub not_helpful: u32,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// `{"items": [...]}` of [`Article`].
#[derive(ToSchema)]
pub struct ArticleList {
    /// The articles.
    pub items: Vec<Article>,
}

/// `{"items": [...]}` of the knowledge base's stored categories, by name.
#[derive(ToSchema)]
pub struct CategoryList {
    /// The categories' names.
    pub items: Vec<String>,
}

/// A stored category of the knowledge base.
#[derive(ToSchema)]
pub struct StoredCategory {
    /// Its name.
    pub name: String,
}

/// A category renamed, and how many articles moved with it.
#[derive(ToSchema)]
pub struct CategoryRenamed {
    /// Its new name.
    pub name: String,
    /// How many articles moved with it.
    pub moved: u64,
}

/// A notification about a ticket.
#[derive(ToSchema)]
pub struct Notification {
    /// Its id.
    pub id: Uuid,
    /// Whom it is for (an agent or a customer).
    pub recipient: Actor,
    /// The ticket.
    pub ticket_id: Uuid,
    /// The ticket event it tells of.
    pub event_id: Uuid,
    /// What happened: `{"kind": ...}` and, for some kinds, more fields.
    pub kind: NotificationKind,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Read, snoozed, dismissed.
    pub state: NotificationState,
}

/// What happened that a notification tells of, told apart by `kind`.
#[derive(ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotificationKind {
    /// A new ticket arrived in one of the agent's departments.
    NewTicket,
    /// The ticket was assigned to the agent.
    Assigned,
    /// The customer replied.
    CustomerReplied,
    /// An agent replied to the customer.
    AgentReplied,
    /// A colleague added an internal note to the agent's ticket.
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
    /// The time a pending or on-hold ticket was set aside until has come.
    PendingReminder,
    /// The customer asked to raise the priority; the request waits.
    PriorityRequested,
    /// A live chat waits for an agent in the agent's department.
    ChatWaiting,
    /// A followed ticket's status changed (agents who follow it).
    StatusChanged,
    /// An internal note mentioned the agent (`@` and the part of their e-mail before the
    /// `@`, case-insensitive).
    Mention,
}

/// How an agent hears of an event.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum NotifyChannel {
    /// An in-app notification only.
    InApp,
    /// An e-mail only.
    Email,
    /// Both.
    Both,
    /// Not at all.
    None,
}

/// A channel per event (in a change, only the events to change).
#[derive(ToSchema)]
pub struct NotificationChannels {
    /// A new ticket in one of the agent's departments.
    pub new_ticket: Option<NotifyChannel>,
    /// The customer replied on the agent's ticket.
    pub customer_replied: Option<NotifyChannel>,
    /// A ticket was assigned to the agent.
    pub assigned: Option<NotifyChannel>,
    /// A colleague mentioned the agent.
    pub mention: Option<NotifyChannel>,
    /// A service-level target is close to passing (the assignee's, else the department
    /// supervisors').
    pub sla_warning: Option<NotifyChannel>,
    /// A service-level target passed.
    pub sla_breached: Option<NotifyChannel>,
    /// A pending ticket's waiting time is over.
    pub pending_reminder: Option<NotifyChannel>,
    /// A customer's priority request waits.
    pub priority_requested: Option<NotifyChannel>,
    /// A live chat waits in the queue.
    pub chat_waiting: Option<NotifyChannel>,
}

/// An agent's notification preferences.
#[derive(ToSchema)]
pub struct NotificationPreferences {
    /// The agent.
    pub agent: Uuid,
    /// The language of their notification e-mails.
    pub language: super::model::Language,
    /// How they hear of each event (every event listed).
    pub channels: NotificationChannels,
}

/// Where a notification stands.
#[derive(ToSchema)]
pub struct NotificationState {
    /// When it was read; null while unread.
    #[schema(required = true)]
    pub read_at: Option<DateTime<Utc>>,
    /// Until when it is snoozed; null when not.
    #[schema(required = true)]
    pub snoozed_until: Option<DateTime<Utc>>,
    /// When it was dismissed; null when not.
    #[schema(required = true)]
    pub dismissed_at: Option<DateTime<Utc>>,
}

/// `{"items": [...]}` of [`Notification`].
#[derive(ToSchema)]
pub struct NotificationList {
    /// The notifications, newest first.
    pub items: Vec<Notification>,
}

/// The answer of "dismiss all".
#[derive(ToSchema)]
pub struct DismissedAll {
    /// How many notifications were dismissed.
    pub dismissed: u64,
}

/// One thing an agent may do in a department.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Permission {
    /// See the department's tickets, their threads and history.
    Read,
    /// Reply to the customer, ask them for information, put tickets on hold.
    Reply,
    /// Add internal notes and log time.
    Note,
    /// Assign tickets, and move them to another department.
    Assign,
    /// Change priority up to the cap the priority policy sets for the customer.
    ChangePriority,
    /// Raise priority above that cap.
    RaisePriority,
    /// Change type, categories, service and custom fields; link to a master ticket.
    Edit,
    /// Resolve, close, reopen and merge tickets.
    Close,
}
