//! The outbox's e-mails and the mail references that thread replies to tickets.

use helpdesk_core::domain::{Delivery, Email, MailReference, OutboundEmail, OutboxId, TicketId};
use rusqlite::Row;
use rusqlite::types::ToSql;

use super::{Reader, bind, blob, json, micros};
use crate::error::Outcome;

/// An outbox e-mail's columns.
pub(crate) struct OutboxRow {
    id: [u8; 16],
    message_id: String,
    ticket_id: Option<[u8; 16]>,
    ticket_number: Option<String>,
    kind: &'static str,
    language: &'static str,
    to_address: String,
    to_name: Option<String>,
    cc: String,
    subject: String,
    body: String,
    message_refs: String,
    created_at: i64,
    attempts: i64,
    delivery: &'static str,
    delivery_at: i64,
    last_error: Option<String>,
}

impl OutboxRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO outbox (id, message_id, ticket_id, ticket_number, kind, language,
                            to_address, to_name, cc, subject, body, message_refs, created_at,
                            attempts, delivery, delivery_at, last_error)
        VALUES (:id, :message_id, :ticket_id, :ticket_number, :kind, :language, :to_address,
                :to_name, :cc, :subject, :body, :message_refs, :created_at, :attempts, :delivery,
                :delivery_at, :last_error)";

    pub(crate) fn new(e: &OutboundEmail) -> Outcome<Self> {
        Ok(Self {
            id: blob(e.id.as_uuid()),
            message_id: e.message_id.clone(),
            ticket_id: e.ticket_id.map(|t| blob(t.as_uuid())),
            ticket_number: e.ticket_number.clone(),
            kind: e.kind.as_str(),
            language: e.language.as_str(),
            to_address: e.to.as_str().to_owned(),
            to_name: e.to_name.clone(),
            cc: json(&e.cc)?,
            subject: e.subject.clone(),
            body: e.body.clone(),
            message_refs: json(&e.references)?,
            created_at: micros(e.created_at),
            attempts: i64::from(e.attempts),
            delivery: e.delivery.state().as_str(),
            delivery_at: micros(e.delivery.at()),
            last_error: e.last_error.clone(),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 17] {
        bind!(self; id, message_id, ticket_id, ticket_number, kind, language, to_address,
              to_name, cc, subject, body, message_refs, created_at, attempts, delivery, delivery_at,
              last_error)
    }
}

/// A mail reference's columns; its `seq` keeps the written order.
pub(crate) struct MailReferenceRow {
    message_id: String,
    ticket_id: [u8; 16],
    inbound: bool,
}

impl MailReferenceRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO mail_references (message_id, ticket_id, inbound)
        VALUES (:message_id, :ticket_id, :inbound)";

    pub(crate) fn new(r: &MailReference) -> Self {
        Self {
            message_id: r.message_id.clone(),
            ticket_id: blob(r.ticket_id.as_uuid()),
            inbound: r.inbound,
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 3] {
        bind!(self; message_id, ticket_id, inbound)
    }
}

/// The columns `read_outbound_email` reads.
pub(crate) const OUTBOX_COLUMNS: &str = "
    id, message_id, ticket_id, ticket_number, kind, language, to_address, to_name, cc,
    subject, body, message_refs, created_at, attempts, delivery, delivery_at, last_error";

/// The columns `read_mail_reference` reads.
pub(crate) const MAIL_REFERENCE_COLUMNS: &str = "message_id, ticket_id, inbound";

/// An outbox e-mail from a row of [`OUTBOX_COLUMNS`].
pub(crate) fn read_outbound_email(row: &Row<'_>) -> Outcome<OutboundEmail> {
    let r = Reader::new(row, "outbox");
    Ok(OutboundEmail {
        id: OutboxId::from_uuid(r.uuid("id")?),
        message_id: r.get("message_id")?,
        ticket_id: r.uuid_opt("ticket_id")?.map(TicketId::from_uuid),
        ticket_number: r.get("ticket_number")?,
        kind: r.text("kind")?,
        language: r.text("language")?,
        to: r.parse("to_address", Email::try_from)?,
        to_name: r.get("to_name")?,
        cc: r.json::<Vec<Email>>("cc")?,
        subject: r.get("subject")?,
        body: r.get("body")?,
        references: r.json::<Vec<String>>("message_refs")?,
        created_at: r.instant("created_at")?,
        attempts: r.u32("attempts")?,
        delivery: Delivery::from_parts(r.text("delivery")?, r.instant("delivery_at")?),
        last_error: r.get("last_error")?,
    })
}

/// A mail reference from a row of [`MAIL_REFERENCE_COLUMNS`].
pub(crate) fn read_mail_reference(row: &Row<'_>) -> Outcome<MailReference> {
    let r = Reader::new(row, "mail_references");
    Ok(MailReference {
        message_id: r.get("message_id")?,
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        inbound: r.bool("inbound")?,
    })
}
