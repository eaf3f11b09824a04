//! [`Store`] for [`PostgresStore`]: the SQL behind every method.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use helpdesk_core::clock::to_micros;
use helpdesk_core::domain::{
    Agent, AgentId, Customer, CustomerId, Department, DepartmentId, Email, Message, Ticket,
    TicketEvent, TicketId, TimeEntry, Version,
};
use helpdesk_core::error::{ConflictKind, Entity};
use helpdesk_core::store::{
    AssigneeFilter, Page, PageRequest, Store, TicketFilter, TicketOrder, TicketWrite, TimeRange,
    WriteBatch,
};
use helpdesk_core::{Error, Result};
use sqlx::{Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::PostgresStore;
use crate::error::{self, duplicate, duplicate_of};
use crate::rows::{
    self, CategoryColumns, EventColumns, MessageColumns, TimeEntryColumns, agent_columns,
    customer_columns, department_columns, event_columns, message_columns, ticket_columns,
    time_entry_columns,
};

#[async_trait]
impl Store for PostgresStore {
    async fn put_department(&self, department: &Department) -> Result<()> {
        rows::bind_department(sqlx::query(rows::PUT_DEPARTMENT), department)
            .execute(&self.pool)
            .await
            .map_err(error::db)?;
        Ok(())
    }

    async fn department(&self, id: DepartmentId) -> Result<Option<Department>> {
        sqlx::query(concat!(
            "SELECT ",
            department_columns!(),
            " FROM departments WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::department(&row))
        .transpose()
    }

    async fn departments(&self) -> Result<Vec<Department>> {
        sqlx::query(concat!(
            "SELECT ",
            department_columns!(),
            " FROM departments ORDER BY name, id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::department)
        .collect()
    }

    async fn put_agent(&self, agent: &Agent) -> Result<()> {
        rows::bind_agent(sqlx::query(rows::PUT_AGENT), agent)?
            .execute(&self.pool)
            .await
            .map_err(error::db)?;
        Ok(())
    }

    async fn agent(&self, id: AgentId) -> Result<Option<Agent>> {
        sqlx::query(concat!(
            "SELECT ",
            agent_columns!(),
            " FROM agents WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::agent(&row))
        .transpose()
    }

    async fn agents(&self) -> Result<Vec<Agent>> {
        sqlx::query(concat!(
            "SELECT ",
            agent_columns!(),
            " FROM agents ORDER BY name, id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::agent)
        .collect()
    }

    async fn put_customer(&self, customer: &Customer) -> Result<()> {
        let result = rows::bind_customer(sqlx::query(rows::PUT_CUSTOMER), customer)?
            .execute(&self.pool)
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match duplicate_of(&e) {
                Some((Entity::Customer, field)) => {
                    Err(self.customer_conflict(customer, field).await)
                }
                _ => Err(error::db(e)),
            },
        }
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        sqlx::query(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::customer(&row))
        .transpose()
    }

    async fn customer_by_email(&self, email: &Email) -> Result<Option<Customer>> {
        sqlx::query(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers WHERE email = $1"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::customer(&row))
        .transpose()
    }

    async fn next_ticket_sequence(&self) -> Result<u64> {
        let next: i64 = sqlx::query_scalar("SELECT nextval('ticket_number_seq')")
            .fetch_one(&self.pool)
            .await
            .map_err(error::db)?;
        u64::try_from(next).map_err(|e| error::corrupt("ticket_number_seq", "nextval", e))
    }

    async fn commit(&self, batch: WriteBatch) -> Result<()> {
        batch.check_shape()?;
        if batch.writes.is_empty() {
            return Ok(());
        }
        // READ COMMITTED whatever the server's default: a concurrent writer's row lock makes
        // the locking read below wait, and then see the version it committed (stricter
        // levels would fail it with a serialization error instead of a stale-version conflict).
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
            .await
            .map_err(error::db)?;

        // Lock the tickets to update, in id order so that concurrent batches cannot deadlock,
        // and read their versions and numbers: every check below is against the state before
        // the batch, like the reference store's.
        let mut updated: Vec<Uuid> = batch
            .writes
            .iter()
            .filter(|w| w.expected.is_some())
            .map(|w| w.ticket.id.as_uuid())
            .collect();
        updated.sort_unstable();
        updated.dedup();
        let mut stored: HashMap<Uuid, Locked> = HashMap::with_capacity(updated.len());
        if !updated.is_empty() {
            let locked = sqlx::query(
                "SELECT id, version, number_full, number_short FROM tickets \
                 WHERE id = ANY($1) ORDER BY id FOR UPDATE",
            )
            .bind(&updated)
            .fetch_all(&mut *tx)
            .await
            .map_err(error::db)?;
            for row in locked {
                let locked = Locked::from_row(&row)?;
                stored.insert(locked.id, locked);
            }
        }

        // The writes in order, each checked as the reference checks it, so that the first
        // failing write is the one reported; any failure rolls everything back.
        let mut children = Children::default();
        for write in &batch.writes {
            let t = &write.ticket;
            children.push(write)?;
            match write.expected {
                Some(expected) => {
                    let locked = stored
                        .get(&t.id.as_uuid())
                        .ok_or_else(|| Error::not_found(Entity::Ticket, t.id))?;
                    if (locked.full.as_str(), locked.short.as_str())
                        != (t.number.full(), t.number.short())
                    {
                        return Err(Error::validation(
                            "number",
                            "a ticket's number never changes",
                        ));
                    }
                    if locked.version != expected {
                        return Err(Error::Conflict {
                            entity: Entity::Ticket,
                            kind: ConflictKind::StaleVersion {
                                expected,
                                actual: locked.version,
                            },
                        });
                    }
                    let done = rows::bind_ticket(sqlx::query(rows::UPDATE_TICKET), t)?
                        .execute(&mut *tx)
                        .await
                        .map_err(error::db)?;
                    if done.rows_affected() != 1 {
                        // Impossible while the row is locked; never report success for it.
                        return Err(Error::not_found(Entity::Ticket, t.id));
                    }
                }
                None => {
                    rows::bind_ticket(sqlx::query(rows::INSERT_TICKET), t)?
                        .execute(&mut *tx)
                        .await
                        .map_err(error::db)?;
                    let mut digits = vec![t.number.full().to_owned()];
                    if t.number.short() != t.number.full() {
                        digits.push(t.number.short().to_owned());
                    }
                    sqlx::query(
                        "INSERT INTO ticket_numbers (digits, ticket_id) \
                         SELECT d, $2 FROM UNNEST($1::text[]) AS d",
                    )
                    .bind(digits)
                    .bind(t.id.as_uuid())
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db)?;
                }
            }
        }

        if !updated.is_empty() {
            sqlx::query("DELETE FROM ticket_categories WHERE ticket_id = ANY($1)")
                .bind(&updated)
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
        let Children {
            categories,
            messages,
            events,
            time_entries,
        } = children;
        if !categories.ticket_id.is_empty() {
            categories
                .bind(sqlx::query(CategoryColumns::INSERT))
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
        if !messages.is_empty() {
            messages
                .bind(sqlx::query(MessageColumns::INSERT))
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
        if !events.is_empty() {
            events
                .bind(sqlx::query(EventColumns::INSERT))
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
        if !time_entries.is_empty() {
            time_entries
                .bind(sqlx::query(TimeEntryColumns::INSERT))
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
        tx.commit().await.map_err(error::db)
    }

    async fn ticket(&self, id: TicketId) -> Result<Option<Ticket>> {
        sqlx::query(concat!(
            "SELECT ",
            ticket_columns!(),
            " FROM tickets t WHERE t.id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::ticket(&row))
        .transpose()
    }

    async fn ticket_by_number(&self, digits: &str) -> Result<Option<Ticket>> {
        sqlx::query(concat!(
            "SELECT ",
            ticket_columns!(),
            " FROM ticket_numbers n JOIN tickets t ON t.id = n.ticket_id WHERE n.digits = $1"
        ))
        .bind(digits)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::ticket(&row))
        .transpose()
    }

    async fn list_tickets(
        &self,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        let mut query = list_query(filter, page);
        let tickets = query
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db)?
            .iter()
            .map(rows::ticket)
            .collect::<Result<Vec<_>>>()?;
        Ok(page.into_page(tickets))
    }

    async fn messages(&self, ticket: TicketId, include_internal: bool) -> Result<Vec<Message>> {
        sqlx::query(concat!(
            "SELECT ",
            message_columns!(),
            " FROM messages WHERE ticket_id = $1 AND ($2 OR visibility = $3) ORDER BY seq"
        ))
        .bind(ticket.as_uuid())
        .bind(include_internal)
        .bind(rows::public_visibility()?)
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::message)
        .collect()
    }

    async fn history(&self, ticket: TicketId) -> Result<Vec<TicketEvent>> {
        sqlx::query(concat!(
            "SELECT ",
            event_columns!(),
            " FROM ticket_events WHERE ticket_id = $1 ORDER BY seq"
        ))
        .bind(ticket.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::event)
        .collect()
    }

    async fn time_entries(&self, ticket: TicketId) -> Result<Vec<TimeEntry>> {
        sqlx::query(concat!(
            "SELECT ",
            time_entry_columns!(),
            " FROM time_entries WHERE ticket_id = $1 ORDER BY seq"
        ))
        .bind(ticket.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::time_entry)
        .collect()
    }
}

impl PostgresStore {
    /// Which unique field of `customer` is taken, reported as the reference store does: the
    /// first other customer by id that holds its e-mail or contract number, e-mail first.
    /// (Which constraint PostgreSQL reports depends on its index order instead.)
    async fn customer_conflict(&self, customer: &Customer, fallback: &'static str) -> Error {
        let first = sqlx::query_scalar::<_, bool>(
            "SELECT email IS NOT DISTINCT FROM $2 FROM customers \
             WHERE id <> $1 AND (email = $2 OR contract_number = $3) ORDER BY id LIMIT 1",
        )
        .bind(customer.id.as_uuid())
        .bind(customer.email.as_ref().map(|e| e.as_str()))
        .bind(customer.contract_number.as_ref().map(|n| n.as_str()))
        .fetch_optional(&self.pool)
        .await;
        let field = match first {
            Ok(Some(true)) => "email",
            Ok(Some(false)) => "contract_number",
            // Gone again, or unreadable: the constraint's own answer is still true.
            Ok(None) | Err(_) => fallback,
        };
        duplicate(Entity::Customer, field)
    }
}

/// A locked ticket's stored version and number.
struct Locked {
    id: Uuid,
    version: Version,
    full: String,
    short: String,
}

impl Locked {
    fn from_row(row: &sqlx::postgres::PgRow) -> Result<Self> {
        let version: i64 = row.try_get("version").map_err(Error::backend)?;
        Ok(Self {
            id: row.try_get("id").map_err(Error::backend)?,
            version: Version::new(
                u64::try_from(version).map_err(|e| error::corrupt("tickets", "version", e))?,
            ),
            full: row.try_get("number_full").map_err(Error::backend)?,
            short: row.try_get("number_short").map_err(Error::backend)?,
        })
    }
}

/// The rows a batch adds besides the tickets themselves.
#[derive(Default)]
struct Children {
    categories: CategoryColumns,
    messages: MessageColumns,
    events: EventColumns,
    time_entries: TimeEntryColumns,
}

impl Children {
    /// Adds a write's categories, messages, events and time entries (the batch's shape is
    /// checked before).
    fn push(&mut self, write: &TicketWrite) -> Result<()> {
        self.categories.push(&write.ticket);
        for m in &write.messages {
            self.messages.push(m)?;
        }
        for e in &write.events {
            self.events.push(e)?;
        }
        for e in &write.time_entries {
            self.time_entries.push(e)?;
        }
        Ok(())
    }
}

/// The first instant of whole microseconds at or after `at`: `x >= at` and `x < at` agree with
/// `x >= ceil(at)` and `x < ceil(at)` for every stored (whole-microsecond) `x`.
fn ceil_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    let floor = to_micros(at);
    if floor == at {
        at
    } else {
        floor + TimeDelta::microseconds(1)
    }
}

/// Adds "`column` is one of `values`": `= $n` for one value, so that the indexes leading
/// with `column` also give the list's order, and `= ANY($n)` otherwise (none matches nothing).
fn push_any<'a, T>(query: &mut QueryBuilder<Postgres>, column: &str, mut values: Vec<T>)
where
    T: sqlx::Encode<'a, Postgres> + sqlx::Type<Postgres> + sqlx::postgres::PgHasArrayType,
{
    query.push(format_args!(" AND {column} = "));
    if values.len() == 1 {
        query.push_bind(values.remove(0));
    } else {
        query.push("ANY(").push_bind(values).push(")");
    }
}

/// Adds a [`TimeRange`] on `column`.
fn push_range(query: &mut QueryBuilder<Postgres>, column: &str, range: &TimeRange) {
    if let Some(from) = range.from {
        query
            .push(format_args!(" AND {column} >= "))
            .push_bind(ceil_micros(from));
    }
    if let Some(to) = range.to {
        query
            .push(format_args!(" AND {column} < "))
            .push_bind(ceil_micros(to));
    }
}

/// The one query for a page of a ticket list: [`TicketFilter::matches`] as a `WHERE` clause,
/// the keyset condition of [`Cursor::precedes`](helpdesk_core::store::Cursor::precedes), the
/// order of [`PageRequest::sort`], and one row more than the page holds.
fn list_query(filter: &TicketFilter, page: &PageRequest) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::new(concat!(
        "SELECT ",
        ticket_columns!(),
        " FROM tickets t WHERE TRUE"
    ));
    if let Some(statuses) = &filter.statuses {
        let statuses: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        push_any(&mut q, "t.status", statuses);
    }
    if let Some(departments) = &filter.departments {
        let ids: Vec<Uuid> = departments.iter().map(|d| d.as_uuid()).collect();
        push_any(&mut q, "t.department", ids);
    }
    if let Some(priorities) = &filter.priorities {
        let ranks: Vec<i16> = priorities.iter().map(|p| p.rank()).collect();
        push_any(&mut q, "t.priority", ranks);
    }
    match filter.assignee {
        None => {}
        Some(AssigneeFilter::Unassigned) => {
            q.push(" AND t.assignee IS NULL");
        }
        Some(AssigneeFilter::Agent(agent)) => {
            q.push(" AND t.assignee = ").push_bind(agent.as_uuid());
        }
    }
    if let Some(customer) = filter.customer {
        q.push(" AND t.customer = ").push_bind(customer.as_uuid());
    }
    if let Some(ticket_type) = &filter.ticket_type {
        q.push(" AND t.ticket_type = ")
            .push_bind(ticket_type.as_str().to_owned());
    }
    if let Some(category) = &filter.category {
        q.push(
            " AND EXISTS (SELECT 1 FROM ticket_categories c \
             WHERE c.ticket_id = t.id AND c.category = ",
        )
        .push_bind(category.as_str().to_owned())
        .push(")");
    }
    if let Some(master) = filter.master {
        q.push(" AND t.master = ").push_bind(master.as_uuid());
    }
    if let Some(internal) = filter.internal {
        q.push(" AND t.internal = ").push_bind(internal);
    }
    push_range(&mut q, "t.created_at", &filter.created);
    push_range(&mut q, "t.updated_at", &filter.updated);

    if let Some(cursor) = page.cursor() {
        match cursor.order() {
            TicketOrder::LastUpdate => {
                q.push(" AND (t.updated_at, t.id) < (")
                    .push_bind(cursor.updated_at())
                    .push(", ")
                    .push_bind(cursor.id().as_uuid())
                    .push(")");
            }
            TicketOrder::Priority => {
                // Lower priorities, or the same one and later in (updated_at, id); the first
                // conjunct lets the (priority DESC, updated_at, id) index start at the cursor.
                let rank = cursor.priority().rank();
                q.push(" AND t.priority <= ")
                    .push_bind(rank)
                    .push(" AND (t.priority < ")
                    .push_bind(rank)
                    .push(" OR (t.updated_at, t.id) > (")
                    .push_bind(cursor.updated_at())
                    .push(", ")
                    .push_bind(cursor.id().as_uuid())
                    .push("))");
            }
        }
    }
    q.push(match page.order() {
        TicketOrder::LastUpdate => " ORDER BY t.updated_at DESC, t.id DESC",
        TicketOrder::Priority => " ORDER BY t.priority DESC, t.updated_at, t.id",
    });
    q.push(" LIMIT ").push_bind(i64::from(page.limit()) + 1);
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpdesk_core::domain::{Priority, Status};

    #[test]
    fn ceil_micros_rounds_only_partial_microseconds_up() {
        let whole = DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap();
        assert_eq!(ceil_micros(whole), whole);
        let partial = whole + TimeDelta::nanoseconds(1);
        assert_eq!(ceil_micros(partial), whole + TimeDelta::microseconds(1));
        let before_epoch = DateTime::from_timestamp_micros(-5).unwrap() - TimeDelta::nanoseconds(1);
        assert_eq!(
            ceil_micros(before_epoch),
            DateTime::from_timestamp_micros(-5).unwrap()
        );
    }

    #[test]
    fn list_query_binds_every_value_and_orders_by_the_page() {
        let filter = TicketFilter {
            statuses: Some(vec![Status::Open]),
            priorities: Some(vec![Priority::High, Priority::Urgent]),
            assignee: Some(AssigneeFilter::Unassigned),
            ..TicketFilter::default()
        };
        let sql = list_query(&filter, &PageRequest::first(TicketOrder::Priority, 10)).into_string();
        assert!(sql.contains("t.status = $1"), "{sql}");
        assert!(sql.contains("t.priority = ANY($2)"), "{sql}");
        assert!(sql.contains("t.assignee IS NULL"), "{sql}");
        assert!(
            sql.ends_with("ORDER BY t.priority DESC, t.updated_at, t.id LIMIT $3"),
            "{sql}"
        );
    }
}
