//! What every baseline does: the same rows the library writes, with hand-written SQL.
//!
//! A baseline learns the rows from the library itself: after the library has run an
//! operation once, the baseline reads the rows it wrote (the ticket row, and the rows of the
//! tables keyed by `ticket_id` that the operation added) as a [`Template`], and then writes
//! rows of the same shape and size for other tickets, changing only what must differ (ids,
//! numbers, the subject and bodies, the customer and department, timestamps, the version).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A boxed error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// A result with a boxed error.
pub type Res<T> = Result<T, BoxError>;

/// One ticket's rows: the ticket's own row and its rows in each child table, in insertion
/// order.
#[derive(Debug, Clone)]
pub struct Snapshot<R> {
    /// The `tickets` row.
    pub ticket: R,
    /// Child table name to its rows.
    pub children: BTreeMap<String, Vec<R>>,
}

/// What one operation wrote: the ticket row after it, and the child rows it added.
#[derive(Debug, Clone)]
pub struct Template<R> {
    /// The ticket row after the operation.
    pub ticket: R,
    /// Child table name to the rows the operation added.
    pub added: BTreeMap<String, Vec<R>>,
}

impl<R: Clone> Template<R> {
    /// The rows `after` has beyond `before` (all of them when `before` is `None`).
    pub fn diff(before: Option<&Snapshot<R>>, after: &Snapshot<R>) -> Self {
        let added = after
            .children
            .iter()
            .map(|(table, rows)| {
                let skip = before
                    .and_then(|b| b.children.get(table))
                    .map_or(0, Vec::len);
                (table.clone(), rows.iter().skip(skip).cloned().collect())
            })
            .collect();
        Self {
            ticket: after.ticket.clone(),
            added,
        }
    }

    /// How many rows of each child table the operation added.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.added
            .iter()
            .filter(|(_, rows)| !rows.is_empty())
            .map(|(t, rows)| (t.clone(), rows.len()))
            .collect()
    }

    /// Tables the operation wrote to that no baseline writes (its rows would be missing).
    pub fn unknown(&self) -> Vec<String> {
        self.counts()
            .into_keys()
            .filter(|t| !KNOWN_CHILDREN.contains(&t.as_str()))
            .collect()
    }
}

/// A ticket the baseline creates.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Its id.
    pub id: Uuid,
    /// Its subject.
    pub subject: String,
    /// Its three message bodies, in order.
    pub bodies: [String; 3],
    /// Its customer.
    pub customer: Uuid,
    /// Its department.
    pub department: Uuid,
}

/// The child tables a baseline writes itself; any other table the library writes to is
/// reported (and the baseline would be missing its rows).
pub const KNOWN_CHILDREN: [&str; 6] = [
    "ticket_categories",
    "notifications",
    "messages",
    "ticket_events",
    "search_fields",
    "ticket_numbers",
];

/// The hand-written side of each workload, on one backend.
#[async_trait::async_trait(?Send)]
pub trait Baseline {
    /// A row, as the backend reads it.
    type Row: Clone;

    /// The rows of ticket `id`.
    async fn snapshot(&mut self, id: Uuid) -> Res<Snapshot<Self::Row>>;
    /// Creates `spec` with the rows of `tpl` (a creation), in one transaction.
    async fn create(&mut self, tpl: &Template<Self::Row>, spec: &Spec) -> Res<()>;
    /// Applies `tpl` (a reply or a transition) to ticket `id`, in one transaction: checks the
    /// version, updates the ticket row, inserts the messages (with `bodies`) and events.
    async fn update(&mut self, tpl: &Template<Self::Row>, id: Uuid, bodies: &[String]) -> Res<()>;
    /// Writes the tickets `specs` in their final state `tpl` (all rows of a finished ticket),
    /// many in one transaction: the fast path for filler tickets.
    async fn fill(&mut self, tpl: &Template<Self::Row>, specs: &[Spec]) -> Res<()>;
    /// The first page (25 + 1 rows, as the library asks) of a department's queue, most
    /// recently updated first. Returns the rows read.
    async fn queue_page(&mut self, department: Uuid) -> Res<usize>;
    /// The first page of a department's tickets whose subject or a message holds `word`.
    async fn search_page(&mut self, department: Uuid, word: &str) -> Res<usize>;
    /// One ticket and its messages.
    async fn ticket_thread(&mut self, id: Uuid) -> Res<usize>;
    /// How many tickets are due at `now`.
    async fn due_count(&mut self, now: DateTime<Utc>) -> Res<usize>;
    /// Processes every ticket due at `now` as `tpl` says (the library's `run_due` on one
    /// ticket): reads the due tickets a hundred at a time through the due index, and writes
    /// each in its own transaction. Returns how many it processed.
    async fn run_due(&mut self, tpl: &Template<Self::Row>, now: DateTime<Utc>) -> Res<usize>;
}

/// Microseconds since the epoch.
pub fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}
