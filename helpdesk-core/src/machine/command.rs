//! Commands: what actors ask the desk to do to a ticket.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{
    AgentId, Attachment, Category, Channel, CommandKind, CustomFields, CustomerId, DepartmentId,
    MessageBody, Minutes, Priority, Rating, Resolution, ServiceName, ShortNote, Subject, Tag,
    TicketId, TicketType,
};

/// A request to open a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTicket {
    /// A short summary.
    pub subject: Subject,
    /// The first message.
    pub body: MessageBody,
    /// The department to send it to.
    pub department: DepartmentId,
    /// The customer it is for. Customers may leave it empty (it is them); agents must give it
    /// unless the ticket is internal.
    pub customer: Option<CustomerId>,
    /// The importance asked for; the priority policy decides (seed 004).
    pub priority: Option<Priority>,
    /// The request type.
    pub ticket_type: TicketType,
    /// Categories.
    pub categories: BTreeSet<Category>,
    /// The service it concerns.
    pub service: Option<ServiceName>,
    /// Custom fields.
    pub custom_fields: CustomFields,
    /// How it came in.
    pub channel: Channel,
    /// An internal ticket, seen only by agents.
    pub internal: bool,
    /// A master ticket to link to (a known outage).
    pub master: Option<TicketId>,
    /// Files attached to the first message. Only the desk fills this in, from uploads it
    /// checked and stored (see [`Acting::open_ticket_with_uploads`](crate::service::Acting::open_ticket_with_uploads)):
    /// never read from input, and refused when a caller fills it in.
    #[serde(default, skip_deserializing)]
    pub attachments: Vec<Attachment>,
}

impl NewTicket {
    /// A ticket with a subject and a first message, to `department`; everything else default.
    ///
    /// ```
    /// use helpdesk_core::domain::{DepartmentId, MessageBody, Subject};
    /// use helpdesk_core::machine::NewTicket;
    /// let new = NewTicket::new(
    ///     Subject::parse("Нет интернета").unwrap(),
    ///     MessageBody::parse("Со вчерашнего вечера не работает интернет.").unwrap(),
    ///     DepartmentId::new(),
    /// );
    /// assert!(!new.internal);
    /// ```
    pub fn new(subject: Subject, body: MessageBody, department: DepartmentId) -> Self {
        Self {
            subject,
            body,
            department,
            customer: None,
            priority: None,
            ticket_type: TicketType::default(),
            categories: BTreeSet::new(),
            service: None,
            custom_fields: CustomFields::new(),
            channel: Channel::Web,
            internal: false,
            master: None,
            attachments: Vec::new(),
        }
    }
}

/// A command on an existing ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// A public message. From an agent it gets their signature; from a customer it may reopen
    /// the ticket.
    Reply {
        /// The text.
        body: MessageBody,
        /// Attached files: filled in by the desk from uploads it checked and stored (see
        /// [`Acting::execute_with_uploads`](crate::service::Acting::execute_with_uploads));
        /// never read from input, and refused when a caller fills it in.
        #[serde(default, skip_deserializing)]
        attachments: Vec<Attachment>,
    },
    /// An internal note, for agents only.
    AddNote {
        /// The text.
        body: MessageBody,
        /// Attached files, as for [`Command::Reply`].
        #[serde(default, skip_deserializing)]
        attachments: Vec<Attachment>,
    },
    /// Assign to an agent, or unassign with `None`.
    Assign {
        /// The new assignee.
        agent: Option<AgentId>,
    },
    /// Change the priority.
    ChangePriority {
        /// The new priority.
        priority: Priority,
    },
    /// Move to another department (the ticket becomes unassigned).
    MoveToDepartment {
        /// Where to.
        department: DepartmentId,
    },
    /// Change the request type.
    SetType {
        /// The new type.
        ticket_type: TicketType,
    },
    /// Replace the categories.
    SetCategories {
        /// The new categories.
        categories: BTreeSet<Category>,
    },
    /// Set or clear the service.
    SetService {
        /// The new service.
        service: Option<ServiceName>,
    },
    /// Replace the custom fields.
    SetCustomFields {
        /// The new fields.
        fields: CustomFields,
    },
    /// Ask the customer for more information (→ PendingCustomer).
    AskCustomer {
        /// The question, sent to the customer.
        body: MessageBody,
        /// Come back to it then, with a reminder, if the customer has not answered.
        #[serde(default)]
        until: Option<DateTime<Utc>>,
    },
    /// Wait on a third party (→ OnHold).
    PutOnHold {
        /// Why, as an internal note.
        reason: Option<MessageBody>,
        /// Come back to it then, with a reminder.
        #[serde(default)]
        until: Option<DateTime<Utc>>,
    },
    /// Give the solution (→ Resolved), optionally with a public message.
    Resolve {
        /// The solution, sent to the customer.
        body: Option<MessageBody>,
    },
    /// The customer confirms the solution (→ Closed, Solved).
    ConfirmResolution,
    /// Close with a resolution (Solved, Unsolved or Duplicate).
    Close {
        /// Why.
        resolution: Resolution,
    },
    /// Reopen a resolved or closed ticket (→ Open).
    Reopen,
    /// Link to a master ticket, or unlink with `None`.
    LinkToMaster {
        /// The master ticket.
        master: Option<TicketId>,
    },
    /// Merge into another ticket of the same customer (→ Closed, Merged).
    MergeInto {
        /// The ticket that lives on.
        target: TicketId,
    },
    /// The customer rates a ticket closed as solved, once (1–5 and a comment).
    RateSatisfaction {
        /// The score.
        score: Rating,
        /// What they say.
        comment: Option<ShortNote>,
    },
    /// The customer asks to raise the priority, with a reason (seed 002).
    RequestPriority {
        /// The priority asked for (above the current one).
        priority: Priority,
        /// Why.
        reason: ShortNote,
    },
    /// An agent approves (raising the priority, within the priority rules) or declines the
    /// customer's priority request.
    DecidePriorityRequest {
        /// Whether to grant it.
        approve: bool,
    },
    /// Add and remove tags (agents: staff only). A tag both added and removed is removed.
    Tag {
        /// The tags to put on.
        #[serde(default)]
        add: BTreeSet<Tag>,
        /// The tags to take off.
        #[serde(default)]
        remove: BTreeSet<Tag>,
    },
    /// Log time spent (seed 002).
    LogTime {
        /// How long.
        minutes: Minutes,
        /// Whether the customer is billed (customers see billable entries).
        billable: bool,
        /// What was done.
        note: ShortNote,
        /// Whether the customer may read `note` on the entry: `false` (hidden) unless
        /// chosen.
        #[serde(default)]
        note_visible_to_customer: bool,
    },
}

impl Command {
    /// A public reply with `body` (files go with
    /// [`Acting::execute_with_uploads`](crate::service::Acting::execute_with_uploads)).
    pub fn reply(body: MessageBody) -> Self {
        Command::Reply {
            body,
            attachments: Vec::new(),
        }
    }

    /// An internal note with `body`.
    pub fn note(body: MessageBody) -> Self {
        Command::AddNote {
            body,
            attachments: Vec::new(),
        }
    }

    /// The command's kind.
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Reply { .. } => CommandKind::Reply,
            Command::AddNote { .. } => CommandKind::AddNote,
            Command::Assign { .. } => CommandKind::Assign,
            Command::ChangePriority { .. } => CommandKind::ChangePriority,
            Command::MoveToDepartment { .. } => CommandKind::MoveToDepartment,
            Command::SetType { .. } => CommandKind::SetType,
            Command::SetCategories { .. } => CommandKind::SetCategories,
            Command::SetService { .. } => CommandKind::SetService,
            Command::SetCustomFields { .. } => CommandKind::SetCustomFields,
            Command::AskCustomer { .. } => CommandKind::AskCustomer,
            Command::PutOnHold { .. } => CommandKind::PutOnHold,
            Command::Resolve { .. } => CommandKind::Resolve,
            Command::ConfirmResolution => CommandKind::ConfirmResolution,
            Command::Close { .. } => CommandKind::Close,
            Command::Reopen => CommandKind::Reopen,
            Command::LinkToMaster { .. } => CommandKind::LinkToMaster,
            Command::MergeInto { .. } => CommandKind::MergeInto,
            Command::LogTime { .. } => CommandKind::LogTime,
            Command::RateSatisfaction { .. } => CommandKind::RateSatisfaction,
            Command::RequestPriority { .. } => CommandKind::RequestPriority,
            Command::DecidePriorityRequest { .. } => CommandKind::DecidePriorityRequest,
            Command::Tag { .. } => CommandKind::Tag,
        }
    }
}
