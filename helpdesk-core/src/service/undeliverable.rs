//! Undeliverable addresses: a bounce with a permanent failure (see
//! [`FailedRecipient::is_permanent`]) marks the failed address for
//! [`MailSettings::undeliverable_hours`](super::MailSettings::undeliverable_hours), with the
//! status, the server's words, and the ticket and e-mail that bounced. While the mark lasts
//! the outbox sends nothing there: such an e-mail ends failed, its error saying why, without
//! being tried. Mail taken in from the address, or an admin, clears the mark.

use chrono::{DateTime, Utc};

use super::{Acting, Helpdesk};
use crate::domain::{Email, OutboxId, TicketId};
use crate::error::{Ability, Entity, Error, Result};
use crate::mail::bounce::FailedRecipient;
use crate::store::{UndeliverableAddress, UndeliverableStore};

/// The most marks one page of the list holds.
pub const MAX_UNDELIVERABLE_PAGE: u32 = 500;

/// The most characters of a mail server's words kept with a mark.
const MAX_DIAGNOSTIC: usize = 500;

impl UndeliverableAddress {
    /// The error an outbox e-mail to the address ends with while the mark lasts.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use helpdesk_core::domain::Email;
    /// use helpdesk_core::store::UndeliverableAddress;
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 10, 0, 0).unwrap();
    /// let mark = UndeliverableAddress {
    ///     address: Email::parse("ana@example.ro").unwrap(),
    ///     marked_at: at,
    ///     until: at + chrono::Duration::days(7),
    ///     status: Some("5.1.1".into()),
    ///     diagnostic: Some("smtp; 550 User unknown".into()),
    ///     ticket_id: None,
    ///     outbox_id: None,
    /// };
    /// assert_eq!(
    ///     mark.refusal(),
    ///     "not sent: ana@example.ro is marked undeliverable until 2026-01-12 10:00 UTC \
    ///      (status 5.1.1: smtp; 550 User unknown)"
    /// );
    /// ```
    pub fn refusal(&self) -> String {
        let mut text = format!(
            "not sent: {} is marked undeliverable until {}",
            self.address,
            self.until.format("%Y-%m-%d %H:%M UTC")
        );
        match (&self.status, &self.diagnostic) {
            (Some(s), Some(d)) => text += &format!(" (status {s}: {d})"),
            (Some(s), None) => text += &format!(" (status {s})"),
            (None, Some(d)) => text += &format!(" ({d})"),
            (None, None) => {}
        }
        text
    }
}

impl Helpdesk {
    /// The store's undeliverable addresses, or [`Error::Unsupported`].
    pub fn undeliverable_store(&self) -> Result<&dyn UndeliverableStore> {
        self.store
            .as_undeliverable_store()
            .ok_or(Error::unsupported(Ability::Undeliverable))
    }

    /// The mark of `address` in force now, if the store keeps marks and it has one.
    pub(super) async fn undeliverable_now(
        &self,
        address: &Email,
    ) -> Result<Option<UndeliverableAddress>> {
        let Some(store) = self.store.as_undeliverable_store() else {
            return Ok(None);
        };
        let now = self.now();
        Ok(store
            .undeliverable(address)
            .await?
            .filter(|m| m.in_force(now)))
    }

    /// Marks the address of `failed` undeliverable for `hours` when its failure is
    /// permanent, the address parses and the store keeps marks; the mark made.
    pub(super) async fn mark_undeliverable(
        &self,
        failed: &FailedRecipient,
        hours: u32,
        ticket_id: Option<TicketId>,
        outbox_id: Option<OutboxId>,
    ) -> Result<Option<UndeliverableAddress>> {
        let Some(store) = self.store.as_undeliverable_store() else {
            return Ok(None);
        };
        if hours == 0 || !failed.is_permanent() {
            return Ok(None);
        }
        let Ok(address) = Email::parse(&failed.address) else {
            return Ok(None);
        };
        let now = self.now();
        let mark = UndeliverableAddress {
            address,
            marked_at: now,
            until: now + chrono::Duration::hours(i64::from(hours)),
            status: failed.status.clone(),
            diagnostic: failed
                .diagnostic
                .as_ref()
                .map(|d| d.chars().take(MAX_DIAGNOSTIC).collect()),
            ticket_id,
            outbox_id,
        };
        store.mark_undeliverable(&mark).await?;
        Ok(Some(mark))
    }

    /// Clears the mark of `address`, which mail was just taken in from, when the store
    /// keeps marks.
    pub(super) async fn heard_from(&self, address: &Email) -> Result<()> {
        if let Some(store) = self.store.as_undeliverable_store() {
            store.clear_undeliverable(address).await?;
        }
        Ok(())
    }
}

impl Acting {
    /// The addresses marked undeliverable now, by address, at most `limit` (1 to
    /// [`MAX_UNDELIVERABLE_PAGE`]), those after `after` (admins).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] on `limit`, [`Error::Forbidden`] for non-admins,
    /// [`Error::Unsupported`] when the store keeps no marks.
    pub async fn undeliverable_addresses(
        &self,
        after: Option<&Email>,
        limit: u32,
    ) -> Result<Vec<UndeliverableAddress>> {
        self.require_admin()?;
        if limit == 0 || limit > MAX_UNDELIVERABLE_PAGE {
            return Err(Error::validation(
                "limit",
                format!("must be between 1 and {MAX_UNDELIVERABLE_PAGE}"),
            ));
        }
        let now: DateTime<Utc> = self.desk.now();
        self.desk
            .undeliverable_store()?
            .undeliverable_addresses(now, after, limit)
            .await
    }

    /// Clears the mark of `address` (admins): the outbox sends there again.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when the address has no mark, [`Error::Forbidden`] for
    /// non-admins, [`Error::Unsupported`] when the store keeps no marks.
    pub async fn clear_undeliverable(&self, address: &Email) -> Result<()> {
        self.require_admin()?;
        if self
            .desk
            .undeliverable_store()?
            .clear_undeliverable(address)
            .await?
        {
            Ok(())
        } else {
            Err(Error::not_found(Entity::Email, address))
        }
    }
}
