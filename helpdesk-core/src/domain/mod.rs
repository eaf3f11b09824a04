//! The domain: tickets, their threads and history, departments, agents and customers.
//!
//! Every value that has rules is a validated type with a `parse` or `new` constructor, so a
//! value of these types is always valid.

mod account;
mod account_link;
mod actor;
mod agent;
mod article;
mod article_vote;
mod chat;
mod command_kind;
mod contact;
mod custom_fields;
mod customer;
mod department;
mod digits;
mod event;
mod feedback;
pub(crate) mod fold;
mod follow_up;
mod ids;
mod mail_reference;
mod mention;
mod message;
mod metrics;
mod notice;
mod notification;
mod notification_prefs;
mod organisation;
mod origin;
mod outbound_email;
mod person_settings;
mod presence;
mod priority;
mod public_url;
mod report;
pub(crate) mod stable_text;
mod status;
mod tag;
mod template;
mod text;
mod ticket;
mod ticket_key;
mod ticket_number;
mod ticket_type;
mod time_entry;
mod timers;
mod validation;

pub use account::{AuthToken, Login, LoginName, PasswordHash, TokenHash, TokenKind};
pub use account_link::{
    AccountLink, INVITATION_LIFETIME, LinkKind, PASSWORD_RESET_LIFETIME, new_link_secret,
};
pub use actor::{Actor, ActorKind, Channel};
pub use agent::{Agent, Permission, PermissionSet, Role, standard_permissions};
pub use article::{Article, ArticleStatus};
pub use article_vote::{ArticleVote, Voter};
pub use chat::{
    Availability, ChatEnd, ChatSession, ChatState, ChatStateKind, ChatStateParts, Presence,
};
pub use command_kind::CommandKind;
pub use contact::{Email, Phone};
pub use custom_fields::{CustomFields, FieldKey, FieldValue};
pub use customer::{Customer, CustomerKind};
pub use department::Department;
pub use digits::{ascii_digit, ascii_digits, digits_only};
pub use event::{Change, TicketEvent};
pub use feedback::{PriorityRequest, Rating, Satisfaction};
pub use follow_up::FollowUpPolicy;
pub use ids::AdminNoticeId;
pub use ids::{
    AgentId, ArticleId, CannedResponseId, ChatId, CustomerId, DepartmentId, EventId, IgnoredMailId,
    MailboxId, MessageId, NotificationId, OutboxId, QuarantineId, SavedSearchId, TemplateId,
    TicketId, TimeEntryId,
};
pub use ids::{MacroId, RuleFiringId, RuleId};
pub use ids::{WebhookDeliveryId, WebhookId};
pub use mail_reference::MailReference;
pub use mention::{agent_handle, mentioned_agents, mentioned_handles};
pub use message::{Attachment, Message, Visibility, sanitize_file_name};
pub use metrics::TicketMetrics;
pub use notice::{Notice, PriorityReason};
pub use notification::{
    Notification, NotificationAction, NotificationKind, NotificationState, Recipient,
};
pub use notification_prefs::{NotificationPreferences, NotifyChannel, NotifyEvent};
pub use organisation::OrganisationDomain;
pub use origin::{Origin, OriginKind};
pub use outbound_email::{Delivery, DeliveryOutcome, DeliveryState, EmailKind, OutboundEmail};
pub use person_settings::{PersonSettings, TimeZone};
pub use presence::PresenceTimeout;
pub use priority::Priority;
pub use public_url::PublicUrl;
pub(crate) use public_url::host_and_port;
pub use report::{Percentiles, Report, ReportGroup, ReportQuery, ReportRow, SlaShare};
pub use stable_text::StableText;
pub(crate) use stable_text::stable_text;
pub use status::{Language, Resolution, Status, StatusLabels};
pub use tag::{Tag, TagCount, parse_tag_list};
pub use template::{
    CannedResponse, PLACEHOLDERS, TicketTemplate, check_placeholders, fill_placeholders,
    uses_placeholder,
};
pub use text::{
    Address, ArticleTitle, Category, ContractNumber, MessageBody, Name, ServiceName, ShortNote,
    Signature, Subject,
};
pub use ticket::{Ticket, Version};
pub use ticket_key::TicketKey;
pub use ticket_number::TicketNumber;
pub use ticket_type::{CustomType, TicketType};
pub use time_entry::{Minutes, TimeEntry};
pub use timers::{SlaClock, SlaOutcome, SlaTarget, Timers};
pub use validation::ValidationError;
