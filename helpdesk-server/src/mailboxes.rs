//! The IMAP mailboxes the server watches: those given at start-up (`--imap URL`, or
//! `HELPDESK_IMAP`) and every enabled mailbox stored for a department (read again every
//! [`REREAD`], so that added, changed and removed ones are picked up without a restart; each
//! round recorded as the mailbox's last round). One task each, taking mail in as it arrives
//! (IDLE where the server offers it, else a round every poll interval), reconnecting after
//! failures; a line per round that took something and per failure.

use std::time::Duration;

use helpdesk::Helpdesk;
use helpdesk::error::Causes;
use helpdesk::imap::{ImapFetcher, ImapMailbox, WatchEvent, watch_stored};

use crate::setup::SetupError;

/// How often the stored mailboxes are read again.
pub const REREAD: Duration = Duration::from_secs(60);

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

/// Starts watching every enabled mailbox stored for a department, reading them again every
/// `reread` (see [`watch_stored`]): nothing to do for a store that keeps no mailboxes.
pub fn watch_stored_mailboxes(desk: &Helpdesk, reread: Duration) {
    if desk.store().as_mailbox_store().is_none() {
        return;
    }
    let desk = desk.clone();
    tokio::spawn(async move {
        watch_stored(&desk, reread, |event| match event {
            WatchEvent::Started(m) => println!(
                "taking mail from stored mailbox {} ({}@{}:{}/{})",
                m.id, m.settings.user, m.settings.host, m.settings.port, m.settings.folder
            ),
            WatchEvent::Stopped(id) => println!("stopped taking mail from stored mailbox {id}"),
            WatchEvent::Round(_, Ok(report)) if report.total() == 0 => {}
            WatchEvent::Round(m, Ok(report)) => {
                println!("mail from stored mailbox {}: {report}", m.id)
            }
            WatchEvent::Round(m, Err(e)) => {
                eprintln!("taking mail from stored mailbox {} failed: {e}", m.id);
            }
            WatchEvent::StoreFailed(e) => eprintln!("reading the stored mailboxes failed: {e}"),
            _ => {}
        })
        .await;
    });
}
