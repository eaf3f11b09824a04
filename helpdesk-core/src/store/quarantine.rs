//! Mail the desk could not take in, kept whole ([`MailQuarantineStore`]), and the log of mail
//! it ignored on purpose (list mail where the address is set to ignore it). Nothing a person
//! sent is lost: an admin lists, reads, reprocesses or discards what is kept here.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{IgnoredMailId, QuarantineId};
use crate::error::Result;

/// What could be read of a mail's headers, for admins to recognise it; each part only when
/// it could be read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MailSummary {
    /// The sender's address.
    pub sender: Option<String>,
    /// The subject.
    pub subject: Option<String>,
    /// The `Message-ID`, without angle brackets.
    pub message_id: Option<String>,
}

/// A mail in the quarantine, without its bytes
/// ([`MailQuarantineStore::quarantined_mail_bytes`] reads them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantinedMail {
    /// Its id; ids sort by when the mail was first kept.
    pub id: QuarantineId,
    /// When the desk received it first.
    pub received_at: DateTime<Utc>,
    /// When it was last tried (received, or reprocessed).
    pub tried_at: DateTime<Utc>,
    /// How often it was tried.
    pub attempts: u32,
    /// The stable code of the error of the last try (`validation`, `too_large`, ...).
    pub code: String,
    /// The error of the last try, in words.
    pub reason: String,
    /// Its sender, subject and Message-ID.
    pub summary: MailSummary,
    /// The size of its bytes.
    pub size: u64,
}

/// A mail the desk ignored on purpose, as the log keeps it (no bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredMail {
    /// Its id; ids sort by when the mail was ignored.
    pub id: IgnoredMailId,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, in words (`list mail`, ...).
    pub why: String,
    /// Its sender, subject and Message-ID.
    pub summary: MailSummary,
}

/// An ability a store may offer ([`Store::as_mail_quarantine`](super::Store::as_mail_quarantine)):
/// mail the desk could not take in, kept with its bytes, and the log of ignored mail. Lists
/// are newest first, a page at a time: the next page starts after the last id of the one
/// before (`before`).
#[async_trait]
pub trait MailQuarantineStore: Send + Sync {
    /// Keeps `mail` with its `raw` bytes, or replaces the record of the mail with its id
    /// (its bytes stay as first kept), in one write.
    async fn put_quarantined_mail(&self, mail: &QuarantinedMail, raw: &[u8]) -> Result<()>;
    /// The quarantined mail `id`, without its bytes.
    async fn quarantined_mail(&self, id: QuarantineId) -> Result<Option<QuarantinedMail>>;
    /// The bytes of the quarantined mail `id`, exactly as received.
    async fn quarantined_mail_bytes(&self, id: QuarantineId) -> Result<Option<Vec<u8>>>;
    /// Quarantined mail, newest first, at most `limit`, those with ids below `before`.
    async fn quarantined_mails(
        &self,
        before: Option<QuarantineId>,
        limit: u32,
    ) -> Result<Vec<QuarantinedMail>>;
    /// Removes the quarantined mail `id` with its bytes; whether it was there.
    async fn delete_quarantined_mail(&self, id: QuarantineId) -> Result<bool>;
    /// Appends `mail` to the log of ignored mail.
    async fn record_ignored_mail(&self, mail: &IgnoredMail) -> Result<()>;
    /// The log of ignored mail, newest first, at most `limit`, those with ids below `before`.
    async fn ignored_mails(
        &self,
        before: Option<IgnoredMailId>,
        limit: u32,
    ) -> Result<Vec<IgnoredMail>>;
}
