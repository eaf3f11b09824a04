//! Schemas of the mail admin routes' answers (their serde form in `helpdesk::store` and
//! `helpdesk::service`): the quarantine and the ignored-mail log, what reprocessing did, the
//! addresses marked undeliverable and the stored IMAP mailboxes.

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use chrono::{DateTime, Utc};
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::Ticket;

/// What could be read of a mail's headers; each part null when it could not be read.
#[derive(ToSchema)]
pub struct MailSummary {
    /// The sender's address.
    #[schema(required = true)]
    pub sender: Option<String>,
    /// The subject.
    #[schema(required = true)]
    pub subject: Option<String>,
    /// The `Message-ID`, without angle brackets.
    #[schema(required = true)]
    pub message_id: Option<String>,
}

/// A mail in the quarantine, without its bytes.
#[derive(ToSchema)]
pub struct QuarantinedMail {
    /// Its id; ids sort by when the mail was first kept.
    pub id: Uuid,
    /// When the desk received it first.
    pub received_at: DateTime<Utc>,
    /// When it was last tried (received, or reprocessed).
    pub tried_at: DateTime<Utc>,
    /// How often it was tried.
    #[schema(minimum = 0)]
    pub attempts: u32,
    /// The stable code of the error of the last try (`validation`, `too_large`, ...).
    pub code: String,
    /// The error of the last try, in words.
    pub reason: String,
    /// Its sender, subject and Message-ID.
    pub summary: MailSummary,
    /// The size of its bytes.
    #[schema(minimum = 0)]
    pub size: u64,
}

/// A page of the quarantine, newest first.
#[derive(ToSchema)]
pub struct QuarantinePage {
    /// The mail kept.
    pub items: Vec<QuarantinedMail>,
    /// The `before` of the next page; null on the last.
    #[schema(required = true)]
    pub older: Option<Uuid>,
}

/// A mail the desk ignored on purpose, as the log keeps it.
#[derive(ToSchema)]
pub struct IgnoredMail {
    /// Its id; ids sort by when the mail was ignored.
    pub id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, in words (`list mail`, ...).
    pub why: String,
    /// Its sender, subject and Message-ID.
    pub summary: MailSummary,
}

/// A page of the ignored-mail log, newest first.
#[derive(ToSchema)]
pub struct IgnoredPage {
    /// The entries.
    pub items: Vec<IgnoredMail>,
    /// The `before` of the next page; null on the last.
    #[schema(required = true)]
    pub older: Option<Uuid>,
}

/// What became of a reprocessed mail, told apart by `outcome`.
#[derive(ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Reprocessed {
    /// It opened this ticket.
    Opened {
        /// The ticket.
        ticket: Ticket,
    },
    /// It was added to this ticket.
    Appended {
        /// The ticket.
        ticket: Ticket,
    },
    /// A mail with its Message-ID was taken in before, into this ticket.
    Duplicate {
        /// The ticket's id.
        ticket_id: Uuid,
    },
    /// A bounce or automatic mail: nothing stored.
    Ignored,
    /// A bounce of the desk's mail about this ticket, noted on it.
    BounceNoted {
        /// The ticket's id.
        ticket_id: Uuid,
    },
    /// Refused; nothing stored.
    Rejected,
    /// It failed again and stays in the quarantine with the new reason.
    Quarantined {
        /// The quarantined mail's id.
        mail: Uuid,
    },
}

/// An address marked undeliverable, with why and until when.
#[derive(ToSchema)]
pub struct UndeliverableAddress {
    /// The address.
    pub address: String,
    /// When it was marked.
    pub marked_at: DateTime<Utc>,
    /// Until when the mark lasts.
    pub until: DateTime<Utc>,
    /// The delivery status the bounce gave (`5.1.1`); null when none.
    #[schema(required = true)]
    pub status: Option<String>,
    /// The mail server's words (`Diagnostic-Code`); null when none.
    #[schema(required = true)]
    pub diagnostic: Option<String>,
    /// The ticket whose e-mail bounced; null when it was about none.
    #[schema(required = true)]
    pub ticket_id: Option<Uuid>,
    /// The outbox e-mail that bounced; null when the bounce named none.
    #[schema(required = true)]
    pub outbox_id: Option<Uuid>,
}

/// A page of the addresses marked undeliverable now, by address.
#[derive(ToSchema)]
pub struct UndeliverablePage {
    /// The addresses.
    pub items: Vec<UndeliverableAddress>,
    /// The `after` of the next page; null on the last.
    #[schema(required = true)]
    pub next: Option<String>,
}

/// How the connection to a mailbox's IMAP server is secured.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum MailboxSecurity {
    /// Implicit TLS, the certificate checked.
    Tls,
    /// No encryption.
    Plain,
}

/// What happens to a message in a mailbox once the desk stored it.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum MailboxAfter {
    /// It stays, flagged as taken.
    Flag,
    /// It is moved to `move_to`.
    Move,
    /// It is deleted.
    Delete,
}

/// How a mailbox's last round went.
#[derive(ToSchema)]
pub struct MailboxRound {
    /// When it ended.
    pub at: DateTime<Utc>,
    /// How many messages it took.
    #[schema(minimum = 0)]
    pub taken: u32,
    /// Why it failed (absent when it did not).
    #[schema(nullable = false)]
    pub error: Option<String>,
}

/// A stored IMAP mailbox, without its password.
#[derive(ToSchema)]
pub struct Mailbox {
    /// Its id.
    pub id: Uuid,
    /// The department new tickets from it go to.
    pub department: Uuid,
    /// The IMAP server's host name or address.
    pub host: String,
    /// Its port.
    #[schema(minimum = 0, maximum = 65535)]
    pub port: u16,
    /// TLS or not.
    pub security: MailboxSecurity,
    /// The login's user name.
    pub user: String,
    /// The folder read (`INBOX`).
    pub folder: String,
    /// What happens to a message once it is stored.
    pub after: MailboxAfter,
    /// The folder messages are moved to (only with `after: move`).
    #[schema(nullable = false)]
    pub move_to: Option<String>,
    /// Whether the desk fetches from it.
    pub enabled: bool,
    /// Seconds between rounds where the server has no IDLE.
    #[schema(minimum = 0)]
    pub poll_seconds: u32,
    /// Its last round; null before the first.
    #[schema(required = true)]
    pub last_round: Option<MailboxRound>,
}

/// `{"items": [...]}` of [`Mailbox`], oldest first.
#[derive(ToSchema)]
pub struct MailboxList {
    /// The mailboxes.
    pub items: Vec<Mailbox>,
}
