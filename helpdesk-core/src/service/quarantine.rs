//! Nothing a person sent is lost: mail that is a person's or list mail but cannot be taken
//! in (a validation error, a limit, ...) is kept whole in the store's quarantine with the
//! reason, and list mail ignored on purpose is logged. Admins list, read, reprocess and
//! discard what is kept.

use super::{Acting, Helpdesk, Ingested};
use crate::domain::{Email, IgnoredMailId, QuarantineId};
use crate::error::{Ability, Entity, Error, Result};
use crate::mail::{MailClass, classify, summarize};
use crate::store::{IgnoredMail, MailQuarantineStore, QuarantinedMail};

/// The most entries one page of the quarantine or of the ignored-mail log holds.
pub const MAX_QUARANTINE_PAGE: u32 = 500;

/// Whether a failure to take in a mail is its own (kept in the quarantine) rather than the
/// desk's for now (storage unavailable) or its set-up (no mail settings).
fn is_lasting(error: &Error) -> bool {
    !matches!(error, Error::Backend { .. } | Error::Unsupported { .. })
}

impl Helpdesk {
    /// Takes in one raw e-mail (the bytes a mail server pipes in). Needs
    /// [`MailSettings`](super::MailSettings). Bytes that are not mail
    /// ([`MailClass::NotMail`]) are a validation error on field `email` and nothing is
    /// stored; attachment limits never refuse a mail (see the
    /// `ingest` module). A person's or list mail that fails otherwise, but
    /// not for the storage ([`Error::Backend`]) or the set-up ([`Error::Unsupported`]), is
    /// kept whole in the quarantine when the store keeps one
    /// ([`MailQuarantineStore`]): [`Ingested::Quarantined`], in one write, nothing else
    /// stored.
    pub async fn ingest_email(&self, raw: &[u8]) -> Result<Ingested> {
        self.ingest_email_to(raw, None).await
    }

    /// [`ingest_email`](Helpdesk::ingest_email) with the address the mail server delivered
    /// the mail to (its envelope recipient, which a bounce to a VERP address shows when its
    /// headers do not).
    pub async fn ingest_email_to(&self, raw: &[u8], recipient: Option<&Email>) -> Result<Ingested> {
        let error = match self.take_in(raw, recipient).await {
            Ok(done) => return Ok(done),
            Err(error) if !is_lasting(&error) => return Err(error),
            Err(error) => error,
        };
        let Some(quarantine) = self.store.as_mail_quarantine() else {
            return Err(error);
        };
        let own = match self.mail_in_force().await? {
            Some(settings) => settings.own_addresses(),
            None => return Err(error),
        };
        if classify(raw, &own) == MailClass::NotMail {
            return Err(error);
        }
        let now = self.now();
        let mail = QuarantinedMail {
            id: QuarantineId::new(),
            received_at: now,
            tried_at: now,
            attempts: 1,
            code: error.code().to_owned(),
            reason: error.to_string(),
            summary: summarize(raw),
            size: raw.len() as u64,
        };
        quarantine.put_quarantined_mail(&mail, raw).await?;
        Ok(Ingested::Quarantined(mail.id))
    }

    /// Logs `raw` as ignored for `why`, when the store keeps the log.
    pub(super) async fn log_ignored(&self, raw: &[u8], why: &str) -> Result<()> {
        if let Some(quarantine) = self.store.as_mail_quarantine() {
            let entry = IgnoredMail {
                id: IgnoredMailId::new(),
                at: self.now(),
                why: why.to_owned(),
                summary: summarize(raw),
            };
            quarantine.record_ignored_mail(&entry).await?;
        }
        Ok(())
    }

    /// The store's quarantine, or [`Error::Unsupported`].
    pub fn mail_quarantine(&self) -> Result<&dyn MailQuarantineStore> {
        self.store
            .as_mail_quarantine()
            .ok_or(Error::unsupported(Ability::MailQuarantine))
    }
}

/// A page size: 1 to [`MAX_QUARANTINE_PAGE`].
fn page_size(limit: u32) -> Result<u32> {
    if limit == 0 || limit > MAX_QUARANTINE_PAGE {
        return Err(Error::validation("limit", "must be between 1 and 500"));
    }
    Ok(limit)
}

impl Acting {
    /// Quarantined mail, newest first, at most `limit` (1 to [`MAX_QUARANTINE_PAGE`]), those
    /// kept before `before` (admins).
    pub async fn quarantined_mails(
        &self,
        before: Option<QuarantineId>,
        limit: u32,
    ) -> Result<Vec<QuarantinedMail>> {
        self.require_admin()?;
        let limit = page_size(limit)?;
        self.desk
            .mail_quarantine()?
            .quarantined_mails(before, limit)
            .await
    }

    /// One quarantined mail, without its bytes (admins).
    pub async fn quarantined_mail(&self, id: QuarantineId) -> Result<QuarantinedMail> {
        self.require_admin()?;
        self.desk
            .mail_quarantine()?
            .quarantined_mail(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Email, id))
    }

    /// The bytes of one quarantined mail, exactly as received (admins).
    pub async fn quarantined_mail_bytes(&self, id: QuarantineId) -> Result<Vec<u8>> {
        self.require_admin()?;
        self.desk
            .mail_quarantine()?
            .quarantined_mail_bytes(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Email, id))
    }

    /// Takes in a quarantined mail again (admins). When it is taken in now (or ignored, a
    /// duplicate, ...), it leaves the quarantine and the answer says what became of it; when
    /// it fails again for a reason of its own, it stays with the new reason
    /// ([`Ingested::Quarantined`] with its id). A failure of the storage is an error and
    /// changes nothing.
    pub async fn reprocess_quarantined(&self, id: QuarantineId) -> Result<Ingested> {
        self.require_admin()?;
        let quarantine = self.desk.mail_quarantine()?;
        let mut mail = quarantine
            .quarantined_mail(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Email, id))?;
        let raw = quarantine
            .quarantined_mail_bytes(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Email, id))?;
        match self.desk.take_in(&raw, None).await {
            Ok(done) => {
                quarantine.delete_quarantined_mail(id).await?;
                Ok(done)
            }
            Err(error) if !is_lasting(&error) => Err(error),
            Err(error) => {
                mail.tried_at = self.desk.now();
                mail.attempts = mail.attempts.saturating_add(1);
                mail.code = error.code().to_owned();
                mail.reason = error.to_string();
                quarantine.put_quarantined_mail(&mail, &raw).await?;
                Ok(Ingested::Quarantined(id))
            }
        }
    }

    /// Removes a quarantined mail for good (admins). [`Error::NotFound`] when it is not
    /// there.
    pub async fn discard_quarantined(&self, id: QuarantineId) -> Result<()> {
        self.require_admin()?;
        if self
            .desk
            .mail_quarantine()?
            .delete_quarantined_mail(id)
            .await?
        {
            Ok(())
        } else {
            Err(Error::not_found(Entity::Email, id))
        }
    }

    /// The log of mail ignored on purpose, newest first, at most `limit` (1 to
    /// [`MAX_QUARANTINE_PAGE`]), those logged before `before` (admins).
    pub async fn ignored_mails(
        &self,
        before: Option<IgnoredMailId>,
        limit: u32,
    ) -> Result<Vec<IgnoredMail>> {
        self.require_admin()?;
        let limit = page_size(limit)?;
        self.desk
            .mail_quarantine()?
            .ignored_mails(before, limit)
            .await
    }
}

impl Ingested {
    /// What became of the mail, as a stable word: `opened`, `appended`, `duplicate`,
    /// `ignored`, `bounce_noted`, `rejected` or `quarantined`.
    pub fn code(&self) -> &'static str {
        match self {
            Ingested::Opened(_) => "opened",
            Ingested::Appended(_) => "appended",
            Ingested::Duplicate(_) => "duplicate",
            Ingested::Ignored(_) => "ignored",
            Ingested::BounceNoted(_) => "bounce_noted",
            Ingested::Rejected(_) => "rejected",
            Ingested::Quarantined(_) => "quarantined",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Limit;

    #[test]
    fn storage_and_set_up_failures_are_not_kept_but_the_mails_own_are() {
        assert!(!is_lasting(&Error::backend(std::io::Error::other("down"))));
        assert!(!is_lasting(&Error::unsupported(Ability::Email)));
        assert!(is_lasting(&Error::validation(
            "department",
            "is not accepting tickets"
        )));
        assert!(is_lasting(&Error::LimitExceeded {
            limit: Limit::AttachmentCount { max: 1, actual: 2 }
        }));
        assert!(is_lasting(&Error::not_found(Entity::Ticket, "x")));
    }
}
