//! A ticket's children: messages, events (the history) and time entries, each read back in
//! the order written (their `seq` columns), and written by a batch as parallel arrays.

use chrono::{DateTime, Utc};
use helpdesk_core::domain::{
    AgentId, EventId, Message, MessageBody, MessageId, Minutes, ShortNote, TicketEvent, TicketId,
    TimeEntry, TimeEntryId,
};
use helpdesk_core::error::BoxError;
use helpdesk_core::{Error, Result};
use sqlx::postgres::PgRow;
use uuid::Uuid;

use super::{PgQuery, Reader, json};

/// The column list of message reads.
macro_rules! message_columns {
    () => {
        "id, ticket_id, author::text AS author, visibility, \
     channel, body, attachments::text AS attachments, created_at, origin::text AS origin"
    };
}
pub(crate) use message_columns;

/// A message from a row selected with [`message_columns!`].
pub(crate) fn message(row: &PgRow) -> Result<Message> {
    let r = Reader::new(row, "messages");
    Ok(Message {
        id: MessageId::from_uuid(r.get("id")?),
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        author: r.json("author")?,
        visibility: r.text("visibility")?,
        channel: r.text("channel")?,
        body: r.parse("body", MessageBody::parse)?,
        attachments: r.json("attachments")?,
        created_at: r.get("created_at")?,
        origin: r.json_opt("origin")?,
    })
}

/// The column list of event reads.
macro_rules! event_columns {
    () => {
        "id, ticket_id, actor::text AS actor, at, change::text AS change, origin::text AS origin"
    };
}
pub(crate) use event_columns;

/// An event from a row selected with [`event_columns!`].
pub(crate) fn event(row: &PgRow) -> Result<TicketEvent> {
    let r = Reader::new(row, "ticket_events");
    Ok(TicketEvent {
        id: EventId::from_uuid(r.get("id")?),
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        actor: r.json("actor")?,
        at: r.get("at")?,
        change: r.json("change")?,
        origin: r.json_opt("origin")?,
    })
}

/// The column list of time entry reads.
macro_rules! time_entry_columns {
    () => {
        "id, ticket_id, agent, minutes, billable, note, note_visible_to_customer, created_at"
    };
}
pub(crate) use time_entry_columns;

/// A time entry from a row selected with [`time_entry_columns!`].
pub(crate) fn time_entry(row: &PgRow) -> Result<TimeEntry> {
    let r = Reader::new(row, "time_entries");
    let minutes: i32 = r.get("minutes")?;
    let minutes = u32::try_from(minutes)
        .map_err(BoxError::from)
        .and_then(|m| Minutes::new(m).map_err(BoxError::from))
        .map_err(|e| r.corrupt("minutes", e))?;
    Ok(TimeEntry {
        id: TimeEntryId::from_uuid(r.get("id")?),
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        agent: AgentId::from_uuid(r.get("agent")?),
        minutes,
        billable: r.get("billable")?,
        note: r.parse("note", ShortNote::parse)?,
        note_visible_to_customer: r.get("note_visible_to_customer")?,
        created_at: r.get("created_at")?,
    })
}

/// A batch's new messages, as parallel arrays for `UNNEST`, in the order written.
#[derive(Debug, Default)]
pub(crate) struct MessageColumns {
    id: Vec<Uuid>,
    ticket_id: Vec<Uuid>,
    author: Vec<String>,
    visibility: Vec<&'static str>,
    channel: Vec<&'static str>,
    body: Vec<String>,
    attachments: Vec<String>,
    created_at: Vec<DateTime<Utc>>,
    origin: Vec<Option<String>>,
}

impl MessageColumns {
    /// Adds a message.
    pub(crate) fn push(&mut self, m: &Message) -> Result<()> {
        self.id.push(m.id.as_uuid());
        self.ticket_id.push(m.ticket_id.as_uuid());
        self.author.push(json(&m.author)?);
        self.visibility.push(m.visibility.as_str());
        self.channel.push(m.channel.as_str());
        self.body.push(m.body.as_str().to_owned());
        self.attachments.push(json(&m.attachments)?);
        self.created_at.push(m.created_at);
        self.origin.push(m.origin.as_ref().map(json).transpose()?);
        Ok(())
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Inserts them all, in order (so `seq` follows the order written).
    pub(crate) const INSERT: &str = "INSERT INTO messages (id, ticket_id, author, visibility, \
         channel, body, attachments, created_at, origin) \
         SELECT id, ticket_id, author::jsonb, visibility, channel, body, attachments::jsonb, \
         created_at, origin::jsonb FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], \
         $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[]) WITH ORDINALITY \
         AS m(id, ticket_id, author, visibility, channel, body, attachments, created_at, \
         origin, n) ORDER BY n";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.id)
            .bind(self.ticket_id)
            .bind(self.author)
            .bind(self.visibility)
            .bind(self.channel)
            .bind(self.body)
            .bind(self.attachments)
            .bind(self.created_at)
            .bind(self.origin)
    }
}

/// A batch's new events, as parallel arrays for `UNNEST`, in the order written.
#[derive(Debug, Default)]
pub(crate) struct EventColumns {
    id: Vec<Uuid>,
    ticket_id: Vec<Uuid>,
    kind: Vec<String>,
    actor: Vec<String>,
    at: Vec<DateTime<Utc>>,
    change: Vec<String>,
    origin: Vec<Option<String>>,
}

impl EventColumns {
    /// Adds an event.
    pub(crate) fn push(&mut self, e: &TicketEvent) -> Result<()> {
        self.id.push(e.id.as_uuid());
        self.ticket_id.push(e.ticket_id.as_uuid());
        self.kind.push(e.change.kind().to_owned());
        self.actor.push(json(&e.actor)?);
        self.at.push(e.at);
        self.change.push(json(&e.change)?);
        self.origin.push(e.origin.as_ref().map(json).transpose()?);
        Ok(())
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Inserts them all, in order.
    pub(crate) const INSERT: &str = "INSERT INTO ticket_events (id, ticket_id, kind, actor, at, \
         change, origin) SELECT id, ticket_id, kind, actor::jsonb, at, change::jsonb, \
         origin::jsonb FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], \
         $5::timestamptz[], $6::text[], $7::text[]) WITH ORDINALITY \
         AS e(id, ticket_id, kind, actor, at, change, origin, n) ORDER BY n";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.id)
            .bind(self.ticket_id)
            .bind(self.kind)
            .bind(self.actor)
            .bind(self.at)
            .bind(self.change)
            .bind(self.origin)
    }
}

/// A batch's new time entries, as parallel arrays for `UNNEST`, in the order written.
#[derive(Debug, Default)]
pub(crate) struct TimeEntryColumns {
    id: Vec<Uuid>,
    ticket_id: Vec<Uuid>,
    agent: Vec<Uuid>,
    minutes: Vec<i32>,
    billable: Vec<bool>,
    note: Vec<String>,
    note_visible_to_customer: Vec<bool>,
    created_at: Vec<DateTime<Utc>>,
}

impl TimeEntryColumns {
    /// Adds a time entry.
    pub(crate) fn push(&mut self, e: &TimeEntry) -> Result<()> {
        self.id.push(e.id.as_uuid());
        self.ticket_id.push(e.ticket_id.as_uuid());
        self.agent.push(e.agent.as_uuid());
        self.minutes
            .push(i32::try_from(e.minutes.get()).map_err(Error::backend)?);
        self.billable.push(e.billable);
        self.note.push(e.note.as_str().to_owned());
        self.note_visible_to_customer
            .push(e.note_visible_to_customer);
        self.created_at.push(e.created_at);
        Ok(())
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Inserts them all, in order.
    pub(crate) const INSERT: &str = "INSERT INTO time_entries (id, ticket_id, agent, minutes, \
         billable, note, note_visible_to_customer, created_at) SELECT id, ticket_id, agent, \
         minutes, billable, note, note_visible_to_customer, created_at \
         FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::int4[], $5::bool[], $6::text[], \
         $7::bool[], $8::timestamptz[]) WITH ORDINALITY \
         AS e(id, ticket_id, agent, minutes, billable, note, note_visible_to_customer, \
         created_at, n) ORDER BY n";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.id)
            .bind(self.ticket_id)
            .bind(self.agent)
            .bind(self.minutes)
            .bind(self.billable)
            .bind(self.note)
            .bind(self.note_visible_to_customer)
            .bind(self.created_at)
    }
}

/// Which blobs a batch's new messages reference (table `message_blobs`, migration 0011), as
/// parallel arrays for `UNNEST`: each attachment's sha256 and its message.
#[derive(Debug, Default)]
pub(crate) struct BlobReferenceColumns {
    sha256: Vec<String>,
    message_id: Vec<Uuid>,
}

impl BlobReferenceColumns {
    /// Adds a message's attachments.
    pub(crate) fn push(&mut self, m: &Message) {
        for a in &m.attachments {
            self.sha256.push(a.sha256().to_owned());
            self.message_id.push(m.id.as_uuid());
        }
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.sha256.is_empty()
    }

    /// Inserts them all (a message attaching the same bytes twice references them once).
    pub(crate) const INSERT: &str = "INSERT INTO message_blobs (sha256, message_id) \
         SELECT * FROM UNNEST($1::text[], $2::uuid[]) ON CONFLICT DO NOTHING";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query.bind(self.sha256).bind(self.message_id)
    }
}
