//! Tickets: the `tickets` row (with its categories, one `ticket_categories` row each, and the
//! report columns derived from its timers and rating), and reading it back.

use std::collections::BTreeSet;

use helpdesk_core::domain::{
    AgentId, Category, CustomFields, CustomerId, DepartmentId, Priority, PriorityRequest,
    Satisfaction, ServiceName, SlaOutcome, SlaTarget, Subject, Tag, Ticket, TicketId,
    TicketMetrics, TicketNumber, TicketType, Timers,
};
use helpdesk_core::store::StoredTicket;
use rusqlite::Row;
use rusqlite::types::ToSql;

use super::{Reader, actor, bind, blob, json, micros, version};
use crate::error::Outcome;

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
    /// The tags (folded key, text), one `ticket_tags` row each.
    pub(crate) tags: Vec<(String, String)>,
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

    /// Removes the categories of ticket `?1`, before they are inserted again.
    pub(crate) const DELETE_CATEGORIES: &'static str =
        "DELETE FROM ticket_categories WHERE ticket_id = ?1";

    /// Removes the tags of ticket `?1`, before they are inserted again.
    pub(crate) const DELETE_TAGS: &'static str = "DELETE FROM ticket_tags WHERE ticket_id = ?1";

    /// Tags ticket `?1` with the tag of key `?2` and text `?3`.
    pub(crate) const INSERT_TAG: &'static str =
        "INSERT INTO ticket_tags (ticket_id, tag_key, tag) VALUES (?1, ?2, ?3)";

    /// Files ticket `?1` under category `?2`.
    pub(crate) const INSERT_CATEGORY: &'static str =
        "INSERT INTO ticket_categories (ticket_id, category) VALUES (?1, ?2)";

    pub(crate) fn new(t: &Ticket) -> Outcome<Self> {
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
            tags: (t.tags.iter())
                .map(|g| (g.key().to_owned(), g.as_str().to_owned()))
                .collect(),
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

/// The columns `read_ticket` reads, for `tickets t`: the categories as one JSON array.
pub(crate) const TICKET_COLUMNS: &str = "
    t.id, t.number_full, t.number_short, t.subject, t.customer, t.department, t.assignee,
    t.status, t.priority, t.ticket_type, t.service, t.custom_fields, t.channel, t.internal,
    t.master, t.merged_into, t.follow_up_of, t.opened_by_kind, t.opened_by_id, t.created_at,
    t.updated_at, t.first_response_at, t.resolved_at, t.closed_at, t.waiting_since, t.timers,
    t.next_due_at, t.satisfaction, t.priority_request, t.version, t.first_response_secs,
    t.resolution_secs, t.reopens,
    (SELECT json_group_array(c.category)
     FROM ticket_categories c WHERE c.ticket_id = t.id) AS categories,
    (SELECT json_group_array(g.tag)
     FROM ticket_tags g WHERE g.ticket_id = t.id) AS tags";

/// The columns `read_stored_ticket` reads.
pub(crate) const STORED_TICKET_COLUMNS: &str = "version, number_full, number_short, subject";

/// What a commit's checks need of a stored ticket, from a row of [`STORED_TICKET_COLUMNS`].
pub(crate) fn read_stored_ticket(row: &Row<'_>) -> Outcome<StoredTicket> {
    let r = Reader::new(row, "tickets");
    Ok(StoredTicket {
        version: r.version("version")?,
        number_full: r.get("number_full")?,
        number_short: r.get("number_short")?,
        subject: r.get("subject")?,
    })
}

/// A ticket and its relevance score from a row of [`TICKET_COLUMNS`] followed by the
/// `relevance` column of a ticket list query.
pub(crate) fn read_ranked_ticket(row: &Row<'_>) -> Outcome<(Ticket, u32)> {
    let r = Reader::new(row, "tickets");
    let ticket = ticket(&r)?;
    // The column after the ticket's: found at the first try.
    let relevance = r.u32("relevance")?;
    Ok((ticket, relevance))
}

/// A ticket from a row of [`TICKET_COLUMNS`], its columns read in their order (so that the
/// [`Reader`] finds each at the first try).
pub(crate) fn read_ticket(row: &Row<'_>) -> Outcome<Ticket> {
    ticket(&Reader::new(row, "tickets"))
}

/// A ticket from the columns of [`TICKET_COLUMNS`] that `r` reads, in their order.
fn ticket(r: &Reader<'_, '_>) -> Outcome<Ticket> {
    let ticket_id = |column| -> Outcome<_> { Ok(r.uuid_opt(column)?.map(TicketId::from_uuid)) };
    let id = TicketId::from_uuid(r.uuid("id")?);
    let number_full: String = r.get("number_full")?;
    let number_short: String = r.get("number_short")?;
    Ok(Ticket {
        id,
        number: TicketNumber::new(number_full, number_short)
            .map_err(|e| r.corrupt("number_full", e))?,
        subject: r.parse("subject", Subject::parse)?,
        customer: r.uuid_opt("customer")?.map(CustomerId::from_uuid),
        department: DepartmentId::from_uuid(r.uuid("department")?),
        assignee: r.uuid_opt("assignee")?.map(AgentId::from_uuid),
        status: r.text("status")?,
        priority: Priority::from_rank(r.get("priority")?).map_err(|e| r.corrupt("priority", e))?,
        ticket_type: r.parse("ticket_type", |s| s.parse::<TicketType>())?,
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
        version: r.version("version")?,
        metrics: TicketMetrics {
            first_response_secs: r.get("first_response_secs")?,
            resolution_secs: r.get("resolution_secs")?,
            reopens: r.get("reopens")?,
        },
        categories: r.json::<BTreeSet<Category>>("categories")?,
        tags: r.json::<BTreeSet<Tag>>("tags")?,
    })
}
