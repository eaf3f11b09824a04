//! Retention (issue 22, item 4): closed tickets nobody changed for a number of days are
//! erased or anonymised by [`Helpdesk::run_due`], a batch per run, each once, also with
//! several workers (the store counts only tickets it still had to handle, and writes no
//! audit entry for a batch another worker did first). A store setting, off by default;
//! admins set it, audited.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{Acting, Helpdesk};
use crate::domain::Resolution;
use crate::domain::{Actor, Status, TicketId};
use crate::error::{Error, Result};
use crate::listing::{PageRequest, TicketFilter, TicketOrder, TimeRange};
use crate::store::{ANONYMISED, ErasureCause, ErasureMode, ErasurePlan, ErasureRecord, SettingKey};

/// The most days [`Retention::closed_days`] may be: a hundred years.
pub const MAX_RETENTION_DAYS: u32 = 36_600;

/// How many tickets one run of the rule handles at most.
pub const RETENTION_BATCH: usize = 500;

/// The retention rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// Closed tickets not changed for this many days (1 to [`MAX_RETENTION_DAYS`]) are
    /// handled.
    pub closed_days: u32,
    /// Erased, or anonymised.
    pub mode: ErasureMode,
}

impl Retention {
    /// Checks the bounds.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] on `closed_days` outside 1 to [`MAX_RETENTION_DAYS`].
    pub fn check(self) -> Result<Self> {
        if !(1..=MAX_RETENTION_DAYS).contains(&self.closed_days) {
            return Err(Error::validation(
                "closed_days",
                "must be between 1 and 36600",
            ));
        }
        Ok(self)
    }
}

/// Every closed status.
fn closed() -> Vec<Status> {
    [
        Resolution::Solved,
        Resolution::Unsolved,
        Resolution::AutoClosed,
        Resolution::Merged,
        Resolution::Duplicate,
    ]
    .into_iter()
    .map(Status::Closed)
    .collect()
}

impl Helpdesk {
    /// The retention rule in force: `None` when unset (the default) or the store keeps no
    /// settings.
    pub async fn retention(&self) -> Result<Option<Retention>> {
        let Some(settings) = self.store.as_settings_store() else {
            return Ok(None);
        };
        match settings.setting(SettingKey::Retention).await? {
            None => Ok(None),
            Some(text) => serde_json::from_str::<Retention>(&text)
                .map(Some)
                .map_err(|e| Error::corrupt("settings", "value", e)),
        }
    }

    /// Handles up to [`RETENTION_BATCH`] tickets the rule in force names at `now`; how many.
    pub(crate) async fn apply_retention(&self, now: DateTime<Utc>) -> Result<u64> {
        let Some(rule) = self.retention().await? else {
            return Ok(0);
        };
        if self.store.as_erasure_store().is_none() {
            return Ok(0);
        }
        let filter = TicketFilter {
            statuses: Some(closed()),
            updated: TimeRange {
                from: None,
                to: Some(now - Duration::days(rule.closed_days.into())),
            },
            ..TicketFilter::default()
        };
        let mut page = PageRequest::first(TicketOrder::default(), PageRequest::MAX_LIMIT);
        let mut tickets: Vec<TicketId> = Vec::new();
        while tickets.len() < RETENTION_BATCH {
            let got = self.store.list_tickets(&filter, &page).await?;
            tickets.extend(
                (got.items.iter())
                    .filter(|t| rule.mode == ErasureMode::Erase || t.subject.as_str() != ANONYMISED)
                    .map(|t| t.id),
            );
            match got.next {
                Some(cursor) => page = page.after(cursor).map_err(Error::from)?,
                None => break,
            }
        }
        tickets.truncate(RETENTION_BATCH);
        if tickets.is_empty() {
            return Ok(0);
        }
        let plan = ErasurePlan {
            mode: rule.mode,
            record: ErasureRecord {
                mode: rule.mode,
                cause: ErasureCause::Retention,
                actor: Actor::System,
                at: now,
                tickets: tickets.len() as u64,
                customer: false,
            },
            tickets,
            customer: None,
            address: None,
            placeholder: None,
        };
        self.apply_erasure(&plan).await
    }
}

impl Acting {
    /// The retention rule (admins); `None` when off.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for anyone but an admin, [`Error::Unsupported`] when the store
    /// keeps no settings.
    pub async fn retention_rule(&self) -> Result<Option<Retention>> {
        self.require_admin()?;
        self.desk.settings_store()?;
        self.desk.retention().await
    }

    /// Sets the retention rule, or turns it off with `None` (admins), audited.
    ///
    /// # Errors
    ///
    /// Those of [`retention_rule`](Self::retention_rule); [`Error::Validation`] on a rule
    /// out of bounds; [`Error::Unsupported`] when the store offers no erasure. Nothing is
    /// written on an error.
    pub async fn set_retention(&self, rule: Option<Retention>) -> Result<()> {
        self.require_admin()?;
        let settings = self.desk.settings_store()?;
        if rule.is_some() {
            self.desk.erasure_store()?;
        }
        let after = match rule {
            Some(rule) => Some(
                serde_json::to_string(&rule.check()?)
                    .map_err(|e| Error::corrupt("settings", "value", e))?,
            ),
            None => None,
        };
        let before = settings.setting(SettingKey::Retention).await?;
        if before == after {
            return Ok(());
        }
        self.record_setting(SettingKey::Retention, before, after)
            .await
    }
}
