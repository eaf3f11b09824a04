//! The transactional outbox and the Message-IDs of a ticket's mail. E-mails and mail
//! references are written with the ticket change that causes them, in
//! [`WriteBatch::outbox`](super::WriteBatch::outbox) and
//! [`WriteBatch::mail_references`](super::WriteBatch::mail_references).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{DeliveryOutcome, MailReference, OutboundEmail, OutboxId, TicketId};
use crate::error::Result;

/// The mail half of a store; every [`Store`](super::Store) is one.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Takes up to `limit` e-mails that are pending at `now` (earliest `at` first, then by
    /// id), atomically: each taken one has `attempts` raised by one and its pending instant
    /// moved to `lease_until`, so no other dispatcher takes it before then, and a dispatcher
    /// that dies mid-send leaves it to be sent again after the lease. Returns them as updated.
    async fn lease_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboundEmail>>;

    /// Records how an attempt ended: sent, to retry at an instant (with the error), or
    /// failed for good. [`Error::NotFound`](crate::Error::NotFound) for an unknown id.
    async fn finish_delivery(&self, id: OutboxId, outcome: &DeliveryOutcome) -> Result<()>;

    /// An outbox e-mail by id.
    async fn outbox_email(&self, id: OutboxId) -> Result<Option<OutboundEmail>>;

    /// The e-mails queued for a ticket, oldest first (`created_at`, then id).
    async fn ticket_emails(&self, ticket: TicketId) -> Result<Vec<OutboundEmail>>;

    /// The mail reference with this Message-ID (without angle brackets), if the desk sent or
    /// received it.
    async fn mail_reference(&self, message_id: &str) -> Result<Option<MailReference>>;

    /// A ticket's mail references, in the order they were written.
    async fn mail_references(&self, ticket: TicketId) -> Result<Vec<MailReference>>;
}
