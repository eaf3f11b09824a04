//! Rows and domain values: how each record is laid out in its table, and parsed back.
//!
//! Writing turns domain values into SQL values (ids as 16-byte BLOBs, instants as
//! microseconds, enums as their stable text). Reading parses every column again with the
//! domain's validated constructors; a value that does not parse is
//! [`Error::corrupt`], naming its table and column.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use helpdesk_core::domain::{
    Actor, Address, Agent, AgentId, Article, ArticleId, ArticleTitle, Attachment, CannedResponse,
    CannedResponseId, Category, Change, ContractNumber, CustomFields, Customer, CustomerId,
    Department, DepartmentId, Email, EventId, FieldKey, Language, Message, MessageBody, MessageId,
    Minutes, Name, PermissionSet, Phone, Priority, PriorityRequest, Satisfaction, SavedSearchId,
    ServiceName, ShortNote, Signature, SlaOutcome, SlaTarget, StableText, Subject, TemplateId,
    Ticket, TicketEvent, TicketId, TicketMetrics, TicketNumber, TicketTemplate, TicketType,
    TimeEntry, TimeEntryId, Timers, Version,
};
use helpdesk_core::error::{BoxError, Error, OutOfRange};
use helpdesk_core::search::{SavedSearch, address_key};
use rusqlite::Row;
use rusqlite::types::{FromSql, ToSql};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::{Failure, Outcome};

// Writing ---------------------------------------------------------------------------------

/// A UUID as stored: its 16 bytes, big-endian, so that BLOB order is `Uuid` order.
pub(crate) fn blob(id: Uuid) -> [u8; 16] {
    id.into_bytes()
}

/// An instant as stored: whole microseconds since the epoch (the core keeps no finer ones).
pub(crate) fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// A stored enum's text as an SQL string literal, for SQL that must name the value itself
/// (a partial index applies only to a query with its condition's literal). Stable texts are
/// lower-case ASCII words, so quoting needs no escapes.
pub(crate) fn literal<T: StableText>(value: T) -> String {
    format!("'{}'", value.text())
}

/// A value as JSON text.
pub(crate) fn json<T: Serialize>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// A ticket's version as stored.
pub(crate) fn version(v: Version) -> rusqlite::Result<i64> {
    i64::try_from(v.get()).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// An actor as stored: its kind and, for people, its id.
pub(crate) fn actor(actor: Actor) -> (&'static str, Option<[u8; 16]>) {
    (actor.kind().as_str(), actor.id().map(blob))
}

/// Binds `$row`'s fields as named parameters `:field`.
macro_rules! bind {
    ($row:expr; $($field:ident),* $(,)?) => {
        [$((concat!(":", stringify!($field)), &$row.$field as &dyn ToSql)),*]
    };
}

/// A department's columns.
pub(crate) struct DepartmentRow {
    id: [u8; 16],
    name: String,
    follow_up: &'static str,
    active: bool,
    created_at: i64,
}

impl DepartmentRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO departments (id, name, follow_up, active, created_at)
        VALUES (:id, :name, :follow_up, :active, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name,
            follow_up = excluded.follow_up,
            active = excluded.active,
            created_at = excluded.created_at";

    pub(crate) fn new(d: &Department) -> Self {
        Self {
            id: blob(d.id.as_uuid()),
            name: d.name.as_str().to_owned(),
            follow_up: d.follow_up.as_str(),
            active: d.active,
            created_at: micros(d.created_at),
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 5] {
        bind!(self; id, name, follow_up, active, created_at)
    }
}

/// An agent's columns, and its departments' rows.
pub(crate) struct AgentRow {
    pub(crate) id: [u8; 16],
    name: String,
    email: String,
    role: &'static str,
    signature: String,
    active: bool,
    created_at: i64,
    /// Each department with its permissions as a JSON array.
    pub(crate) departments: Vec<([u8; 16], String)>,
}

impl AgentRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO agents (id, name, email, role, signature, active, created_at)
        VALUES (:id, :name, :email, :role, :signature, :active, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name,
            email = excluded.email,
            role = excluded.role,
            signature = excluded.signature,
            active = excluded.active,
            created_at = excluded.created_at";

    pub(crate) fn new(a: &Agent) -> rusqlite::Result<Self> {
        Ok(Self {
            id: blob(a.id.as_uuid()),
            name: a.name.as_str().to_owned(),
            email: a.email.as_str().to_owned(),
            role: a.role.as_str(),
            signature: a.signature.as_str().to_owned(),
            active: a.active,
            created_at: micros(a.created_at),
            departments: a
                .departments
                .iter()
                .map(|(d, perms)| Ok((blob(d.as_uuid()), json(perms)?)))
                .collect::<rusqlite::Result<_>>()?,
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 7] {
        bind!(self; id, name, email, role, signature, active, created_at)
    }
}

/// A customer's columns.
pub(crate) struct CustomerRow {
    pub(crate) id: [u8; 16],
    kind: &'static str,
    name: String,
    pub(crate) email: Option<String>,
    phone: Option<String>,
    phone_digits: Option<String>,
    pub(crate) contract_number: Option<String>,
    address: Option<String>,
    address_key: Option<String>,
    custom_fields: String,
    language: Option<&'static str>,
    access_enabled: bool,
    created_at: i64,
}

impl CustomerRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO customers (id, kind, name, email, phone, phone_digits, contract_number,
                               address, address_key, custom_fields, language, access_enabled,
                               created_at)
        VALUES (:id, :kind, :name, :email, :phone, :phone_digits, :contract_number,
                :address, :address_key, :custom_fields, :language, :access_enabled,
                :created_at)
        ON CONFLICT (id) DO UPDATE SET
            kind = excluded.kind,
            name = excluded.name,
            email = excluded.email,
            phone = excluded.phone,
            phone_digits = excluded.phone_digits,
            contract_number = excluded.contract_number,
            address = excluded.address,
            address_key = excluded.address_key,
            custom_fields = excluded.custom_fields,
            language = excluded.language,
            access_enabled = excluded.access_enabled,
            created_at = excluded.created_at";

    pub(crate) fn new(c: &Customer) -> rusqlite::Result<Self> {
        Ok(Self {
            id: blob(c.id.as_uuid()),
            kind: c.kind.as_str(),
            name: c.name.as_str().to_owned(),
            email: c.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: c.phone.as_ref().map(|p| p.as_str().to_owned()),
            phone_digits: c.phone.as_ref().map(|p| p.digits().to_owned()),
            contract_number: c.contract_number.as_ref().map(|n| n.as_str().to_owned()),
            address: c.address.as_ref().map(|a| a.as_str().to_owned()),
            address_key: c.address.as_ref().map(|a| address_key(a.as_str())),
            custom_fields: json(&c.custom_fields)?,
            language: c.language.map(Language::as_str),
            access_enabled: c.access_enabled,
            created_at: micros(c.created_at),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 13] {
        bind!(self; id, kind, name, email, phone, phone_digits, contract_number, address,
              address_key, custom_fields, language, access_enabled, created_at)
    }
}

/// An article's columns.
pub(crate) struct ArticleRow {
    pub(crate) id: [u8; 16],
    title: String,
    body: String,
    category: String,
    language: &'static str,
    status: &'static str,
    visibility: &'static str,
    helpful: u32,
    not_helpful: u32,
    created_at: i64,
    updated_at: i64,
}

impl ArticleRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO articles (id, title, body, category, language, status, visibility, helpful,
                              not_helpful, created_at, updated_at)
        VALUES (:id, :title, :body, :category, :language, :status, :visibility, :helpful,
                :not_helpful, :created_at, :updated_at)
        ON CONFLICT (id) DO UPDATE SET
            title = excluded.title,
            body = excluded.body,
            category = excluded.category,
            language = excluded.language,
            status = excluded.status,
            visibility = excluded.visibility,
            helpful = excluded.helpful,
            not_helpful = excluded.not_helpful,
            created_at = excluded.created_at,
            updated_at = excluded.updated_at";

    pub(crate) fn new(a: &Article) -> Self {
        Self {
            id: blob(a.id.as_uuid()),
            title: a.title.as_str().to_owned(),
            body: a.body.as_str().to_owned(),
            category: a.category.as_str().to_owned(),
            language: a.language.as_str(),
            status: a.status.as_str(),
            visibility: a.visibility.as_str(),
            helpful: a.helpful,
            not_helpful: a.not_helpful,
            created_at: micros(a.created_at),
            updated_at: micros(a.updated_at),
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 11] {
        bind!(self; id, title, body, category, language, status, visibility, helpful,
              not_helpful, created_at, updated_at)
    }
}

/// A saved search's columns.
pub(crate) struct SavedSearchRow {
    id: [u8; 16],
    agent_id: [u8; 16],
    name: String,
    query: Option<String>,
    filter: String,
    ticket_order: &'static str,
    created_at: i64,
}

impl SavedSearchRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO saved_searches (id, agent_id, name, query, filter, ticket_order, created_at)
        VALUES (:id, :agent_id, :name, :query, :filter, :ticket_order, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            agent_id = excluded.agent_id,
            name = excluded.name,
            query = excluded.query,
            filter = excluded.filter,
            ticket_order = excluded.ticket_order,
            created_at = excluded.created_at";

    pub(crate) fn new(s: &SavedSearch) -> rusqlite::Result<Self> {
        Ok(Self {
            id: blob(s.id.as_uuid()),
            agent_id: blob(s.agent.as_uuid()),
            name: s.name.as_str().to_owned(),
            query: s.query.clone(),
            filter: json(&s.filter)?,
            ticket_order: s.order.as_str(),
            created_at: micros(s.created_at),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 7] {
        bind!(self; id, agent_id, name, query, filter, ticket_order, created_at)
    }
}

/// A ticket template's columns.
pub(crate) struct TemplateRow {
    id: [u8; 16],
    name: String,
    ticket_type: String,
    subject_prefix: Option<String>,
    department: [u8; 16],
    priority: Option<i16>,
    categories: String,
    required_fields: String,
    body: String,
    created_at: i64,
}

impl TemplateRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO templates (id, name, ticket_type, subject_prefix, department, priority,
                               categories, required_fields, body, created_at)
        VALUES (:id, :name, :ticket_type, :subject_prefix, :department, :priority,
                :categories, :required_fields, :body, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name,
            ticket_type = excluded.ticket_type,
            subject_prefix = excluded.subject_prefix,
            department = excluded.department,
            priority = excluded.priority,
            categories = excluded.categories,
            required_fields = excluded.required_fields,
            body = excluded.body,
            created_at = excluded.created_at";

    pub(crate) fn new(t: &TicketTemplate) -> rusqlite::Result<Self> {
        Ok(Self {
            id: blob(t.id.as_uuid()),
            name: t.name.as_str().to_owned(),
            ticket_type: t.ticket_type.as_str().to_owned(),
            subject_prefix: t.subject_prefix.as_ref().map(|p| p.as_str().to_owned()),
            department: blob(t.department.as_uuid()),
            priority: t.priority.map(Priority::rank),
            categories: json(&t.categories)?,
            required_fields: json(&t.required_fields)?,
            body: t.body.as_str().to_owned(),
            created_at: micros(t.created_at),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 10] {
        bind!(self; id, name, ticket_type, subject_prefix, department, priority, categories,
              required_fields, body, created_at)
    }
}

/// A canned response's columns.
pub(crate) struct CannedResponseRow {
    id: [u8; 16],
    department: Option<[u8; 16]>,
    name: String,
    language: &'static str,
    body: String,
    created_at: i64,
}

impl CannedResponseRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO canned_responses (id, department, name, language, body, created_at)
        VALUES (:id, :department, :name, :language, :body, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            department = excluded.department,
            name = excluded.name,
            language = excluded.language,
            body = excluded.body,
            created_at = excluded.created_at";

    pub(crate) fn new(c: &CannedResponse) -> Self {
        Self {
            id: blob(c.id.as_uuid()),
            department: c.department.map(|d| blob(d.as_uuid())),
            name: c.name.as_str().to_owned(),
            language: c.language.as_str(),
            body: c.body.as_str().to_owned(),
            created_at: micros(c.created_at),
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 6] {
        bind!(self; id, department, name, language, body, created_at)
    }
}

/// A ticket's columns (its categories live in `ticket_categories`).
pub(crate) struct TicketRow {
    pub(crate) id: [u8; 16],
    number_full: String,
    number_short: String,
    subject: String,
    customer: Option<[u8; 16]>,
    department: [u8; 16],
    assignee: Option<[u8; 16]>,
    status: &'static str,
    priority: i16,
    ticket_type: String,
    service: Option<String>,
    custom_fields: String,
    channel: &'static str,
    internal: bool,
    master: Option<[u8; 16]>,
    merged_into: Option<[u8; 16]>,
    follow_up_of: Option<[u8; 16]>,
    opened_by_kind: &'static str,
    opened_by_id: Option<[u8; 16]>,
    created_at: i64,
    updated_at: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    waiting_since: Option<i64>,
    timers: String,
    next_due_at: Option<i64>,
    satisfaction: Option<String>,
    priority_request: Option<String>,
    version: i64,
    first_response_secs: Option<i64>,
    resolution_secs: Option<i64>,
    reopens: u32,
    /// The outcome of each service-level clock, derived from `timers` for reports.
    sla_first_response: Option<&'static str>,
    sla_next_response: Option<&'static str>,
    sla_resolution: Option<&'static str>,
    /// The rating's score and instant, derived from `satisfaction` for reports.
    satisfaction_score: Option<u8>,
    satisfaction_at: Option<i64>,
    /// The categories, one row each.
    pub(crate) categories: Vec<String>,
}

impl TicketRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO tickets (
            id, number_full, number_short, subject, customer, department, assignee, status,
            priority, ticket_type, service, custom_fields, channel, internal, master,
            merged_into, follow_up_of, opened_by_kind, opened_by_id, created_at, updated_at,
            first_response_at, resolved_at, closed_at, waiting_since, timers, next_due_at,
            satisfaction, priority_request, version, first_response_secs, resolution_secs,
            reopens, sla_first_response, sla_next_response, sla_resolution, satisfaction_score,
            satisfaction_at
        ) VALUES (
            :id, :number_full, :number_short, :subject, :customer, :department, :assignee,
            :status, :priority, :ticket_type, :service, :custom_fields, :channel, :internal,
            :master, :merged_into, :follow_up_of, :opened_by_kind, :opened_by_id, :created_at,
            :updated_at, :first_response_at, :resolved_at, :closed_at, :waiting_since, :timers,
            :next_due_at, :satisfaction, :priority_request, :version, :first_response_secs,
            :resolution_secs, :reopens, :sla_first_response, :sla_next_response,
            :sla_resolution, :satisfaction_score, :satisfaction_at
        )";

    pub(crate) const UPDATE: &'static str = "
        UPDATE tickets SET
            number_full = :number_full,
            number_short = :number_short,
            subject = :subject,
            customer = :customer,
            department = :department,
            assignee = :assignee,
            status = :status,
            priority = :priority,
            ticket_type = :ticket_type,
            service = :service,
            custom_fields = :custom_fields,
            channel = :channel,
            internal = :internal,
            master = :master,
            merged_into = :merged_into,
            follow_up_of = :follow_up_of,
            opened_by_kind = :opened_by_kind,
            opened_by_id = :opened_by_id,
            created_at = :created_at,
            updated_at = :updated_at,
            first_response_at = :first_response_at,
            resolved_at = :resolved_at,
            closed_at = :closed_at,
            waiting_since = :waiting_since,
            timers = :timers,
            next_due_at = :next_due_at,
            satisfaction = :satisfaction,
            priority_request = :priority_request,
            version = :version,
            first_response_secs = :first_response_secs,
            resolution_secs = :resolution_secs,
            reopens = :reopens,
            sla_first_response = :sla_first_response,
            sla_next_response = :sla_next_response,
            sla_resolution = :sla_resolution,
            satisfaction_score = :satisfaction_score,
            satisfaction_at = :satisfaction_at
        WHERE id = :id";

    pub(crate) fn new(t: &Ticket) -> rusqlite::Result<Self> {
        let id = |i: Option<TicketId>| i.map(|i| blob(i.as_uuid()));
        let (opened_by_kind, opened_by_id) = actor(t.opened_by);
        let sla = |target| {
            t.timers
                .clock(target)
                .and_then(|c| c.outcome)
                .map(SlaOutcome::as_str)
        };
        Ok(Self {
            id: blob(t.id.as_uuid()),
            number_full: t.number.full().to_owned(),
            number_short: t.number.short().to_owned(),
            subject: t.subject.as_str().to_owned(),
            customer: t.customer.map(|c| blob(c.as_uuid())),
            department: blob(t.department.as_uuid()),
            assignee: t.assignee.map(|a| blob(a.as_uuid())),
            status: t.status.as_str(),
            priority: t.priority.rank(),
            ticket_type: t.ticket_type.as_str().to_owned(),
            service: t.service.as_ref().map(|s| s.as_str().to_owned()),
            custom_fields: json(&t.custom_fields)?,
            channel: t.channel.as_str(),
            internal: t.internal,
            master: id(t.master),
            merged_into: id(t.merged_into),
            follow_up_of: id(t.follow_up_of),
            opened_by_kind,
            opened_by_id,
            created_at: micros(t.created_at),
            updated_at: micros(t.updated_at),
            first_response_at: t.first_response_at.map(micros),
            resolved_at: t.resolved_at.map(micros),
            closed_at: t.closed_at.map(micros),
            waiting_since: t.waiting_since.map(micros),
            timers: json(&t.timers)?,
            next_due_at: t.next_due_at.map(micros),
            satisfaction: t.satisfaction.as_ref().map(json).transpose()?,
            priority_request: t.priority_request.as_ref().map(json).transpose()?,
            version: version(t.version)?,
            first_response_secs: t.metrics.first_response_secs,
            resolution_secs: t.metrics.resolution_secs,
            reopens: t.metrics.reopens,
            sla_first_response: sla(SlaTarget::FirstResponse),
            sla_next_response: sla(SlaTarget::NextResponse),
            sla_resolution: sla(SlaTarget::Resolution),
            satisfaction_score: t.satisfaction.as_ref().map(|s| s.score.get()),
            satisfaction_at: t.satisfaction.as_ref().map(|s| micros(s.at)),
            categories: t.categories.iter().map(|c| c.as_str().to_owned()).collect(),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 38] {
        bind!(self; id, number_full, number_short, subject, customer, department, assignee,
              status, priority, ticket_type, service, custom_fields, channel, internal, master,
              merged_into, follow_up_of, opened_by_kind, opened_by_id, created_at, updated_at,
              first_response_at, resolved_at, closed_at, waiting_since, timers, next_due_at,
              satisfaction, priority_request, version, first_response_secs, resolution_secs,
              reopens, sla_first_response, sla_next_response, sla_resolution,
              satisfaction_score, satisfaction_at)
    }
}

/// A message's columns.
pub(crate) struct MessageRow {
    id: [u8; 16],
    ticket_id: [u8; 16],
    author_kind: &'static str,
    author_id: Option<[u8; 16]>,
    visibility: &'static str,
    channel: &'static str,
    body: String,
    attachments: String,
    created_at: i64,
}

impl MessageRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO messages (id, ticket_id, author_kind, author_id, visibility, channel, body,
                              attachments, created_at)
        VALUES (:id, :ticket_id, :author_kind, :author_id, :visibility, :channel, :body,
                :attachments, :created_at)";

    pub(crate) fn new(m: &Message) -> rusqlite::Result<Self> {
        let (author_kind, author_id) = actor(m.author);
        Ok(Self {
            id: blob(m.id.as_uuid()),
            ticket_id: blob(m.ticket_id.as_uuid()),
            author_kind,
            author_id,
            visibility: m.visibility.as_str(),
            channel: m.channel.as_str(),
            body: m.body.as_str().to_owned(),
            attachments: json(&m.attachments)?,
            created_at: micros(m.created_at),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 9] {
        bind!(self; id, ticket_id, author_kind, author_id, visibility, channel, body,
              attachments, created_at)
    }
}

/// An event's columns.
pub(crate) struct EventRow {
    id: [u8; 16],
    ticket_id: [u8; 16],
    actor_kind: &'static str,
    actor_id: Option<[u8; 16]>,
    at: i64,
    kind: &'static str,
    change: String,
}

impl EventRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO ticket_events (id, ticket_id, actor_kind, actor_id, at, kind, change)
        VALUES (:id, :ticket_id, :actor_kind, :actor_id, :at, :kind, :change)";

    pub(crate) fn new(e: &TicketEvent) -> rusqlite::Result<Self> {
        let (actor_kind, actor_id) = actor(e.actor);
        Ok(Self {
            id: blob(e.id.as_uuid()),
            ticket_id: blob(e.ticket_id.as_uuid()),
            actor_kind,
            actor_id,
            at: micros(e.at),
            kind: e.change.kind(),
            change: json(&e.change)?,
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 7] {
        bind!(self; id, ticket_id, actor_kind, actor_id, at, kind, change)
    }
}

/// A time entry's columns.
pub(crate) struct TimeEntryRow {
    id: [u8; 16],
    ticket_id: [u8; 16],
    agent: [u8; 16],
    minutes: u32,
    billable: bool,
    note: String,
    created_at: i64,
}

impl TimeEntryRow {
    pub(crate) const INSERT: &'static str = "
        INSERT INTO time_entries (id, ticket_id, agent, minutes, billable, note, created_at)
        VALUES (:id, :ticket_id, :agent, :minutes, :billable, :note, :created_at)";

    pub(crate) fn new(e: &TimeEntry) -> Self {
        Self {
            id: blob(e.id.as_uuid()),
            ticket_id: blob(e.ticket_id.as_uuid()),
            agent: blob(e.agent.as_uuid()),
            minutes: e.minutes.get(),
            billable: e.billable,
            note: e.note.as_str().to_owned(),
            created_at: micros(e.created_at),
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 7] {
        bind!(self; id, ticket_id, agent, minutes, billable, note, created_at)
    }
}

// Reading ---------------------------------------------------------------------------------

/// The columns `read_department` reads.
pub(crate) const DEPARTMENT_COLUMNS: &str = "id, name, follow_up, active, created_at";

/// The columns `read_agent` reads, for `agents a`: the departments as one JSON object of
/// hex department id to permission array.
pub(crate) const AGENT_COLUMNS: &str = "
    a.id, a.name, a.email, a.role, a.signature, a.active, a.created_at,
    (SELECT json_group_object(lower(hex(d.department_id)), json(d.permissions))
     FROM agent_departments d WHERE d.agent_id = a.id) AS departments";

/// The columns `read_customer` reads.
pub(crate) const CUSTOMER_COLUMNS: &str = "
    id, kind, name, email, phone, contract_number, address, custom_fields, language,
    access_enabled, created_at";

/// The columns `read_article` reads. Unqualified, for `UPDATE ... RETURNING`: queries that
/// join `articles` join tables with none of these names.
pub(crate) const ARTICLE_COLUMNS: &str = "
    id, title, body, category, language, status, visibility, helpful, not_helpful, created_at,
    updated_at";

/// The columns `read_saved_search` reads.
pub(crate) const SAVED_SEARCH_COLUMNS: &str =
    "id, agent_id, name, query, filter, ticket_order, created_at";

/// The columns `read_template` reads.
pub(crate) const TEMPLATE_COLUMNS: &str = "
    id, name, ticket_type, subject_prefix, department, priority, categories, required_fields,
    body, created_at";

/// The columns `read_canned_response` reads.
pub(crate) const CANNED_RESPONSE_COLUMNS: &str = "id, department, name, language, body, created_at";

/// The columns `read_ticket` reads, for `tickets t`: the categories as one JSON array.
pub(crate) const TICKET_COLUMNS: &str = "
    t.id, t.number_full, t.number_short, t.subject, t.customer, t.department, t.assignee,
    t.status, t.priority, t.ticket_type, t.service, t.custom_fields, t.channel, t.internal,
    t.master, t.merged_into, t.follow_up_of, t.opened_by_kind, t.opened_by_id, t.created_at,
    t.updated_at, t.first_response_at, t.resolved_at, t.closed_at, t.waiting_since, t.timers,
    t.next_due_at, t.satisfaction, t.priority_request, t.version, t.first_response_secs,
    t.resolution_secs, t.reopens,
    (SELECT json_group_array(c.category)
     FROM ticket_categories c WHERE c.ticket_id = t.id) AS categories";

/// The columns `read_message` reads.
pub(crate) const MESSAGE_COLUMNS: &str = "
    id, ticket_id, author_kind, author_id, visibility, channel, body, attachments, created_at";

/// The columns `read_event` reads.
pub(crate) const EVENT_COLUMNS: &str = "id, ticket_id, actor_kind, actor_id, at, change";

/// The columns `read_time_entry` reads.
pub(crate) const TIME_ENTRY_COLUMNS: &str =
    "id, ticket_id, agent, minutes, billable, note, created_at";

/// Reads one row of `table`, naming the column in every error.
pub(crate) struct Columns<'a, 'stmt> {
    pub(crate) row: &'a Row<'stmt>,
    pub(crate) table: &'static str,
}

impl Columns<'_, '_> {
    /// The failure for a value of `column` that does not parse.
    pub(crate) fn corrupt(&self, column: &'static str, source: impl Into<BoxError>) -> Failure {
        Error::corrupt(self.table, column, source).into()
    }

    /// A column as SQLite converts it: a value of another type, or out of `T`'s range, is
    /// corrupt.
    pub(crate) fn get<T: FromSql>(&self, column: &'static str) -> Outcome<T> {
        self.row.get(column).map_err(|e| match e {
            rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..)
            | rusqlite::Error::FromSqlConversionFailure(..) => self.corrupt(column, e),
            other => other.into(),
        })
    }

    /// A column parsed by `parse`.
    pub(crate) fn parse<T, E: Into<BoxError>>(
        &self,
        column: &'static str,
        parse: impl FnOnce(String) -> Result<T, E>,
    ) -> Outcome<T> {
        let text: String = self.get(column)?;
        parse(text).map_err(|e| self.corrupt(column, e))
    }

    /// A nullable column parsed by `parse`.
    pub(crate) fn parse_opt<T, E: Into<BoxError>>(
        &self,
        column: &'static str,
        parse: impl FnOnce(String) -> Result<T, E>,
    ) -> Outcome<Option<T>> {
        let text: Option<String> = self.get(column)?;
        text.map(|t| parse(t).map_err(|e| self.corrupt(column, e)))
            .transpose()
    }

    pub(crate) fn json<T: DeserializeOwned>(&self, column: &'static str) -> Outcome<T> {
        self.parse(column, |text| serde_json::from_str(&text))
    }

    /// A nullable JSON column: NULL is `None`.
    pub(crate) fn json_opt<T: DeserializeOwned>(&self, column: &'static str) -> Outcome<Option<T>> {
        self.parse_opt(column, |text| serde_json::from_str(&text))
    }

    pub(crate) fn uuid_opt(&self, column: &'static str) -> Outcome<Option<Uuid>> {
        let bytes: Option<Vec<u8>> = self.get(column)?;
        bytes
            .map(|b| Uuid::from_slice(&b).map_err(|e| self.corrupt(column, e)))
            .transpose()
    }

    pub(crate) fn uuid(&self, column: &'static str) -> Outcome<Uuid> {
        self.uuid_opt(column)?.ok_or_else(|| {
            self.corrupt(
                column,
                OutOfRange {
                    what: "id",
                    value: "NULL".into(),
                },
            )
        })
    }

    pub(crate) fn instant_opt(&self, column: &'static str) -> Outcome<Option<DateTime<Utc>>> {
        let micros: Option<i64> = self.get(column)?;
        micros
            .map(|m| {
                DateTime::from_timestamp_micros(m).ok_or_else(|| {
                    self.corrupt(
                        column,
                        OutOfRange {
                            what: "instant in microseconds",
                            value: m.to_string(),
                        },
                    )
                })
            })
            .transpose()
    }

    pub(crate) fn instant(&self, column: &'static str) -> Outcome<DateTime<Utc>> {
        let micros: i64 = self.get(column)?;
        DateTime::from_timestamp_micros(micros).ok_or_else(|| {
            self.corrupt(
                column,
                OutOfRange {
                    what: "instant in microseconds",
                    value: micros.to_string(),
                },
            )
        })
    }

    pub(crate) fn bool(&self, column: &'static str) -> Outcome<bool> {
        match self.get::<i64>(column)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.corrupt(
                column,
                OutOfRange {
                    what: "boolean",
                    value: other.to_string(),
                },
            )),
        }
    }

    /// A column holding a [`StableText`] value, parsed exactly.
    pub(crate) fn text<T: StableText>(&self, column: &'static str) -> Outcome<T> {
        self.parse(column, |s| T::from_text(&s))
    }

    /// A nullable column holding a [`StableText`] value: NULL is `None`.
    pub(crate) fn text_opt<T: StableText>(&self, column: &'static str) -> Outcome<Option<T>> {
        self.parse_opt(column, |s| T::from_text(&s))
    }

    /// An actor from its kind and id columns.
    pub(crate) fn actor(&self, kind: &'static str, id: &'static str) -> Outcome<Actor> {
        let actor = Actor::from_parts(self.text(kind)?, self.uuid_opt(id)?);
        actor.map_err(|e| self.corrupt(kind, e))
    }
}

/// A department from a row of [`DEPARTMENT_COLUMNS`].
pub(crate) fn read_department(row: &Row<'_>) -> Outcome<Department> {
    let r = Columns {
        row,
        table: "departments",
    };
    Ok(Department {
        id: DepartmentId::from_uuid(r.uuid("id")?),
        name: r.parse("name", Name::parse)?,
        follow_up: r.text("follow_up")?,
        active: r.bool("active")?,
        created_at: r.instant("created_at")?,
    })
}

/// An agent from a row of [`AGENT_COLUMNS`].
pub(crate) fn read_agent(row: &Row<'_>) -> Outcome<Agent> {
    let r = Columns {
        row,
        table: "agents",
    };
    Ok(Agent {
        id: AgentId::from_uuid(r.uuid("id")?),
        name: r.parse("name", Name::parse)?,
        email: r.parse("email", Email::try_from)?,
        role: r.text("role")?,
        signature: r.parse("signature", Signature::parse)?,
        active: r.bool("active")?,
        departments: r.json::<BTreeMap<DepartmentId, PermissionSet>>("departments")?,
        created_at: r.instant("created_at")?,
    })
}

/// A customer from a row of [`CUSTOMER_COLUMNS`].
pub(crate) fn read_customer(row: &Row<'_>) -> Outcome<Customer> {
    let r = Columns {
        row,
        table: "customers",
    };
    Ok(Customer {
        id: CustomerId::from_uuid(r.uuid("id")?),
        kind: r.text("kind")?,
        name: r.parse("name", Name::parse)?,
        email: r.parse_opt("email", Email::try_from)?,
        phone: r.parse_opt("phone", Phone::try_from)?,
        contract_number: r.parse_opt("contract_number", ContractNumber::parse)?,
        address: r.parse_opt("address", Address::parse)?,
        custom_fields: r.json::<CustomFields>("custom_fields")?,
        language: r.text_opt("language")?,
        access_enabled: r.bool("access_enabled")?,
        created_at: r.instant("created_at")?,
    })
}

/// A vote count.
fn count(r: &Columns<'_, '_>, column: &'static str) -> Outcome<u32> {
    let n: i64 = r.get(column)?;
    u32::try_from(n).map_err(|e| r.corrupt(column, e))
}

/// An article from a row of [`ARTICLE_COLUMNS`].
pub(crate) fn read_article(row: &Row<'_>) -> Outcome<Article> {
    let r = Columns {
        row,
        table: "articles",
    };
    Ok(Article {
        id: ArticleId::from_uuid(r.uuid("id")?),
        title: r.parse("title", ArticleTitle::parse)?,
        body: r.parse("body", MessageBody::parse)?,
        category: r.parse("category", Category::parse)?,
        language: r.text("language")?,
        status: r.text("status")?,
        visibility: r.text("visibility")?,
        helpful: count(&r, "helpful")?,
        not_helpful: count(&r, "not_helpful")?,
        created_at: r.instant("created_at")?,
        updated_at: r.instant("updated_at")?,
    })
}

/// A saved search from a row of [`SAVED_SEARCH_COLUMNS`].
pub(crate) fn read_saved_search(row: &Row<'_>) -> Outcome<SavedSearch> {
    let r = Columns {
        row,
        table: "saved_searches",
    };
    Ok(SavedSearch {
        id: SavedSearchId::from_uuid(r.uuid("id")?),
        agent: AgentId::from_uuid(r.uuid("agent_id")?),
        name: r.parse("name", Name::parse)?,
        query: r.get("query")?,
        filter: r.json("filter")?,
        order: r.text("ticket_order")?,
        created_at: r.instant("created_at")?,
    })
}

/// A ticket template from a row of [`TEMPLATE_COLUMNS`].
pub(crate) fn read_template(row: &Row<'_>) -> Outcome<TicketTemplate> {
    let r = Columns {
        row,
        table: "templates",
    };
    let priority: Option<i64> = r.get("priority")?;
    Ok(TicketTemplate {
        id: TemplateId::from_uuid(r.uuid("id")?),
        name: r.parse("name", Name::parse)?,
        ticket_type: r.parse("ticket_type", |s| s.parse::<TicketType>())?,
        subject_prefix: r.parse_opt("subject_prefix", Name::parse)?,
        department: DepartmentId::from_uuid(r.uuid("department")?),
        priority: priority
            .map(Priority::from_rank)
            .transpose()
            .map_err(|e| r.corrupt("priority", e))?,
        categories: r.json::<BTreeSet<Category>>("categories")?,
        required_fields: r.json::<Vec<FieldKey>>("required_fields")?,
        body: r.parse("body", MessageBody::parse)?,
        created_at: r.instant("created_at")?,
    })
}

/// A canned response from a row of [`CANNED_RESPONSE_COLUMNS`].
pub(crate) fn read_canned_response(row: &Row<'_>) -> Outcome<CannedResponse> {
    let r = Columns {
        row,
        table: "canned_responses",
    };
    Ok(CannedResponse {
        id: CannedResponseId::from_uuid(r.uuid("id")?),
        department: r.uuid_opt("department")?.map(DepartmentId::from_uuid),
        name: r.parse("name", Name::parse)?,
        language: r.text("language")?,
        body: r.parse("body", MessageBody::parse)?,
        created_at: r.instant("created_at")?,
    })
}

/// A ticket and its relevance score from a row of [`TICKET_COLUMNS`] followed by the
/// `relevance` column of a ticket list query.
pub(crate) fn read_ranked_ticket(row: &Row<'_>) -> Outcome<(Ticket, u32)> {
    let ticket = read_ticket(row)?;
    Ok((ticket, row.get("relevance")?))
}

/// A ticket from a row of [`TICKET_COLUMNS`].
pub(crate) fn read_ticket(row: &Row<'_>) -> Outcome<Ticket> {
    let r = Columns {
        row,
        table: "tickets",
    };
    let ticket_id = |column| -> Outcome<_> { Ok(r.uuid_opt(column)?.map(TicketId::from_uuid)) };
    let number_full: String = r.get("number_full")?;
    let number_short: String = r.get("number_short")?;
    let priority: i64 = r.get("priority")?;
    let version: i64 = r.get("version")?;
    Ok(Ticket {
        id: TicketId::from_uuid(r.uuid("id")?),
        number: TicketNumber::new(number_full, number_short)
            .map_err(|e| r.corrupt("number_full", e))?,
        subject: r.parse("subject", Subject::parse)?,
        customer: r.uuid_opt("customer")?.map(CustomerId::from_uuid),
        department: DepartmentId::from_uuid(r.uuid("department")?),
        assignee: r.uuid_opt("assignee")?.map(AgentId::from_uuid),
        status: r.text("status")?,
        priority: Priority::from_rank(priority).map_err(|e| r.corrupt("priority", e))?,
        ticket_type: r.parse("ticket_type", |s| s.parse::<TicketType>())?,
        categories: r.json::<BTreeSet<Category>>("categories")?,
        service: r.parse_opt("service", ServiceName::parse)?,
        custom_fields: r.json::<CustomFields>("custom_fields")?,
        channel: r.text("channel")?,
        internal: r.bool("internal")?,
        master: ticket_id("master")?,
        merged_into: ticket_id("merged_into")?,
        follow_up_of: ticket_id("follow_up_of")?,
        opened_by: r.actor("opened_by_kind", "opened_by_id")?,
        created_at: r.instant("created_at")?,
        updated_at: r.instant("updated_at")?,
        first_response_at: r.instant_opt("first_response_at")?,
        resolved_at: r.instant_opt("resolved_at")?,
        closed_at: r.instant_opt("closed_at")?,
        waiting_since: r.instant_opt("waiting_since")?,
        timers: r.json::<Timers>("timers")?,
        next_due_at: r.instant_opt("next_due_at")?,
        satisfaction: r.json_opt::<Satisfaction>("satisfaction")?,
        priority_request: r.json_opt::<PriorityRequest>("priority_request")?,
        version: Version::new(u64::try_from(version).map_err(|e| r.corrupt("version", e))?),
        metrics: TicketMetrics {
            first_response_secs: r.get("first_response_secs")?,
            resolution_secs: r.get("resolution_secs")?,
            reopens: r.get("reopens")?,
        },
    })
}

/// A message from a row of [`MESSAGE_COLUMNS`].
pub(crate) fn read_message(row: &Row<'_>) -> Outcome<Message> {
    let r = Columns {
        row,
        table: "messages",
    };
    Ok(Message {
        id: MessageId::from_uuid(r.uuid("id")?),
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        author: r.actor("author_kind", "author_id")?,
        visibility: r.text("visibility")?,
        channel: r.text("channel")?,
        body: r.parse("body", MessageBody::parse)?,
        attachments: r.json::<Vec<Attachment>>("attachments")?,
        created_at: r.instant("created_at")?,
    })
}

/// An event from a row of [`EVENT_COLUMNS`].
pub(crate) fn read_event(row: &Row<'_>) -> Outcome<TicketEvent> {
    let r = Columns {
        row,
        table: "ticket_events",
    };
    Ok(TicketEvent {
        id: EventId::from_uuid(r.uuid("id")?),
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        actor: r.actor("actor_kind", "actor_id")?,
        at: r.instant("at")?,
        change: r.json::<Change>("change")?,
    })
}

/// A time entry from a row of [`TIME_ENTRY_COLUMNS`].
pub(crate) fn read_time_entry(row: &Row<'_>) -> Outcome<TimeEntry> {
    let r = Columns {
        row,
        table: "time_entries",
    };
    let minutes: u32 = r.get("minutes")?;
    Ok(TimeEntry {
        id: TimeEntryId::from_uuid(r.uuid("id")?),
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        agent: AgentId::from_uuid(r.uuid("agent")?),
        minutes: Minutes::new(minutes).map_err(|e| r.corrupt("minutes", e))?,
        billable: r.bool("billable")?,
        note: r.parse("note", ShortNote::parse)?,
        created_at: r.instant("created_at")?,
    })
}
