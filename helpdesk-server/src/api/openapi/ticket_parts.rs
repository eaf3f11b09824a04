//! Schemas of a ticket's parts as the API answers them (their serde form in
//! `helpdesk::domain`): its timers and service-level clocks, the customer's rating, a pending
//! priority request, and what its life measured.

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use chrono::{DateTime, Utc};
use utoipa::ToSchema;

use super::model::Priority;

/// A ticket's timers: its service-level clocks, pending reminder and auto-close.
#[derive(ToSchema)]
pub struct Timers {
    /// The name of the SLA policy that applies; null when none does.
    #[schema(required = true)]
    pub sla_policy: Option<String>,
    /// The service-level clocks, at most one per target.
    pub clocks: Vec<SlaClock>,
    /// When a pending or on-hold ticket comes back; null when it does not wait.
    #[schema(required = true)]
    pub pending_until: Option<DateTime<Utc>>,
    /// When it closes itself if the customer stays silent; null when it does not.
    #[schema(required = true)]
    pub auto_close_at: Option<DateTime<Utc>>,
    /// When the customer is warned of the auto-close; null when they are not.
    #[schema(required = true)]
    pub auto_close_warn_at: Option<DateTime<Utc>>,
}

/// One service-level clock: a budget of business time, spent while it runs.
#[derive(ToSchema)]
pub struct SlaClock {
    /// What it measures.
    pub target: SlaTarget,
    /// The business time allowed, in seconds.
    pub budget_secs: i64,
    /// Business seconds spent before `running_since`.
    pub spent_secs: i64,
    /// Since when it runs; null while paused or stopped.
    #[schema(required = true)]
    pub running_since: Option<DateTime<Utc>>,
    /// When the budget runs out, while running.
    #[schema(required = true)]
    pub due_at: Option<DateTime<Utc>>,
    /// When the warning share is spent, while running and not yet warned.
    #[schema(required = true)]
    pub warn_at: Option<DateTime<Utc>>,
    /// Whether the warning was given.
    pub warned: bool,
    /// Whether it is stopped for good.
    pub stopped: bool,
    /// Met or breached, once known.
    #[schema(required = true)]
    pub outcome: Option<SlaOutcome>,
}

/// What a service-level clock measures.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum SlaTarget {
    /// From opening to the first public agent reply.
    FirstResponse,
    /// From a customer message to the next public agent reply.
    NextResponse,
    /// From opening to the solution.
    Resolution,
}

/// Whether a target was met.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum SlaOutcome {
    /// Done within the target.
    Met,
    /// The target passed first.
    Breached,
}

/// The customer's rating of a solved ticket.
#[derive(ToSchema)]
pub struct Satisfaction {
    /// The score (1–5).
    #[schema(minimum = 1, maximum = 5)]
    pub score: u8,
    /// What they said; null when nothing.
    #[schema(required = true)]
    pub comment: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A customer's request to raise the priority, awaiting an agent.
#[derive(ToSchema)]
pub struct PriorityRequest {
    /// The priority asked for.
    pub priority: Priority,
    /// Why.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// What a ticket's life measured so far.
#[derive(ToSchema)]
pub struct TicketMetrics {
    /// Business seconds from opening to the first public agent reply; null before it.
    #[schema(required = true)]
    pub first_response_secs: Option<i64>,
    /// Business seconds from opening to the latest resolution; null before it.
    #[schema(required = true)]
    pub resolution_secs: Option<i64>,
    /// How many times it went back to work after being solved.
    #[schema(minimum = 0)]
    pub reopens: u32,
}

/// A custom field's value, its type named beside it: `{"type": "text", "value": "…"}`.
#[derive(ToSchema)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FieldValue {
    /// Free text, up to 1,000 characters.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// Yes or no.
    Bool(bool),
    /// A calendar date (`YYYY-MM-DD`).
    Date(chrono::NaiveDate),
}
