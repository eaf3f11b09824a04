//! Tags in use ([`TagStore`]): how many tickets carry each, for completing a tag as it is
//! typed and for the tickets per tag in reports; and the reference count
//! ([`reference_tag_counts`]) every store's answer must equal.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::domain::{DepartmentId, Tag, TagCount, Ticket};
use crate::error::Result;
use crate::listing::TimeRange;

/// Which tickets' tags to count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagScope {
    /// Tags whose folded key starts with this (already folded, see [`Tag::fold`]; empty:
    /// every tag).
    pub prefix: String,
    /// Tickets in these departments (`None`: every department).
    pub departments: Option<Vec<DepartmentId>>,
    /// Tickets opened in this range.
    pub created: TimeRange,
}

/// An ability a store may offer ([`Store::as_tag_store`](super::Store::as_tag_store)):
/// the tags on tickets, counted where the data is. The tags themselves are written with
/// their tickets ([`Ticket::tags`], in [`commit`](super::Store::commit)).
#[async_trait]
pub trait TagStore: Send + Sync {
    /// The tags on the tickets in `scope` with how many carry each, the most carried first
    /// (ties by key, bytewise), at most `limit`; each shown as its bytewise-least text.
    /// Equal to [`reference_tag_counts`].
    async fn tag_counts(&self, scope: &TagScope, limit: u32) -> Result<Vec<TagCount>>;
}

/// [`TagStore::tag_counts`] over `tickets`: the reference stores agree with.
pub fn reference_tag_counts<'a>(
    tickets: impl IntoIterator<Item = &'a Ticket>,
    scope: &TagScope,
    limit: u32,
) -> Vec<TagCount> {
    let mut counts: BTreeMap<&str, (&str, u64)> = BTreeMap::new();
    for t in tickets {
        if scope
            .departments
            .as_ref()
            .is_some_and(|ds| !ds.contains(&t.department))
            || !scope.created.contains(t.created_at)
        {
            continue;
        }
        for tag in &t.tags {
            if !tag.key().starts_with(&scope.prefix) {
                continue;
            }
            let entry = counts.entry(tag.key()).or_insert((tag.as_str(), 0));
            entry.0 = entry.0.min(tag.as_str());
            entry.1 += 1;
        }
    }
    let mut rows: Vec<(&str, &str, u64)> = counts
        .into_iter()
        .map(|(key, (text, n))| (key, text, n))
        .collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    rows.into_iter()
        .take(limit as usize)
        .filter_map(|(_, text, tickets)| {
            Some(TagCount {
                tag: Tag::parse(text).ok()?,
                tickets,
            })
        })
        .collect()
}
