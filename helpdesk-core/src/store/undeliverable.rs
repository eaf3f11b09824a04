//! Addresses the desk's mail cannot reach ([`UndeliverableStore`]): a bounce with a
//! permanent failure marks the failed address until a time, with the reason and the e-mail
//! that bounced; the outbox sends nothing there while the mark lasts.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Email, OutboxId, TicketId};
use crate::error::Result;

/// An address marked undeliverable, with why and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndeliverableAddress {
    /// The address.
    pub address: Email,
    /// When it was marked.
    pub marked_at: DateTime<Utc>,
    /// Until when the mark lasts (the outbox sends there again from then on).
    pub until: DateTime<Utc>,
    /// The delivery status the bounce gave (`5.1.1`), if any.
    pub status: Option<String>,
    /// The mail server's words (`Diagnostic-Code`), if any.
    pub diagnostic: Option<String>,
    /// The ticket whose e-mail bounced, if it was about one.
    pub ticket_id: Option<TicketId>,
    /// The outbox e-mail that bounced, if the bounce named it.
    pub outbox_id: Option<OutboxId>,
}

impl UndeliverableAddress {
    /// Whether the mark is in force at `now` (it lasts until [`until`](Self::until),
    /// excluded).
    pub fn in_force(&self, now: DateTime<Utc>) -> bool {
        now < self.until
    }
}

/// An ability a store may offer
/// ([`Store::as_undeliverable_store`](super::Store::as_undeliverable_store)): one mark per
/// address, read, listed and cleared. Lists are by address, a page at a time: the next page
/// starts after the last address of the one before (`after`).
#[async_trait]
pub trait UndeliverableStore: Send + Sync {
    /// Marks `mark.address`, replacing a mark it had, in one write.
    async fn mark_undeliverable(&self, mark: &UndeliverableAddress) -> Result<()>;
    /// The mark of `address`, whether or not it is still in force.
    async fn undeliverable(&self, address: &Email) -> Result<Option<UndeliverableAddress>>;
    /// The marks in force at `now` (`until` after it), by address, at most `limit`, those
    /// with addresses after `after`.
    async fn undeliverable_addresses(
        &self,
        now: DateTime<Utc>,
        after: Option<&Email>,
        limit: u32,
    ) -> Result<Vec<UndeliverableAddress>>;
    /// Removes the mark of `address`; whether it had one.
    async fn clear_undeliverable(&self, address: &Email) -> Result<bool>;
}
