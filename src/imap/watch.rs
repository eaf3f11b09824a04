//! Keeping a mailbox watched: a round at once, then a round whenever the server says new
//! mail arrived (IMAP IDLE, where the server offers it) or every poll interval (where it
//! does not, and at least that often with IDLE too); after a failure, the connection is
//! made anew with a growing pause.

use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;

use super::{FetchReport, ImapError, ImapFetcher};

/// The longest pause after repeated failures.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

impl ImapFetcher {
    /// Watches the mailbox until the task is dropped: after each round, `on_round` hears
    /// what it did or why it failed. `poll` is how long to wait between rounds without
    /// IDLE, and the longest wait in IDLE (servers drop idle connections after 30 minutes;
    /// keep it under that).
    pub async fn watch(
        &self,
        poll: Duration,
        mut on_round: impl FnMut(&Result<FetchReport, ImapError>) + Send,
    ) {
        let mut backoff = Duration::from_secs(1);
        loop {
            match self.watch_session(poll, &mut on_round).await {
                Ok(()) => backoff = Duration::from_secs(1),
                Err(e) => {
                    let retry = e.is_transient();
                    on_round(&Err(e));
                    tokio::time::sleep(if retry { backoff } else { MAX_BACKOFF }).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    /// One connection: rounds until it breaks (`Err`) or must be made anew (`Ok`).
    async fn watch_session(
        &self,
        poll: Duration,
        on_round: &mut (impl FnMut(&Result<FetchReport, ImapError>) + Send),
    ) -> Result<(), ImapError> {
        let (mut session, abilities) = self.connect().await?;
        loop {
            let report = self.round(&mut session, abilities).await?;
            on_round(&Ok(report));
            if !abilities.idle {
                tokio::time::sleep(poll).await;
                session
                    .noop()
                    .await
                    .map_err(|e| self.failed("checking the connection", e))?;
                continue;
            }
            let mut handle = session.idle();
            handle
                .init()
                .await
                .map_err(|e| self.failed("starting IDLE", e))?;
            let (wait, _stop) = handle.wait_with_timeout(poll);
            let woke = wait.await;
            session = handle
                .done()
                .await
                .map_err(|e| self.failed("ending IDLE", e))?;
            match woke {
                Ok(IdleResponse::NewData(_) | IdleResponse::Timeout) => {}
                Ok(IdleResponse::ManualInterrupt) => return Ok(()),
                Err(e) => return Err(self.failed("waiting in IDLE", e)),
            }
        }
    }
}
