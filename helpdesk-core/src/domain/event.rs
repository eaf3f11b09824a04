//! The audit log: every change to a ticket is an event, stored with the change.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    Actor, AgentId, Category, Channel, CustomFields, DepartmentId, EventId, MessageId, Minutes,
    Priority, Rating, ServiceName, ShortNote, SlaTarget, Status, Subject, TicketId, TicketType,
    TimeEntryId,
};

/// What changed, from what to what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Change {
    /// The ticket was opened.
    Created {
        /// Its subject.
        subject: Subject,
        /// The department it was sent to.
        department: DepartmentId,
        /// Its first status.
        status: Status,
        /// Its first priority.
        priority: Priority,
        /// Its type.
        ticket_type: TicketType,
        /// How it came in.
        channel: Channel,
        /// Whether it is internal.
        internal: bool,
        /// The closed ticket it follows up, if any.
        follow_up_of: Option<TicketId>,
    },
    /// A public message was added (a reply by either side).
    Replied {
        /// The message.
        message: MessageId,
        /// Whether this was the first public agent reply.
        first_response: bool,
    },
    /// An internal note was added.
    NoteAdded {
        /// The note.
        message: MessageId,
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
        /// Before.
        from: Option<AgentId>,
        /// After.
        to: Option<AgentId>,
    },
    /// The ticket moved to another department.
    DepartmentChanged {
        /// Before.
        from: DepartmentId,
        /// After.
        to: DepartmentId,
    },
    /// The type changed.
    TypeChanged {
        /// Before.
        from: TicketType,
        /// After.
        to: TicketType,
    },
    /// The categories changed.
    CategoriesChanged {
        /// Before.
        from: Vec<Category>,
        /// After.
        to: Vec<Category>,
    },
    /// The service changed.
    ServiceChanged {
        /// Before.
        from: Option<ServiceName>,
        /// After.
        to: Option<ServiceName>,
    },
    /// Custom fields changed.
    CustomFieldsChanged {
        /// Before.
        from: CustomFields,
        /// After.
        to: CustomFields,
    },
    /// The master ticket link changed.
    MasterChanged {
        /// Before.
        from: Option<TicketId>,
        /// After.
        to: Option<TicketId>,
    },
    /// This ticket was merged into another.
    MergedInto {
        /// The ticket it now lives on in.
        target: TicketId,
    },
    /// Another ticket was merged into this one.
    MergeReceived {
        /// The ticket merged in.
        source: TicketId,
    },
    /// Messages of this ticket were split off into a new ticket.
    SplitOff {
        /// The new ticket.
        into: TicketId,
        /// The messages it took.
        messages: Vec<MessageId>,
    },
    /// This ticket was split off another one, taking some of its messages.
    SplitFrom {
        /// The ticket it was split off.
        source: TicketId,
    },
    /// A service-level target is close to passing (its warning share is spent).
    SlaWarning {
        /// Which target.
        target: SlaTarget,
    },
    /// A service-level target passed before it was met.
    SlaBreached {
        /// Which target.
        target: SlaTarget,
    },
    /// The time a pending or on-hold ticket was set aside until has come.
    PendingReminder,
    /// The customer is warned that the ticket will close itself unless they answer.
    AutoCloseWarning {
        /// When it will close.
        closes_at: DateTime<Utc>,
    },
    /// The customer rated the solved ticket.
    SatisfactionRated {
        /// The score.
        score: Rating,
        /// What they said.
        comment: Option<ShortNote>,
    },
    /// The customer asked to raise the priority.
    PriorityRequested {
        /// The priority asked for.
        priority: Priority,
        /// Why.
        reason: ShortNote,
    },
    /// An agent approved or declined the customer's priority request.
    PriorityRequestDecided {
        /// The priority that was asked for.
        priority: Priority,
        /// Whether it was granted.
        approved: bool,
    },
    /// Work was logged.
    TimeLogged {
        /// The entry.
        entry: TimeEntryId,
        /// How long.
        minutes: Minutes,
        /// Whether it is billed.
        billable: bool,
    },
    /// An agent e-mailed the ticket's public thread to an address (seed 003).
    ThreadEmailed {
        /// The address.
        to: super::Email,
    },
    /// The customer of the ticket's live chat asked for a person and waits in the queue
    /// (staff only).
    ChatWaiting,
    /// Tags were put on or taken off (staff only).
    Tagged {
        /// The tags put on.
        added: Vec<super::Tag>,
        /// The tags taken off.
        removed: Vec<super::Tag>,
    },
}

impl Change {
    /// Whether customers may see this event in their ticket's history. Notes, time entries,
    /// assignments, links and field edits are for staff.
    pub fn is_public(&self) -> bool {
        matches!(
            self,
            Change::Created { .. }
                | Change::Replied { .. }
                | Change::StatusChanged { .. }
                | Change::PriorityChanged { .. }
                | Change::DepartmentChanged { .. }
                | Change::TypeChanged { .. }
                | Change::MergedInto { .. }
                | Change::AutoCloseWarning { .. }
                | Change::SatisfactionRated { .. }
                | Change::PriorityRequested { .. }
                | Change::PriorityRequestDecided { .. }
        )
    }

    /// The stable name of the kind of change (`created`, `status_changed`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Created { .. } => "created",
            Change::Replied { .. } => "replied",
            Change::NoteAdded { .. } => "note_added",
            Change::StatusChanged { .. } => "status_changed",
            Change::PriorityChanged { .. } => "priority_changed",
            Change::AssigneeChanged { .. } => "assignee_changed",
            Change::DepartmentChanged { .. } => "department_changed",
            Change::TypeChanged { .. } => "type_changed",
            Change::CategoriesChanged { .. } => "categories_changed",
            Change::ServiceChanged { .. } => "service_changed",
            Change::CustomFieldsChanged { .. } => "custom_fields_changed",
            Change::MasterChanged { .. } => "master_changed",
            Change::MergedInto { .. } => "merged_into",
            Change::MergeReceived { .. } => "merge_received",
            Change::SplitOff { .. } => "split_off",
            Change::SplitFrom { .. } => "split_from",
            Change::SlaWarning { .. } => "sla_warning",
            Change::SlaBreached { .. } => "sla_breached",
            Change::PendingReminder => "pending_reminder",
            Change::AutoCloseWarning { .. } => "auto_close_warning",
            Change::SatisfactionRated { .. } => "satisfaction_rated",
            Change::PriorityRequested { .. } => "priority_requested",
            Change::PriorityRequestDecided { .. } => "priority_request_decided",
            Change::TimeLogged { .. } => "time_logged",
            Change::ThreadEmailed { .. } => "thread_emailed",
            Change::Tagged { .. } => "tagged",
            Change::ChatWaiting => "chat_waiting",
        }
    }
}

/// One entry in a ticket's history: who changed what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketEvent {
    /// Its id.
    pub id: EventId,
    /// The ticket changed.
    pub ticket_id: TicketId,
    /// Who changed it.
    pub actor: Actor,
    /// When.
    pub at: DateTime<Utc>,
    /// What changed.
    pub change: Change,
    /// The ticket it came from: the master whose change made it (a linked ticket's copy of
    /// the master's reply or closing), or the ticket it was moved from by a merge; `None`
    /// for an entry of this ticket's own.
    #[serde(default)]
    pub origin: Option<super::Origin>,
}
