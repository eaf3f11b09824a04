//! The one error type of the library, by meaning.

use std::borrow::Cow;

pub use crate::domain::ValidationError;
use crate::domain::{CommandKind, Status, Version};

/// A boxed error from a storage backend, kept whole so callers can inspect it.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Shorthand for `Result<T, helpdesk_core::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of thing was not found or conflicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// A ticket.
    Ticket,
    /// A department (queue).
    Department,
    /// An agent.
    Agent,
    /// A customer.
    Customer,
    /// A knowledge-base article.
    Article,
    /// A saved search.
    SavedSearch,
    /// A ticket template.
    Template,
    /// A canned response.
    CannedResponse,
    /// An in-app notification.
    Notification,
    /// An e-mail (in the outbox, or a Message-ID the desk knows).
    Email,
    /// An attachment or its content.
    Attachment,
    /// A sign-in login.
    Login,
    /// A session or API token.
    Session,
    /// A live chat.
    Chat,
    /// An agent's availability for chats.
    Availability,
    /// A knowledge-base category.
    Category,
    /// A one-time invitation or password-reset link.
    AccountLink,
    /// An IMAP mailbox stored for a department.
    Mailbox,
    /// An automation rule (a trigger).
    Rule,
    /// A macro (a named list of actions).
    Macro,
    /// A webhook endpoint.
    Webhook,
    /// A webhook delivery.
    WebhookDelivery,
    /// A notice to an admin about the desk.
    AdminNotice,
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Entity::Ticket => "ticket",
            Entity::Department => "department",
            Entity::Agent => "agent",
            Entity::Customer => "customer",
            Entity::Article => "article",
            Entity::SavedSearch => "saved search",
            Entity::Template => "ticket template",
            Entity::CannedResponse => "canned response",
            Entity::Notification => "notification",
            Entity::Email => "e-mail",
            Entity::Attachment => "attachment",
            Entity::Login => "login",
            Entity::Session => "session or API token",
            Entity::Chat => "chat",
            Entity::Availability => "availability",
            Entity::Category => "knowledge-base category",
            Entity::AccountLink => "invitation or password-reset link",
            Entity::Mailbox => "mailbox",
            Entity::Rule => "rule",
            Entity::Macro => "macro",
            Entity::Webhook => "webhook endpoint",
            Entity::WebhookDelivery => "webhook delivery",
            Entity::AdminNotice => "admin notice",
        })
    }
}

/// Why a write conflicted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConflictKind {
    /// The ticket changed since the caller read it (optimistic concurrency).
    StaleVersion {
        /// The version the caller wrote against.
        expected: Version,
        /// The version the store holds now.
        actual: Version,
    },
    /// A unique value (an e-mail address, a contract number, an id) is taken.
    Duplicate {
        /// Which field is taken.
        field: Cow<'static, str>,
    },
    /// The thing is still used (a knowledge-base category that articles are filed in), so it
    /// cannot be deleted.
    InUse {
        /// What uses it.
        by: Entity,
        /// How many of them.
        count: u64,
    },
}

impl std::fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConflictKind::StaleVersion { expected, actual } => write!(
                f,
                "it was changed by someone else (expected version {expected}, found {actual})"
            ),
            ConflictKind::Duplicate { field } => write!(f, "{field} is already taken"),
            ConflictKind::InUse { by, count } => write!(f, "it is still used by {count} {by}(s)"),
        }
    }
}

/// Why an actor may not do something.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ForbiddenReason {
    /// The customer's access to the ticket system is disabled by an admin.
    AccessDisabled,
    /// The agent is deactivated.
    AgentInactive,
    /// The agent lacks a permission in the ticket's department.
    MissingPermission {
        /// The permission that is missing.
        permission: crate::domain::Permission,
    },
    /// Only admins (or the system) may do this.
    AdminOnly,
    /// Only supervisors and admins may do this (e.g. read reports).
    SupervisorsOnly,
    /// Customers may not issue this command at all.
    AgentsOnly,
    /// Only the ticket's customer may do this (rate it, ask for a priority).
    CustomersOnly,
    /// The priority policy caps this customer's tickets below the requested priority.
    PriorityAboveCap {
        /// The highest priority allowed without the override permission.
        cap: crate::domain::Priority,
    },
    /// The department refuses follow-ups to closed tickets.
    FollowUpRejected,
    /// Only a person (a customer or an agent) may do this, not the system: e.g. vote on a
    /// knowledge-base article, where each person's vote counts once.
    PeopleOnly,
    /// The invitation or password-reset link is past its time (code `link_expired`).
    LinkExpired,
    /// The invitation or password-reset link was used already, replaced by a newer one, or
    /// never made (code `link_invalid`): the same answer for each, so it tells nothing.
    LinkInvalid,
}

impl ForbiddenReason {
    /// A stable code: `link_expired` and `link_invalid` for the links, `forbidden` for every
    /// other reason.
    pub fn code(&self) -> &'static str {
        match self {
            ForbiddenReason::LinkExpired => "link_expired",
            ForbiddenReason::LinkInvalid => "link_invalid",
            _ => "forbidden",
        }
    }
}

impl std::fmt::Display for ForbiddenReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ForbiddenReason::AccessDisabled => f.write_str("the customer's access is disabled"),
            ForbiddenReason::AgentInactive => f.write_str("the agent is deactivated"),
            ForbiddenReason::MissingPermission { permission } => {
                write!(
                    f,
                    "missing the {permission:?} permission in this department"
                )
            }
            ForbiddenReason::AdminOnly => f.write_str("only an admin may do this"),
            ForbiddenReason::SupervisorsOnly => {
                f.write_str("only supervisors and admins may do this")
            }
            ForbiddenReason::AgentsOnly => f.write_str("only agents may do this"),
            ForbiddenReason::CustomersOnly => f.write_str("only the customer may do this"),
            ForbiddenReason::PriorityAboveCap { cap } => {
                write!(f, "this customer's priority is capped at {cap:?}")
            }
            ForbiddenReason::FollowUpRejected => {
                f.write_str("the ticket is closed and its department accepts no follow-ups")
            }
            ForbiddenReason::PeopleOnly => f.write_str("only a customer or an agent may do this"),
            ForbiddenReason::LinkExpired => f.write_str("this link has expired: ask for a new one"),
            ForbiddenReason::LinkInvalid => {
                f.write_str("this link was already used or is not valid: ask for a new one")
            }
        }
    }
}

/// A deployment limit that input went over.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// A file is larger than allowed.
    FileSize {
        /// The largest size allowed, in bytes.
        max: u64,
        /// The size given.
        actual: u64,
    },
    /// A message has more attachments than allowed.
    AttachmentCount {
        /// The most allowed.
        max: usize,
        /// The number given.
        actual: usize,
    },
    /// A file's content type is not allowed.
    ContentType {
        /// The type given.
        content_type: String,
    },
    /// A ticket's files together would be larger than allowed.
    TicketBytes {
        /// The most bytes allowed on one ticket.
        max: u64,
        /// The bytes the ticket would carry.
        actual: u64,
    },
}

impl Limit {
    /// A stable code: `too_large` (a file, or a ticket's files together),
    /// `too_many_attachments` or `unsupported_content_type`.
    pub fn code(&self) -> &'static str {
        match self {
            Limit::FileSize { .. } | Limit::TicketBytes { .. } => "too_large",
            Limit::AttachmentCount { .. } => "too_many_attachments",
            Limit::ContentType { .. } => "unsupported_content_type",
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::FileSize { max, actual } => {
                write!(
                    f,
                    "a file of {actual} bytes is over the limit of {max} bytes"
                )
            }
            Limit::AttachmentCount { max, actual } => {
                write!(f, "{actual} attachments are more than the {max} allowed")
            }
            Limit::ContentType { content_type } => {
                write!(f, "files of type {content_type} are not accepted")
            }
            Limit::TicketBytes { max, actual } => {
                write!(
                    f,
                    "the ticket's files would be {actual} bytes, over the limit of {max} bytes a ticket"
                )
            }
        }
    }
}

/// An optional ability of a store (see [`crate::store`]): what a desk needs beyond the
/// required [`Store`](crate::store::Store) for some of its calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Ability {
    /// Logins, sessions and API tokens ([`AccountStore`](crate::store::AccountStore)).
    Accounts,
    /// Live chat ([`ChatStore`](crate::store::ChatStore)).
    Chat,
    /// Reports ([`ReportStore`](crate::store::ReportStore)).
    Reports,
    /// The knowledge base ([`KnowledgeStore`](crate::store::KnowledgeStore)).
    KnowledgeBase,
    /// Agents' saved searches ([`SavedSearchStore`](crate::store::SavedSearchStore)).
    SavedSearches,
    /// Ticket templates and canned responses ([`TemplateStore`](crate::store::TemplateStore)).
    Templates,
    /// The desk's settings, its public URL among them
    /// ([`SettingsStore`](crate::store::SettingsStore)).
    Settings,
    /// Attachment bytes ([`BlobStore`](crate::store::BlobStore), given with
    /// [`Helpdesk::with_blobs`](crate::Helpdesk::with_blobs)).
    Attachments,
    /// The e-mail channel ([`Helpdesk::with_mail`](crate::Helpdesk::with_mail)).
    Email,
    /// Sign-in attempts counted in the store
    /// ([`SignInThrottle`](crate::store::SignInThrottle)).
    SignInThrottle,
    /// Mail kept aside and the log of ignored mail
    /// ([`MailQuarantineStore`](crate::store::MailQuarantineStore)).
    MailQuarantine,
    /// Addresses marked undeliverable
    /// ([`UndeliverableStore`](crate::store::UndeliverableStore)).
    Undeliverable,
    /// IMAP mailboxes stored for departments
    /// ([`MailboxStore`](crate::store::MailboxStore)).
    Mailboxes,
    /// Organisations' domains and the members who see their tickets
    /// ([`OrganisationStore`](crate::store::OrganisationStore)).
    Organisations,
    /// Tags in use, counted ([`TagStore`](crate::store::TagStore)).
    Tags,
    /// Agents' notification preferences
    /// ([`NotificationPreferenceStore`](crate::store::NotificationPreferenceStore)).
    NotificationPreferences,
    /// Erasure and anonymisation ([`ErasureStore`](crate::store::ErasureStore)).
    Erasure,
    /// Tickets' CC addresses and following agents
    /// ([`FollowerStore`](crate::store::FollowerStore)).
    Followers,
    /// Automation rules, macros and the log of rules that fired
    /// ([`AutomationStore`](crate::store::AutomationStore)).
    Automation,
    /// The change feed ([`ChangeFeed`](crate::store::ChangeFeed)).
    ChangeFeed,
    /// Webhook endpoints and their deliveries
    /// ([`WebhookStore`](crate::store::WebhookStore)).
    Webhooks,
    /// People's own settings: time zone, staff's page language
    /// ([`PersonSettingsStore`](crate::store::PersonSettingsStore)).
    PersonSettings,
    /// Snoozed notifications listed with their time
    /// ([`SnoozedNotificationStore`](crate::store::SnoozedNotificationStore)).
    SnoozedNotifications,
}

impl std::fmt::Display for Ability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Ability::Accounts => "accounts",
            Ability::Chat => "live chat",
            Ability::Reports => "reports",
            Ability::KnowledgeBase => "the knowledge base",
            Ability::SavedSearches => "saved searches",
            Ability::Templates => "templates and canned responses",
            Ability::Settings => "settings",
            Ability::Attachments => "attachments",
            Ability::Email => "e-mail",
            Ability::SignInThrottle => "the sign-in throttle",
            Ability::MailQuarantine => "the mail quarantine",
            Ability::Undeliverable => "undeliverable addresses",
            Ability::Mailboxes => "stored mailboxes",
            Ability::Organisations => "organisations' domains and shared tickets",
            Ability::Tags => "tags",
            Ability::NotificationPreferences => "notification preferences",
            Ability::Erasure => "erasure and anonymisation",
            Ability::Followers => "followers and CC",
            Ability::Automation => "automation rules and macros",
            Ability::ChangeFeed => "the change feed",
            Ability::Webhooks => "webhooks",
            Ability::PersonSettings => "people's own settings",
            Ability::SnoozedNotifications => "snoozed notifications",
        })
    }
}

/// A value a backend read that is not a valid domain value: the data was changed behind the
/// store's back, or written by an incompatible version. It reaches callers as the source of
/// [`Error::Backend`] (see [`Error::corrupt`]); downcast to inspect it.
#[derive(Debug)]
pub struct CorruptValue {
    table: &'static str,
    column: &'static str,
    source: BoxError,
}

impl CorruptValue {
    /// A corrupt value in `table.column`, and why it does not parse.
    pub fn new(table: &'static str, column: &'static str, source: impl Into<BoxError>) -> Self {
        Self {
            table,
            column,
            source: source.into(),
        }
    }

    /// The table it was read from.
    pub fn table(&self) -> &'static str {
        self.table
    }

    /// The column it was read from.
    pub fn column(&self) -> &'static str {
        self.column
    }
}

impl std::fmt::Display for CorruptValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the stored value of {}.{} is not valid",
            self.table, self.column
        )
    }
}

impl std::error::Error for CorruptValue {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A stored number or text outside what its domain type allows (a negative count, an
/// unknown word), as the source of a [`CorruptValue`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value} is not a valid {what}")]
pub struct OutOfRange {
    /// What the value should have been.
    pub what: &'static str,
    /// The value found, as text.
    pub value: String,
}

/// Everything that can go wrong, by meaning.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The thing does not exist, or the actor may not know that it exists.
    #[error("{entity} {key} not found")]
    NotFound {
        /// What was looked for.
        entity: Entity,
        /// The id or number looked for.
        key: String,
    },
    /// A concurrent change or a taken unique value; nothing was written.
    #[error("conflict on {entity}: {kind}")]
    Conflict {
        /// What conflicted.
        entity: Entity,
        /// How.
        kind: ConflictKind,
    },
    /// The command is not allowed in the ticket's current state.
    #[error("cannot {command} a ticket that is {from}")]
    InvalidTransition {
        /// The state the ticket is in.
        from: Status,
        /// The command that was refused.
        command: CommandKind,
    },
    /// The actor may not do this.
    #[error("forbidden: {reason}")]
    Forbidden {
        /// Why.
        reason: ForbiddenReason,
    },
    /// The input is invalid.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The input is over a deployment's limit (e.g. an attachment too large); nothing was
    /// stored.
    #[error("limit exceeded: {limit}")]
    LimitExceeded {
        /// Which limit.
        limit: Limit,
    },
    /// The desk was set up without an ability this call needs (a store without
    /// [`ChatStore`](crate::store::ChatStore), a desk without a blob store, ...); nothing
    /// was done.
    #[error("this desk does not offer {ability}")]
    Unsupported {
        /// What is missing.
        ability: Ability,
    },
    /// The storage backend failed.
    #[error("storage backend failed")]
    Backend {
        /// The backend's own error.
        #[source]
        source: BoxError,
    },
}

impl Error {
    /// A backend error wrapping `source`.
    pub fn backend(source: impl Into<BoxError>) -> Self {
        Error::Backend {
            source: source.into(),
        }
    }

    /// A not-found error for `entity` with `key`.
    pub fn not_found(entity: Entity, key: impl std::fmt::Display) -> Self {
        Error::NotFound {
            entity,
            key: key.to_string(),
        }
    }

    /// A conflict: `entity` is still used by `count` of `by`, so it cannot be deleted.
    pub fn in_use(entity: Entity, by: Entity, count: u64) -> Self {
        Error::Conflict {
            entity,
            kind: ConflictKind::InUse { by, count },
        }
    }

    /// A conflict: `field` of `entity` is taken by another one.
    pub fn duplicate(entity: Entity, field: impl Into<Cow<'static, str>>) -> Self {
        Error::Conflict {
            entity,
            kind: ConflictKind::Duplicate {
                field: field.into(),
            },
        }
    }

    /// A conflict: `entity` was changed since `expected`, and is at `actual` now.
    pub fn stale(entity: Entity, expected: Version, actual: Version) -> Self {
        Error::Conflict {
            entity,
            kind: ConflictKind::StaleVersion { expected, actual },
        }
    }

    /// The desk lacks `ability`.
    pub fn unsupported(ability: Ability) -> Self {
        Error::Unsupported { ability }
    }

    /// A backend error for a stored value of `table.column` that does not parse (a
    /// [`CorruptValue`] as its source).
    pub fn corrupt(table: &'static str, column: &'static str, source: impl Into<BoxError>) -> Self {
        Error::backend(CorruptValue::new(table, column, source))
    }

    /// A forbidden error.
    pub fn forbidden(reason: ForbiddenReason) -> Self {
        Error::Forbidden { reason }
    }

    /// A validation error on `field`.
    pub fn validation(
        field: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error::Validation(ValidationError::new(field, message))
    }

    /// A stable machine-readable code for this error (`not_found`, `conflict`,
    /// `unsupported`, ...; a refused link is `link_expired` or `link_invalid`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::Conflict { .. } => "conflict",
            Error::InvalidTransition { .. } => "invalid_transition",
            Error::Forbidden { reason } => reason.code(),
            Error::Validation(_) => "validation",
            Error::LimitExceeded { limit } => limit.code(),
            Error::Unsupported { .. } => "unsupported",
            Error::Backend { .. } => "backend",
        }
    }
}

/// An error and its causes on one line, `error: cause: its cause`, walking
/// [`source`](std::error::Error::source): for logs and terminals, where
/// [`Error::Backend`]'s own "storage backend failed" says nothing of the path, the SQL state
/// or the I/O error behind it. A cause whose text its error already shows is not repeated.
///
/// ```
/// use helpdesk_core::error::{Causes, Error};
/// let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
/// let error = Error::backend(io);
/// assert_eq!(Causes(&error).to_string(), "storage backend failed: no such file");
/// ```
#[derive(Clone, Copy)]
pub struct Causes<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for Causes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut shown = self.0.to_string();
        f.write_str(&shown)?;
        let mut next = self.0.source();
        while let Some(cause) = next {
            let text = cause.to_string();
            if !text.is_empty() && !shown.contains(&text) {
                write!(f, ": {text}")?;
                shown = text;
            }
            next = cause.source();
        }
        Ok(())
    }
}

impl std::fmt::Debug for Causes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}
