//! Tickets (table `tickets`, with their categories in `ticket_categories`): the columns a
//! ticket read selects, and the ticket's parameters for insert and update, including the
//! columns reports aggregate.

use std::collections::BTreeSet;

use helpdesk_core::domain::{
    AgentId, Category, CustomerId, DepartmentId, Priority, ServiceName, SlaOutcome, SlaTarget,
    Subject, Tag, Ticket, TicketId, TicketMetrics, TicketNumber, TicketType, Timers,
};
use helpdesk_core::{Error, Result};
use sqlx::postgres::PgRow;
use uuid::Uuid;

use super::{PgQuery, Reader, json, to_i64};

/// The column list every ticket read selects (`t` is the tickets table).
macro_rules! ticket_columns {
    () => {
        "t.id, t.number_full, t.number_short, t.subject, \
     t.customer, t.department, t.assignee, t.status, t.priority, t.ticket_type, \
     ARRAY(SELECT c.category FROM ticket_categories c WHERE c.ticket_id = t.id) AS categories, \
     ARRAY(SELECT g.tag FROM ticket_tags g WHERE g.ticket_id = t.id) AS tags, \
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
    let tags: Vec<String> = r.get("tags")?;
    let tags = tags
        .into_iter()
        .map(Tag::parse)
        .collect::<Result<BTreeSet<_>, _>>()
        .map_err(|e| Error::corrupt("ticket_tags", "tag", e))?;
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
        tags,
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
            reopens: r.number("reopens")?,
        },
        version: r.version("version")?,
    })
}

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

/// The categories of a batch's tickets, as parallel arrays for `UNNEST`.
#[derive(Debug, Default)]
pub(crate) struct CategoryColumns {
    ticket_id: Vec<Uuid>,
    category: Vec<String>,
}

impl CategoryColumns {
    /// Adds a ticket's categories.
    pub(crate) fn push(&mut self, ticket: &Ticket) {
        for c in &ticket.categories {
            self.ticket_id.push(ticket.id.as_uuid());
            self.category.push(c.as_str().to_owned());
        }
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.ticket_id.is_empty()
    }

    /// Inserts them all.
    pub(crate) const INSERT: &str = "INSERT INTO ticket_categories (ticket_id, category) \
         SELECT * FROM UNNEST($1::uuid[], $2::text[])";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query.bind(self.ticket_id).bind(self.category)
    }
}

/// A batch's tickets' tags (table `ticket_tags`), as parallel arrays for `UNNEST`.
#[derive(Debug, Default)]
pub(crate) struct TagColumns {
    ticket_id: Vec<Uuid>,
    tag_key: Vec<String>,
    tag: Vec<String>,
}

impl TagColumns {
    /// Adds a ticket's tags.
    pub(crate) fn push(&mut self, ticket: &Ticket) {
        for g in &ticket.tags {
            self.ticket_id.push(ticket.id.as_uuid());
            self.tag_key.push(g.key().to_owned());
            self.tag.push(g.as_str().to_owned());
        }
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.ticket_id.is_empty()
    }

    /// Inserts them all.
    pub(crate) const INSERT: &str = "INSERT INTO ticket_tags (ticket_id, tag_key, tag) \
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[])";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query.bind(self.ticket_id).bind(self.tag_key).bind(self.tag)
    }
}

/// The numbers of a batch's new tickets (table `ticket_numbers`, where full and short
/// numbers share one namespace), as parallel arrays for `UNNEST`: both forms of each, or the
/// one when they are equal.
#[derive(Debug, Default)]
pub(crate) struct NumberColumns {
    digits: Vec<String>,
    ticket_id: Vec<Uuid>,
}

impl NumberColumns {
    /// Adds a new ticket's number.
    pub(crate) fn push(&mut self, ticket: &Ticket) {
        let (full, short) = (ticket.number.full(), ticket.number.short());
        self.digits.push(full.to_owned());
        self.ticket_id.push(ticket.id.as_uuid());
        if short != full {
            self.digits.push(short.to_owned());
            self.ticket_id.push(ticket.id.as_uuid());
        }
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    /// Inserts them all.
    pub(crate) const INSERT: &str = "INSERT INTO ticket_numbers (digits, ticket_id) \
         SELECT * FROM UNNEST($1::text[], $2::uuid[])";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query.bind(self.digits).bind(self.ticket_id)
    }
}
