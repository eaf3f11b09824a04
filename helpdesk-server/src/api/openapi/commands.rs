//! The bodies of the ticket commands (`POST /tickets/{ticket}/commands` and `/transitions`):
//! one schema per command, told apart by `command`, as `helpdesk::machine::Command`
//! deserialises them.

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use utoipa::ToSchema;
use uuid::Uuid;

use super::ticket_parts::FieldValue;

use super::model::{Priority, Resolution};

/// Any command on a ticket, by its `command`.
#[derive(ToSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// A public reply (from an agent, with their signature; from a customer, it may reopen
    /// the ticket). Files go with the multipart messages route.
    Reply {
        /// The text.
        #[schema(min_length = 1, max_length = 100000)]
        body: String,
    },
    /// An internal note (agents).
    AddNote {
        /// The text.
        #[schema(min_length = 1, max_length = 100000)]
        body: String,
    },
    /// Assign to an agent, or unassign with `null` (or leaving `agent` out).
    Assign {
        /// The new assignee.
        agent: Option<Uuid>,
    },
    /// Change the priority.
    ChangePriority {
        /// The new priority.
        priority: Priority,
    },
    /// Move to another department (the ticket becomes unassigned).
    MoveToDepartment {
        /// Where to.
        department: Uuid,
    },
    /// Change the request type.
    SetType {
        /// The new type.
        ticket_type: String,
    },
    /// Put tags on and take tags off (agents; a tag both added and removed is removed).
    Tag {
        /// The tags to put on (each 1–50 characters, no commas).
        #[serde(default)]
        add: Vec<String>,
        /// The tags to take off.
        #[serde(default)]
        remove: Vec<String>,
    },
    /// Replace the categories.
    SetCategories {
        /// The new categories (each 1–64 characters).
        categories: Vec<String>,
    },
    /// Set or clear the service.
    SetService {
        /// The new service (1–100 characters), or `null`.
        service: Option<String>,
    },
    /// Replace the custom fields.
    SetCustomFields {
        /// The new fields, by key.
        fields: BTreeMap<String, FieldValue>,
    },
    /// Ask the customer for more information (→ pending_customer).
    AskCustomer {
        /// The question, sent to the customer.
        #[schema(min_length = 1, max_length = 100000)]
        body: String,
        /// Come back to it then, with a reminder, if the customer has not answered.
        until: Option<DateTime<Utc>>,
    },
    /// Wait on a third party (→ on_hold).
    PutOnHold {
        /// Why, as an internal note.
        reason: Option<String>,
        /// Come back to it then, with a reminder.
        until: Option<DateTime<Utc>>,
    },
    /// Give the solution (→ resolved), optionally with a public message.
    Resolve {
        /// The solution, sent to the customer.
        body: Option<String>,
    },
    /// The customer confirms the solution (→ closed:solved).
    ConfirmResolution,
    /// Close with a resolution.
    Close {
        /// Why.
        resolution: Resolution,
    },
    /// Reopen a resolved or closed ticket (→ open).
    Reopen,
    /// Link to a master ticket, or unlink with `null`.
    LinkToMaster {
        /// The master ticket.
        master: Option<Uuid>,
    },
    /// Merge into another ticket of the same customer (→ closed:merged).
    MergeInto {
        /// The ticket that lives on.
        target: Uuid,
    },
    /// The customer rates a ticket closed as solved, once.
    RateSatisfaction {
        /// 1–5.
        #[schema(minimum = 1, maximum = 5)]
        score: u8,
        /// What they say (at most 1000 characters).
        comment: Option<String>,
    },
    /// The customer asks to raise the priority, with a reason.
    RequestPriority {
        /// The priority asked for (above the current one).
        priority: Priority,
        /// Why (at most 1000 characters).
        #[schema(max_length = 1000)]
        reason: String,
    },
    /// An agent approves or declines the customer's priority request.
    DecidePriorityRequest {
        /// Whether to grant it.
        approve: bool,
    },
    /// Log time spent.
    LogTime {
        /// How long, in minutes.
        #[schema(minimum = 1, maximum = 1440)]
        minutes: u32,
        /// Whether the customer is billed; customers see their tickets' billable entries.
        billable: bool,
        /// What was done (at most 1000 characters).
        #[schema(max_length = 1000)]
        note: String,
        /// Whether the customer may read the note on a billable entry: hidden unless true.
        #[schema(default = false)]
        note_visible_to_customer: Option<bool>,
    },
}

/// The commands `/transitions` takes: those that change the status (another is a 400).
#[derive(ToSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Transition {
    /// Ask the customer for more information (→ pending_customer).
    AskCustomer {
        /// The question, sent to the customer.
        #[schema(min_length = 1, max_length = 100000)]
        body: String,
        /// Come back to it then, with a reminder, if the customer has not answered.
        until: Option<DateTime<Utc>>,
    },
    /// Wait on a third party (→ on_hold).
    PutOnHold {
        /// Why, as an internal note.
        reason: Option<String>,
        /// Come back to it then, with a reminder.
        until: Option<DateTime<Utc>>,
    },
    /// Give the solution (→ resolved), optionally with a public message.
    Resolve {
        /// The solution, sent to the customer.
        body: Option<String>,
    },
    /// The customer confirms the solution (→ closed:solved).
    ConfirmResolution,
    /// Close with a resolution.
    Close {
        /// Why.
        resolution: Resolution,
    },
    /// Reopen a resolved or closed ticket (→ open).
    Reopen,
    /// Merge into another ticket of the same customer (→ closed:merged).
    MergeInto {
        /// The ticket that lives on.
        target: Uuid,
    },
}
