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
/// belongs to that write's ticket; its `next_due_at` is `timers.next_due_at()`; a ticket's
/// number never changes after creation. Stores
/// refuse a batch that breaks these rules with [`Error::Validation`](crate::Error::Validation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteBatch {
    /// The ticket writes, applied in order.
    pub writes: Vec<TicketWrite>,
}

impl WriteBatch {
    /// Checks the rules a batch must keep whatever the stored state: each ticket at most
    /// once, every message, event and time entry filed under its own write's ticket, and
    /// `next_due_at` equal to what the ticket's timers say.
    /// Every store calls this before looking at its state, so all report the same error.
    pub fn check_shape(&self) -> crate::Result<()> {
        let mut seen = std::collections::HashSet::with_capacity(self.writes.len());
        for write in &self.writes {
            let id = write.ticket.id;
            if !seen.insert(id) {
                return Err(crate::Error::validation(
                    "batch",
                    "a ticket may appear only once in a batch",
                ));
            }
            let foreign = write
                .messages
                .iter()
                .map(|m| m.ticket_id)
                .chain(write.events.iter().map(|e| e.ticket_id))
                .chain(write.time_entries.iter().map(|e| e.ticket_id))
                .any(|t| t != id);
            if foreign {
                return Err(crate::Error::validation(
                    "ticket_id",
                    "messages, events and time entries must belong to their write's ticket",
                ));
            }
            if write.ticket.next_due_at != write.ticket.timers.next_due_at() {
                return Err(crate::Error::validation(
                    "next_due_at",
                    "must be the earliest instant the ticket's timers are due",
                ));
            }
        }
        Ok(())
    }

    /// A batch of one write.
    pub fn one(write: TicketWrite) -> Self {
        Self {
            writes: vec![write],
        }
    }
}
