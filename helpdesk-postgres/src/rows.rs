//! Rows and domain values, both ways.
//!
//! Reading goes through the domain's validated constructors (`Subject::parse`,
//! `TicketNumber::new`, `Priority::from_rank`, serde for jsonb), so a stored value that is
//! not valid becomes [`Error::Backend`] with a [`CorruptValue`](helpdesk_core::error::CorruptValue) source
//! instead of an invalid domain value. Writing turns every value into a bind parameter: the
//! stable text forms of enums, `Priority::rank`, jsonb as serde's JSON text (cast to jsonb in
//! SQL, and back to text when read).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use helpdesk_core::domain::StableText;
use helpdesk_core::domain::{
    Agent, AgentId, Article, ArticleId, ArticleTitle, CannedResponse, CannedResponseId, Category,
    ContractNumber, Customer, CustomerId, Department, DepartmentId, Email, EventId, Language,
    Message, MessageBody, MessageId, Minutes, Name, Phone, Priority, SavedSearchId, ServiceName,
    ShortNote, Signature, SlaOutcome, SlaTarget, Subject, TemplateId, Ticket, TicketEvent,
    TicketId, TicketMetrics, TicketNumber, TicketTemplate, TicketType, TimeEntry, TimeEntryId,
    Timers, Version,
};
use helpdesk_core::error::{BoxError, OutOfRange};
use helpdesk_core::search::SavedSearch;
use helpdesk_core::search::address_key;
use helpdesk_core::{Error, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{Postgres, Row};
use uuid::Uuid;

/// A query whose parameters are bound one by one.
pub(crate) type PgQuery<'q> = Query<'q, Postgres, PgArguments>;

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

/// Reads the columns of one row of `table`, turning failures into backend errors.
pub(crate) struct Reader<'r> {
    row: &'r PgRow,
    table: &'static str,
}

impl<'r> Reader<'r> {
    pub(crate) fn new(row: &'r PgRow, table: &'static str) -> Self {
        Self { row, table }
    }

    /// A column as its Rust type; a decode failure is sqlx's own error.
    pub(crate) fn get<T>(&self, column: &'static str) -> Result<T>
    where
        T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
    {
        self.row.try_get(column).map_err(Error::backend)
    }

    /// A text column, parsed.
    pub(crate) fn parse<T, E: Into<BoxError>>(
        &self,
        column: &'static str,
        parse: impl FnOnce(String) -> Result<T, E>,
    ) -> Result<T> {
        let raw: String = self.get(column)?;
        parse(raw).map_err(|e| self.corrupt(column, e))
    }

    /// A nullable text column, parsed when present.
    pub(crate) fn parse_opt<T, E: Into<BoxError>>(
        &self,
        column: &'static str,
        parse: impl FnOnce(String) -> Result<T, E>,
    ) -> Result<Option<T>> {
        let raw: Option<String> = self.get(column)?;
        raw.map(parse)
            .transpose()
            .map_err(|e| self.corrupt(column, e))
    }

    /// A bigint column holding a count or version, as `T` (a value outside `T` is corrupt).
    pub(crate) fn number<T: TryFrom<i64>>(&self, column: &'static str) -> Result<T> {
        let n: i64 = self.get(column)?;
        T::try_from(n).map_err(|_| {
            self.corrupt(
                column,
                OutOfRange {
                    what: column,
                    value: n.to_string(),
                },
            )
        })
    }

    /// A bigint column holding a version.
    pub(crate) fn version(&self, column: &'static str) -> Result<Version> {
        self.number(column).map(Version::new)
    }

    /// A text column holding a stored enum's stable text ([`StableText`]), exactly.
    pub(crate) fn text<T: StableText>(&self, column: &'static str) -> Result<T> {
        self.parse(column, |s| T::from_text(&s))
    }

    /// A nullable text column holding a stored enum's stable text.
    pub(crate) fn text_opt<T: StableText>(&self, column: &'static str) -> Result<Option<T>> {
        self.parse_opt(column, |s| T::from_text(&s))
    }

    /// A jsonb column (selected as text) holding a composite value.
    pub(crate) fn json<T: DeserializeOwned>(&self, column: &'static str) -> Result<T> {
        self.parse(column, |s| serde_json::from_str(&s))
    }

    /// A nullable jsonb column (selected as text) holding a composite value.
    pub(crate) fn json_opt<T: DeserializeOwned>(&self, column: &'static str) -> Result<Option<T>> {
        self.parse_opt(column, |s| serde_json::from_str(&s))
    }

    /// A corrupt value of `column` of this row's table.
    pub(crate) fn corrupt(&self, column: &'static str, e: impl Into<BoxError>) -> Error {
        Error::corrupt(self.table, column, e)
    }
}

/// The JSON text of a composite value, for a jsonb parameter.
pub(crate) fn json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(Error::backend)
}

/// Converts a non-negative domain count to a bigint parameter.
pub(crate) fn to_i64(value: u64) -> Result<i64> {
    i64::try_from(value).map_err(Error::backend)
}

/// The column list every ticket read selects (`t` is the tickets table).
macro_rules! ticket_columns {
    () => {
        "t.id, t.number_full, t.number_short, t.subject, \
     t.customer, t.department, t.assignee, t.status, t.priority, t.ticket_type, \
     ARRAY(SELECT c.category FROM ticket_categories c WHERE c.ticket_id = t.id) AS categories, \
     t.service, t.custom_fields::text AS custom_fields, t.channel, t.internal, t.master, \
     t.merged_into, t.follow_up_of, t.opened_by::text AS opened_by, t.created_at, \
     t.updated_at, t.first_response_at, t.resolved_at, t.closed_at, t.waiting_since, \
     t.timers::text AS timers, t.next_due_at, t.version, \
     t.satisfaction::text AS satisfaction, t.priority_request::text AS priority_request, \
     t.first_response_secs, t.resolution_secs, t.reopens"
    };
}
pub(crate) use ticket_columns;

/// A ticket from a row selected with [`ticket_columns!`].
pub(crate) fn ticket(row: &PgRow) -> Result<Ticket> {
    let r = Reader::new(row, "tickets");
    let full: String = r.get("number_full")?;
    let short: String = r.get("number_short")?;
    let number = TicketNumber::new(full, short).map_err(|e| r.corrupt("number_full", e))?;
    let rank: i16 = r.get("priority")?;
    let priority = Priority::from_rank(rank.into()).map_err(|e| r.corrupt("priority", e))?;
    let categories: Vec<String> = r.get("categories")?;
    let categories = categories
        .into_iter()
        .map(Category::parse)
        .collect::<Result<BTreeSet<_>, _>>()
        .map_err(|e| Error::corrupt("ticket_categories", "category", e))?;
    let version: i64 = r.get("version")?;
    let version = u64::try_from(version).map_err(|e| r.corrupt("version", e))?;
    let reopens: i64 = r.get("reopens")?;
    let reopens = u32::try_from(reopens).map_err(|e| r.corrupt("reopens", e))?;
    let ticket_id = |column| -> Result<Option<TicketId>> {
        Ok(r.get::<Option<Uuid>>(column)?.map(TicketId::from_uuid))
    };
    Ok(Ticket {
        id: TicketId::from_uuid(r.get("id")?),
        number,
        subject: r.parse("subject", Subject::parse)?,
        customer: r
            .get::<Option<Uuid>>("customer")?
            .map(CustomerId::from_uuid),
        department: DepartmentId::from_uuid(r.get("department")?),
        assignee: r.get::<Option<Uuid>>("assignee")?.map(AgentId::from_uuid),
        status: r.text("status")?,
        priority,
        ticket_type: r.parse("ticket_type", |s| s.parse::<TicketType>())?,
        categories,
        service: r.parse_opt("service", ServiceName::parse)?,
        custom_fields: r.json("custom_fields")?,
        channel: r.text("channel")?,
        internal: r.get("internal")?,
        master: ticket_id("master")?,
        merged_into: ticket_id("merged_into")?,
        follow_up_of: ticket_id("follow_up_of")?,
        opened_by: r.json("opened_by")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        first_response_at: r.get("first_response_at")?,
        resolved_at: r.get("resolved_at")?,
        closed_at: r.get("closed_at")?,
        waiting_since: r.get("waiting_since")?,
        timers: r.json("timers")?,
        next_due_at: r.get("next_due_at")?,
        satisfaction: r.json_opt("satisfaction")?,
        priority_request: r.json_opt("priority_request")?,
        metrics: TicketMetrics {
            first_response_secs: r.get("first_response_secs")?,
            resolution_secs: r.get("resolution_secs")?,
            reopens,
        },
        version: Version::new(version),
    })
}

/// The column list of department reads.
macro_rules! department_columns {
    () => {
        "id, name, follow_up, active, created_at"
    };
}
pub(crate) use department_columns;

/// A department from a row selected with [`department_columns!`].
pub(crate) fn department(row: &PgRow) -> Result<Department> {
    let r = Reader::new(row, "departments");
    Ok(Department {
        id: DepartmentId::from_uuid(r.get("id")?),
        name: r.parse("name", Name::parse)?,
        follow_up: r.text("follow_up")?,
        active: r.get("active")?,
        created_at: r.get("created_at")?,
    })
}

/// The column list of agent reads.
macro_rules! agent_columns {
    () => {
        "id, name, email, role, signature, active, departments::text AS departments, created_at"
    };
}
pub(crate) use agent_columns;

/// An agent from a row selected with [`agent_columns!`].
pub(crate) fn agent(row: &PgRow) -> Result<Agent> {
    let r = Reader::new(row, "agents");
    Ok(Agent {
        id: AgentId::from_uuid(r.get("id")?),
        name: r.parse("name", Name::parse)?,
        email: r.parse("email", |s| Email::parse(&s))?,
        role: r.text("role")?,
        signature: r.parse("signature", Signature::parse)?,
        active: r.get("active")?,
        departments: r.json("departments")?,
        created_at: r.get("created_at")?,
    })
}

/// The column list of customer reads.
macro_rules! customer_columns {
    () => {
        "id, kind, name, email, phone, contract_number, \
     address, custom_fields::text AS custom_fields, language, access_enabled, created_at"
    };
}
pub(crate) use customer_columns;

/// A customer from a row selected with [`customer_columns!`].
pub(crate) fn customer(row: &PgRow) -> Result<Customer> {
    let r = Reader::new(row, "customers");
    Ok(Customer {
        id: CustomerId::from_uuid(r.get("id")?),
        kind: r.text("kind")?,
        name: r.parse("name", Name::parse)?,
        email: r.parse_opt("email", |s| Email::parse(&s))?,
        phone: r.parse_opt("phone", |s| Phone::parse(&s))?,
        contract_number: r.parse_opt("contract_number", ContractNumber::parse)?,
        address: r.parse_opt("address", helpdesk_core::domain::Address::parse)?,
        custom_fields: r.json("custom_fields")?,
        language: r.text_opt("language")?,
        access_enabled: r.get("access_enabled")?,
        created_at: r.get("created_at")?,
    })
}

/// The column list of message reads.
macro_rules! message_columns {
    () => {
        "id, ticket_id, author::text AS author, visibility, \
     channel, body, attachments::text AS attachments, created_at"
    };
}
pub(crate) use message_columns;

/// A message from a row selected with [`message_columns!`].
pub(crate) fn message(row: &PgRow) -> Result<Message> {
    let r = Reader::new(row, "messages");
    Ok(Message {
        id: MessageId::from_uuid(r.get("id")?),
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        author: r.json("author")?,
        visibility: r.text("visibility")?,
        channel: r.text("channel")?,
        body: r.parse("body", MessageBody::parse)?,
        attachments: r.json("attachments")?,
        created_at: r.get("created_at")?,
    })
}

/// The column list of event reads.
macro_rules! event_columns {
    () => {
        "id, ticket_id, actor::text AS actor, at, change::text AS change"
    };
}
pub(crate) use event_columns;

/// An event from a row selected with [`event_columns!`].
pub(crate) fn event(row: &PgRow) -> Result<TicketEvent> {
    let r = Reader::new(row, "ticket_events");
    Ok(TicketEvent {
        id: EventId::from_uuid(r.get("id")?),
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        actor: r.json("actor")?,
        at: r.get("at")?,
        change: r.json("change")?,
    })
}

/// The column list of time entry reads.
macro_rules! time_entry_columns {
    () => {
        "id, ticket_id, agent, minutes, billable, note, created_at"
    };
}
pub(crate) use time_entry_columns;

/// A time entry from a row selected with [`time_entry_columns!`].
pub(crate) fn time_entry(row: &PgRow) -> Result<TimeEntry> {
    let r = Reader::new(row, "time_entries");
    let minutes: i32 = r.get("minutes")?;
    let minutes = u32::try_from(minutes)
        .map_err(BoxError::from)
        .and_then(|m| Minutes::new(m).map_err(BoxError::from))
        .map_err(|e| r.corrupt("minutes", e))?;
    Ok(TimeEntry {
        id: TimeEntryId::from_uuid(r.get("id")?),
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        agent: AgentId::from_uuid(r.get("agent")?),
        minutes,
        billable: r.get("billable")?,
        note: r.parse("note", ShortNote::parse)?,
        created_at: r.get("created_at")?,
    })
}

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

/// Inserts a ticket; parameters bound by [`bind_ticket`].
pub(crate) const INSERT_TICKET: &str = "INSERT INTO tickets (id, number_full, number_short, \
     subject, customer, department, assignee, status, priority, ticket_type, service, \
     custom_fields, channel, internal, master, merged_into, follow_up_of, opened_by, \
     created_at, updated_at, first_response_at, resolved_at, closed_at, waiting_since, \
     timers, next_due_at, version, satisfaction, priority_request, first_response_secs, \
     resolution_secs, reopens, sla_first_response, sla_next_response, sla_resolution, \
     satisfaction_score, satisfaction_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, \
     $17, $18::jsonb, $19, $20, $21, $22, $23, $24, $25::jsonb, $26, $27, $28::jsonb, \
     $29::jsonb, $30, $31, $32, $33, $34, $35, $36, $37)";

/// Replaces a ticket's state (the caller has checked and locked its version and number,
/// which never changes); parameters bound by [`bind_ticket`].
pub(crate) const UPDATE_TICKET: &str = "UPDATE tickets SET subject = $4, customer = $5, \
     department = $6, assignee = $7, status = $8, priority = $9, ticket_type = $10, \
     service = $11, custom_fields = $12::jsonb, channel = $13, internal = $14, master = $15, \
     merged_into = $16, follow_up_of = $17, opened_by = $18::jsonb, created_at = $19, \
     updated_at = $20, first_response_at = $21, resolved_at = $22, closed_at = $23, \
     waiting_since = $24, timers = $25::jsonb, next_due_at = $26, version = $27, \
     satisfaction = $28::jsonb, priority_request = $29::jsonb, first_response_secs = $30, \
     resolution_secs = $31, reopens = $32, sla_first_response = $33, \
     sla_next_response = $34, sla_resolution = $35, satisfaction_score = $36, \
     satisfaction_at = $37 \
     WHERE id = $1 AND number_full = $2 AND number_short = $3";

/// Binds a ticket's 37 columns as `$1..$37`, in the order of [`INSERT_TICKET`] and
/// [`UPDATE_TICKET`]: its fields, then the columns reports aggregate, derived from them
/// (the outcome of each service-level target's clock, the rating's score and instant).
pub(crate) fn bind_ticket<'q>(query: PgQuery<'q>, t: &Ticket) -> Result<PgQuery<'q>> {
    let custom_fields = json(&t.custom_fields)?;
    let opened_by = json(&t.opened_by)?;
    let timers = json(&t.timers)?;
    let version = to_i64(t.version.get())?;
    let [sla_first_response, sla_next_response, sla_resolution] = sla_outcomes(&t.timers);
    let satisfaction = t.satisfaction.as_ref().map(json).transpose()?;
    let priority_request = t.priority_request.as_ref().map(json).transpose()?;
    Ok(query
        .bind(t.id.as_uuid())
        .bind(t.number.full().to_owned())
        .bind(t.number.short().to_owned())
        .bind(t.subject.as_str().to_owned())
        .bind(t.customer.map(|c| c.as_uuid()))
        .bind(t.department.as_uuid())
        .bind(t.assignee.map(|a| a.as_uuid()))
        .bind(t.status.as_str())
        .bind(t.priority.rank())
        .bind(t.ticket_type.as_str().to_owned())
        .bind(t.service.as_ref().map(|s| s.as_str().to_owned()))
        .bind(custom_fields)
        .bind(t.channel.as_str())
        .bind(t.internal)
        .bind(t.master.map(|m| m.as_uuid()))
        .bind(t.merged_into.map(|m| m.as_uuid()))
        .bind(t.follow_up_of.map(|m| m.as_uuid()))
        .bind(opened_by)
        .bind(t.created_at)
        .bind(t.updated_at)
        .bind(t.first_response_at)
        .bind(t.resolved_at)
        .bind(t.closed_at)
        .bind(t.waiting_since)
        .bind(timers)
        .bind(t.next_due_at)
        .bind(version)
        .bind(satisfaction)
        .bind(priority_request)
        .bind(t.metrics.first_response_secs)
        .bind(t.metrics.resolution_secs)
        .bind(i64::from(t.metrics.reopens))
        .bind(sla_first_response)
        .bind(sla_next_response)
        .bind(sla_resolution)
        .bind(t.satisfaction.as_ref().map(|s| i16::from(s.score.get())))
        .bind(t.satisfaction.as_ref().map(|s| s.at)))
}

/// The outcome of `timers`' clock for each target, in [`SlaTarget::ALL`] order, as the
/// `sla_*` columns hold it: its stable text (`met`, `breached`), `None` while unknown or
/// without a clock.
pub(crate) fn sla_outcomes(timers: &Timers) -> [Option<&'static str>; 3] {
    SlaTarget::ALL.map(|target| {
        timers
            .clock(target)
            .and_then(|c| c.outcome)
            .map(SlaOutcome::as_str)
    })
}

/// Upserts a department: `$1..$5`.
pub(crate) const PUT_DEPARTMENT: &str = "INSERT INTO departments (id, name, follow_up, active, \
     created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET \
     name = EXCLUDED.name, follow_up = EXCLUDED.follow_up, active = EXCLUDED.active, \
     created_at = EXCLUDED.created_at";

/// Binds a department for [`PUT_DEPARTMENT`].
pub(crate) fn bind_department<'q>(query: PgQuery<'q>, d: &Department) -> PgQuery<'q> {
    query
        .bind(d.id.as_uuid())
        .bind(d.name.as_str().to_owned())
        .bind(d.follow_up.as_str())
        .bind(d.active)
        .bind(d.created_at)
}

/// Upserts an agent: `$1..$8`.
pub(crate) const PUT_AGENT: &str = "INSERT INTO agents (id, name, email, role, signature, \
     active, departments, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) \
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, \
     role = EXCLUDED.role, signature = EXCLUDED.signature, active = EXCLUDED.active, \
     departments = EXCLUDED.departments, created_at = EXCLUDED.created_at";

/// Binds an agent for [`PUT_AGENT`].
pub(crate) fn bind_agent<'q>(query: PgQuery<'q>, a: &Agent) -> Result<PgQuery<'q>> {
    let departments = json(&a.departments)?;
    Ok(query
        .bind(a.id.as_uuid())
        .bind(a.name.as_str().to_owned())
        .bind(a.email.as_str().to_owned())
        .bind(a.role.as_str())
        .bind(a.signature.as_str().to_owned())
        .bind(a.active)
        .bind(departments)
        .bind(a.created_at))
}

/// Upserts a customer: `$1..$11`.
pub(crate) const PUT_CUSTOMER: &str = "INSERT INTO customers (id, kind, name, email, phone, \
     contract_number, address, custom_fields, language, access_enabled, created_at, \
     address_key, phone_digits) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13) \
     ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, \
     email = EXCLUDED.email, phone = EXCLUDED.phone, \
     contract_number = EXCLUDED.contract_number, address = EXCLUDED.address, \
     custom_fields = EXCLUDED.custom_fields, language = EXCLUDED.language, \
     access_enabled = EXCLUDED.access_enabled, created_at = EXCLUDED.created_at, \
     address_key = EXCLUDED.address_key, phone_digits = EXCLUDED.phone_digits";

/// Binds a customer for [`PUT_CUSTOMER`].
pub(crate) fn bind_customer<'q>(query: PgQuery<'q>, c: &Customer) -> Result<PgQuery<'q>> {
    let custom_fields = json(&c.custom_fields)?;
    Ok(query
        .bind(c.id.as_uuid())
        .bind(c.kind.as_str())
        .bind(c.name.as_str().to_owned())
        .bind(c.email.as_ref().map(|e| e.as_str().to_owned()))
        .bind(c.phone.as_ref().map(|p| p.as_str().to_owned()))
        .bind(c.contract_number.as_ref().map(|n| n.as_str().to_owned()))
        .bind(c.address.as_ref().map(|a| a.as_str().to_owned()))
        .bind(custom_fields)
        .bind(c.language.map(Language::as_str))
        .bind(c.access_enabled)
        .bind(c.created_at)
        .bind(c.address.as_ref().map(|a| address_key(a.as_str())))
        .bind(c.phone.as_ref().map(|p| p.digits().to_owned())))
}

/// The column list of article reads.
macro_rules! article_columns {
    () => {
        "id, title, body, category, language, status, visibility, helpful, not_helpful, \
     created_at, updated_at"
    };
}
pub(crate) use article_columns;

/// An article from a row selected with [`article_columns!`].
pub(crate) fn article(row: &PgRow) -> Result<Article> {
    let r = Reader::new(row, "articles");
    let count = |column| -> Result<u32> {
        let n: i64 = r.get(column)?;
        u32::try_from(n).map_err(|e| r.corrupt(column, e))
    };
    Ok(Article {
        id: ArticleId::from_uuid(r.get("id")?),
        title: r.parse("title", ArticleTitle::parse)?,
        body: r.parse("body", MessageBody::parse)?,
        category: r.parse("category", Category::parse)?,
        language: r.text("language")?,
        status: r.text("status")?,
        visibility: r.text("visibility")?,
        helpful: count("helpful")?,
        not_helpful: count("not_helpful")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// Inserts or replaces an article's row.
pub(crate) const PUT_ARTICLE: &str = "INSERT INTO articles (id, title, body, category, \
     language, status, visibility, helpful, not_helpful, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
     ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, \
     category = EXCLUDED.category, language = EXCLUDED.language, status = EXCLUDED.status, \
     visibility = EXCLUDED.visibility, helpful = EXCLUDED.helpful, \
     not_helpful = EXCLUDED.not_helpful, created_at = EXCLUDED.created_at, \
     updated_at = EXCLUDED.updated_at";

/// Binds an article for [`PUT_ARTICLE`].
pub(crate) fn bind_article<'q>(query: PgQuery<'q>, a: &Article) -> Result<PgQuery<'q>> {
    Ok(query
        .bind(a.id.as_uuid())
        .bind(a.title.as_str().to_owned())
        .bind(a.body.as_str().to_owned())
        .bind(a.category.as_str().to_owned())
        .bind(a.language.as_str())
        .bind(a.status.as_str())
        .bind(a.visibility.as_str())
        .bind(i64::from(a.helpful))
        .bind(i64::from(a.not_helpful))
        .bind(a.created_at)
        .bind(a.updated_at))
}

/// The column list of saved search reads.
macro_rules! saved_search_columns {
    () => {
        "id, agent, name, query, filter::text AS filter, ticket_order, created_at"
    };
}
pub(crate) use saved_search_columns;

/// A saved search from a row selected with [`saved_search_columns!`].
pub(crate) fn saved_search(row: &PgRow) -> Result<SavedSearch> {
    let r = Reader::new(row, "saved_searches");
    Ok(SavedSearch {
        id: SavedSearchId::from_uuid(r.get("id")?),
        agent: AgentId::from_uuid(r.get("agent")?),
        name: r.parse("name", Name::parse)?,
        query: r.get("query")?,
        filter: r.json("filter")?,
        order: r.text("ticket_order")?,
        created_at: r.get("created_at")?,
    })
}

/// Inserts or replaces a saved search.
pub(crate) const PUT_SAVED_SEARCH: &str = "INSERT INTO saved_searches (id, agent, name, query, \
     filter, ticket_order, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) \
     ON CONFLICT (id) DO UPDATE SET agent = EXCLUDED.agent, name = EXCLUDED.name, \
     query = EXCLUDED.query, filter = EXCLUDED.filter, ticket_order = EXCLUDED.ticket_order, \
     created_at = EXCLUDED.created_at";

/// Binds a saved search for [`PUT_SAVED_SEARCH`].
pub(crate) fn bind_saved_search<'q>(query: PgQuery<'q>, s: &SavedSearch) -> Result<PgQuery<'q>> {
    Ok(query
        .bind(s.id.as_uuid())
        .bind(s.agent.as_uuid())
        .bind(s.name.as_str().to_owned())
        .bind(s.query.clone())
        .bind(json(&s.filter)?)
        .bind(s.order.as_str())
        .bind(s.created_at))
}

/// The column list of ticket template reads.
macro_rules! template_columns {
    () => {
        "id, name, ticket_type, subject_prefix, department, priority, \
     categories::text AS categories, required_fields::text AS required_fields, body, created_at"
    };
}
pub(crate) use template_columns;

/// A ticket template from a row selected with [`template_columns!`].
pub(crate) fn template(row: &PgRow) -> Result<TicketTemplate> {
    let r = Reader::new(row, "templates");
    let rank: Option<i16> = r.get("priority")?;
    let priority = rank
        .map(|rank| Priority::from_rank(rank.into()))
        .transpose()
        .map_err(|e| r.corrupt("priority", e))?;
    Ok(TicketTemplate {
        id: TemplateId::from_uuid(r.get("id")?),
        name: r.parse("name", Name::parse)?,
        ticket_type: r.parse("ticket_type", |s| s.parse::<TicketType>())?,
        subject_prefix: r.parse_opt("subject_prefix", Name::parse)?,
        department: DepartmentId::from_uuid(r.get("department")?),
        priority,
        categories: r.json("categories")?,
        required_fields: r.json("required_fields")?,
        body: r.parse("body", MessageBody::parse)?,
        created_at: r.get("created_at")?,
    })
}

/// Inserts or replaces a ticket template.
pub(crate) const PUT_TEMPLATE: &str = "INSERT INTO templates (id, name, ticket_type, \
     subject_prefix, department, priority, categories, required_fields, body, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10) \
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, ticket_type = EXCLUDED.ticket_type, \
     subject_prefix = EXCLUDED.subject_prefix, department = EXCLUDED.department, \
     priority = EXCLUDED.priority, categories = EXCLUDED.categories, \
     required_fields = EXCLUDED.required_fields, body = EXCLUDED.body, \
     created_at = EXCLUDED.created_at";

/// Binds a ticket template for [`PUT_TEMPLATE`].
pub(crate) fn bind_template<'q>(query: PgQuery<'q>, t: &TicketTemplate) -> Result<PgQuery<'q>> {
    Ok(query
        .bind(t.id.as_uuid())
        .bind(t.name.as_str().to_owned())
        .bind(t.ticket_type.as_str().to_owned())
        .bind(t.subject_prefix.as_ref().map(|p| p.as_str().to_owned()))
        .bind(t.department.as_uuid())
        .bind(t.priority.map(Priority::rank))
        .bind(json(&t.categories)?)
        .bind(json(&t.required_fields)?)
        .bind(t.body.as_str().to_owned())
        .bind(t.created_at))
}

/// The column list of canned response reads.
macro_rules! canned_response_columns {
    () => {
        "id, department, name, language, body, created_at"
    };
}
pub(crate) use canned_response_columns;

/// A canned response from a row selected with [`canned_response_columns!`].
pub(crate) fn canned_response(row: &PgRow) -> Result<CannedResponse> {
    let r = Reader::new(row, "canned_responses");
    Ok(CannedResponse {
        id: CannedResponseId::from_uuid(r.get("id")?),
        department: r
            .get::<Option<Uuid>>("department")?
            .map(DepartmentId::from_uuid),
        name: r.parse("name", Name::parse)?,
        language: r.text("language")?,
        body: r.parse("body", MessageBody::parse)?,
        created_at: r.get("created_at")?,
    })
}

/// Inserts or replaces a canned response.
pub(crate) const PUT_CANNED_RESPONSE: &str = "INSERT INTO canned_responses (id, department, \
     name, language, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (id) DO UPDATE SET department = EXCLUDED.department, name = EXCLUDED.name, \
     language = EXCLUDED.language, body = EXCLUDED.body, created_at = EXCLUDED.created_at";

/// Binds a canned response for [`PUT_CANNED_RESPONSE`].
pub(crate) fn bind_canned_response<'q>(
    query: PgQuery<'q>,
    c: &CannedResponse,
) -> Result<PgQuery<'q>> {
    Ok(query
        .bind(c.id.as_uuid())
        .bind(c.department.map(|d| d.as_uuid()))
        .bind(c.name.as_str().to_owned())
        .bind(c.language.as_str())
        .bind(c.body.as_str().to_owned())
        .bind(c.created_at))
}

/// The categories of a batch's tickets, as parallel arrays for `UNNEST`.
#[derive(Debug, Default)]
pub(crate) struct CategoryColumns {
    pub(crate) ticket_id: Vec<Uuid>,
    pub(crate) category: Vec<String>,
}

impl CategoryColumns {
    /// Adds a ticket's categories.
    pub(crate) fn push(&mut self, ticket: &Ticket) {
        for c in &ticket.categories {
            self.ticket_id.push(ticket.id.as_uuid());
            self.category.push(c.as_str().to_owned());
        }
    }

    /// Inserts them all.
    pub(crate) const INSERT: &str = "INSERT INTO ticket_categories (ticket_id, category) \
         SELECT * FROM UNNEST($1::uuid[], $2::text[])";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query.bind(self.ticket_id).bind(self.category)
    }
}

/// A batch's new messages, as parallel arrays for `UNNEST`, in the order written.
#[derive(Debug, Default)]
pub(crate) struct MessageColumns {
    id: Vec<Uuid>,
    ticket_id: Vec<Uuid>,
    author: Vec<String>,
    visibility: Vec<&'static str>,
    channel: Vec<&'static str>,
    body: Vec<String>,
    attachments: Vec<String>,
    created_at: Vec<DateTime<Utc>>,
}

impl MessageColumns {
    /// Adds a message.
    pub(crate) fn push(&mut self, m: &Message) -> Result<()> {
        self.id.push(m.id.as_uuid());
        self.ticket_id.push(m.ticket_id.as_uuid());
        self.author.push(json(&m.author)?);
        self.visibility.push(m.visibility.as_str());
        self.channel.push(m.channel.as_str());
        self.body.push(m.body.as_str().to_owned());
        self.attachments.push(json(&m.attachments)?);
        self.created_at.push(m.created_at);
        Ok(())
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Inserts them all, in order (so `seq` follows the order written).
    pub(crate) const INSERT: &str = "INSERT INTO messages (id, ticket_id, author, visibility, \
         channel, body, attachments, created_at) \
         SELECT id, ticket_id, author::jsonb, visibility, channel, body, attachments::jsonb, \
         created_at FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::timestamptz[]) WITH ORDINALITY \
         AS m(id, ticket_id, author, visibility, channel, body, attachments, created_at, n) \
         ORDER BY n";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.id)
            .bind(self.ticket_id)
            .bind(self.author)
            .bind(self.visibility)
            .bind(self.channel)
            .bind(self.body)
            .bind(self.attachments)
            .bind(self.created_at)
    }
}

/// A batch's new events, as parallel arrays for `UNNEST`, in the order written.
#[derive(Debug, Default)]
pub(crate) struct EventColumns {
    id: Vec<Uuid>,
    ticket_id: Vec<Uuid>,
    kind: Vec<String>,
    actor: Vec<String>,
    at: Vec<DateTime<Utc>>,
    change: Vec<String>,
}

impl EventColumns {
    /// Adds an event.
    pub(crate) fn push(&mut self, e: &TicketEvent) -> Result<()> {
        self.id.push(e.id.as_uuid());
        self.ticket_id.push(e.ticket_id.as_uuid());
        self.kind.push(e.change.kind().to_owned());
        self.actor.push(json(&e.actor)?);
        self.at.push(e.at);
        self.change.push(json(&e.change)?);
        Ok(())
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Inserts them all, in order.
    pub(crate) const INSERT: &str = "INSERT INTO ticket_events (id, ticket_id, kind, actor, at, \
         change) SELECT id, ticket_id, kind, actor::jsonb, at, change::jsonb \
         FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], \
         $6::text[]) WITH ORDINALITY AS e(id, ticket_id, kind, actor, at, change, n) \
         ORDER BY n";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.id)
            .bind(self.ticket_id)
            .bind(self.kind)
            .bind(self.actor)
            .bind(self.at)
            .bind(self.change)
    }
}

/// A batch's new time entries, as parallel arrays for `UNNEST`, in the order written.
#[derive(Debug, Default)]
pub(crate) struct TimeEntryColumns {
    id: Vec<Uuid>,
    ticket_id: Vec<Uuid>,
    agent: Vec<Uuid>,
    minutes: Vec<i32>,
    billable: Vec<bool>,
    note: Vec<String>,
    created_at: Vec<DateTime<Utc>>,
}

impl TimeEntryColumns {
    /// Adds a time entry.
    pub(crate) fn push(&mut self, e: &TimeEntry) -> Result<()> {
        self.id.push(e.id.as_uuid());
        self.ticket_id.push(e.ticket_id.as_uuid());
        self.agent.push(e.agent.as_uuid());
        self.minutes
            .push(i32::try_from(e.minutes.get()).map_err(Error::backend)?);
        self.billable.push(e.billable);
        self.note.push(e.note.as_str().to_owned());
        self.created_at.push(e.created_at);
        Ok(())
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Inserts them all, in order.
    pub(crate) const INSERT: &str = "INSERT INTO time_entries (id, ticket_id, agent, minutes, \
         billable, note, created_at) SELECT id, ticket_id, agent, minutes, billable, note, \
         created_at FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::int4[], $5::bool[], \
         $6::text[], $7::timestamptz[]) WITH ORDINALITY \
         AS e(id, ticket_id, agent, minutes, billable, note, created_at, n) ORDER BY n";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.id)
            .bind(self.ticket_id)
            .bind(self.agent)
            .bind(self.minutes)
            .bind(self.billable)
            .bind(self.note)
            .bind(self.created_at)
    }
}
