//! What a store writes: tickets with their new messages, events and time entries.

use crate::domain::{Message, Ticket, TicketEvent, TimeEntry, Version};

/// One ticket's new state and what was added to it.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketWrite {
    /// `None` to insert a new ticket; otherwise the version the change was made against,
    /// which must still be the stored one (and `ticket.version` is the one after it).
    pub expected: Option<Version>,
    /// The ticket's state after the change.
    pub ticket: Ticket,
    /// Messages to append to its thread.
    pub messages: Vec<Message>,
    /// Events to append to its history.
    pub events: Vec<TicketEvent>,
    /// Time entries to add.
    pub time_entries: Vec<crate::domain::TimeEntry>,
}

impl TicketWrite {
    /// A write of a new ticket.
    pub fn create(ticket: Ticket) -> Self {
        Self {
            expected: None,
            ticket,
            messages: Vec::new(),
            events: Vec::new(),
            time_entries: Vec::new(),
        }
    }

    /// A write of a changed ticket, made against `expected`.
    pub fn update(expected: Version, ticket: Ticket) -> Self {
        Self {
            expected: Some(expected),
            ..Self::create(ticket)
        }
    }

    /// Adds a message.
    pub fn with_message(mut self, message: Message) -> Self {
        self.messages.push(message);
        self
    }

    /// Adds an event.
    pub fn with_event(mut self, event: TicketEvent) -> Self {
        self.events.push(event);
        self
    }

    /// Adds a time entry.
    pub fn with_time_entry(mut self, entry: TimeEntry) -> Self {
        self.time_entries.push(entry);
        self
    }
}

/// Writes that commit together or not at all.
///
/// A ticket appears at most once in a batch; every message, event and time entry of a write
/// belongs to that write's ticket; a ticket's number never changes after creation. Stores
/// refuse a batch that breaks these rules with [`Error::Validation`](crate::Error::Validation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteBatch {
    /// The ticket writes, applied in order.
    pub writes: Vec<TicketWrite>,
}

impl WriteBatch {
    /// A batch of one write.
    pub fn one(write: TicketWrite) -> Self {
        Self {
            writes: vec![write],
        }
    }
}
