//! Schemas of the library's types as the API answers them (their serde form), declared
//! here so that helpdesk-core stays free of the document's machinery. Each mirrors the JSON
//! of one core type; the schema check over the server's tests (`tests/server/schema_check.rs`)
//! holds every answer to them.

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use utoipa::openapi::schema::{AdditionalProperties, Schema};
use utoipa::openapi::{ObjectBuilder, RefOr, Type};
use utoipa::{PartialSchema, ToSchema};
use uuid::Uuid;

use super::ticket_parts::{FieldValue, PriorityRequest, Satisfaction, TicketMetrics, Timers};

/// How urgent a ticket is.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Priority {
    /// Low.
    Low,
    /// Normal.
    Normal,
    /// High.
    High,
    /// Urgent.
    Urgent,
}

/// Where a ticket is in its life.
#[derive(ToSchema)]
pub enum Status {
    /// Opened; no agent has answered yet.
    #[schema(rename = "new")]
    New,
    /// Being worked on.
    #[schema(rename = "open")]
    Open,
    /// Waiting for the customer.
    #[schema(rename = "pending_customer")]
    PendingCustomer,
    /// Waiting on a third party.
    #[schema(rename = "on_hold")]
    OnHold,
    /// Solved, awaiting the customer's confirmation.
    #[schema(rename = "resolved")]
    Resolved,
    /// Closed as solved.
    #[schema(rename = "closed:solved")]
    ClosedSolved,
    /// Closed without a solution.
    #[schema(rename = "closed:unsolved")]
    ClosedUnsolved,
    /// Closed by the desk after the customer did not answer.
    #[schema(rename = "closed:auto_closed")]
    ClosedAutoClosed,
    /// Merged into another ticket.
    #[schema(rename = "closed:merged")]
    ClosedMerged,
    /// A duplicate of another ticket.
    #[schema(rename = "closed:duplicate")]
    ClosedDuplicate,
}

/// Why a ticket is closed (`close` command).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Resolution {
    /// Solved.
    Solved,
    /// Not solved.
    Unsolved,
    /// Closed by the desk.
    AutoClosed,
    /// Merged.
    Merged,
    /// A duplicate.
    Duplicate,
}

/// How a ticket or message reached the desk.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Channel {
    /// The web (portal or API).
    Web,
    /// E-mail.
    Email,
    /// The telephone.
    Phone,
    /// Live chat.
    Chat,
    /// Opened by staff.
    Internal,
}

/// A language the desk speaks.
#[derive(ToSchema)]
pub enum Language {
    /// English.
    #[schema(rename = "en")]
    En,
    /// Romanian.
    #[schema(rename = "ro")]
    Ro,
    /// Russian.
    #[schema(rename = "ru")]
    Ru,
    /// Persian.
    #[schema(rename = "fa")]
    Fa,
}

/// Who may read a message or an article.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Visibility {
    /// Everyone it concerns.
    Public,
    /// Staff only.
    Internal,
}

/// An agent's role.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Role {
    /// Works tickets in their departments.
    Agent,
    /// An agent who also reads reports.
    Supervisor,
    /// Runs the desk.
    Admin,
}

/// A customer's kind.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum CustomerKind {
    /// A person.
    Individual,
    /// A company or other organisation.
    Organisation,
}

/// A department's rule for replies to closed tickets.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum FollowUpPolicy {
    /// The ticket reopens.
    Reopen,
    /// The reply is refused.
    Reject,
    /// A new ticket follows the closed one.
    NewTicket,
}

/// A knowledge-base article's state.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ArticleStatus {
    /// Not shown to readers.
    Draft,
    /// Shown.
    Published,
}

/// An agent's availability for chats.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Presence {
    /// Takes chats.
    Online,
    /// Takes none for now.
    Away,
    /// Not there.
    Offline,
}

/// The order of a ticket list.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum TicketOrder {
    /// Most recently changed first (the default).
    LastUpdate,
    /// Highest priority first, then the longest untouched.
    Priority,
    /// Who has waited longest first.
    Waiting,
    /// Search results ranked (the default with `q`).
    Relevance,
}

/// Who did something: `{"kind": "customer"|"agent"|"system", "id"?}`.
#[derive(ToSchema)]
pub struct Actor {
    // Customer, agent, or the desk itself.
    #[schema(inline)]
    kind: ActorKind,
    /// The customer's or agent's id (absent for the system).
    #[schema(nullable = false)]
    pub id: Option<Uuid>,
}

/// The kind of an [`Actor`].
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ActorKind {
    /// A customer.
    Customer,
    /// An agent.
    Agent,
    /// The desk itself.
    System,
}

/// A ticket's number, full and short.
#[derive(ToSchema)]
pub struct TicketNumber {
    /// The full number (1–32 digits).
    #[schema(pattern = "^[0-9]{1,32}$")]
    pub full: String,
    /// The short number the customer is told, the end of the full one.
    #[schema(pattern = "^[0-9]{1,32}$")]
    pub short: String,
}

/// A ticket's current state.
#[derive(ToSchema)]
pub struct Ticket {
    /// Its id.
    pub id: Uuid,
    /// Its number.
    pub number: TicketNumber,
    /// A one-line summary.
    pub subject: String,
    /// The customer who asked; null only for internal tickets about no customer.
    #[schema(required = true)]
    pub customer: Option<Uuid>,
    /// The department (queue) it is in.
    pub department: Uuid,
    /// The agent working on it; null when unassigned.
    #[schema(required = true)]
    pub assignee: Option<Uuid>,
    /// Where it is in its life.
    pub status: Status,
    /// How urgent it is.
    pub priority: Priority,
    /// The kind of request.
    pub ticket_type: String,
    /// Its categories.
    pub categories: Vec<String>,
    /// Its tags (staff only: always empty for customers).
    pub tags: Vec<String>,
    /// The service it concerns.
    #[schema(required = true)]
    pub service: Option<String>,
    /// Deployment-defined fields.
    pub custom_fields: BTreeMap<String, FieldValue>,
    /// How it reached the desk.
    pub channel: Channel,
    /// Seen by agents only.
    pub internal: bool,
    /// The master ticket of an outage it is part of.
    #[schema(required = true)]
    pub master: Option<Uuid>,
    /// The ticket it was merged into.
    #[schema(required = true)]
    pub merged_into: Option<Uuid>,
    /// The closed ticket it follows up.
    #[schema(required = true)]
    pub follow_up_of: Option<Uuid>,
    /// Who opened it.
    pub opened_by: Actor,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When an agent first answered publicly.
    #[schema(required = true)]
    pub first_response_at: Option<DateTime<Utc>>,
    /// When it was last resolved.
    #[schema(required = true)]
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it was last closed.
    #[schema(required = true)]
    pub closed_at: Option<DateTime<Utc>>,
    /// Since when the customer has waited for an answer; null when nobody waits.
    #[schema(required = true)]
    pub waiting_since: Option<DateTime<Utc>>,
    /// Its service-level clocks, pending reminder and auto-close.
    pub timers: Timers,
    /// The earliest instant something about it is due; null when nothing is.
    #[schema(required = true)]
    pub next_due_at: Option<DateTime<Utc>>,
    /// The customer's rating, once solved.
    #[schema(required = true)]
    pub satisfaction: Option<Satisfaction>,
    /// A customer's pending request to raise the priority.
    #[schema(required = true)]
    pub priority_request: Option<PriorityRequest>,
    /// What its life measured so far (for reports).
    pub metrics: TicketMetrics,
    /// Its version, checked on every write (`If-Match`).
    #[schema(minimum = 0)]
    pub version: u64,
}

/// What the desk did otherwise than asked when opening a ticket, and why.
#[derive(ToSchema)]
pub struct Notice {
    // `priority_adjusted` (inline, so undocumented here: a description would wrap it).
    #[schema(inline)]
    kind: NoticeKind,
    /// What was asked for.
    pub asked: Priority,
    /// What the ticket got.
    pub applied: Priority,
    /// Why.
    pub reason: PriorityReason,
    /// The same in English.
    pub message: String,
}

/// The kinds of [`Notice`].
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum NoticeKind {
    /// A new ticket did not get the priority asked for.
    PriorityAdjusted,
}

/// Why a new ticket did not get the priority asked for.
#[derive(ToSchema)]
pub struct PriorityReason {
    // `above_cap` (the customer's cap) or `desk_rule` (the rule for a kind of customer).
    #[schema(inline)]
    kind: PriorityReasonKind,
    /// The cap (`above_cap`).
    #[schema(nullable = false)]
    pub cap: Option<Priority>,
    /// The kind of customer the rule is for (`desk_rule`; null for any).
    pub customer_kind: Option<CustomerKind>,
}

/// The kinds of [`PriorityReason`].
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum PriorityReasonKind {
    /// Above the customer's cap.
    AboveCap,
    /// Set by the desk's rule for a kind of customer.
    DeskRule,
}

/// The tickets a pass of the list leaves out because they changed since it began.
#[derive(ToSchema)]
#[schema(as = ChangedTickets)]
pub struct Changed {
    /// When the pass began, less 10 seconds: these tickets changed at or after it.
    pub since: DateTime<Utc>,
    /// Their ids, the most recently changed first, at most 50.
    pub tickets: Vec<Uuid>,
    /// Whether more changed than `tickets` names.
    pub more: bool,
}

/// A file attached to a message.
#[derive(ToSchema)]
pub struct Attachment {
    /// The stored file name.
    pub file_name: String,
    /// The name shown.
    pub display_name: String,
    /// `type/subtype`.
    pub content_type: String,
    /// Bytes.
    #[schema(minimum = 0)]
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes (the download's path).
    pub sha256: String,
}

/// One message of a ticket's thread.
#[derive(ToSchema)]
pub struct Message {
    /// Its id.
    pub id: Uuid,
    /// The ticket.
    pub ticket_id: Uuid,
    /// Who wrote it.
    pub author: Actor,
    /// Who may read it.
    pub visibility: Visibility,
    /// How it came in or went out.
    pub channel: Channel,
    /// The text.
    pub body: String,
    /// Its files.
    pub attachments: Vec<Attachment>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// The ticket it came from when another ticket put it here (a master's reply, a merge,
    /// a split); null for a message written on this ticket.
    #[schema(required = true)]
    pub origin: Option<Origin>,
}

/// Where a message or history entry came from.
#[derive(ToSchema)]
pub struct Origin {
    /// How it came: copied from the master ticket, moved by a merge, or by a split.
    pub kind: OriginKind,
    /// The ticket it came from.
    pub ticket: Uuid,
    /// That ticket's number.
    pub number: TicketNumber,
}

/// How an entry came from another ticket.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum OriginKind {
    /// Copied from the master ticket.
    Master,
    /// Moved by a merge.
    Merge,
    /// Moved by a split.
    Split,
}

/// Work logged on a ticket.
#[derive(ToSchema)]
pub struct TimeEntry {
    /// Its id.
    pub id: Uuid,
    /// The ticket.
    pub ticket_id: Uuid,
    /// Who worked.
    pub agent: Uuid,
    /// How long.
    #[schema(minimum = 1, maximum = 1440)]
    pub minutes: u32,
    /// Whether the customer is billed (customers see the billable entries).
    pub billable: bool,
    /// What was done; empty for a customer unless `note_visible_to_customer`.
    pub note: String,
    /// Whether the customer may read the note.
    pub note_visible_to_customer: bool,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
}

/// An agent's availability for chats.
#[derive(ToSchema)]
pub struct Availability {
    /// The agent.
    pub agent: Uuid,
    /// Online, away or offline.
    pub presence: Presence,
    /// How many chats at once.
    pub max_chats: u32,
    /// How many now.
    pub active_chats: u32,
    /// When a chat was last routed to them; null before the first.
    #[schema(required = true)]
    pub last_assigned_at: Option<DateTime<Utc>>,
    /// When the agent was last seen (setting their presence, or a heartbeat); null before
    /// the first. Past the desk's presence timeout the presence reads offline.
    #[schema(required = true)]
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Its version.
    #[schema(minimum = 0)]
    pub version: u64,
    /// How often to send a heartbeat (a third of the presence timeout); in the answers of
    /// the agent's own presence and heartbeat.
    pub heartbeat_seconds: Option<u32>,
}

/// `{"items": [...]}` of [`Availability`].
#[derive(ToSchema)]
pub struct AvailabilityList {
    /// The availabilities.
    pub items: Vec<Availability>,
}

/// An object of the library not described field by field here (a customer, an agent, a
/// department, an article, a notification, a setting, an audit entry…): its fields as the
/// library serialises them.
pub struct Entity;

impl PartialSchema for Entity {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(AdditionalProperties::FreeForm(true)))
            .into()
    }
}

impl ToSchema for Entity {}

/// `{"items": [...]}` of [`Entity`].
#[derive(ToSchema)]
pub struct EntityList {
    /// The entries.
    pub items: Vec<Entity>,
}
