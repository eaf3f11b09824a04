//! What a store writes: tickets with their new messages, events and time entries.

use crate::domain::{
    MailReference, Message, Notification, OutboundEmail, Ticket, TicketEvent, TimeEntry, Version,
};

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
    /// Stored messages of another ticket of the batch, moved to this one (a merge or a
    /// split): each as it reads after the move (`ticket_id` this ticket, `origin` saying
    /// where it came from). They go to the end of this ticket's thread, in this order, with
    /// their attachments, and search finds them under this ticket only.
    pub moved_messages: Vec<Message>,
    /// Stored history entries of another ticket of the batch, moved to this one (a merge),
    /// each as it reads after the move; they go to the end of this ticket's history.
    pub moved_events: Vec<TicketEvent>,
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
            moved_messages: Vec::new(),
            moved_events: Vec::new(),
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

/// Writes that commit together or not at all: tickets, and what their events cause
/// (notifications, e-mail to send, the Message-IDs of mail in and out).
///
/// A ticket appears at most once in a batch; every message, event and time entry of a write
/// belongs to that write's ticket; its `next_due_at` is `timers.next_due_at()`; a ticket's
/// number never changes after creation; notifications, outbox e-mails and mail references
/// belong to tickets of the batch; a changed ticket with [`rule_firings`](Self::rule_firings)
/// in the batch moves to the version after its expected one. Stores
/// refuse a batch that breaks these rules with
/// [`Error::Validation`](crate::Error::Validation). A Message-ID already taken by an outbox
/// e-mail (for an e-mail) or by a mail reference (for a reference) is a `Conflict` with
/// `Duplicate { field: "message_id" }`; the service files every e-mail it queues as a mail
/// reference too, so replies to it thread.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteBatch {
    /// The ticket writes, applied in order.
    pub writes: Vec<TicketWrite>,
    /// In-app notifications to add.
    pub notifications: Vec<Notification>,
    /// E-mails to queue in the outbox.
    pub outbox: Vec<OutboundEmail>,
    /// Message-IDs of mail sent or received, filed under their tickets.
    pub mail_references: Vec<MailReference>,
    /// The rules that fired on the batch's tickets, for the firing log
    /// ([`AutomationStore::rule_firings`](super::AutomationStore::rule_firings)): written
    /// with the batch or not at all, by every store (whether it offers the ability or not).
    pub rule_firings: Vec<crate::automation::RuleFiring>,
    /// Webhook deliveries the batch's rules asked for (their `call_webhook` actions, see
    /// [`rule_fired_delivery`](crate::webhooks::rule_fired_delivery)): written with the
    /// batch, each only while its endpoint exists and is enabled at the commit (one
    /// disabled or removed meanwhile gets none), by every store that keeps webhooks.
    pub rule_deliveries: Vec<crate::webhooks::WebhookDelivery>,
    /// Whether the request read the webhook endpoints with its other reads
    /// ([`ReadSet::webhooks`](super::ReadSet::webhooks)) and found none enabled: the store
    /// may then skip reading them inside the commit (an endpoint registered since that read
    /// misses this one change, as a rule created since does not fire on it).
    pub no_webhook_endpoints: bool,
}

impl WriteBatch {
    /// Checks the rules a batch must keep whatever the stored state: each ticket at most
    /// once, every message, event and time entry filed under its own write's ticket,
    /// `next_due_at` equal to what the ticket's timers say, and each changed ticket with
    /// rule firings moved to its next version.
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
                .chain(write.moved_messages.iter().map(|m| m.ticket_id))
                .chain(write.moved_events.iter().map(|e| e.ticket_id))
                .any(|t| t != id);
            if foreign {
                return Err(crate::Error::validation(
                    "ticket_id",
                    "messages, events and time entries (moved ones too) must belong to their write's ticket",
                ));
            }
            if write.ticket.next_due_at != write.ticket.timers.next_due_at() {
                return Err(crate::Error::validation(
                    "next_due_at",
                    "must be the earliest instant the ticket's timers are due",
                ));
            }
        }
        let mut moved_messages = std::collections::HashSet::new();
        let mut moved_events = std::collections::HashSet::new();
        let moved_twice = self.writes.iter().any(|w| {
            w.moved_messages
                .iter()
                .any(|m| !moved_messages.insert(m.id))
                || w.moved_events.iter().any(|e| !moved_events.insert(e.id))
        });
        if moved_twice {
            return Err(crate::Error::validation(
                "moved",
                "a message or history entry may be moved only once in a batch",
            ));
        }
        let outside = self
            .notifications
            .iter()
            .map(|n| Some(n.ticket_id))
            .chain(self.outbox.iter().map(|e| e.ticket_id))
            .chain(self.mail_references.iter().map(|r| Some(r.ticket_id)))
            .chain(self.rule_firings.iter().map(|f| Some(f.ticket_id)))
            .flatten()
            .any(|t| !seen.contains(&t));
        if outside {
            return Err(crate::Error::validation(
                "ticket_id",
                "notifications, e-mails, mail references and rule firings must belong to tickets of the batch",
            ));
        }
        // A firing commits with its ticket moved to its next version: two changes made from
        // one version cannot both land, so the hourly limit is counted one after another.
        let fired: std::collections::HashSet<_> =
            self.rule_firings.iter().map(|f| f.ticket_id).collect();
        let unmoved = (self.writes.iter())
            .filter(|w| fired.contains(&w.ticket.id))
            .any(|w| w.expected.is_some_and(|v| w.ticket.version != v.next()));
        if unmoved {
            return Err(crate::Error::validation(
                "rule_firings",
                "a ticket a rule fired on must move to its next version in the same batch",
            ));
        }
        let mut sent = std::collections::HashSet::new();
        let mut filed = std::collections::HashSet::new();
        let repeated = self
            .outbox
            .iter()
            .any(|e| !sent.insert(e.message_id.as_str()))
            || self
                .mail_references
                .iter()
                .any(|r| !filed.insert(r.message_id.as_str()));
        if repeated {
            return Err(crate::Error::validation(
                "message_id",
                "a Message-ID may appear only once among a batch's e-mails, and once among its mail references",
            ));
        }
        Ok(())
    }

    /// A batch of `writes` and nothing else.
    pub fn of(writes: Vec<TicketWrite>) -> Self {
        Self {
            writes,
            ..Self::default()
        }
    }

    /// A batch of one write.
    pub fn one(write: TicketWrite) -> Self {
        Self::of(vec![write])
    }
}
