//! The change feed as a principal sees it (issue 23): [`Acting::changes_after`] and
//! [`Acting::wait_for_changes`] return only the records the principal may see, and the
//! position to resume from; [`Helpdesk::run_due`](super::Helpdesk::run_due) prunes records
//! older than the stored retention ([`SettingKey::FeedRetention`]).
//!
//! Who sees what ([`visible_change`]):
//! - the system and admins: everything;
//! - an agent: records about tickets and chats of departments they may read (after the
//!   batch: a ticket moved away is no longer theirs), their own notifications, and agents'
//!   availability;
//! - a customer: records about their own tickets that are not internal, without internal
//!   notes and with only the history kinds customers see, their own notifications and their
//!   own chats; never another customer's ticket.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::acting::Principal;
use super::{Acting, Helpdesk};
use crate::domain::{Permission, Recipient};
use crate::error::{Ability, Error, Result};
use crate::feed::{FeedChange, FeedPosition, FeedRetention, MessageScope};
use crate::store::{ChangeFeed, FeedEntry, MAX_FEED_READ, SettingKey};

/// The longest one [`Acting::wait_for_changes`] waits.
pub const MAX_FEED_WAIT: Duration = Duration::from_secs(60);

/// The records a principal may see from one read, and where to read on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesPage {
    /// The records, by position, as the principal may see them.
    pub changes: Vec<FeedEntry>,
    /// The position to read after next time: the last record read, seen or not (records
    /// the principal may not see are skipped), or the position read after when there was
    /// none.
    pub next: FeedPosition,
}

/// `change` as `principal` may see it, or `None` when they may not see it at all.
pub fn visible_change(principal: &Principal, change: &FeedChange) -> Option<FeedChange> {
    if principal.is_admin() {
        return Some(change.clone());
    }
    match principal {
        Principal::System => Some(change.clone()),
        Principal::Agent(agent) => {
            let reads = |department| agent.can(Permission::Read, department);
            let seen = match change {
                FeedChange::TicketCreated { department, .. }
                | FeedChange::TicketChanged { department, .. }
                | FeedChange::MessageAdded { department, .. } => reads(*department),
                FeedChange::NotificationCreated { recipient, .. } => {
                    *recipient == Recipient::Agent(agent.id)
                }
                FeedChange::ChatChanged {
                    department,
                    agent: talking,
                    ..
                } => reads(*department) || *talking == Some(agent.id),
                FeedChange::AvailabilityChanged { .. } => agent.active,
            };
            seen.then(|| change.clone())
        }
        Principal::Customer(customer) => {
            let own = |owner: &Option<crate::domain::CustomerId>, internal: bool| {
                !internal && *owner == Some(customer.id)
            };
            match change {
                FeedChange::TicketCreated {
                    customer: owner,
                    internal,
                    ..
                } => own(owner, *internal).then(|| change.clone()),
                FeedChange::TicketChanged {
                    ticket,
                    customer: owner,
                    department,
                    internal,
                    events,
                    public_events,
                } => {
                    // A change of staff-only history alone is none of theirs.
                    let staff_only = !events.is_empty() && public_events.is_empty();
                    (own(owner, *internal) && !staff_only).then(|| FeedChange::TicketChanged {
                        ticket: *ticket,
                        customer: *owner,
                        department: *department,
                        internal: *internal,
                        events: public_events.clone(),
                        public_events: public_events.clone(),
                    })
                }
                FeedChange::MessageAdded {
                    customer: owner,
                    internal,
                    scope,
                    ..
                } => (own(owner, *internal) && *scope == MessageScope::Public)
                    .then(|| change.clone()),
                FeedChange::NotificationCreated { recipient, .. } => {
                    (*recipient == Recipient::Customer(customer.id)).then(|| change.clone())
                }
                FeedChange::ChatChanged {
                    customer: owner, ..
                } => (*owner == customer.id).then(|| change.clone()),
                FeedChange::AvailabilityChanged { .. } => None,
            }
        }
    }
}

/// The page `entries` (read after `after`) make for `principal`.
fn page_of(principal: &Principal, after: FeedPosition, entries: Vec<FeedEntry>) -> ChangesPage {
    let next = entries.last().map_or(after, |e| e.position);
    let changes = entries
        .into_iter()
        .filter_map(|e| {
            visible_change(principal, &e.change).map(|change| FeedEntry { change, ..e })
        })
        .collect();
    ChangesPage { changes, next }
}

impl Helpdesk {
    /// The store's change feed, or [`Error::Unsupported`] when it keeps none.
    pub fn change_feed(&self) -> Result<&dyn ChangeFeed> {
        self.store
            .as_change_feed()
            .ok_or(Error::unsupported(Ability::ChangeFeed))
    }

    /// How long the feed keeps its records: the stored setting, else
    /// [`FeedRetention::DEFAULT`].
    pub async fn feed_retention(&self) -> Result<FeedRetention> {
        Ok(self.stored_feed_retention().await?.unwrap_or_default())
    }

    /// The stored retention: `None` when no admin set one (then a week) or the store keeps
    /// no settings.
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails or holds a value that is not a retention.
    pub async fn stored_feed_retention(&self) -> Result<Option<FeedRetention>> {
        let Some(settings) = self.store.as_settings_store() else {
            return Ok(None);
        };
        match settings.setting(SettingKey::FeedRetention).await? {
            None => Ok(None),
            Some(text) => FeedRetention::parse(&text)
                .map(Some)
                .map_err(|e| Error::corrupt("settings", "value", e)),
        }
    }

    /// Deletes the feed's records older than the retention at `now`; how many (none when
    /// the store keeps no feed).
    pub(crate) async fn prune_feed(&self, now: DateTime<Utc>) -> Result<u64> {
        let Some(feed) = self.store.as_change_feed() else {
            return Ok(0);
        };
        let retention = self.feed_retention().await?;
        feed.prune_changes(now - retention.duration()).await
    }
}

impl Acting {
    /// Up to `limit` records after `after`, those the principal may see (see the module).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] when `limit` is 0 or above [`MAX_FEED_READ`];
    /// [`Error::Unsupported`] when the store keeps no feed.
    pub async fn changes_after(&self, after: FeedPosition, limit: u32) -> Result<ChangesPage> {
        if limit == 0 || limit > MAX_FEED_READ {
            return Err(Error::validation(
                "limit",
                format!("read 1 to {MAX_FEED_READ} changes at a time"),
            ));
        }
        let entries = self.desk.change_feed()?.changes_after(after, limit).await?;
        Ok(page_of(&self.principal, after, entries))
    }

    /// Waits up to `timeout` (at most [`MAX_FEED_WAIT`]) for records after `after` the
    /// principal may see, and returns them (up to [`MAX_FEED_READ`]) as soon as there are;
    /// an empty page when the time passes. Records they may not see are skipped on the way
    /// (`next` moves past them).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] when `timeout` is above [`MAX_FEED_WAIT`];
    /// [`Error::Unsupported`] when the store keeps no feed.
    pub async fn wait_for_changes(
        &self,
        after: FeedPosition,
        timeout: Duration,
    ) -> Result<ChangesPage> {
        if timeout > MAX_FEED_WAIT {
            return Err(Error::validation(
                "wait",
                format!("wait at most {} seconds", MAX_FEED_WAIT.as_secs()),
            ));
        }
        let feed = self.desk.change_feed()?;
        let deadline = tokio::time::Instant::now() + timeout;
        let mut next = after;
        loop {
            let page = page_of(
                &self.principal,
                next,
                feed.changes_after(next, MAX_FEED_READ).await?,
            );
            if !page.changes.is_empty() {
                return Ok(page);
            }
            next = page.next;
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() || !feed.wait_for_changes(next, left).await? {
                return Ok(ChangesPage {
                    changes: Vec::new(),
                    next,
                });
            }
        }
    }

    /// How long the feed keeps its records (admins).
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for anyone but an admin.
    pub async fn feed_retention(&self) -> Result<FeedRetention> {
        self.require_admin()?;
        self.desk.feed_retention().await
    }

    /// Sets how long the feed keeps its records, or with `None` goes back to the default
    /// (admins), audited.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for anyone but an admin; [`Error::Unsupported`] when the store
    /// keeps no settings.
    pub async fn set_feed_retention(&self, retention: Option<FeedRetention>) -> Result<()> {
        self.require_admin()?;
        let settings = self.desk.settings_store()?;
        let before = settings.setting(SettingKey::FeedRetention).await?;
        let after = retention.map(|r| r.to_string());
        if before == after {
            return Ok(());
        }
        self.record_setting(SettingKey::FeedRetention, before, after)
            .await
    }
}
