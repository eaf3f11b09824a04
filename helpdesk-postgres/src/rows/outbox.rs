//! Outbox e-mails and mail references (tables `outbox` and `mail_references`). An e-mail's
//! delivery is two columns, its [`DeliveryState`](helpdesk_core::domain::DeliveryState) and
//! its instant.

use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{Delivery, Email, MailReference, OutboundEmail, OutboxId, TicketId};
use sqlx::postgres::PgRow;
use uuid::Uuid;

use super::{PgQuery, Reader, json};

/// The column list of outbox reads.
macro_rules! outbox_columns {
    () => {
        "id, message_id, ticket_id, ticket_number, kind, language, to_address, to_name, \
         cc::text AS cc, subject, body, thread::text AS thread, created_at, attempts, delivery, delivery_at, \
         last_error"
    };
}
pub(crate) use outbox_columns;

/// An outbox e-mail from a row selected with [`outbox_columns!`].
pub(crate) fn outbound_email(row: &PgRow) -> Result<OutboundEmail> {
    let r = Reader::new(row, "outbox");
    let delivery = Delivery::from_parts(r.text("delivery")?, r.get("delivery_at")?);
    let attempts: i64 = r.get("attempts")?;
    Ok(OutboundEmail {
        id: OutboxId::from_uuid(r.get("id")?),
        message_id: r.get("message_id")?,
        ticket_id: r.get::<Option<Uuid>>("ticket_id")?.map(TicketId::from_uuid),
        ticket_number: r.get("ticket_number")?,
        kind: r.text("kind")?,
        language: r.text("language")?,
        to: r.parse("to_address", |s| Email::parse(&s))?,
        to_name: r.get("to_name")?,
        cc: r.json("cc")?,
        subject: r.get("subject")?,
        body: r.get("body")?,
        references: r.json("thread")?,
        created_at: r.get("created_at")?,
        attempts: u32::try_from(attempts).map_err(|e| r.corrupt("attempts", e))?,
        delivery,
        last_error: r.get("last_error")?,
    })
}

/// The column list of mail reference reads.
macro_rules! reference_columns {
    () => {
        "message_id, ticket_id, inbound"
    };
}
pub(crate) use reference_columns;

/// A mail reference from a row selected with [`reference_columns!`].
pub(crate) fn mail_reference(row: &PgRow) -> Result<MailReference> {
    let r = Reader::new(row, "mail_references");
    Ok(MailReference {
        message_id: r.get("message_id")?,
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        inbound: r.get("inbound")?,
    })
}

/// A batch's outbox e-mails, as parallel arrays for `UNNEST`.
#[derive(Debug, Default)]
pub(crate) struct OutboxColumns {
    id: Vec<Uuid>,
    message_id: Vec<String>,
    ticket_id: Vec<Option<Uuid>>,
    ticket_number: Vec<Option<String>>,
    kind: Vec<&'static str>,
    language: Vec<&'static str>,
    to_address: Vec<String>,
    to_name: Vec<Option<String>>,
    cc: Vec<String>,
    subject: Vec<String>,
    body: Vec<String>,
    thread: Vec<String>,
    created_at: Vec<DateTime<Utc>>,
    attempts: Vec<i64>,
    delivery: Vec<&'static str>,
    delivery_at: Vec<DateTime<Utc>>,
    last_error: Vec<Option<String>>,
}

impl OutboxColumns {
    /// The columns of `emails`.
    pub(crate) fn of(emails: &[OutboundEmail]) -> Result<Self> {
        let mut c = Self::default();
        for e in emails {
            c.id.push(e.id.as_uuid());
            c.message_id.push(e.message_id.clone());
            c.ticket_id.push(e.ticket_id.map(|t| t.as_uuid()));
            c.ticket_number.push(e.ticket_number.clone());
            c.kind.push(e.kind.as_str());
            c.language.push(e.language.as_str());
            c.to_address.push(e.to.as_str().to_owned());
            c.to_name.push(e.to_name.clone());
            c.cc.push(json(&e.cc)?);
            c.subject.push(e.subject.clone());
            c.body.push(e.body.clone());
            c.thread.push(json(&e.references)?);
            c.created_at.push(e.created_at);
            c.attempts.push(i64::from(e.attempts));
            c.delivery.push(e.delivery.state().as_str());
            c.delivery_at.push(e.delivery.at());
            c.last_error.push(e.last_error.clone());
        }
        Ok(c)
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Inserts them all.
    pub(crate) const INSERT: &str = "INSERT INTO outbox (id, message_id, ticket_id, \
         ticket_number, kind, language, to_address, to_name, subject, body, thread, created_at, \
         attempts, delivery, delivery_at, last_error, cc) SELECT id, message_id, ticket_id, \
         ticket_number, kind, language, to_address, to_name, subject, body, thread::jsonb, \
         created_at, attempts, delivery, delivery_at, last_error, cc::jsonb FROM UNNEST(\
         $1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], \
         $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::int8[], \
         $14::text[], $15::timestamptz[], $16::text[], $17::text[]) AS e(id, message_id, \
         ticket_id, ticket_number, kind, language, to_address, to_name, subject, body, thread, \
         created_at, attempts, delivery, delivery_at, last_error, cc)";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.id)
            .bind(self.message_id)
            .bind(self.ticket_id)
            .bind(self.ticket_number)
            .bind(self.kind)
            .bind(self.language)
            .bind(self.to_address)
            .bind(self.to_name)
            .bind(self.subject)
            .bind(self.body)
            .bind(self.thread)
            .bind(self.created_at)
            .bind(self.attempts)
            .bind(self.delivery)
            .bind(self.delivery_at)
            .bind(self.last_error)
            .bind(self.cc)
    }
}

/// A batch's mail references, as parallel arrays for `UNNEST`, in the order written.
#[derive(Debug, Default)]
pub(crate) struct MailReferenceColumns {
    message_id: Vec<String>,
    ticket_id: Vec<Uuid>,
    inbound: Vec<bool>,
}

impl MailReferenceColumns {
    /// The columns of `references`.
    pub(crate) fn of(references: &[MailReference]) -> Self {
        let mut c = Self::default();
        for r in references {
            c.message_id.push(r.message_id.clone());
            c.ticket_id.push(r.ticket_id.as_uuid());
            c.inbound.push(r.inbound);
        }
        c
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.message_id.is_empty()
    }

    /// Inserts them all, in order (so `seq` follows the order written).
    pub(crate) const INSERT: &str = "INSERT INTO mail_references (message_id, ticket_id, \
         inbound) SELECT message_id, ticket_id, inbound \
         FROM UNNEST($1::text[], $2::uuid[], $3::bool[]) WITH ORDINALITY \
         AS r(message_id, ticket_id, inbound, n) ORDER BY n";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.message_id)
            .bind(self.ticket_id)
            .bind(self.inbound)
    }
}
