//! A pass: a list read page by page while tickets change, and what it promises. The desk
//! follows it for every list and search; stores need nothing for it but the filter's
//! `updated` range.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{Cursor, Page, PageRequest, TicketFilter, TicketOrder};
use crate::clock::to_micros;
use crate::domain::{Ticket, TicketId};

/// The tickets a pass leaves out because they changed since it began ([`Page::changed`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changed {
    /// The pass's [`as_of`](Pass::as_of): these tickets were last changed at or after it.
    pub since: DateTime<Utc>,
    /// Their ids, the most recently changed first, at most [`Pass::CHANGED_LIMIT`].
    pub tickets: Vec<TicketId>,
    /// Whether more tickets changed than `tickets` names.
    pub more: bool,
}

/// Where a page stands in its pass: the first page, or a later one of the pass that began at
/// [`as_of`](Self::as_of).
///
/// A first page (no cursor, or a cursor with no [`Cursor::as_of`]) lists the tickets as they
/// are, and its cursor carries `as_of`: the instant the page was read, less [`MARGIN`](Self::MARGIN).
/// A later page lists only the tickets last changed before `as_of`
/// ([`narrow`](Self::narrow)), after the cursor's key, and reports as
/// [`Page::changed`] the tickets matching the filter last changed at or after it
/// ([`changed_filter`](Self::changed_filter)). So, in a pass:
///
/// - each ticket is listed at most once, wherever it moves while the pass goes on;
/// - a ticket that matches the filter when the last page is read is listed, or named by
///   that page's `changed` (counted by its `more` past [`CHANGED_LIMIT`](Self::CHANGED_LIMIT));
/// - a ticket that did not change since `as_of` is listed where it was when the pass began.
///
/// A ticket changed in the margin before the first page counts as changed: the first page
/// lists it if it falls there, later pages report it. The promises hold because every change
/// the desk makes to a ticket sets its `updated_at` to the desk's clock, as long as that
/// clock does not go back and a change commits within the margin of the instant it was
/// stamped with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    as_of: DateTime<Utc>,
    first: bool,
}

impl Pass {
    /// How long before its first page was read a pass's `as_of` lies: room for changes
    /// stamped before that read and committed after it (longer than the five seconds a
    /// SQLite write waits for a lock).
    pub const MARGIN: TimeDelta = TimeDelta::seconds(10);

    /// The most tickets [`Page::changed`] names.
    pub const CHANGED_LIMIT: u32 = 50;

    /// The pass of `page`, read at `now`.
    pub fn of(page: &PageRequest, now: DateTime<Utc>) -> Self {
        match page.cursor().and_then(Cursor::as_of) {
            Some(as_of) => Self {
                as_of,
                first: false,
            },
            None => Self {
                as_of: to_micros(now - Self::MARGIN),
                first: true,
            },
        }
    }

    /// When the pass began, less [`MARGIN`](Self::MARGIN).
    pub fn as_of(&self) -> DateTime<Utc> {
        self.as_of
    }

    /// Whether this is the pass's first page.
    pub fn is_first(&self) -> bool {
        self.first
    }

    /// The filter the page is read with: `filter` on a first page; on a later one, `filter`
    /// with only tickets last changed before `as_of`.
    pub fn narrow(&self, filter: &TicketFilter) -> TicketFilter {
        let mut filter = filter.clone();
        if !self.first {
            filter.updated.to = Some(
                filter
                    .updated
                    .to
                    .map_or(self.as_of, |to| to.min(self.as_of)),
            );
        }
        filter
    }

    /// The filter of the tickets this page leaves out because they changed since the pass
    /// began: `filter` with only tickets last changed at or after `as_of`. `None` on a first
    /// page, which leaves none out.
    pub fn changed_filter(&self, filter: &TicketFilter) -> Option<TicketFilter> {
        if self.first {
            return None;
        }
        let mut filter = filter.clone();
        filter.updated.from = Some(
            filter
                .updated
                .from
                .map_or(self.as_of, |from| from.max(self.as_of)),
        );
        Some(filter)
    }

    /// The page to read [`changed_filter`](Self::changed_filter)'s tickets with: the most
    /// recently changed first, [`CHANGED_LIMIT`](Self::CHANGED_LIMIT) of them.
    pub fn changed_page() -> PageRequest {
        PageRequest::first(TicketOrder::LastUpdate, Self::CHANGED_LIMIT)
    }

    /// The page as the caller gets it: `found` (read with [`narrow`](Self::narrow)'s filter)
    /// with its cursor in this pass, and `changed` (read with
    /// [`changed_filter`](Self::changed_filter)'s filter and [`changed_page`](Self::changed_page))
    /// as its report.
    pub fn finish(&self, mut found: Page<Ticket>, changed: Option<Page<Ticket>>) -> Page<Ticket> {
        found.next = found.next.map(|c| c.in_pass(self.as_of));
        found.changed = changed.map(|c| Changed {
            since: self.as_of,
            tickets: c.items.iter().map(|t| t.id).collect(),
            more: c.next.is_some(),
        });
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::TimeRange;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn later_page(as_of: DateTime<Utc>) -> PageRequest {
        let cursor = Cursor::decode("p.0.2.1767603600000000.-.0192d6a0c1e07c3e8d4f6d1a2b3c4d5e")
            .unwrap()
            .in_pass(as_of);
        PageRequest::first(TicketOrder::Priority, 10)
            .after(cursor)
            .unwrap()
    }

    #[test]
    fn a_first_page_reads_everything_and_begins_the_pass_a_margin_before_now() {
        let now = at("2026-01-05T10:00:00Z");
        let pass = Pass::of(&PageRequest::first(TicketOrder::Priority, 10), now);
        assert!(pass.is_first());
        assert_eq!(pass.as_of(), at("2026-01-05T09:59:50Z"));
        let filter = TicketFilter::default();
        assert_eq!(pass.narrow(&filter), filter);
        assert_eq!(pass.changed_filter(&filter), None);
    }

    #[test]
    fn later_pages_split_the_filter_at_as_of_within_its_own_updated_range() {
        let as_of = at("2026-01-05T09:59:30Z");
        let pass = Pass::of(&later_page(as_of), at("2026-01-05T11:00:00Z"));
        assert!(!pass.is_first());
        assert_eq!(pass.as_of(), as_of, "the pass keeps its instant");
        let open = TicketFilter::default();
        assert_eq!(
            pass.narrow(&open).updated,
            TimeRange {
                from: None,
                to: Some(as_of)
            }
        );
        assert_eq!(
            pass.changed_filter(&open).unwrap().updated,
            TimeRange {
                from: Some(as_of),
                to: None
            }
        );
        // A range of the caller's own is only ever narrowed.
        let early = TicketFilter {
            updated: TimeRange {
                from: Some(at("2026-01-01T00:00:00Z")),
                to: Some(at("2026-01-02T00:00:00Z")),
            },
            ..TicketFilter::default()
        };
        assert_eq!(pass.narrow(&early), early);
        let changed = pass.changed_filter(&early).unwrap().updated;
        assert_eq!(changed.from, Some(as_of));
        assert_eq!(
            changed.to, early.updated.to,
            "an empty range: nothing changed"
        );
    }

    #[test]
    fn finishing_puts_the_cursor_in_the_pass_and_names_the_changed_tickets() {
        let as_of = at("2026-01-05T09:59:30Z");
        let pass = Pass::of(&later_page(as_of), at("2026-01-05T11:00:00Z"));
        let next =
            Cursor::decode("p.0.1.1767603600000000.-.0192d6a0c1e07c3e8d4f6d1a2b3c4d5e").unwrap();
        let found = Page {
            items: Vec::new(),
            next: Some(next),
            changed: None,
        };
        let changed = Page {
            items: Vec::new(),
            next: Some(next),
            changed: None,
        };
        let page = pass.finish(found, Some(changed));
        assert_eq!(page.next.unwrap().as_of(), Some(as_of));
        assert_eq!(
            page.changed,
            Some(Changed {
                since: as_of,
                tickets: Vec::new(),
                more: true
            })
        );
    }
}
