//! Schemas of the settings as the admin routes answer them (their serde form in
//! `helpdesk::policy`, `helpdesk::service` and `helpdesk::store`): the stored service levels,
//! attachment limits and mail settings, and the audit trail of their changes.

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use utoipa::openapi::schema::{ArrayBuilder, Schema};
use utoipa::openapi::{ObjectBuilder, RefOr, Type};
use utoipa::{PartialSchema, ToSchema};
use uuid::Uuid;

use super::levels::AttachmentLimits;
use super::model::{Actor, CustomerKind, Priority};

/// The stored service levels: business-hours calendars, the calendar of each department and
/// the SLA policies.
#[derive(ToSchema)]
pub struct ServiceLevels {
    /// Business-hours calendars by name.
    pub calendars: BTreeMap<String, StoredCalendar>,
    /// The calendar of departments without their own; null: open around the clock.
    #[schema(required = true)]
    pub default_calendar: Option<String>,
    /// The calendar each department works on, by department id.
    pub department_calendars: BTreeMap<String, String>,
    /// The SLA policies in order: the first that matches a ticket applies.
    pub policies: Vec<StoredSlaPolicy>,
}

/// A business-hours calendar as stored.
#[derive(ToSchema)]
pub struct StoredCalendar {
    /// An IANA time zone (`Europe/Bucharest`).
    pub zone: String,
    /// When it is open: `"always_open"`, or `{"weekly": [...]}`.
    pub schedule: Schedule,
    /// Holidays every year, as `[month, day]`.
    pub yearly_holidays: Vec<Vec<u32>>,
    /// Holidays.
    pub holidays: Vec<NaiveDate>,
}

/// When a calendar is open: always, or these hours on each weekday.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// Always: 24 hours, 7 days, no holidays.
    AlwaysOpen,
    /// These ranges on each weekday.
    Weekly(Week),
}

/// Seven lists (Monday first) of working ranges, each `[start, end]` in minutes after
/// local midnight (`0 <= start < end <= 1440`), sorted and not overlapping.
pub struct Week;

impl PartialSchema for Week {
    fn schema() -> RefOr<Schema> {
        let minute = || {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(1440))
        };
        let range = ArrayBuilder::new()
            .prefix_items([minute(), minute()])
            .items(minute())
            .min_items(Some(2))
            .max_items(Some(2));
        let day = ArrayBuilder::new().items(range);
        ArrayBuilder::new()
            .items(day)
            .min_items(Some(7))
            .max_items(Some(7))
            .into()
    }
}

impl ToSchema for Week {}

/// An SLA policy as stored: its name, match rule (an empty list matches everything),
/// targets in business minutes, and calendar.
#[derive(ToSchema)]
pub struct StoredSlaPolicy {
    /// Its name, unique on the desk.
    pub name: String,
    /// The priorities it matches (none: any).
    pub priorities: Vec<Priority>,
    /// The departments it matches (none: any).
    pub departments: Vec<Uuid>,
    /// The ticket types it matches (none: any).
    pub ticket_types: Vec<String>,
    /// The kinds of customer it matches (none: any).
    pub customer_kinds: Vec<CustomerKind>,
    /// The organisations whose tickets (their own and their members') it matches (absent:
    /// any).
    #[schema(nullable = false)]
    pub organisations: Option<Vec<Uuid>>,
    /// Business minutes to the first public reply; null: no target.
    #[schema(required = true, minimum = 0)]
    pub first_response_minutes: Option<u32>,
    /// Business minutes from a customer message to the next public reply; null: no target.
    #[schema(required = true, minimum = 0)]
    pub next_response_minutes: Option<u32>,
    /// Business minutes to the solution; null: no target.
    #[schema(required = true, minimum = 0)]
    pub resolution_minutes: Option<u32>,
    /// The calendar the clocks run on instead of the department's; null: the department's.
    #[schema(required = true)]
    pub calendar: Option<String>,
    /// The share of a target spent when the desk warns (percent); null: 80.
    #[schema(required = true, minimum = 0, maximum = 100)]
    pub warn_percent: Option<u8>,
}

/// The stored attachment limits: the desk's default and each department's own. Where
/// neither is stored, the limits the server was started with apply.
#[derive(ToSchema)]
pub struct AttachmentSettings {
    /// The limits of departments without their own; null when none are stored.
    #[schema(required = true)]
    pub default: Option<AttachmentLimits>,
    /// Each department's own limits, by department id.
    pub departments: BTreeMap<String, AttachmentLimits>,
}

/// The stored mail settings: the desk-wide ones (each absent when unset: the value the
/// server was started with applies) and each department's own address.
#[derive(ToSchema)]
pub struct MailSettings {
    /// The address the desk sends from and receives at.
    #[schema(nullable = false)]
    pub from: Option<String>,
    /// The display name beside it.
    #[schema(nullable = false)]
    pub from_name: Option<String>,
    /// The department new mail goes to when sent to no department's own address.
    #[schema(nullable = false)]
    pub inbound_department: Option<Uuid>,
    /// `create_customer` or `reject`: mail from an address no customer has.
    #[schema(nullable = false, pattern = "^(create_customer|reject)$")]
    pub unknown_senders: Option<String>,
    /// The most "request received" answers one customer gets in an hour.
    #[schema(nullable = false, minimum = 0, maximum = 10000)]
    pub auto_answers_per_hour: Option<u32>,
    /// `take_in` or `ignore`: list mail to the desk's address.
    #[schema(nullable = false, pattern = "^(take_in|ignore)$")]
    pub list_mail: Option<String>,
    /// The departments with an address of their own, by department id (absent when none).
    #[schema(nullable = false)]
    pub departments: Option<BTreeMap<String, DepartmentAddress>>,
}

/// A department's own address.
#[derive(ToSchema)]
pub struct DepartmentAddress {
    /// The address.
    pub address: String,
    /// `take_in` or `ignore`: list mail to it.
    #[schema(pattern = "^(take_in|ignore)$")]
    pub list_mail: String,
}

/// What an audited change changed: a setting, or an entry of a list of settings.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ChangedSetting {
    /// The public URL.
    PublicUrl,
    /// The service levels.
    ServiceLevels,
    /// The attachment limits.
    AttachmentLimits,
    /// The mail settings.
    Mail,
    /// A ticket template (`item`: its id; the values: its JSON).
    Template,
    /// A canned response (`item`: its id; the values: its JSON).
    CannedResponse,
    /// A knowledge-base category (`item`: its name; the values: its name).
    ArticleCategory,
    /// An IMAP mailbox stored for a department (`item`: its id; the values: its settings,
    /// a new password only as `"password": "changed"`).
    Mailbox,
    /// The priority rules that match on the organisation.
    PriorityRules,
}

/// One change in the settings audit trail: what, who, when, before and after.
#[derive(ToSchema)]
pub struct AuditEntry {
    /// Which setting, or which list of settings.
    pub key: ChangedSetting,
    /// The entry of the list that changed (absent for a setting).
    #[schema(nullable = false)]
    pub item: Option<String>,
    /// Who changed it.
    pub actor: Actor,
    /// When.
    pub at: DateTime<Utc>,
    /// Its value before (text, JSON for composite settings and entries); null: unset or not
    /// there.
    #[schema(required = true)]
    pub before: Option<String>,
    /// Its value after; null: unset or deleted.
    #[schema(required = true)]
    pub after: Option<String>,
}

/// `{"items": [...]}` of [`AuditEntry`], newest first.
#[derive(ToSchema)]
pub struct AuditList {
    /// The changes.
    pub items: Vec<AuditEntry>,
}
