//! A ticket's children: messages (and the blobs their attachments refer to), events and time
//! entries.

use helpdesk_core::domain::{
    AgentId, Attachment, Change, EventId, Message, MessageBody, MessageId, Minutes, ShortNote,
    TicketEvent, TicketId, TimeEntry, TimeEntryId,
};
use rusqlite::Row;
use rusqlite::types::ToSql;

use super::{Reader, actor, bind, blob, json, micros};
use crate::error::Outcome;

/// A message's columns, and its `message_blobs` rows.
pub(crate) struct MessageRow {
    pub(crate) id: [u8; 16],
    ticket_id: [u8; 16],
    author_kind: &'static str,
    author_id: Option<[u8; 16]>,
    visibility: &'static str,
    channel: &'static str,
    body: String,
    attachments: String,
    created_at: i64,
    origin: Option<String>,
    /// The key of each blob its attachments refer to.
    pub(crate) blobs: Vec<String>,
}

impl MessageRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO messages (id, ticket_id, author_kind, author_id, visibility, channel, body,
                              attachments, created_at, origin)
        VALUES (:id, :ticket_id, :author_kind, :author_id, :visibility, :channel, :body,
                :attachments, :created_at, :origin)";

    /// Moves a stored message to the end of another ticket's thread: `?1` its id, `?2` the
    /// ticket, `?3` its origin. Its search fields must be gone first (they name its `seq`).
    pub(crate) const MOVE: &'static str = "
        UPDATE messages SET seq = (SELECT max(seq) + 1 FROM messages), ticket_id = ?2,
                            origin = ?3
        WHERE id = ?1
        RETURNING seq";

    /// Records that message `?2` refers to blob `?1` (once, however often it is attached).
    pub(crate) const INSERT_BLOB: &'static str =
        "INSERT OR IGNORE INTO message_blobs (sha256, message_id) VALUES (?1, ?2)";

    pub(crate) fn new(m: &Message) -> Outcome<Self> {
        let (author_kind, author_id) = actor(m.author);
        Ok(Self {
            id: blob(m.id.as_uuid()),
            ticket_id: blob(m.ticket_id.as_uuid()),
            author_kind,
            author_id,
            visibility: m.visibility.as_str(),
            channel: m.channel.as_str(),
            body: m.body.as_str().to_owned(),
            attachments: json(&m.attachments)?,
            created_at: micros(m.created_at),
            origin: m.origin.as_ref().map(json).transpose()?,
            blobs: (m.attachments.iter())
                .map(|a| a.sha256().to_owned())
                .collect(),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 10] {
        bind!(self; id, ticket_id, author_kind, author_id, visibility, channel, body,
              attachments, created_at, origin)
    }
}

/// An event's columns.
pub(crate) struct EventRow {
    id: [u8; 16],
    ticket_id: [u8; 16],
    actor_kind: &'static str,
    actor_id: Option<[u8; 16]>,
    at: i64,
    kind: &'static str,
    change: String,
    origin: Option<String>,
}

impl EventRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO ticket_events (id, ticket_id, actor_kind, actor_id, at, kind, change, origin)
        VALUES (:id, :ticket_id, :actor_kind, :actor_id, :at, :kind, :change, :origin)";

    /// Moves a stored history entry to the end of another ticket's history: `?1` its id,
    /// `?2` the ticket, `?3` its origin.
    pub(crate) const MOVE: &'static str = "
        UPDATE ticket_events SET seq = (SELECT max(seq) + 1 FROM ticket_events),
                                 ticket_id = ?2, origin = ?3
        WHERE id = ?1";

    pub(crate) fn new(e: &TicketEvent) -> Outcome<Self> {
        let (actor_kind, actor_id) = actor(e.actor);
        Ok(Self {
            id: blob(e.id.as_uuid()),
            ticket_id: blob(e.ticket_id.as_uuid()),
            actor_kind,
            actor_id,
            at: micros(e.at),
            kind: e.change.kind(),
            change: json(&e.change)?,
            origin: e.origin.as_ref().map(json).transpose()?,
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 8] {
        bind!(self; id, ticket_id, actor_kind, actor_id, at, kind, change, origin)
    }
}

/// A time entry's columns.
pub(crate) struct TimeEntryRow {
    id: [u8; 16],
    ticket_id: [u8; 16],
    agent: [u8; 16],
    minutes: u32,
    billable: bool,
    note: String,
    note_visible_to_customer: bool,
    created_at: i64,
}

impl TimeEntryRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO time_entries (id, ticket_id, agent, minutes, billable, note,
                                  note_visible_to_customer, created_at)
        VALUES (:id, :ticket_id, :agent, :minutes, :billable, :note, :note_visible_to_customer,
                :created_at)";

    pub(crate) fn new(e: &TimeEntry) -> Self {
        Self {
            id: blob(e.id.as_uuid()),
            ticket_id: blob(e.ticket_id.as_uuid()),
            agent: blob(e.agent.as_uuid()),
            minutes: e.minutes.get(),
            billable: e.billable,
            note: e.note.as_str().to_owned(),
            note_visible_to_customer: e.note_visible_to_customer,
            created_at: micros(e.created_at),
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 8] {
        bind!(self; id, ticket_id, agent, minutes, billable, note, note_visible_to_customer,
              created_at)
    }
}

/// The columns `read_message` reads.
pub(crate) const MESSAGE_COLUMNS: &str = "
    id, ticket_id, author_kind, author_id, visibility, channel, body, attachments, created_at,
    origin";

/// The columns `read_event` reads.
pub(crate) const EVENT_COLUMNS: &str = "id, ticket_id, actor_kind, actor_id, at, change, origin";

/// The columns `read_time_entry` reads.
pub(crate) const TIME_ENTRY_COLUMNS: &str =
    "id, ticket_id, agent, minutes, billable, note, note_visible_to_customer, created_at";

/// A message from a row of [`MESSAGE_COLUMNS`].
pub(crate) fn read_message(row: &Row<'_>) -> Outcome<Message> {
    let r = Reader::new(row, "messages");
    Ok(Message {
        id: MessageId::from_uuid(r.uuid("id")?),
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        author: r.actor("author_kind", "author_id")?,
        visibility: r.text("visibility")?,
        channel: r.text("channel")?,
        body: r.parse("body", MessageBody::parse)?,
        attachments: r.json::<Vec<Attachment>>("attachments")?,
        created_at: r.instant("created_at")?,
        origin: r.json_opt("origin")?,
    })
}

/// An event from a row of [`EVENT_COLUMNS`].
pub(crate) fn read_event(row: &Row<'_>) -> Outcome<TicketEvent> {
    let r = Reader::new(row, "ticket_events");
    Ok(TicketEvent {
        id: EventId::from_uuid(r.uuid("id")?),
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        actor: r.actor("actor_kind", "actor_id")?,
        at: r.instant("at")?,
        change: r.json::<Change>("change")?,
        origin: r.json_opt("origin")?,
    })
}

/// A time entry from a row of [`TIME_ENTRY_COLUMNS`].
pub(crate) fn read_time_entry(row: &Row<'_>) -> Outcome<TimeEntry> {
    let r = Reader::new(row, "time_entries");
    let minutes: u32 = r.get("minutes")?;
    Ok(TimeEntry {
        id: TimeEntryId::from_uuid(r.uuid("id")?),
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        agent: AgentId::from_uuid(r.uuid("agent")?),
        minutes: Minutes::new(minutes).map_err(|e| r.corrupt("minutes", e))?,
        billable: r.bool("billable")?,
        note: r.parse("note", ShortNote::parse)?,
        note_visible_to_customer: r.bool("note_visible_to_customer")?,
        created_at: r.instant("created_at")?,
    })
}
