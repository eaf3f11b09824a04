//! What the server does on its own, every `--due-every` seconds: the desk's due timers (SLA
//! warnings and breaches, reminders, auto-close, unanswered chats), the blob sweep, expired
//! sessions and tokens, the outbox, and the webhook deliveries.
//!
//! The blob sweep removes attachment bytes no message refers to once they are
//! [`BLOB_SWEEP_GRACE`] (a day) old. An upload writes its bytes before the commit that refers
//! to them, and a failed commit leaves them behind (another message may hold the same bytes),
//! so the sweep must leave young blobs alone: a day is far longer than any upload takes, and a
//! blob written again (the same bytes uploaded anew) is young again. Each round looks at
//! [`BLOB_SWEEP_LIMIT`] old blobs, going on where the previous round stopped.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use helpdesk::Helpdesk;
use helpdesk::error::Causes;
use helpdesk::service::{BLOB_SWEEP_GRACE, DueReport, MailTransport, RetryPolicy};

use crate::accounts::Accounts;

/// Blobs the sweep looks at per round (the rest wait for the next round).
pub const BLOB_SWEEP_LIMIT: u32 = 1000;

/// The jobs: the desk, its accounts, and the mail transport when e-mail is on.
pub struct Jobs {
    /// The desk.
    pub desk: Helpdesk,
    /// Sessions and tokens.
    pub accounts: Arc<Accounts>,
    /// Sends the outbox, when e-mail is on.
    pub transport: Option<Box<dyn MailTransport>>,
}

/// What one round did (`None` for a job that failed; the failure is logged).
#[derive(Debug, Default)]
pub struct Round {
    /// The due timers.
    pub due: Option<DueReport>,
    /// Blobs removed by the sweep.
    pub blobs_removed: Option<usize>,
    /// Expired sessions and tokens deleted.
    pub tokens_removed: Option<u64>,
    /// The webhook deliveries sent.
    pub webhooks: Option<crate::webhooks::DispatchRound>,
}

impl Jobs {
    /// Runs every job once, as of `now`. A job that fails is logged and the others still run.
    pub async fn run_once(&self, now: DateTime<Utc>) -> Round {
        let due = self
            .desk
            .run_due(now)
            .await
            .map_err(|e| eprintln!("run_due failed: {}", Causes(&e)))
            .ok();
        let blobs_removed = self
            .desk
            .sweep_blobs(now, BLOB_SWEEP_GRACE, BLOB_SWEEP_LIMIT)
            .await
            .map_err(|e| eprintln!("sweeping unreferenced attachments failed: {}", Causes(&e)))
            .ok();
        let tokens_removed = self
            .accounts
            .sweep()
            .await
            .map_err(|e| eprintln!("deleting expired sessions failed: {}", Causes(&e)))
            .ok();
        if let Some(transport) = &self.transport
            && let Err(e) = self
                .desk
                .dispatch_outbox(transport.as_ref(), &RetryPolicy::default())
                .await
        {
            eprintln!("sending e-mail failed: {}", Causes(&e));
        }
        let webhooks = crate::webhooks::Dispatcher::default()
            .run_once(&self.desk)
            .await
            .map_err(|e| eprintln!("sending webhooks failed: {}", Causes(&e)))
            .ok();
        Round {
            due,
            blobs_removed,
            tokens_removed,
            webhooks,
        }
    }

    /// Runs the jobs every `every`, for as long as the runtime lives.
    pub fn spawn(self, every: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            loop {
                ticker.tick().await;
                self.run_once(Utc::now()).await;
            }
        })
    }
}
