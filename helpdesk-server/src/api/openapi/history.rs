//! Schemas of a ticket's history as `GET /tickets/{ticket}/history` answers it (its serde
//! form in `helpdesk::domain::TicketEvent`): who changed what, when, one schema per kind of
//! change, told apart by `change`.

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use utoipa::ToSchema;
use uuid::Uuid;

use super::ticket_parts::FieldValue;

use super::model::{Actor, Channel, Priority, Status};
use super::ticket_parts::SlaTarget;

/// One entry of a ticket's history.
#[derive(ToSchema)]
pub struct HistoryEvent {
    /// Its id.
    pub id: Uuid,
    /// The ticket changed.
    pub ticket_id: Uuid,
    /// Who changed it.
    pub actor: Actor,
    /// When.
    pub at: DateTime<Utc>,
    /// What changed.
    pub change: Change,
    /// The ticket it came from: the master whose change made it, or the ticket a merge
    /// moved it from; null for an entry of this ticket's own.
    #[schema(required = true)]
    pub origin: Option<super::model::Origin>,
}

/// `{"items": [...]}` of [`HistoryEvent`], oldest first.
#[derive(ToSchema)]
pub struct HistoryList {
    /// The entries.
    pub items: Vec<HistoryEvent>,
}

/// What changed: `change` names the kind, the other fields are that kind's.
#[derive(ToSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// The ticket was opened.
    Created {
        /// Its subject.
        subject: String,
        /// Its department.
        department: Uuid,
        /// Its first status.
        status: Status,
        /// Its priority.
        priority: Priority,
        /// Its type.
        ticket_type: String,
        /// How it came in.
        channel: Channel,
        /// Whether only agents see it.
        internal: bool,
        /// The closed ticket it follows up; null when none.
        #[schema(required = true)]
        follow_up_of: Option<Uuid>,
    },
    /// A public reply.
    Replied {
        /// The message.
        message: Uuid,
        /// Whether it was the first response.
        first_response: bool,
    },
    /// An internal note.
    NoteAdded {
        /// The message.
        message: Uuid,
    },
    /// The status changed.
    StatusChanged {
        /// Before.
        from: Status,
        /// After.
        to: Status,
    },
    /// The priority changed.
    PriorityChanged {
        /// Before.
        from: Priority,
        /// After.
        to: Priority,
    },
    /// The assignee changed.
    AssigneeChanged {
        /// Before; null: unassigned.
        #[schema(required = true)]
        from: Option<Uuid>,
        /// After; null: unassigned.
        #[schema(required = true)]
        to: Option<Uuid>,
    },
    /// The department changed.
    DepartmentChanged {
        /// Before.
        from: Uuid,
        /// After.
        to: Uuid,
    },
    /// The type changed.
    TypeChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// The categories changed.
    CategoriesChanged {
        /// Before.
        from: Vec<String>,
        /// After.
        to: Vec<String>,
    },
    /// The service changed.
    ServiceChanged {
        /// Before; null: none.
        #[schema(required = true)]
        from: Option<String>,
        /// After; null: none.
        #[schema(required = true)]
        to: Option<String>,
    },
    /// The custom fields changed (deployment-defined fields by key).
    CustomFieldsChanged {
        /// Before.
        from: BTreeMap<String, FieldValue>,
        /// After.
        to: BTreeMap<String, FieldValue>,
    },
    /// The master ticket changed.
    MasterChanged {
        /// Before; null: none.
        #[schema(required = true)]
        from: Option<Uuid>,
        /// After; null: none.
        #[schema(required = true)]
        to: Option<Uuid>,
    },
    /// Merged into another ticket.
    MergedInto {
        /// That ticket.
        target: Uuid,
    },
    /// Another ticket was merged into this one.
    MergeReceived {
        /// That ticket.
        source: Uuid,
    },
    /// Messages were split off into a new ticket.
    SplitOff {
        /// The new ticket.
        into: Uuid,
        /// The messages it took.
        messages: Vec<Uuid>,
    },
    /// This ticket was split off another, taking some of its messages.
    SplitFrom {
        /// That ticket.
        source: Uuid,
    },
    /// A service-level warning.
    SlaWarning {
        /// Which clock.
        target: SlaTarget,
    },
    /// A service-level breach.
    SlaBreached {
        /// Which clock.
        target: SlaTarget,
    },
    /// The pending time ran out.
    PendingReminder,
    /// The customer was warned of the auto-close.
    AutoCloseWarning {
        /// When it closes.
        closes_at: DateTime<Utc>,
    },
    /// The customer rated the solution.
    SatisfactionRated {
        /// The score (1–5).
        #[schema(minimum = 1, maximum = 5)]
        score: u8,
        /// What they said; null when nothing.
        #[schema(required = true)]
        comment: Option<String>,
    },
    /// The customer asked for another priority.
    PriorityRequested {
        /// The priority asked for.
        priority: Priority,
        /// Why.
        reason: String,
    },
    /// An agent decided on a priority request.
    PriorityRequestDecided {
        /// The priority asked for.
        priority: Priority,
        /// Whether it was granted.
        approved: bool,
    },
    /// Time was logged.
    TimeLogged {
        /// The time entry.
        entry: Uuid,
        /// Its minutes.
        #[schema(minimum = 0)]
        minutes: u32,
        /// Whether it is billable.
        billable: bool,
    },
    /// The thread was e-mailed.
    ThreadEmailed {
        /// To whom.
        to: String,
    },
    /// The customer of the ticket's live chat waits in the queue (agents only).
    ChatWaiting,
    /// Tags were put on or taken off (agents only).
    Tagged {
        /// The tags put on, as typed.
        added: Vec<String>,
        /// The tags taken off.
        removed: Vec<String>,
    },
}
