//! Ticket lists: [`TicketFilter`] as a `WHERE` clause, the orders of [`TicketOrder`] and
//! keyset pages, built with bound parameters only. Every filterable field is a column, so a
//! page is one indexed query; a search (module `search`) adds its terms and score to it.

use helpdesk_core::clock::ceil_micros;
use helpdesk_core::domain::Ticket;
use helpdesk_core::store::{
    AssigneeFilter, Cursor, Page, PageRequest, TicketFilter, TicketOrder, TimeRange,
};
use helpdesk_core::{Error, Result};
use sqlx::{PgPool, Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::error;
use crate::rows::ticket::{ticket, ticket_columns};

/// A page of the ticket list.
pub(crate) async fn list(
    pool: &PgPool,
    filter: &TicketFilter,
    page: &PageRequest,
) -> Result<Page<Ticket>> {
    fetch_page(pool, list_query(filter, page), page, false).await
}

/// How many tickets `filter` matches.
pub(crate) async fn count(pool: &PgPool, filter: &TicketFilter) -> Result<u64> {
    let mut q = QueryBuilder::new("SELECT COUNT(*) FROM tickets t WHERE TRUE");
    push_filter(&mut q, filter);
    let n: i64 = q
        .build_query_scalar()
        .fetch_one(pool)
        .await
        .map_err(error::db)?;
    u64::try_from(n).map_err(|e| Error::corrupt("tickets", "count", e))
}

/// Runs a ticket list query built with `LIMIT page.limit() + 1` and makes the page; with
/// `scored`, each row's relevance score is its `score` column (0 otherwise).
pub(crate) async fn fetch_page(
    pool: &PgPool,
    query: QueryBuilder<Postgres>,
    page: &PageRequest,
    scored: bool,
) -> Result<Page<Ticket>> {
    Ok(page.into_page_scored(fetch_rows(pool, query, scored).await?))
}

/// The tickets `query` reads on `executor`, each with its relevance score: its `score`
/// column with `scored`, 0 otherwise.
pub(crate) async fn fetch_rows<'c, E>(
    executor: E,
    mut query: QueryBuilder<Postgres>,
    scored: bool,
) -> Result<Vec<(Ticket, u32)>>
where
    E: sqlx::PgExecutor<'c>,
{
    query
        .build()
        .fetch_all(executor)
        .await
        .map_err(error::db)?
        .iter()
        .map(|row| {
            let score = if scored {
                let score: i32 = row.try_get("score").map_err(Error::backend)?;
                u32::try_from(score).map_err(|e| Error::corrupt("tickets", "score", e))?
            } else {
                0
            };
            Ok((ticket(row)?, score))
        })
        .collect()
}

/// The first column of the Waiting order, exactly as `tickets_waiting_idx` spells it (so
/// that the planner matches it to the index): `waiting_since`, with 'infinity' for tickets
/// nobody waits on, which puts them last (no real instant is 'infinity').
const WAITING_KEY: &str = "COALESCE(t.waiting_since, 'infinity'::timestamptz)";

/// The one query for a page of a ticket list: [`TicketFilter::matches`] as a `WHERE` clause,
/// the keyset condition of [`Cursor::precedes`](helpdesk_core::store::Cursor::precedes), the
/// order of [`PageRequest::sort`], and one row more than the page holds.
pub(crate) fn list_query(filter: &TicketFilter, page: &PageRequest) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::new("");
    push_list_query(&mut q, filter, page);
    q
}

/// Appends [`list_query`]'s SQL and parameters to `q` (after an `EXPLAIN`, in tests).
fn push_list_query(q: &mut QueryBuilder<Postgres>, filter: &TicketFilter, page: &PageRequest) {
    q.push(concat!(
        "SELECT ",
        ticket_columns!(),
        " FROM tickets t WHERE TRUE"
    ));
    push_filter(q, filter);
    push_page(q, page, false);
}

/// Adds the conditions of `filter` on the ticket `t` to an open `WHERE` clause.
pub(crate) fn push_filter(q: &mut QueryBuilder<Postgres>, filter: &TicketFilter) {
    if let Some(statuses) = &filter.statuses {
        let statuses: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        push_any(q, "t.status", statuses);
    }
    if let Some(departments) = &filter.departments {
        let ids: Vec<Uuid> = departments.iter().map(|d| d.as_uuid()).collect();
        push_any(q, "t.department", ids);
    }
    if let Some(customers) = &filter.customers {
        let ids: Vec<Uuid> = customers.iter().map(|c| c.as_uuid()).collect();
        push_any(q, "t.customer", ids);
    }
    if let Some(priorities) = &filter.priorities {
        let ranks: Vec<i16> = priorities.iter().map(|p| p.rank()).collect();
        push_any(q, "t.priority", ranks);
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
    push_range(q, "t.created_at", &filter.created);
    push_range(q, "t.updated_at", &filter.updated);
    // A NULL `next_due_at` compares as unknown: a bounded range leaves it out.
    push_range(q, "t.next_due_at", &filter.due);
    if let Some(tags) = &filter.tags {
        let keys: Vec<String> = tags.iter().map(|t| t.key().to_owned()).collect();
        q.push(" AND EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = t.id");
        push_any(q, "g.tag_key", keys);
        q.push(")");
    }
}

/// Adds the keyset condition of `page`'s cursor, its order and its limit (one row more).
/// With `scored`, the query has each ticket's relevance score as `s.score`; without, every
/// score is 0.
pub(crate) fn push_page(q: &mut QueryBuilder<Postgres>, page: &PageRequest, scored: bool) {
    let push_later = |q: &mut QueryBuilder<Postgres>, cursor: &Cursor| {
        q.push("(t.updated_at, t.id) < (")
            .push_bind(cursor.updated_at())
            .push(", ")
            .push_bind(cursor.id().as_uuid())
            .push(")");
    };
    if let Some(cursor) = page.cursor() {
        match cursor.order() {
            TicketOrder::LastUpdate => {
                q.push(" AND ");
                push_later(q, cursor);
            }
            TicketOrder::Relevance if scored => {
                // A lower score, or the same one and earlier in (updated_at, id).
                let score = i64::from(cursor.score());
                q.push(" AND (s.score < ")
                    .push_bind(score)
                    .push(" OR (s.score = ")
                    .push_bind(score)
                    .push(" AND ");
                push_later(q, cursor);
                q.push("))");
            }
            // Every score is 0: all of the list comes after a cursor with a higher score, and
            // after one of score 0 what comes after it in the last-update order.
            TicketOrder::Relevance => {
                if cursor.score() == 0 {
                    q.push(" AND ");
                    push_later(q, cursor);
                }
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
            TicketOrder::Waiting => {
                // One row value in the order of `tickets_waiting_idx`, tickets nobody waits
                // on as 'infinity' (no real instant is), so that the index scan starts at
                // the cursor whether or not its ticket waits.
                q.push(" AND (").push(WAITING_KEY).push(", t.id) > (");
                match cursor.waiting_since() {
                    Some(since) => q.push_bind(since),
                    None => q.push("'infinity'::timestamptz"),
                };
                q.push(", ").push_bind(cursor.id().as_uuid()).push(")");
            }
        }
    }
    match page.order() {
        TicketOrder::Relevance if scored => {
            q.push(" ORDER BY s.score DESC, t.updated_at DESC, t.id DESC")
        }
        TicketOrder::LastUpdate | TicketOrder::Relevance => {
            q.push(" ORDER BY t.updated_at DESC, t.id DESC")
        }
        TicketOrder::Priority => q.push(" ORDER BY t.priority DESC, t.updated_at, t.id"),
        TicketOrder::Waiting => q.push(" ORDER BY ").push(WAITING_KEY).push(", t.id"),
    };
    q.push(" LIMIT ").push_bind(i64::from(page.limit()) + 1);
}

/// Adds "`column` is one of `values`": `= $n` for one value, so that the indexes leading
/// with `column` also give the list's order, and `= ANY($n)` otherwise (none matches nothing).
pub(crate) fn push_any<'a, T>(query: &mut QueryBuilder<Postgres>, column: &str, mut values: Vec<T>)
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
pub(crate) fn push_range(query: &mut QueryBuilder<Postgres>, column: &str, range: &TimeRange) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use helpdesk_core::domain::{Priority, Status};

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

    /// The plans of due tickets and of the waiting order on a real server: scans of their
    /// indexes, never of the table, and ordered index scans (no sort) for a page of the
    /// waiting order and for a small limit of many due tickets.
    mod plans {
        use chrono::{DateTime, TimeDelta, Utc};
        use helpdesk_core::domain::{CustomerId, DepartmentId, Subject, Timers};
        use helpdesk_core::store::{Store, TicketWrite, WriteBatch};

        use super::*;
        use crate::connection::PostgresStore;
        use crate::testing;
        use crate::tickets::DUE_TICKETS;

        fn at(minutes: i64) -> DateTime<Utc> {
            "2026-01-05T09:00:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::minutes(minutes)
        }

        fn ticket(i: u64) -> Ticket {
            // A fifth have something due (a pending reminder), a few of them early.
            let due = (i.is_multiple_of(5)).then(|| at((i % 700) as i64));
            Ticket {
                subject: Subject::parse("plan").unwrap(),
                status: Status::Open,
                // Most tickets wait.
                waiting_since: (!i.is_multiple_of(4)).then(|| at((i % 500) as i64)),
                timers: Timers {
                    pending_until: due,
                    ..Timers::default()
                },
                next_due_at: due,
                ..helpdesk_core::testkit::samples::ticket(
                    helpdesk_core::testkit::samples::number(i + 1),
                    DepartmentId::new(),
                    CustomerId::new(),
                )
            }
        }

        /// `plan` reads `index`, and no table scan. With `ordered`, an index scan that gives
        /// the order itself, with no sort (a sort of what a bitmap scan of the index found
        /// also costs only what it returns, and the planner picks it for few rows).
        fn assert_reads(plan: &str, index: &str, ordered: bool) {
            let ordered_scan = format!("Index Scan using {index} ");
            let bitmap_scan = format!("Bitmap Index Scan on {index} ");
            assert!(
                plan.contains(&ordered_scan) || (!ordered && plan.contains(&bitmap_scan)),
                "{plan}"
            );
            assert!(!plan.contains("Seq Scan on tickets"), "{plan}");
            if ordered {
                assert!(!plan.contains("Sort"), "{plan}");
            }
        }

        /// The plan of a page of the ticket list.
        async fn plan_of_page(
            store: &PostgresStore,
            filter: &TicketFilter,
            page: &PageRequest,
        ) -> String {
            let mut q = QueryBuilder::new("EXPLAIN ");
            push_list_query(&mut q, filter, page);
            testing::plan(store, q.build()).await
        }

        #[tokio::test]
        async fn due_tickets_and_the_waiting_order_are_ordered_index_scans() {
            let Some(store) = testing::fresh_store().await else {
                return;
            };
            let tickets: Vec<Ticket> = (0..5000).map(ticket).collect();
            for chunk in tickets.chunks(500) {
                let batch =
                    WriteBatch::of(chunk.iter().cloned().map(TicketWrite::create).collect());
                store.commit(batch).await.unwrap();
            }
            sqlx::query("ANALYZE tickets")
                .execute(store.pool())
                .await
                .unwrap();

            // A few due tickets, and all thousand of them with a small limit.
            for (now, limit, ordered) in [(at(30), 100_i64, false), (at(10_000), 10, true)] {
                let query = testing::explain(DUE_TICKETS).bind(now).bind(limit);
                let plan = testing::plan(&store, query).await;
                assert_reads(&plan, "tickets_due_idx", ordered);
                assert!(plan.contains("Index Cond: (next_due_at <= "), "{plan}");
            }

            // The waiting order: the first page, and pages after a deep cursor, the last
            // ticket that waits (a page of those nobody waits on follows) and one of those.
            // After a cursor the scan starts at it: an Index Cond on the row value of the
            // index, not a read of the index from its start that filters rows out.
            let filter = TicketFilter::default();
            let first = PageRequest::first(TicketOrder::Waiting, 50);
            let waiting = tickets
                .iter()
                .filter(|t| t.waiting_since.is_some())
                .max_by_key(|t| (t.waiting_since, t.id))
                .unwrap();
            let nobody = tickets.iter().find(|t| t.waiting_since.is_none()).unwrap();
            let plan = plan_of_page(&store, &filter, &first).await;
            assert_reads(&plan, "tickets_waiting_idx", true);
            for cursor in [waiting, nobody] {
                let page = first
                    .clone()
                    .after(Cursor::after(TicketOrder::Waiting, cursor))
                    .unwrap();
                let plan = plan_of_page(&store, &filter, &page).await;
                assert_reads(&plan, "tickets_waiting_idx", true);
                // Sessions run in UTC (sqlx sets it), so the server shows instants so.
                let since = cursor.waiting_since.map_or_else(
                    || "infinity".to_owned(),
                    |w| w.format("%Y-%m-%d %H:%M:%S+00").to_string(),
                );
                let cond = format!(
                    "Index Cond: (ROW(COALESCE(waiting_since, 'infinity'::timestamp with time \
                     zone), id) > ROW('{since}'::timestamp with time zone, '{}'::uuid))",
                    cursor.id.as_uuid()
                );
                assert!(plan.contains(&cond), "{cond}\n{plan}");
                assert!(!plan.contains("Filter:"), "{plan}");
            }
            testing::discard(store).await.unwrap();
        }
    }
}
