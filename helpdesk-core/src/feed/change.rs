//! The change records a committed batch yields, derived from the batch itself.

use serde::{Deserialize, Serialize};

use crate::domain::{
    AgentId, ChatId, CustomerId, DepartmentId, MessageId, NotificationId, Recipient, Ticket,
    TicketId,
};
use crate::store::{ChatWrites, WriteBatch};

/// Where a record stands in the feed: positions grow with every committed record and
/// survive restarts, so a reader resumes after the last one it handled.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct FeedPosition(u64);

impl FeedPosition {
    /// Before every record: reading after it reads the whole feed.
    pub const START: Self = Self(0);

    /// The position with this number.
    pub fn new(value: u64) -> Self {
        Self(value)
    }

    /// Its number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl std::fmt::Display for FeedPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Who may see a message added to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageScope {
    /// The customer and the agents.
    Public,
    /// Agents only (an internal note).
    Internal,
}

/// One thing a committed batch changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FeedChange {
    /// A ticket was opened.
    TicketCreated {
        /// The ticket.
        ticket: TicketId,
        /// Its customer, if any.
        customer: Option<CustomerId>,
        /// Its department after the batch.
        department: DepartmentId,
        /// Whether the ticket is internal (never shown to a customer).
        internal: bool,
    },
    /// A stored ticket changed.
    TicketChanged {
        /// The ticket.
        ticket: TicketId,
        /// Its customer, if any.
        customer: Option<CustomerId>,
        /// Its department after the batch.
        department: DepartmentId,
        /// Whether the ticket is internal.
        internal: bool,
        /// The kinds of its new history entries ([`Change::kind`](crate::domain::Change::kind)),
        /// in order, each once.
        events: Vec<String>,
        /// The kinds among `events` customers may see
        /// ([`Change::is_public`](crate::domain::Change::is_public)), in order.
        #[serde(default)]
        public_events: Vec<String>,
    },
    /// A message was added to a ticket's thread (or moved there by a merge or split).
    MessageAdded {
        /// The ticket.
        ticket: TicketId,
        /// The message.
        message: MessageId,
        /// The ticket's customer, if any.
        customer: Option<CustomerId>,
        /// The ticket's department after the batch.
        department: DepartmentId,
        /// Whether the ticket is internal.
        internal: bool,
        /// Who may see the message.
        scope: MessageScope,
    },
    /// An in-app notification was created.
    NotificationCreated {
        /// The notification.
        notification: NotificationId,
        /// Who it is for.
        recipient: Recipient,
        /// The ticket it is about.
        ticket: TicketId,
    },
    /// A live chat started, was taken, moved or ended.
    ChatChanged {
        /// The chat.
        chat: ChatId,
        /// Its ticket.
        ticket: TicketId,
        /// Its customer.
        customer: CustomerId,
        /// Its department.
        department: DepartmentId,
        /// The agent talking in it, if any.
        agent: Option<AgentId>,
    },
    /// An agent's availability for chats changed.
    AvailabilityChanged {
        /// The agent.
        agent: AgentId,
    },
}

impl FeedChange {
    /// The stable name of the record's kind (`ticket_created`, `message_added`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            FeedChange::TicketCreated { .. } => "ticket_created",
            FeedChange::TicketChanged { .. } => "ticket_changed",
            FeedChange::MessageAdded { .. } => "message_added",
            FeedChange::NotificationCreated { .. } => "notification_created",
            FeedChange::ChatChanged { .. } => "chat_changed",
            FeedChange::AvailabilityChanged { .. } => "availability_changed",
        }
    }

    /// The ticket the record is about, if any.
    pub fn ticket(&self) -> Option<TicketId> {
        match self {
            FeedChange::TicketCreated { ticket, .. }
            | FeedChange::TicketChanged { ticket, .. }
            | FeedChange::MessageAdded { ticket, .. }
            | FeedChange::NotificationCreated { ticket, .. }
            | FeedChange::ChatChanged { ticket, .. } => Some(*ticket),
            FeedChange::AvailabilityChanged { .. } => None,
        }
    }
}

fn message_added(ticket: &Ticket, message: &crate::domain::Message) -> FeedChange {
    FeedChange::MessageAdded {
        ticket: ticket.id,
        message: message.id,
        customer: ticket.customer,
        department: ticket.department,
        internal: ticket.internal,
        scope: if message.is_public() {
            MessageScope::Public
        } else {
            MessageScope::Internal
        },
    }
}

/// The records a ticket batch yields, in a fixed order: per write, the ticket (created or
/// changed), then its new and moved messages; then the notifications. A write that adds
/// nothing a reader could see (no history entry and no message, an update of the stored
/// state only) still yields `TicketChanged` with no events, so readers re-read it.
pub fn changes_of_batch(batch: &WriteBatch) -> Vec<FeedChange> {
    let mut out = Vec::new();
    for write in &batch.writes {
        let ticket = &write.ticket;
        if write.expected.is_none() {
            out.push(FeedChange::TicketCreated {
                ticket: ticket.id,
                customer: ticket.customer,
                department: ticket.department,
                internal: ticket.internal,
            });
        } else {
            let mut events: Vec<String> = Vec::new();
            let mut public_events: Vec<String> = Vec::new();
            for event in write.events.iter().chain(&write.moved_events) {
                let kind = event.change.kind();
                if !events.iter().any(|k| k == kind) {
                    events.push(kind.to_owned());
                }
                if event.change.is_public() && !public_events.iter().any(|k| k == kind) {
                    public_events.push(kind.to_owned());
                }
            }
            out.push(FeedChange::TicketChanged {
                ticket: ticket.id,
                customer: ticket.customer,
                department: ticket.department,
                internal: ticket.internal,
                events,
                public_events,
            });
        }
        out.extend(
            write
                .messages
                .iter()
                .chain(&write.moved_messages)
                .map(|m| message_added(ticket, m)),
        );
    }
    out.extend(
        batch
            .notifications
            .iter()
            .map(|n| FeedChange::NotificationCreated {
                notification: n.id,
                recipient: n.recipient,
                ticket: n.ticket_id,
            }),
    );
    out
}

/// The records a checked chat commit yields: each chat written, then each availability.
pub fn changes_of_chat(writes: &ChatWrites) -> Vec<FeedChange> {
    let chats = writes
        .chats
        .iter()
        .map(|(_, chat)| FeedChange::ChatChanged {
            chat: chat.id,
            ticket: chat.ticket_id,
            customer: chat.customer,
            department: chat.department,
            agent: chat.agent(),
        });
    let agents = writes
        .availability
        .iter()
        .map(|(_, a)| FeedChange::AvailabilityChanged { agent: a.agent });
    chats.chain(agents).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::samples;

    #[test]
    fn a_new_ticket_yields_created_then_its_messages() {
        let ticket = samples::ticket(
            samples::number(1),
            crate::domain::DepartmentId::new(),
            CustomerId::new(),
        );
        let message = samples::message(&ticket, "hello", crate::domain::Visibility::Internal);
        let batch = WriteBatch {
            writes: vec![crate::store::TicketWrite::create(ticket.clone()).with_message(message)],
            ..WriteBatch::default()
        };
        let changes = changes_of_batch(&batch);
        let kinds: Vec<_> = changes.iter().map(FeedChange::kind).collect();
        assert_eq!(kinds, ["ticket_created", "message_added"]);
        assert!(matches!(
            changes[1],
            FeedChange::MessageAdded {
                scope: MessageScope::Internal,
                ..
            }
        ));
        assert!(changes.iter().all(|c| c.ticket() == Some(ticket.id)));
    }
}
