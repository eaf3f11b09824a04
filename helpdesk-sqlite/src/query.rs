//! The ticket list as one SQL query: [`TicketFilter`] as WHERE clauses, the keyset cursor,
//! the order, and a limit one past the page to know whether more follow. A search adds its
//! terms' clauses and relevance score (`search.rs`); the due index is one more ticket list.
//!
//! Every clause reproduces the core's reference semantics exactly: `TicketFilter::matches`
//! for the filter, `Cursor::precedes_scored` for the cursor and `PageRequest::sort_scored` for
//! the order. Values are always bound parameters; only placeholders are written into the SQL
//! text.

use chrono::{DateTime, Utc};
use helpdesk_core::clock::ceil_micros;
use helpdesk_core::store::{AssigneeFilter, PageRequest, TicketFilter, TicketOrder, TimeRange};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params_from_iter};

use crate::error::Outcome;
use crate::rows::ticket::TICKET_COLUMNS;
use crate::rows::{all, blob, micros};

/// SQL text and the values for its numbered placeholders.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Query {
    pub(crate) sql: String,
    pub(crate) params: Vec<Value>,
}

impl Query {
    /// Every row it selects, read with `read`.
    pub(crate) fn all<T>(
        &self,
        conn: &Connection,
        read: fn(&Row<'_>) -> Outcome<T>,
    ) -> Outcome<Vec<T>> {
        all(conn, &self.sql, params_from_iter(self.params.iter()), read)
    }
}

/// Parameters, numbered as they are bound.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(Vec<Value>);

impl Params {
    /// Binds `value` and returns its placeholder.
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> String {
        self.0.push(value.into());
        format!("?{}", self.0.len())
    }

    /// The values, in placeholder order.
    pub(crate) fn into_values(self) -> Vec<Value> {
        self.0
    }
}

/// Conditions joined with AND, and their parameters.
#[derive(Default)]
pub(crate) struct Conditions {
    clauses: Vec<String>,
    params: Params,
}

impl Conditions {
    /// Binds `value` and returns its placeholder.
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> String {
        self.params.bind(value)
    }

    /// Adds a condition.
    pub(crate) fn push(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    /// `column` is any of `values`; nothing matches an empty list.
    fn any_of(&mut self, column: &str, values: Option<Vec<Value>>) {
        let Some(values) = values else { return };
        if values.is_empty() {
            self.push("FALSE".into());
            return;
        }
        let placeholders: Vec<String> = values.into_iter().map(|v| self.bind(v)).collect();
        self.push(format!("{column} IN ({})", placeholders.join(", ")));
    }

    /// `column` (whole microseconds) is inside `range`.
    fn within(&mut self, column: &str, range: &TimeRange) {
        // A stored instant is whole microseconds, so `at >= from` is `at >= ceil(from)` and
        // `at < to` is `at < ceil(to)`, also when a bound has finer precision.
        if let Some(from) = range.from {
            let p = self.bind(micros(ceil_micros(from)));
            self.push(format!("{column} >= {p}"));
        }
        if let Some(to) = range.to {
            let p = self.bind(micros(ceil_micros(to)));
            self.push(format!("{column} < {p}"));
        }
    }
}

/// The waiting order's key before the id: the virtual column `waiting_key` of migration 0002,
/// the instant someone waits since, and for tickets nobody waits on the largest integer, which
/// is no instant. `(waiting_key, id)` orders like the reference's
/// `(waiting_since.is_none(), waiting_since, id)`.
const WAITING_KEY: &str = "t.waiting_key";

/// The `waiting_key` of a ticket waited on since `waiting_since`.
fn waiting_key(waiting_since: Option<DateTime<Utc>>) -> i64 {
    waiting_since.map_or(i64::MAX, micros)
}

fn id(uuid: uuid::Uuid) -> Value {
    Value::Blob(blob(uuid).to_vec())
}

/// The query for one page of `filter`'s tickets. Every relevance score is 0.
pub(crate) fn list_tickets(filter: &TicketFilter, page: &PageRequest) -> Query {
    page_of(Conditions::default(), None, filter, page)
}

/// The query for one page of the tickets that meet `w` and `filter`. `score` is the SQL of a
/// search's relevance score (the `relevance` column), `None` outside a search: every score 0.
pub(crate) fn page_of(
    w: Conditions,
    score: Option<String>,
    filter: &TicketFilter,
    page: &PageRequest,
) -> Query {
    page_from(w, None, score, filter, page)
}

/// [`page_of`] over the tickets `t` of `from` (SQL of a FROM clause naming the tickets `t`),
/// or of the table when `None`.
pub(crate) fn page_from(
    mut w: Conditions,
    from: Option<&str>,
    score: Option<String>,
    filter: &TicketFilter,
    page: &PageRequest,
) -> Query {
    filter_of(&mut w, filter);

    if let Some(cursor) = page.cursor() {
        let after = id(cursor.id().as_uuid());
        match page.order() {
            // Later in "last update" order: an older (updated_at, id).
            TicketOrder::LastUpdate => {
                let updated = w.bind(micros(cursor.updated_at()));
                let after = w.bind(after);
                w.push(format!("(t.updated_at, t.id) < ({updated}, {after})"));
            }
            // Later by relevance: a lower score, or the same one and an older (updated_at, id).
            TicketOrder::Relevance => match &score {
                Some(score) => {
                    let updated = w.bind(micros(cursor.updated_at()));
                    let after = w.bind(after);
                    let s = w.bind(i64::from(cursor.score()));
                    w.push(format!(
                        "({score} < {s} OR \
                         ({score} = {s} AND (t.updated_at, t.id) < ({updated}, {after})))"
                    ));
                }
                // Every score is 0: `0 < score OR (0 = score AND ...)`, decided here so that
                // the list seeks its index as in "last update" order.
                None if cursor.score() > 0 => {}
                None => {
                    let updated = w.bind(micros(cursor.updated_at()));
                    let after = w.bind(after);
                    w.push(format!("(t.updated_at, t.id) < ({updated}, {after})"));
                }
            },
            // Later in the queue: a lower priority, or the same one and a newer (updated_at, id).
            TicketOrder::Priority => {
                let updated = w.bind(micros(cursor.updated_at()));
                let after = w.bind(after);
                let priority = w.bind(i64::from(cursor.priority().rank()));
                w.push(format!(
                    "(t.priority < {priority} OR \
                     (t.priority = {priority} AND (t.updated_at, t.id) > ({updated}, {after})))"
                ));
            }
            // Later in the waiting order: a greater (waiting key, id).
            TicketOrder::Waiting => {
                let waiting = w.bind(waiting_key(cursor.waiting_since()));
                let after = w.bind(after);
                w.push(format!("({WAITING_KEY}, t.id) > ({waiting}, {after})"));
            }
        }
    }

    let order = match page.order() {
        TicketOrder::LastUpdate => "t.updated_at DESC, t.id DESC".to_owned(),
        TicketOrder::Relevance if score.is_some() => {
            "relevance DESC, t.updated_at DESC, t.id DESC".to_owned()
        }
        TicketOrder::Relevance => "t.updated_at DESC, t.id DESC".to_owned(),
        TicketOrder::Priority => "t.priority DESC, t.updated_at ASC, t.id ASC".to_owned(),
        TicketOrder::Waiting => format!("{WAITING_KEY} ASC, t.id ASC"),
    };
    // A literal, not a parameter: SQLite plans with a bound LIMIT's value, and so prepares
    // the statement again whenever it is bound (each time it runs). A page size is a small
    // integer, so the cache keeps one statement per size.
    let limit = i64::from(page.limit()) + 1;
    let relevance = score.as_deref().unwrap_or("0");
    let from = from.unwrap_or("tickets t");
    let filter = if w.clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.clauses.join("\n  AND "))
    };
    Query {
        sql: format!(
            "SELECT {TICKET_COLUMNS},\n    {relevance} AS relevance\nFROM {from}\n{filter}\n\
             ORDER BY {order}\nLIMIT {limit}"
        ),
        params: w.params.into_values(),
    }
}

/// Adds the conditions of [`TicketFilter::matches`] on the ticket `t`.
fn filter_of(w: &mut Conditions, filter: &TicketFilter) {
    w.any_of(
        "t.status",
        filter
            .statuses
            .as_ref()
            .map(|s| s.iter().map(|s| Value::Text(s.as_str().into())).collect()),
    );
    w.any_of(
        "t.department",
        filter
            .departments
            .as_ref()
            .map(|d| d.iter().map(|d| id(d.as_uuid())).collect()),
    );
    w.any_of(
        "t.customer",
        filter
            .customers
            .as_ref()
            .map(|c| c.iter().map(|c| id(c.as_uuid())).collect()),
    );
    w.any_of(
        "t.priority",
        filter
            .priorities
            .as_ref()
            .map(|p| p.iter().map(|p| Value::Integer(p.rank().into())).collect()),
    );
    match filter.assignee {
        None => {}
        Some(AssigneeFilter::Unassigned) => w.push("t.assignee IS NULL".into()),
        Some(AssigneeFilter::Agent(agent)) => {
            let p = w.bind(id(agent.as_uuid()));
            w.push(format!("t.assignee = {p}"));
        }
    }
    if let Some(customer) = filter.customer {
        let p = w.bind(id(customer.as_uuid()));
        w.push(format!("t.customer = {p}"));
    }
    if let Some(ticket_type) = &filter.ticket_type {
        let p = w.bind(ticket_type.as_str().to_owned());
        w.push(format!("t.ticket_type = {p}"));
    }
    if let Some(category) = &filter.category {
        let p = w.bind(category.as_str().to_owned());
        w.push(format!(
            "EXISTS (SELECT 1 FROM ticket_categories tc \
             WHERE tc.ticket_id = t.id AND tc.category = {p})"
        ));
    }
    if let Some(master) = filter.master {
        let p = w.bind(id(master.as_uuid()));
        w.push(format!("t.master = {p}"));
    }
    if let Some(internal) = filter.internal {
        let p = w.bind(internal);
        w.push(format!("t.internal = {p}"));
    }
    w.within("t.created_at", &filter.created);
    w.within("t.updated_at", &filter.updated);
    // A NULL `next_due_at` compares as unknown: a bounded range leaves it out.
    w.within("t.next_due_at", &filter.due);
    if let Some(tags) = &filter.tags {
        if tags.is_empty() {
            w.push("FALSE".into());
        } else {
            let keys: Vec<String> = (tags.iter()).map(|t| w.bind(t.key().to_owned())).collect();
            w.push(format!(
                "EXISTS (SELECT 1 FROM ticket_tags tt \
                 WHERE tt.ticket_id = t.id AND tt.tag_key IN ({}))",
                keys.join(", ")
            ));
        }
    }
}

/// The query counting the tickets `filter` matches.
pub(crate) fn count_tickets(filter: &TicketFilter) -> Query {
    let mut w = Conditions::default();
    filter_of(&mut w, filter);
    let filter = if w.clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.clauses.join("\n  AND "))
    };
    Query {
        sql: format!("SELECT COUNT(*) FROM tickets t\n{filter}"),
        params: w.params.into_values(),
    }
}

/// The query for up to `limit` tickets due at `now`, earliest first, then by id: a range scan
/// of the partial index `tickets_due`, which holds only tickets with something due.
pub(crate) fn due_tickets(now: DateTime<Utc>, limit: u32) -> Query {
    // A stored instant is whole microseconds, so `due <= now` is `due <= floor(now)`.
    Query {
        sql: format!(
            "SELECT {TICKET_COLUMNS}\nFROM tickets t\n\
             WHERE t.next_due_at IS NOT NULL AND t.next_due_at <= ?1\n\
             ORDER BY t.next_due_at ASC, t.id ASC\nLIMIT {limit}"
        ),
        // The limit a literal, as in `page_from`.
        params: vec![Value::Integer(micros(now))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpdesk_core::domain::Status;

    #[test]
    fn nobody_waiting_sorts_after_every_instant() {
        assert_eq!(waiting_key(None), i64::MAX);
        assert!(waiting_key(Some(DateTime::<Utc>::MAX_UTC)) < i64::MAX);
        assert!(
            waiting_key(Some(DateTime::<Utc>::MIN_UTC)) < waiting_key(Some(DateTime::UNIX_EPOCH))
        );
        // The column computes the same key.
        assert!(
            include_str!("../migrations/0002_timers.sql").contains(&format!(
                "waiting_key INTEGER\n    GENERATED ALWAYS AS (coalesce(waiting_since, {}))",
                i64::MAX
            ))
        );
    }

    #[test]
    fn values_are_bound_and_an_empty_list_matches_nothing() {
        let filter = TicketFilter {
            statuses: Some(vec![Status::New, Status::Open]),
            departments: Some(vec![]),
            ..TicketFilter::default()
        };
        let q = list_tickets(&filter, &PageRequest::default());
        assert!(q.sql.contains("t.status IN (?1, ?2)"), "{}", q.sql);
        assert!(q.sql.contains("FALSE"), "{}", q.sql);
        assert!(!q.sql.contains("'open'"), "{}", q.sql);
        // The page size is a literal: a bound LIMIT is prepared again at every run.
        assert_eq!(q.params.len(), 2);
        assert!(q.sql.ends_with("LIMIT 51"), "{}", q.sql);
    }
}

#[cfg(test)]
pub(crate) mod plans {
    use super::*;
    use helpdesk_core::domain::{DepartmentId, Priority};
    use helpdesk_core::store::Cursor;

    /// The query plan's steps for one page.
    fn plan(filter: &TicketFilter, page: &PageRequest) -> Vec<String> {
        plan_of(&list_tickets(filter, page))
    }

    fn cursor(order: TicketOrder, waiting_since: Option<i64>) -> Cursor {
        let text = match order {
            TicketOrder::LastUpdate => "u",
            TicketOrder::Priority => "p",
            TicketOrder::Waiting => "w",
            TicketOrder::Relevance => "r",
        };
        let rank = Priority::High.rank();
        let waiting = waiting_since.map_or_else(|| "-".to_owned(), |w| w.to_string());
        Cursor::decode(&format!(
            "{text}.0.{rank}.1767600000000000.{waiting}.0192d6a0c1e07c3e8d4f6d1a2b3c4d5e"
        ))
        .unwrap()
    }

    /// The plan's steps for `q`.
    pub(crate) fn plan_of(q: &Query) -> Vec<String> {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", q.sql))
            .unwrap();
        stmt.query_map(rusqlite::params_from_iter(q.params.iter()), |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn list_orders_read_an_index_in_order_without_sorting() {
        let by_department = TicketFilter {
            departments: Some(vec![DepartmentId::new()]),
            ..TicketFilter::default()
        };
        for (order, index, department_index) in [
            (
                TicketOrder::LastUpdate,
                "tickets_by_update",
                "tickets_by_department",
            ),
            (
                TicketOrder::Priority,
                "tickets_by_priority",
                "tickets_by_department_priority",
            ),
            // Outside a search every score is 0: the last-update order.
            (
                TicketOrder::Relevance,
                "tickets_by_update",
                "tickets_by_department",
            ),
        ] {
            let first = PageRequest::first(order, 50);
            let next = first.clone().after(cursor(order, None)).unwrap();
            for (filter, index) in [
                (TicketFilter::default(), index),
                (by_department.clone(), department_index),
            ] {
                for page in [&first, &next] {
                    let steps = plan(&filter, page);
                    let first_step = format!("{} ", steps[0]);
                    assert!(
                        first_step.contains(&format!("USING INDEX {index} ")),
                        "{steps:?}"
                    );
                    assert!(
                        !steps.iter().any(|s| s.contains("TEMP B-TREE")),
                        "{steps:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_waiting_order_seeks_its_index_without_sorting() {
        let first = PageRequest::first(TicketOrder::Waiting, 50);
        let pages = [
            first.clone(),
            first
                .clone()
                .after(cursor(TicketOrder::Waiting, Some(1_767_600_000_000_000)))
                .unwrap(),
            first.after(cursor(TicketOrder::Waiting, None)).unwrap(),
        ];
        for (i, page) in pages.iter().enumerate() {
            let steps = plan(&TicketFilter::default(), page);
            let first_step = format!("{} ", steps[0]);
            assert!(
                first_step.contains("USING INDEX tickets_by_waiting "),
                "{steps:?}"
            );
            // A later page seeks to the cursor instead of reading the index from the start.
            if i > 0 {
                assert!(
                    first_step.starts_with("SEARCH t ")
                        && first_step.contains("((waiting_key,id)>(?,?))"),
                    "{steps:?}"
                );
            }
            assert!(
                !steps.iter().any(|s| s.contains("TEMP B-TREE")),
                "{steps:?}"
            );
        }
    }

    #[test]
    fn due_tickets_are_a_range_of_the_partial_index() {
        let now = DateTime::from_timestamp_micros(1_767_600_000_000_000).unwrap();
        let steps = plan_of(&due_tickets(now, 100));
        assert!(
            steps[0].starts_with("SEARCH t USING INDEX tickets_due (")
                && steps[0].contains("next_due_at<?)"),
            "{steps:?}"
        );
        assert!(
            !steps.iter().any(|s| s.contains("TEMP B-TREE")),
            "{steps:?}"
        );
    }
}
