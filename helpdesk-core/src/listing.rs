//! Ticket lists: filters, orders and keyset pagination, as every store answers them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{
    AgentId, Category, CustomerId, DepartmentId, Priority, Status, Tag, Ticket, TicketId,
    TicketType,
};
use crate::error::ValidationError;

mod customers;
mod pass;
pub mod scope;

pub use customers::{
    CustomerCursor, CustomerFilter, CustomerPage, CustomerPageRequest, CustomerText,
    MAX_CUSTOMER_TEXT, directory_key,
};
pub use pass::{Changed, Pass};

/// A half-open range of instants, `[from, to)`; either end may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    /// Inclusive start.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive end.
    pub to: Option<DateTime<Utc>>,
}

impl TimeRange {
    /// Whether `at` is inside.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from.is_none_or(|f| at >= f) && self.to.is_none_or(|t| at < t)
    }

    /// Whether neither end is given (every instant is inside).
    pub fn is_unbounded(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

/// Which assignee to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "agent", rename_all = "snake_case")]
pub enum AssigneeFilter {
    /// Tickets nobody is assigned to.
    Unassigned,
    /// Tickets assigned to this agent.
    Agent(AgentId),
}

/// Which tickets to list. Every `None` matches everything; a `Some` of an empty list matches
/// nothing. All given conditions must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TicketFilter {
    /// Any of these statuses.
    pub statuses: Option<Vec<Status>>,
    /// In any of these departments.
    pub departments: Option<Vec<DepartmentId>>,
    /// With this assignee (or none).
    pub assignee: Option<AssigneeFilter>,
    /// Of this customer.
    pub customer: Option<CustomerId>,
    /// Of any of these customers (the tickets an organisation's member may see).
    pub customers: Option<Vec<CustomerId>>,
    /// With any of these priorities.
    pub priorities: Option<Vec<Priority>>,
    /// Of this type.
    pub ticket_type: Option<TicketType>,
    /// Filed under this category.
    pub category: Option<Category>,
    /// Linked to this master ticket.
    pub master: Option<TicketId>,
    /// Internal tickets only (`true`) or customer tickets only (`false`).
    pub internal: Option<bool>,
    /// Opened in this range.
    pub created: TimeRange,
    /// Last changed in this range.
    pub updated: TimeRange,
    /// Carrying any of these tags (compared folded, see [`Tag`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// With something due (its `next_due_at`, the SLA's next deadline or another timer) in
    /// this range; a bounded range leaves out the tickets with nothing due. The queue's SLA
    /// states: overdue is `to: now`, due soon `from: now, to: now + 1 h`.
    #[serde(default, skip_serializing_if = "TimeRange::is_unbounded")]
    pub due: TimeRange,
}

impl TicketFilter {
    /// Whether `ticket` matches. Stores that filter in SQL must agree with this.
    pub fn matches(&self, ticket: &Ticket) -> bool {
        fn any<T: PartialEq>(set: &Option<Vec<T>>, value: &T) -> bool {
            set.as_ref().is_none_or(|s| s.contains(value))
        }
        any(&self.statuses, &ticket.status)
            && any(&self.departments, &ticket.department)
            && any(&self.priorities, &ticket.priority)
            && self.assignee.is_none_or(|a| match a {
                AssigneeFilter::Unassigned => ticket.assignee.is_none(),
                AssigneeFilter::Agent(id) => ticket.assignee == Some(id),
            })
            && self.customer.is_none_or(|c| ticket.customer == Some(c))
            && (self.customers.as_ref())
                .is_none_or(|set| ticket.customer.is_some_and(|c| set.contains(&c)))
            && self
                .ticket_type
                .as_ref()
                .is_none_or(|t| &ticket.ticket_type == t)
            && self
                .category
                .as_ref()
                .is_none_or(|c| ticket.categories.contains(c))
            && self.master.is_none_or(|m| ticket.master == Some(m))
            && self.internal.is_none_or(|i| ticket.internal == i)
            && self.created.contains(ticket.created_at)
            && self.updated.contains(ticket.updated_at)
            && (self.tags.as_ref()).is_none_or(|tags| tags.iter().any(|t| ticket.tags.contains(t)))
            && (self.due.is_unbounded() || ticket.next_due_at.is_some_and(|d| self.due.contains(d)))
    }
}

/// The order of a ticket list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketOrder {
    /// Most recently changed first (`updated_at` desc, then id desc).
    #[default]
    LastUpdate,
    /// A queue: highest priority first, then the longest untouched (`priority` desc,
    /// `updated_at` asc, then id asc).
    Priority,
    /// Who has waited longest first: `waiting_since` asc with tickets nobody waits on last,
    /// then id asc.
    Waiting,
    /// Search results ranked: the number of the query's included terms the subject matches,
    /// desc (see [`TicketSearch::score`](crate::search::TicketSearch::score)); then as
    /// `LastUpdate`. Outside a search every score is 0, so it is `LastUpdate`.
    Relevance,
}

crate::domain::stable_text!(TicketOrder, "order" {
    LastUpdate => "last_update",
    Priority => "priority",
    Waiting => "waiting",
    Relevance => "relevance",
});

/// Where a page ended: the sort key of its last ticket (with its relevance score in a
/// search), and the instant its pass began. Opaque to callers as a string
/// ([`encode`](Self::encode), [`decode`](Self::decode)); it names no ticket to read again, so
/// a ticket that changes between two pages does not move it.
///
/// A *pass* is the pages read from a first page through the cursors that follow. The desk
/// ([`Acting::list_tickets`](crate::service::Acting::list_tickets) and
/// [`search_tickets`](crate::service::Acting::search_tickets)) stamps each cursor with the
/// pass's [`as_of`](Self::as_of): [`Pass::MARGIN`] before the first page was read. The pages
/// after the first list only tickets last changed before `as_of`, and report the ones left
/// out as [`Page::changed`]; see [`Pass`] for what that guarantees. A cursor a store makes
/// ([`after`](Self::after)) has no `as_of` and pages by its key alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    order: TicketOrder,
    score: u32,
    priority: Priority,
    updated_at: DateTime<Utc>,
    waiting_since: Option<DateTime<Utc>>,
    id: TicketId,
    as_of: Option<DateTime<Utc>>,
}

impl Cursor {
    /// The cursor just after `ticket` in `order` (its relevance score 0).
    pub fn after(order: TicketOrder, ticket: &Ticket) -> Self {
        Self::after_scored(order, ticket, 0)
    }

    /// The cursor just after `ticket`, whose relevance score is `score`.
    pub fn after_scored(order: TicketOrder, ticket: &Ticket, score: u32) -> Self {
        Self {
            order,
            score,
            priority: ticket.priority,
            updated_at: ticket.updated_at,
            waiting_since: ticket.waiting_since,
            id: ticket.id,
            as_of: None,
        }
    }

    /// This cursor in the pass that began at `as_of` (see [`Pass`]).
    pub fn in_pass(self, as_of: DateTime<Utc>) -> Self {
        Self {
            as_of: Some(crate::clock::to_micros(as_of)),
            ..self
        }
    }

    /// When the pass it belongs to began, less [`Pass::MARGIN`]; `None` for a cursor a store
    /// made, which belongs to no pass.
    pub fn as_of(&self) -> Option<DateTime<Utc>> {
        self.as_of
    }

    /// The last ticket's `waiting_since`.
    pub fn waiting_since(&self) -> Option<DateTime<Utc>> {
        self.waiting_since
    }

    /// The last ticket's relevance score (0 outside a search).
    pub fn score(&self) -> u32 {
        self.score
    }

    /// The order it belongs to.
    pub fn order(&self) -> TicketOrder {
        self.order
    }

    /// The last ticket's priority.
    pub fn priority(&self) -> Priority {
        self.priority
    }

    /// The last ticket's `updated_at`.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }

    /// The last ticket's id.
    pub fn id(&self) -> TicketId {
        self.id
    }

    /// Whether `ticket` (relevance score 0) comes after this cursor in its order.
    pub fn precedes(&self, ticket: &Ticket) -> bool {
        self.precedes_scored(ticket, 0)
    }

    /// Whether `ticket`, whose relevance score is `score`, comes after this cursor.
    pub fn precedes_scored(&self, ticket: &Ticket, score: u32) -> bool {
        use std::cmp::Ordering::*;
        let later = (ticket.updated_at, ticket.id).cmp(&(self.updated_at, self.id)) == Less;
        match self.order {
            TicketOrder::LastUpdate => later,
            TicketOrder::Relevance => match score.cmp(&self.score) {
                Less => true,
                Greater => false,
                Equal => later,
            },
            TicketOrder::Priority => match ticket.priority.cmp(&self.priority) {
                Less => true,
                Greater => false,
                Equal => (ticket.updated_at, ticket.id) > (self.updated_at, self.id),
            },
            TicketOrder::Waiting => {
                waiting_key(ticket.waiting_since, ticket.id)
                    > waiting_key(self.waiting_since, self.id)
            }
        }
    }

    /// The text form, to hand to clients.
    pub fn encode(&self) -> String {
        let o = match self.order {
            TicketOrder::LastUpdate => 'u',
            TicketOrder::Priority => 'p',
            TicketOrder::Waiting => 'w',
            TicketOrder::Relevance => 'r',
        };
        let waiting = self
            .waiting_since
            .map_or_else(|| "-".to_owned(), |w| w.timestamp_micros().to_string());
        let mut text = format!(
            "{o}.{}.{}.{}.{waiting}.{}",
            self.score,
            self.priority.rank(),
            self.updated_at.timestamp_micros(),
            self.id.as_uuid().simple()
        );
        if let Some(as_of) = self.as_of {
            text.push_str(&format!(".{}", as_of.timestamp_micros()));
        }
        text
    }

    /// Parses [`encode`](Self::encode)'s output. Anything else is a
    /// [`ValidationError`] on the field `cursor`.
    pub fn decode(s: &str) -> Result<Self, ValidationError> {
        let bad = || {
            ValidationError::new(
                "cursor",
                "is not a cursor this desk gave out: pass the `next` of the previous page as it \
                 is, or leave it out for the first page",
            )
        };
        let mut parts = s.split('.');
        let order = match parts.next() {
            Some("u") => TicketOrder::LastUpdate,
            Some("p") => TicketOrder::Priority,
            Some("w") => TicketOrder::Waiting,
            Some("r") => TicketOrder::Relevance,
            _ => return Err(bad()),
        };
        let score: u32 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let rank: i64 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let micros: i64 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let waiting = match parts.next().ok_or_else(bad)? {
            "-" => None,
            w => Some(
                w.parse()
                    .ok()
                    .and_then(DateTime::from_timestamp_micros)
                    .ok_or_else(bad)?,
            ),
        };
        let id = parts
            .next()
            .and_then(|p| Uuid::try_parse(p).ok())
            .ok_or_else(bad)?;
        let as_of = match parts.next() {
            None => None,
            Some(p) => Some(
                p.parse()
                    .ok()
                    .and_then(DateTime::from_timestamp_micros)
                    .ok_or_else(bad)?,
            ),
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(Self {
            order,
            score,
            priority: Priority::from_rank(rank).map_err(|_| bad())?,
            updated_at: DateTime::from_timestamp_micros(micros).ok_or_else(bad)?,
            waiting_since: waiting,
            id: TicketId::from_uuid(id),
            as_of,
        })
    }
}

/// The waiting order's sort key: tickets someone waits on first (oldest first), then the
/// rest; ties by id.
fn waiting_key(
    since: Option<DateTime<Utc>>,
    id: TicketId,
) -> (bool, Option<DateTime<Utc>>, TicketId) {
    (since.is_none(), since, id)
}

/// How two tickets (with their relevance scores) compare in `order`.
fn compare(
    order: TicketOrder,
    (a, sa): (&Ticket, u32),
    (b, sb): (&Ticket, u32),
) -> std::cmp::Ordering {
    let later_first = (b.updated_at, b.id).cmp(&(a.updated_at, a.id));
    match order {
        TicketOrder::LastUpdate => later_first,
        TicketOrder::Relevance => sb.cmp(&sa).then(later_first),
        TicketOrder::Waiting => {
            waiting_key(a.waiting_since, a.id).cmp(&waiting_key(b.waiting_since, b.id))
        }
        TicketOrder::Priority => b
            .priority
            .cmp(&a.priority)
            .then((a.updated_at, a.id).cmp(&(b.updated_at, b.id))),
    }
}

/// Which page of a list to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    order: TicketOrder,
    limit: u32,
    after: Option<Cursor>,
}

impl PageRequest {
    /// The most items a page may hold; larger requests are capped to it.
    pub const MAX_LIMIT: u32 = 200;

    /// The first page of `limit` items (1 to [`MAX_LIMIT`](Self::MAX_LIMIT), capped).
    pub fn first(order: TicketOrder, limit: u32) -> Self {
        Self {
            order,
            limit: limit.clamp(1, Self::MAX_LIMIT),
            after: None,
        }
    }

    /// The page after `cursor`, which must come from a list in the same order.
    pub fn after(self, cursor: Cursor) -> Result<Self, ValidationError> {
        if cursor.order != self.order {
            return Err(ValidationError::new(
                "cursor",
                "belongs to a list in another order",
            ));
        }
        Ok(Self {
            after: Some(cursor),
            ..self
        })
    }

    /// The order.
    pub fn order(&self) -> TicketOrder {
        self.order
    }

    /// How many items at most.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The cursor to start after.
    pub fn cursor(&self) -> Option<&Cursor> {
        self.after.as_ref()
    }

    /// Sorts tickets in this page's order (the reference for SQL `ORDER BY`), every
    /// relevance score 0.
    pub fn sort(&self, tickets: &mut [Ticket]) {
        tickets.sort_by(|a, b| compare(self.order, (a, 0), (b, 0)));
    }

    /// Sorts scored tickets in this page's order: by score first for `Relevance`.
    pub fn sort_scored(&self, rows: &mut [(Ticket, u32)]) {
        rows.sort_by(|(a, sa), (b, sb)| compare(self.order, (a, *sa), (b, *sb)));
    }

    /// Turns up to `limit + 1` sorted rows into a page: keeps `limit`, and a cursor when more
    /// remain.
    pub fn into_page(&self, rows: Vec<Ticket>) -> Page<Ticket> {
        self.into_page_scored(rows.into_iter().map(|t| (t, 0)).collect())
    }

    /// [`into_page`](Self::into_page) for rows with their relevance scores.
    pub fn into_page_scored(&self, mut rows: Vec<(Ticket, u32)>) -> Page<Ticket> {
        let more = rows.len() > self.limit as usize;
        rows.truncate(self.limit as usize);
        let next = if more {
            rows.last()
                .map(|(t, score)| Cursor::after_scored(self.order, t, *score))
        } else {
            None
        };
        Page {
            items: rows.into_iter().map(|(t, _)| t).collect(),
            next,
            changed: None,
        }
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::first(TicketOrder::LastUpdate, 50)
    }
}

/// A page of results, the cursor to the next one, and on a page after the first of a pass,
/// the tickets the pass leaves out because they changed since it began (see [`Pass`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
    /// On a page after the first, read through the desk: the tickets matching the list's
    /// filter (and search) that changed since the pass began. They are on no later page of
    /// this pass; a new first page lists them where they are now. `None` on a first page and
    /// from a store.
    pub changed: Option<Changed>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_a_validation_error() {
        let c = Cursor {
            order: TicketOrder::Priority,
            score: 3,
            priority: Priority::High,
            updated_at: DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            waiting_since: None,
            id: TicketId::new(),
            as_of: None,
        };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        let in_pass = c.in_pass(DateTime::from_timestamp_micros(1_700_000_100_000_007).unwrap());
        assert_eq!(Cursor::decode(&in_pass.encode()).unwrap(), in_pass);
        let c = Cursor {
            order: TicketOrder::Waiting,
            waiting_since: DateTime::from_timestamp_micros(1_600_000_000_000_001),
            ..c
        };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        for junk in [
            "",
            "x",
            "u.2",
            "u.9.1.00",
            "p.2.1.zz",
            "u.2.1.0192d6a0c1e07c3e8d4f6d1a2b3c4d5e.x",
            "u.0.2.1.-.0192d6a0c1e07c3e8d4f6d1a2b3c4d5e.soon",
            "u.0.2.1.-.0192d6a0c1e07c3e8d4f6d1a2b3c4d5e.1.2",
        ] {
            assert!(Cursor::decode(junk).is_err(), "{junk}");
        }
    }
}
