//! E-mail the desk sends: rows of the transactional outbox, written in the same transaction
//! as the event that causes them and sent later by a dispatcher.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;
use super::{Email, Language, OutboxId, TicketId};

/// Which template an e-mail was rendered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EmailKind {
    /// The desk received the customer's ticket (with its number).
    TicketReceived,
    /// An agent's public reply (with their signature).
    AgentReply,
    /// The ticket was resolved; the customer is asked to confirm.
    Resolved,
    /// The ticket will close itself unless the customer answers.
    AutoCloseWarning,
    /// The ticket closed.
    Closed,
    /// An agent sent the ticket's public thread to an address (seed 003).
    TicketThread,
    /// An invitation to set the password of a new login (about no ticket).
    Invitation,
    /// A link to set a new password (about no ticket).
    PasswordReset,
    /// An agent is told of something that needs them (issue 20), in their language.
    AgentNotice,
    /// The transcript of a live chat, sent to its customer once when the chat ends, if
    /// they asked for it.
    ChatTranscript,
}

stable_text!(EmailKind, "email_kind" {
    TicketReceived => "ticket_received",
    AgentReply => "agent_reply",
    Resolved => "resolved",
    AutoCloseWarning => "auto_close_warning",
    Closed => "closed",
    TicketThread => "ticket_thread",
    Invitation => "invitation",
    PasswordReset => "password_reset",
    AgentNotice => "agent_notice",
    ChatTranscript => "chat_transcript",
});

impl EmailKind {
    /// Whether it is about a sign-in link ([`EmailKind::Invitation`],
    /// [`EmailKind::PasswordReset`]) rather than a ticket: rendered by
    /// [`render_account_email`](crate::render::render_account_email), with no ticket tag.
    pub const fn is_account(self) -> bool {
        matches!(self, EmailKind::Invitation | EmailKind::PasswordReset)
    }
}

/// Where an outbox e-mail is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Delivery {
    /// Waiting to be sent at or after `at` (a dispatcher that takes it moves `at` to the end
    /// of its lease, so a crashed dispatcher's e-mail is sent again after the lease).
    Pending {
        /// The earliest instant to (re)try.
        at: DateTime<Utc>,
    },
    /// Handed to the SMTP server.
    Sent {
        /// When.
        at: DateTime<Utc>,
    },
    /// Given up after too many failures.
    Failed {
        /// When.
        at: DateTime<Utc>,
    },
}

/// Which kind of [`Delivery`]: how a delivery is stored, as this and its instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryState {
    /// [`Delivery::Pending`].
    Pending,
    /// [`Delivery::Sent`].
    Sent,
    /// [`Delivery::Failed`].
    Failed,
}

stable_text!(DeliveryState, "delivery" {
    Pending => "pending",
    Sent => "sent",
    Failed => "failed",
});

impl Delivery {
    /// Its state.
    pub const fn state(&self) -> DeliveryState {
        match self {
            Delivery::Pending { .. } => DeliveryState::Pending,
            Delivery::Sent { .. } => DeliveryState::Sent,
            Delivery::Failed { .. } => DeliveryState::Failed,
        }
    }

    /// Its instant: when to (re)try, or when it was sent or given up.
    pub const fn at(&self) -> DateTime<Utc> {
        match self {
            Delivery::Pending { at } | Delivery::Sent { at } | Delivery::Failed { at } => *at,
        }
    }

    /// The delivery stored as `state` and `at`.
    pub const fn from_parts(state: DeliveryState, at: DateTime<Utc>) -> Self {
        match state {
            DeliveryState::Pending => Delivery::Pending { at },
            DeliveryState::Sent => Delivery::Sent { at },
            DeliveryState::Failed => Delivery::Failed { at },
        }
    }
}

impl DeliveryOutcome {
    /// The delivery an e-mail is in after this outcome, and the error it keeps.
    pub fn delivery(&self) -> (Delivery, Option<&str>) {
        match self {
            DeliveryOutcome::Sent { at } => (Delivery::Sent { at: *at }, None),
            DeliveryOutcome::Retry { retry_at, error } => {
                (Delivery::Pending { at: *retry_at }, Some(error))
            }
            DeliveryOutcome::Failed { at, error } => (Delivery::Failed { at: *at }, Some(error)),
        }
    }
}

/// One e-mail in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboundEmail {
    /// Its id.
    pub id: OutboxId,
    /// Its RFC 5322 Message-ID, without angle brackets; the same on every attempt, so a
    /// repeated send is recognisable as the same message.
    pub message_id: String,
    /// The ticket it is about, if any.
    pub ticket_id: Option<TicketId>,
    /// That ticket's full number (ASCII digits), the agents' form: a transport puts it in a
    /// header (`X-Helpdesk-Ticket`), while the subject and body show the short number
    /// customers are told.
    pub ticket_number: Option<String>,
    /// Which template it came from.
    pub kind: EmailKind,
    /// The language it is written in.
    pub language: Language,
    /// The address it goes to.
    pub to: Email,
    /// The recipient's display name.
    pub to_name: Option<String>,
    /// The addresses it is copied to (`Cc`): the ticket's CC participants on an agent's
    /// public reply; empty for everything else.
    #[serde(default)]
    pub cc: Vec<Email>,
    /// The subject, with the ticket's tag of its short number (e.g. `[#10000135]`).
    pub subject: String,
    /// The plain-text body.
    pub body: String,
    /// The Message-IDs of earlier mail in the ticket's conversation (for `In-Reply-To`, the
    /// last one, and `References`), oldest first.
    pub references: Vec<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// How many times a dispatcher has taken it.
    pub attempts: u32,
    /// Where it is.
    pub delivery: Delivery,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

impl OutboundEmail {
    /// The Message-ID it answers, if any.
    pub fn in_reply_to(&self) -> Option<&str> {
        self.references.last().map(String::as_str)
    }
}

/// How a dispatcher's attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The SMTP server accepted it.
    Sent {
        /// When.
        at: DateTime<Utc>,
    },
    /// It failed and is tried again at `retry_at`.
    Retry {
        /// When to try again.
        retry_at: DateTime<Utc>,
        /// Why it failed.
        error: String,
    },
    /// It failed for good.
    Failed {
        /// When.
        at: DateTime<Utc>,
        /// Why.
        error: String,
    },
}
