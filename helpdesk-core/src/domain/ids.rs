//! Typed identifiers: a UUID v7 each, so that ids sort by creation time.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered id (UUID v7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an existing UUID, e.g. one read back from storage.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = super::ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|_| {
                    super::ValidationError::new(stringify!($name), "is not a valid id")
                })
            }
        }
    };
}

id_type!(
    /// Identifies a ticket.
    TicketId
);
id_type!(
    /// Identifies a department (queue).
    DepartmentId
);
id_type!(
    /// Identifies an agent.
    AgentId
);
id_type!(
    /// Identifies a customer.
    CustomerId
);
id_type!(
    /// Identifies a message in a ticket's thread.
    MessageId
);
id_type!(
    /// Identifies an event in a ticket's history.
    EventId
);
id_type!(
    /// Identifies a time entry.
    TimeEntryId
);
id_type!(
    /// Identifies a knowledge-base article.
    ArticleId
);
id_type!(
    /// Identifies an agent's saved search.
    SavedSearchId
);
id_type!(
    /// Identifies a ticket template.
    TemplateId
);
id_type!(
    /// Identifies a canned response.
    CannedResponseId
);
id_type!(
    /// Identifies an in-app notification.
    NotificationId
);
id_type!(
    /// Identifies an e-mail in the outbox.
    OutboxId
);
id_type!(
    /// Identifies a live chat.
    ChatId
);
id_type!(
    /// Identifies a mail kept in the quarantine (one the desk could not take in).
    QuarantineId
);
id_type!(
    /// Identifies an entry of the log of ignored mail.
    IgnoredMailId
);
id_type!(
    /// Identifies an IMAP mailbox stored for a department.
    MailboxId
);
id_type!(
    /// Identifies an automation rule (a trigger).
    RuleId
);
id_type!(
    /// Identifies a macro: a named list of actions agents apply by hand.
    MacroId
);
id_type!(
    /// Identifies an entry of the log of rules that fired.
    RuleFiringId
);
id_type!(
    /// Identifies a webhook endpoint.
    WebhookId
);
id_type!(
    /// Identifies a webhook delivery (what a receiver deduplicates by).
    WebhookDeliveryId
);
id_type!(
    /// Identifies a notice to an admin about the desk itself (no ticket).
    AdminNoticeId
);
