//! The IMAP mailboxes the server watches (`--imap URL`, or `HELPDESK_IMAP`): one task each,
//! taking mail in as it arrives (IDLE where the server offers it, else a round every poll
//! interval), reconnecting after failures; a line per round that took something and per
//! failure.

use std::time::Duration;

use helpdesk::Helpdesk;
use helpdesk::error::Causes;
use helpdesk::imap::{ImapFetcher, ImapMailbox};

use crate::setup::SetupError;

/// The environment variable with the mailboxes' URLs (separated by spaces), read when no
/// `--imap` is given: it keeps passwords out of the process list.
pub const IMAP_VAR: &str = "HELPDESK_IMAP";

/// The mailboxes to watch: `typed` (`--imap`), else those of [`IMAP_VAR`].
pub fn mailbox_urls(typed: &[String]) -> Vec<String> {
    if !typed.is_empty() {
        return typed.to_vec();
    }
    std::env::var(IMAP_VAR)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Starts watching each mailbox of `urls` into `desk` (which needs mail settings). A bad URL
/// or an unknown department stops the start-up; an unreachable server or a refused login
/// does not (the watcher says so and tries again).
pub async fn watch(desk: &Helpdesk, urls: &[String], poll: Duration) -> Result<(), SetupError> {
    let mut fetchers = Vec::new();
    for url in urls {
        let mailbox: ImapMailbox = url.parse()?;
        fetchers.push(ImapFetcher::new(desk, mailbox).await?);
    }
    for fetcher in fetchers {
        let name = fetcher.mailbox().display_url();
        println!("taking mail from {name}");
        tokio::spawn(async move {
            fetcher
                .watch(poll, move |round| match round {
                    Ok(report) if report.total() == 0 => {}
                    Ok(report) => println!("mail from {name}: {report}"),
                    Err(e) => eprintln!("taking mail from {name} failed: {}", Causes(e)),
                })
                .await;
        });
    }
    Ok(())
}
