//! Schemas of the answers the handlers build as JSON objects (`json!`) rather than from one
//! type: lists, the token, who the caller is, a page of tickets, a chat, a report.

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use chrono::{DateTime, Utc};
use utoipa::ToSchema;
use uuid::Uuid;

use super::chat::{Chat, ChatPlace, SuggestedArticle};
use super::ticket_parts::SlaTarget;

use super::model::{Actor, Changed, Language, Message, Notice, Priority, Ticket, TimeEntry};

/// `POST /auth/token`: the new API token.
#[derive(ToSchema)]
pub struct TokenIssued {
    /// The secret, sent as `Authorization: Bearer <token>`.
    pub token: String,
    /// `Bearer`.
    pub token_type: String,
    /// Who it signs in.
    pub actor: Actor,
}

/// One of the caller's sessions or API tokens.
#[derive(ToSchema)]
pub struct TokenInfo {
    /// The SHA-256 of the secret, hex.
    pub id: String,
    /// `session` or `api_token`.
    pub kind: TokenKind,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
    /// When it was last used; null if never.
    #[schema(required = true)]
    pub last_used: Option<DateTime<Utc>>,
    /// Whether the request is signed in with it.
    pub current: bool,
}

/// The kinds of [`TokenInfo`].
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum TokenKind {
    /// A page session (cookie).
    Session,
    /// An API token (bearer).
    ApiToken,
}

/// `{"items": [...]}` of [`TokenInfo`].
#[derive(ToSchema)]
pub struct TokenList {
    /// The tokens.
    pub items: Vec<TokenInfo>,
}

/// `GET /me`: who the caller is.
#[derive(ToSchema)]
pub struct Me {
    /// The actor.
    pub actor: Actor,
    /// Their login name; null when they have none.
    #[schema(required = true)]
    pub login: Option<String>,
    /// Their name.
    pub name: String,
    /// The language of their pages and mail.
    pub language: Language,
}

/// A page of `GET /tickets`.
#[derive(ToSchema)]
pub struct TicketList {
    /// The tickets.
    pub items: Vec<Ticket>,
    /// An opaque cursor: pass it as `after` for the next page; null on the last page.
    #[schema(required = true)]
    pub next: Option<String>,
    /// On a page after the first: the tickets changed since the pass began, which its later
    /// pages leave out; null on a first page.
    #[schema(required = true)]
    pub changed: Option<Changed>,
    /// How many tickets match the filter now, of those the caller may see; null for a
    /// search (`q`).
    #[schema(required = true, minimum = 0)]
    pub total: Option<u64>,
}

/// A ticket just opened: the ticket's fields and `notices`.
#[derive(ToSchema)]
pub struct OpenedTicket {
    /// The ticket.
    #[serde(flatten)]
    pub ticket: Ticket,
    /// What was applied otherwise than asked, and why; empty when everything is as asked.
    pub notices: Vec<Notice>,
}

/// `{"items": [...]}` of priorities, lowest first.
#[derive(ToSchema)]
pub struct PriorityList {
    /// The priorities.
    pub items: Vec<Priority>,
}

/// A page of a ticket's thread: the newest messages, or those written before a cursor.
#[derive(ToSchema)]
pub struct MessageList {
    /// The messages, oldest first.
    pub items: Vec<Message>,
    /// The id of this page's oldest message when older ones remain (ask again with
    /// `before` set to it); `null` on the page holding the first message.
    pub older: Option<Uuid>,
}

/// A ticket's time entries.
#[derive(ToSchema)]
pub struct TimeEntryList {
    /// The entries.
    pub items: Vec<TimeEntry>,
}

/// The caller's own vote on an article.
#[derive(ToSchema)]
pub struct MyVote {
    /// The article.
    pub article: Uuid,
    /// Their answer; null before they vote.
    #[schema(required = true)]
    pub helpful: Option<bool>,
}

/// A login just set.
#[derive(ToSchema)]
pub struct LoginSet {
    /// The login name.
    pub login: String,
    /// Whose it is.
    pub actor: Actor,
}

/// `POST /chats`: the chat, its ticket, the assistant's suggestions and where it stands.
#[derive(ToSchema)]
pub struct ChatStarted {
    /// The chat.
    pub chat: Chat,
    /// Its ticket (channel chat).
    pub ticket: Ticket,
    /// Knowledge-base articles the assistant suggests.
    pub suggestions: Vec<SuggestedArticle>,
    /// Where it stands (`{"state": "assistant"}`).
    pub place: ChatPlace,
}

/// `GET /chats/{chat}`: the chat and where it stands.
#[derive(ToSchema)]
pub struct ChatState {
    /// The chat.
    pub chat: Chat,
    /// Where it stands: with the assistant, queued (with its position), with an agent, ended.
    pub place: ChatPlace,
}

/// A report over a date range.
#[derive(ToSchema)]
pub struct Report {
    /// The start.
    pub from: DateTime<Utc>,
    /// The end (excluded).
    pub to: DateTime<Utc>,
    /// What each row is.
    pub group: ReportGroup,
    /// The departments it covers; null for all.
    #[schema(required = true)]
    pub departments: Option<Vec<Uuid>>,
    /// One row per group.
    pub rows: Vec<ReportRow>,
    /// The tickets opened in the range per tag, the most carried first (empty where the
    /// store counts no tags).
    pub tags: Vec<TagCount>,
}

/// A tag and how many tickets carry it.
#[derive(ToSchema)]
pub struct TagCount {
    /// The tag, as first typed.
    pub tag: String,
    /// How many tickets carry it.
    #[schema(minimum = 0)]
    pub tickets: u64,
}

/// `{"items": [...]}` of tickets, in the order named.
#[derive(ToSchema)]
pub struct TaggedTickets {
    /// The tickets.
    pub items: Vec<Ticket>,
}

/// `{"items": [...]}` of [`TagCount`], the most carried first.
#[derive(ToSchema)]
pub struct TagCountList {
    /// The tags.
    pub items: Vec<TagCount>,
}

/// What a report's rows are.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ReportGroup {
    /// Per department.
    Department,
    /// Per agent.
    Agent,
    /// Per customer.
    Customer,
    /// Per ticket type.
    Type,
}

/// One row of a report.
#[derive(ToSchema)]
pub struct ReportRow {
    /// The group's key (an id or a type).
    pub key: String,
    /// Its name.
    pub name: String,
    /// Tickets opened.
    pub opened: u64,
    /// Tickets closed.
    pub closed: u64,
    /// Tickets open at the end.
    pub backlog: u64,
    /// First-response times.
    pub first_response: Percentiles,
    /// Resolution times.
    pub resolution: Percentiles,
    /// Service levels met and missed, per target.
    pub sla: Vec<SlaShare>,
    /// Tickets reopened.
    pub reopened: u64,
    /// Reopened of closed; null when none closed.
    #[schema(required = true)]
    pub reopen_rate: Option<f64>,
    /// Ratings given.
    pub satisfaction_count: u64,
    /// Their average; null when none.
    #[schema(required = true)]
    pub satisfaction_average: Option<f64>,
    /// Billable minutes logged.
    pub billable_minutes: u64,
    /// The same in hours.
    pub billable_hours: f64,
}

/// Business times of a report's tickets: how many, the median and the 90th percentile.
#[derive(ToSchema)]
pub struct Percentiles {
    /// How many tickets were measured.
    #[schema(minimum = 0)]
    pub count: u64,
    /// The median, in business seconds; null when none were measured.
    #[schema(required = true)]
    pub median_secs: Option<i64>,
    /// The 90th percentile, in business seconds; null when none were measured.
    #[schema(required = true)]
    pub p90_secs: Option<i64>,
}

/// How often a service-level target was met and breached.
#[derive(ToSchema)]
pub struct SlaShare {
    /// The target.
    pub target: SlaTarget,
    /// Met.
    #[schema(minimum = 0)]
    pub met: u64,
    /// Breached.
    #[schema(minimum = 0)]
    pub breached: u64,
}

/// `POST /tickets` as multipart form data: the fields of `CreateTicket` but `categories` and
/// `channel`, and the files.
#[derive(ToSchema)]
pub struct TicketForm {
    /// One line, 1–255 characters.
    pub subject: String,
    /// The first message.
    pub body: String,
    /// The department.
    pub department: Uuid,
    /// The customer (staff).
    pub customer: Option<Uuid>,
    /// The priority.
    pub priority: Option<Priority>,
    /// The ticket type.
    pub ticket_type: Option<String>,
    /// The service.
    pub service: Option<String>,
    /// `true`, `on` or `1` for an internal ticket (agents).
    pub internal: Option<String>,
    /// The master ticket.
    pub master: Option<Uuid>,
    /// The files.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Option<Vec<Vec<u8>>>,
}

/// `POST /tickets/{ticket}/messages` as multipart form data: the text, whether it is an
/// internal note, and the files.
#[derive(ToSchema)]
pub struct MessageForm {
    /// The text.
    pub body: String,
    /// `true`, `on` or `1` for an internal note (agents).
    pub internal: Option<String>,
    /// The files.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Option<Vec<Vec<u8>>>,
}
