//! Sending the outbox: a dispatcher leases due e-mails, hands each to a [`MailTransport`]
//! (SMTP in the `helpdesk` crate) and records how it went, retrying with exponential backoff.
//!
//! Delivery is at least once and, after a crash, at most once more: an e-mail leased by a
//! dispatcher that dies between sending and recording is leased again when the lease ends,
//! and sent again with the same Message-ID, so the receiving side can tell it is the same.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{Helpdesk, MailSettings};
use crate::domain::{DeliveryOutcome, OutboundEmail};
use crate::error::{BoxError, Result};

/// Why a transport could not send an e-mail.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", if *.permanent { "permanent failure" } else { "temporary failure" })]
pub struct SendError {
    /// Whether trying again is pointless (e.g. SMTP 5xx: no such mailbox).
    pub permanent: bool,
    /// The transport's error.
    #[source]
    pub source: BoxError,
}

impl SendError {
    /// A failure worth retrying (connection refused, SMTP 4xx).
    pub fn temporary(source: impl Into<BoxError>) -> Self {
        Self {
            permanent: false,
            source: source.into(),
        }
    }

    /// A failure that retrying will not fix (SMTP 5xx).
    pub fn permanent(source: impl Into<BoxError>) -> Self {
        Self {
            permanent: true,
            source: source.into(),
        }
    }
}

/// Something that sends an e-mail: builds the RFC 5322 message (From the settings, To,
/// Subject, Date, the e-mail's Message-ID, `In-Reply-To` and `References` from
/// [`OutboundEmail::references`], the ticket's full number
/// ([`OutboundEmail::ticket_number`]) in an `X-Helpdesk-Ticket` header, a UTF-8 plain-text
/// body) and hands it on with the envelope sender
/// [`MailSettings::envelope_sender`] gives (VERP).
#[async_trait]
pub trait MailTransport: Send + Sync + std::fmt::Debug {
    /// Sends `email` from the desk described by `settings`.
    async fn send(
        &self,
        email: &OutboundEmail,
        settings: &MailSettings,
    ) -> std::result::Result<(), SendError>;
}

/// How a dispatcher leases and retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How long a leased e-mail is left to its dispatcher before another may take it.
    pub lease: Duration,
    /// The wait after the first failure; it doubles after each further one.
    pub first_backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
    /// Attempts after which a temporary failure becomes final.
    pub max_attempts: u32,
    /// How many e-mails one round leases.
    pub batch: u32,
}

impl Default for RetryPolicy {
    /// Five-minute leases; retries after 1, 2, 4, ... minutes up to an hour; eight attempts;
    /// fifty e-mails a round.
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(5 * 60),
            first_backoff: Duration::from_secs(60),
            max_backoff: Duration::from_secs(60 * 60),
            max_attempts: 8,
            batch: 50,
        }
    }
}

impl RetryPolicy {
    /// The wait before the next attempt after `attempts` failed ones (1 or more).
    ///
    /// ```
    /// use std::time::Duration;
    /// use helpdesk_core::service::RetryPolicy;
    /// let p = RetryPolicy::default();
    /// assert_eq!(p.backoff(1), Duration::from_secs(60));
    /// assert_eq!(p.backoff(3), Duration::from_secs(240));
    /// assert_eq!(p.backoff(30), Duration::from_secs(3600));
    /// ```
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(20));
        self.first_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// What a failed attempt means for `email` (already counted in its `attempts`).
    pub fn after_failure(
        &self,
        email: &OutboundEmail,
        error: &SendError,
        now: DateTime<Utc>,
    ) -> DeliveryOutcome {
        let text = error.to_string();
        if error.permanent || email.attempts >= self.max_attempts {
            DeliveryOutcome::Failed {
                at: now,
                error: text,
            }
        } else {
            let wait = chrono::Duration::from_std(self.backoff(email.attempts))
                .unwrap_or(chrono::Duration::MAX);
            DeliveryOutcome::Retry {
                retry_at: now + wait,
                error: text,
            }
        }
    }
}

/// What one dispatch round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    /// E-mails the transport accepted.
    pub sent: usize,
    /// E-mails that failed and wait for another attempt.
    pub retried: usize,
    /// E-mails given up on.
    pub failed: usize,
    /// E-mails not tried because their address is marked undeliverable (also counted in
    /// [`failed`](Self::failed)).
    pub undeliverable: usize,
}

impl Helpdesk {
    /// Sends what is due in the outbox, one round of at most `policy.batch` e-mails.
    /// Needs mail settings ([`Helpdesk::mail_in_force`], read on each call); without them it
    /// sends nothing. An e-mail about a ticket of a department with an address of its own
    /// goes out from that address. An e-mail to an address marked undeliverable by a bounce
    /// ([`UndeliverableStore`](crate::store::UndeliverableStore)) is not tried: it ends failed, its error
    /// saying so ([`UndeliverableAddress::refusal`](crate::store::UndeliverableAddress::refusal)).
    pub async fn dispatch_outbox(
        &self,
        transport: &dyn MailTransport,
        policy: &RetryPolicy,
    ) -> Result<DispatchReport> {
        let mut report = DispatchReport::default();
        let Some(settings) = self.mail_in_force().await? else {
            return Ok(report);
        };
        let now = self.now();
        let lease = chrono::Duration::from_std(policy.lease).unwrap_or(chrono::Duration::MAX);
        let leased = self
            .store
            .lease_outbox(now, now + lease, policy.batch)
            .await?;
        for email in leased {
            if let Some(mark) = self.undeliverable_now(&email.to).await? {
                let outcome = DeliveryOutcome::Failed {
                    at: self.now(),
                    error: mark.refusal(),
                };
                report.failed += 1;
                report.undeliverable += 1;
                self.store.finish_delivery(email.id, &outcome).await?;
                continue;
            }
            let sender = self.sender_of(&email, &settings).await?;
            let outcome = match transport.send(&email, &sender).await {
                Ok(()) => DeliveryOutcome::Sent { at: self.now() },
                Err(error) => policy.after_failure(&email, &error, self.now()),
            };
            match &outcome {
                DeliveryOutcome::Sent { .. } => report.sent += 1,
                DeliveryOutcome::Retry { .. } => report.retried += 1,
                DeliveryOutcome::Failed { .. } => report.failed += 1,
            }
            self.store.finish_delivery(email.id, &outcome).await?;
        }
        Ok(report)
    }
}

impl Helpdesk {
    /// The settings `email` is sent with: `settings`, from the address of its ticket's
    /// department when that has one.
    async fn sender_of(
        &self,
        email: &OutboundEmail,
        settings: &std::sync::Arc<MailSettings>,
    ) -> Result<std::sync::Arc<MailSettings>> {
        if settings.departments.is_empty() {
            return Ok(settings.clone());
        }
        let Some(ticket) = email.ticket_id else {
            return Ok(settings.clone());
        };
        let Some(ticket) = self.store.ticket(ticket).await? else {
            return Ok(settings.clone());
        };
        let from = settings.from_for(ticket.department);
        if *from == settings.from {
            return Ok(settings.clone());
        }
        Ok(std::sync::Arc::new(
            settings.as_ref().clone().with_from(from.clone()),
        ))
    }
}
