//! What a commit means, written once: which stored facts a [`WriteBatch`] depends on
//! ([`CommitKeys`]), and the checks it must pass against them ([`check_commit`]).
//!
//! Every store commits the same way: inside its transaction it reads the facts the keys name
//! (locking the tickets it updates, in the order given), passes them to [`check_commit`], and
//! writes the batch's rows only when the check passes, as the returned [`TicketWriteKind`]s
//! say. The memory store reads its maps; SQL backends read rows. So every store refuses the
//! same batches with the same error, and the rules live here only.

use std::collections::{HashMap, HashSet};

use super::WriteBatch;
use crate::domain::{EventId, MessageId, NotificationId, OutboxId, TicketId, Version};
use crate::error::{Entity, Error, Result};

/// The stored facts a batch's checks depend on: what a backend reads inside its transaction
/// before writing (see [`check_commit`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitKeys<'a> {
    /// Every ticket the batch writes (new ones too: a stored one means the id is taken), in
    /// ascending id order, the order to lock them in. Read each one's [`StoredTicket`].
    pub tickets: Vec<TicketId>,
    /// Both forms of every new ticket's number. Read which are taken by any stored ticket,
    /// as its full or its short number (the two forms share one namespace).
    pub numbers: Vec<&'a str>,
    /// The Message-IDs of the batch's outbox e-mails. Read which a stored e-mail has.
    pub email_message_ids: Vec<&'a str>,
    /// The Message-IDs of the batch's mail references. Read which a stored reference has.
    pub reference_message_ids: Vec<&'a str>,
    /// The ids of the batch's notifications. Read which are stored.
    pub notifications: Vec<NotificationId>,
    /// The ids of the batch's outbox e-mails. Read which are stored.
    pub emails: Vec<OutboxId>,
    /// The messages the batch moves between tickets. Read the ticket each is stored under.
    pub moved_messages: Vec<MessageId>,
    /// The history entries the batch moves between tickets. Read the ticket each is stored
    /// under.
    pub moved_events: Vec<EventId>,
}

/// A stored ticket, as far as the checks need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTicket {
    /// Its version.
    pub version: Version,
    /// Its full number.
    pub number_full: String,
    /// Its short number.
    pub number_short: String,
    /// Its subject (so that a backend re-indexes it only when it changes).
    pub subject: String,
}

/// What a backend found for a batch's [`CommitKeys`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitFacts {
    tickets: HashMap<TicketId, StoredTicket>,
    numbers: HashSet<String>,
    email_message_ids: HashSet<String>,
    reference_message_ids: HashSet<String>,
    notifications: HashSet<NotificationId>,
    emails: HashSet<OutboxId>,
    message_tickets: HashMap<MessageId, TicketId>,
    event_tickets: HashMap<EventId, TicketId>,
}

impl CommitFacts {
    /// No facts: nothing the batch names is stored.
    pub fn new() -> Self {
        Self::default()
    }

    /// A ticket of [`CommitKeys::tickets`] is stored, like this.
    pub fn stored_ticket(&mut self, id: TicketId, ticket: StoredTicket) -> &mut Self {
        self.tickets.insert(id, ticket);
        self
    }

    /// A number of [`CommitKeys::numbers`] is taken.
    pub fn number_taken(&mut self, digits: impl Into<String>) -> &mut Self {
        self.numbers.insert(digits.into());
        self
    }

    /// A Message-ID of [`CommitKeys::email_message_ids`] is taken by a stored e-mail.
    pub fn email_message_id_taken(&mut self, message_id: impl Into<String>) -> &mut Self {
        self.email_message_ids.insert(message_id.into());
        self
    }

    /// A Message-ID of [`CommitKeys::reference_message_ids`] is taken by a stored reference.
    pub fn reference_message_id_taken(&mut self, message_id: impl Into<String>) -> &mut Self {
        self.reference_message_ids.insert(message_id.into());
        self
    }

    /// A notification id of [`CommitKeys::notifications`] is stored.
    pub fn notification_taken(&mut self, id: NotificationId) -> &mut Self {
        self.notifications.insert(id);
        self
    }

    /// An e-mail id of [`CommitKeys::emails`] is stored.
    pub fn email_taken(&mut self, id: OutboxId) -> &mut Self {
        self.emails.insert(id);
        self
    }

    /// A message of [`CommitKeys::moved_messages`] is stored under `ticket`.
    pub fn message_on(&mut self, id: MessageId, ticket: TicketId) -> &mut Self {
        self.message_tickets.insert(id, ticket);
        self
    }

    /// A history entry of [`CommitKeys::moved_events`] is stored under `ticket`.
    pub fn event_on(&mut self, id: EventId, ticket: TicketId) -> &mut Self {
        self.event_tickets.insert(id, ticket);
        self
    }
}

/// How a checked write is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketWriteKind {
    /// A new ticket: insert it, with its two numbers.
    Insert,
    /// A stored ticket: update it by id (its row is locked and at the expected version).
    Update {
        /// Whether its subject differs from the stored one.
        subject_changed: bool,
    },
}

impl WriteBatch {
    /// Whether the batch writes nothing at all.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
            && self.notifications.is_empty()
            && self.outbox.is_empty()
            && self.mail_references.is_empty()
            && self.rule_firings.is_empty()
            && self.rule_deliveries.is_empty()
    }

    /// The stored facts [`check_commit`] needs for this batch.
    pub fn keys(&self) -> CommitKeys<'_> {
        let mut tickets: Vec<TicketId> = self.writes.iter().map(|w| w.ticket.id).collect();
        tickets.sort_unstable();
        tickets.dedup();
        CommitKeys {
            tickets,
            numbers: self
                .writes
                .iter()
                .filter(|w| w.expected.is_none())
                .flat_map(|w| [w.ticket.number.full(), w.ticket.number.short()])
                .collect(),
            email_message_ids: self.outbox.iter().map(|e| e.message_id.as_str()).collect(),
            reference_message_ids: self
                .mail_references
                .iter()
                .map(|r| r.message_id.as_str())
                .collect(),
            notifications: self.notifications.iter().map(|n| n.id).collect(),
            emails: self.outbox.iter().map(|e| e.id).collect(),
            moved_messages: (self.writes.iter())
                .flat_map(|w| w.moved_messages.iter().map(|m| m.id))
                .collect(),
            moved_events: (self.writes.iter())
                .flat_map(|w| w.moved_events.iter().map(|e| e.id))
                .collect(),
        }
    }
}

/// Checks `batch` against the stored `facts` (read for [`WriteBatch::keys`]) without changing
/// anything, and says how to apply each write, in batch order.
///
/// In this order, the first failure being the error:
/// 1. the batch's own shape ([`WriteBatch::check_shape`]): `Validation`;
/// 2. each write in turn: a new ticket whose id is stored is `Duplicate { field: "id" }`, one
///    whose full or short number is taken (by a stored ticket or an earlier new one of the
///    batch) `Duplicate { field: "number" }`; a changed ticket that is not stored is
///    `NotFound`, one whose full or short number differs from the stored one is
///    `Validation` on `number` (a number never changes), one not at its expected version a
///    `StaleVersion` conflict;
/// 2. then each moved message and history entry: one not stored, stored under this write's
///    own ticket, or under a ticket the batch does not update (whose version it therefore
///    did not check), is `Validation` on `moved`;
/// 3. a Message-ID of an e-mail or mail reference already taken: `Duplicate` on
///    [`Entity::Email`] `message_id`;
/// 4. a stored notification id: `Duplicate` on [`Entity::Notification`] `id`;
/// 5. a stored e-mail id: `Duplicate` on [`Entity::Email`] `id`.
pub fn check_commit(batch: &WriteBatch, facts: &CommitFacts) -> Result<Vec<TicketWriteKind>> {
    batch.check_shape()?;
    let mut kinds = Vec::with_capacity(batch.writes.len());
    let mut new_numbers: HashSet<&str> = HashSet::new();
    for write in &batch.writes {
        let t = &write.ticket;
        let stored = facts.tickets.get(&t.id);
        match (write.expected, stored) {
            (None, Some(_)) => return Err(Error::duplicate(Entity::Ticket, "id")),
            (None, None) => {
                let numbers = [t.number.full(), t.number.short()];
                if numbers
                    .iter()
                    .any(|n| facts.numbers.contains(*n) || new_numbers.contains(n))
                {
                    return Err(Error::duplicate(Entity::Ticket, "number"));
                }
                new_numbers.extend(numbers);
                kinds.push(TicketWriteKind::Insert);
            }
            (Some(_), None) => return Err(Error::not_found(Entity::Ticket, t.id)),
            (Some(expected), Some(stored)) => {
                let same_number = stored.number_full == t.number.full()
                    && stored.number_short == t.number.short();
                if !same_number {
                    return Err(Error::validation(
                        "number",
                        "a ticket's number never changes",
                    ));
                }
                if stored.version != expected {
                    return Err(Error::stale(Entity::Ticket, expected, stored.version));
                }
                kinds.push(TicketWriteKind::Update {
                    subject_changed: stored.subject != t.subject.as_str(),
                });
            }
        }
    }
    check_moves(batch, facts)?;
    let message_id_taken = batch
        .outbox
        .iter()
        .any(|e| facts.email_message_ids.contains(&e.message_id))
        || batch
            .mail_references
            .iter()
            .any(|r| facts.reference_message_ids.contains(&r.message_id));
    if message_id_taken {
        return Err(Error::duplicate(Entity::Email, "message_id"));
    }
    if batch
        .notifications
        .iter()
        .any(|n| facts.notifications.contains(&n.id))
    {
        return Err(Error::duplicate(Entity::Notification, "id"));
    }
    if batch.outbox.iter().any(|e| facts.emails.contains(&e.id)) {
        return Err(Error::duplicate(Entity::Email, "id"));
    }
    Ok(kinds)
}

/// Rule 2 of [`check_commit`]: every moved message and history entry is stored under
/// another ticket that the batch updates.
fn check_moves(batch: &WriteBatch, facts: &CommitFacts) -> Result<()> {
    let updated: HashSet<TicketId> = (batch.writes.iter())
        .filter(|w| w.expected.is_some())
        .map(|w| w.ticket.id)
        .collect();
    let misplaced = || {
        Error::validation(
            "moved",
            "a moved entry must be stored under another ticket the same batch updates",
        )
    };
    for write in &batch.writes {
        let to = write.ticket.id;
        for m in &write.moved_messages {
            let from = (facts.message_tickets.get(&m.id)).ok_or_else(misplaced)?;
            if *from == to || !updated.contains(from) {
                return Err(misplaced());
            }
        }
        for e in &write.moved_events {
            let from = (facts.event_tickets.get(&e.id)).ok_or_else(misplaced)?;
            if *from == to || !updated.contains(from) {
                return Err(misplaced());
            }
        }
    }
    Ok(())
}
