//! Reading ticket lists: one page after a cursor, or every ticket (a pass page by page, then
//! a pass over the tickets that changed meanwhile), for `list`, `search` and `export`.

use std::collections::HashMap;

use helpdesk::domain::{Ticket, TicketId};
use helpdesk::error::ValidationError;
use helpdesk::search::{SearchQuery, TicketSearch};
use helpdesk::service::Acting;
use helpdesk::store::{Changed, Cursor, Page, PageRequest, TicketFilter, TicketOrder};

use crate::CliResult;

/// A list as `acting` reads it: the tickets `filter` matches, or those `query` finds.
pub(crate) struct Listing<'a> {
    pub(crate) acting: &'a Acting,
    pub(crate) query: Option<&'a str>,
    pub(crate) filter: TicketFilter,
}

/// What was read: tickets, the cursor of the next page, and what changed since the first
/// page of the pass.
pub(crate) struct Listed {
    pub(crate) items: Vec<Ticket>,
    pub(crate) next: Option<Cursor>,
    pub(crate) changed: Option<Changed>,
}

/// The most passes over changed tickets [`Listing::every`] makes before it stops.
const CATCH_UP_PASSES: usize = 10;

impl Listing<'_> {
    /// The order a list is in without a cursor: by relevance for a search, else newest
    /// change first.
    pub(crate) fn order(&self) -> TicketOrder {
        if self.query.is_some() {
            TicketOrder::Relevance
        } else {
            TicketOrder::LastUpdate
        }
    }

    /// One page: the first of `limit`, or the one after `after` (a cursor a page printed).
    pub(crate) async fn page(&self, limit: u32, after: Option<&str>) -> CliResult<Listed> {
        let page = match after {
            Some(text) => {
                let about_after =
                    |e: ValidationError| ValidationError::new("--after", e.message().to_owned());
                let cursor = Cursor::decode(text.trim()).map_err(about_after)?;
                PageRequest::first(cursor.order(), limit)
                    .after(cursor)
                    .map_err(about_after)?
            }
            None => PageRequest::first(self.order(), limit),
        };
        let found = self.read(&self.filter, page).await?;
        Ok(Listed {
            items: found.items,
            next: found.next,
            changed: found.changed,
        })
    }

    /// Every ticket, each once, in the list's order, read in pages of `limit`. A pass leaves
    /// out the tickets that
    /// change while it reads (it names them); a pass over just those follows, until one
    /// leaves none out (at most [`CATCH_UP_PASSES`] of them). A ticket read twice is shown
    /// as it was read last.
    pub(crate) async fn every(&self, limit: u32) -> CliResult<Vec<Ticket>> {
        let order = self.order();
        let mut seen: HashMap<TicketId, Ticket> = HashMap::new();
        let mut filter = self.filter.clone();
        for _ in 0..=CATCH_UP_PASSES {
            let mut page = PageRequest::first(order, limit);
            let changed = loop {
                let found = self.read(&filter, page.clone()).await?;
                seen.extend(found.items.into_iter().map(|t| (t.id, t)));
                match found.next {
                    Some(next) => page = page.after(next)?,
                    None => break found.changed,
                }
            };
            match changed {
                Some(c) if !c.tickets.is_empty() => {
                    filter.updated.from =
                        Some(filter.updated.from.map_or(c.since, |f| f.max(c.since)));
                }
                _ => break,
            }
        }
        let mut rows: Vec<(Ticket, u32)> = match self.query {
            Some(q) => {
                let search = TicketSearch {
                    query: SearchQuery::parse(q)?,
                    filter: TicketFilter::default(),
                    include_internal: false,
                };
                seen.into_values()
                    .map(|t| {
                        let score = search.score(&t);
                        (t, score)
                    })
                    .collect()
            }
            None => seen.into_values().map(|t| (t, 0)).collect(),
        };
        PageRequest::first(order, 1).sort_scored(&mut rows);
        Ok(rows.into_iter().map(|(t, _)| t).collect())
    }

    /// How many tickets the filter matches, of those the actor may see; `None` for a search.
    pub(crate) async fn total(&self) -> CliResult<Option<u64>> {
        match self.query {
            Some(_) => Ok(None),
            None => Ok(Some(self.acting.count_tickets(self.filter.clone()).await?)),
        }
    }

    async fn read(&self, filter: &TicketFilter, page: PageRequest) -> CliResult<Page<Ticket>> {
        Ok(match self.query {
            Some(q) => self.acting.search_tickets(q, filter.clone(), page).await?,
            None => self.acting.list_tickets(filter.clone(), page).await?,
        })
    }
}
