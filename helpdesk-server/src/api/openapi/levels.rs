//! Schemas of the settings kept in the store as the admin routes take them: a
//! business-hours calendar, an SLA policy and attachment limits (their serde form in
//! `helpdesk::policy` and `helpdesk::service`).

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use chrono::NaiveDate;
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::{CustomerKind, Priority};

/// A business-hours calendar.
#[derive(ToSchema)]
pub struct Calendar {
    /// An IANA time zone (`Europe/Bucharest`).
    pub zone: String,
    /// Working hours, e.g. `mon-fri 09:00-18:00` (none: around the clock).
    #[serde(default)]
    pub hours: Vec<String>,
    /// Holidays (`YYYY-MM-DD`).
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
    /// Holidays every year (`MM-DD`).
    #[serde(default)]
    pub yearly_holidays: Vec<String>,
}

/// An SLA policy (its name is the path's): what it matches and its targets. The first
/// policy that matches a ticket applies.
#[derive(ToSchema)]
pub struct SlaPolicy {
    /// The priorities it matches (none: any).
    #[serde(default)]
    pub priorities: Vec<Priority>,
    /// The departments it matches (none: any).
    #[serde(default)]
    pub departments: Vec<Uuid>,
    /// The ticket types it matches (none: any).
    #[serde(default)]
    pub ticket_types: Vec<String>,
    /// The kinds of customer it matches (none: any).
    #[serde(default)]
    pub customer_kinds: Vec<CustomerKind>,
    /// The organisations whose tickets (their own and their members') it matches (none:
    /// any).
    #[serde(default)]
    pub organisations: Vec<Uuid>,
    /// The first answer is due within these business minutes.
    #[serde(default)]
    pub first_response_minutes: Option<u32>,
    /// Each later answer is due within these business minutes.
    #[serde(default)]
    pub next_response_minutes: Option<u32>,
    /// The solution is due within these business minutes.
    #[serde(default)]
    pub resolution_minutes: Option<u32>,
    /// The calendar its minutes are counted on (default: the department's).
    #[serde(default)]
    pub calendar: Option<String>,
    /// Warn when this share of a target has passed (percent).
    #[serde(default)]
    #[schema(maximum = 100)]
    pub warn_percent: Option<u8>,
}

/// Limits on the files attached to messages.
#[derive(ToSchema)]
pub struct AttachmentLimits {
    /// The largest file, in bytes.
    pub max_size: u64,
    /// The most files per message.
    pub max_count: u64,
    /// The most files per ticket (none: no limit).
    #[serde(default)]
    pub max_per_ticket: Option<u64>,
    /// The most bytes of files per ticket, all its messages together (left out: no limit).
    #[serde(default)]
    #[schema(nullable = false, minimum = 1)]
    pub max_bytes_per_ticket: Option<u64>,
    /// The content types accepted (`type/subtype`, `type/*`).
    pub allowed_types: Vec<String>,
}
