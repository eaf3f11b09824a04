//! The mailboxes admins store for departments (see
//! [`Acting::add_mailbox`](helpdesk_core::service::Acting::add_mailbox)), fetched: one round
//! over a stored mailbox with its status recorded ([`fetch_stored`]), or every enabled one
//! watched, re-read from the store so that added, changed and removed mailboxes are picked
//! up without a restart ([`watch_stored`]).

use std::collections::BTreeMap;
use std::time::Duration;

use helpdesk_core::Helpdesk;
use helpdesk_core::domain::MailboxId;
use helpdesk_core::error::Causes;
use helpdesk_core::service::MailboxLogin;
use helpdesk_core::store::{Mailbox, MailboxAfter, MailboxSecurity};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::{
    AfterTaken, FetchReport, ImapCredentials, ImapError, ImapFetcher, ImapMailbox, ImapSecurity,
};

impl ImapMailbox {
    /// The IMAP mailbox a stored one describes, new tickets going to its department.
    pub fn from_stored(login: &MailboxLogin) -> Self {
        let s = &login.mailbox.settings;
        let security = match s.security {
            MailboxSecurity::Tls => ImapSecurity::Tls,
            MailboxSecurity::Plain => ImapSecurity::Plain,
        };
        let after = match (s.after, &s.move_to) {
            (MailboxAfter::Move, Some(folder)) => AfterTaken::MoveTo(folder.clone()),
            (MailboxAfter::Delete, _) => AfterTaken::Delete,
            _ => AfterTaken::Flag,
        };
        ImapMailbox::new(
            s.host.clone(),
            s.port,
            security,
            ImapCredentials::new(s.user.clone(), login.password.expose()),
        )
        .with_folder(s.folder.clone())
        .with_after(after)
        .with_department(s.department.to_string())
    }
}

/// A round's outcome as the store records it: the messages taken, or the error with its
/// causes (the password never in it).
fn round_status(outcome: &Result<FetchReport, String>) -> (u32, Option<String>) {
    match outcome {
        Ok(report) => (u32::try_from(report.total()).unwrap_or(u32::MAX), None),
        Err(why) => (0, Some(why.clone())),
    }
}

/// An error as a line with its causes.
fn error_text(error: &ImapError) -> String {
    Causes(error).to_string()
}

/// A round's outcome, the error as a line with its causes.
fn owned(round: &Result<FetchReport, ImapError>) -> Result<FetchReport, String> {
    match round {
        Ok(report) => Ok(report.clone()),
        Err(e) => Err(error_text(e)),
    }
}

/// One round over the stored mailbox `login`, its outcome recorded as the mailbox's last
/// round.
///
/// # Errors
///
/// As [`ImapFetcher::fetch_once`]; [`ImapError::Desk`] when the round went well but its
/// outcome could not be recorded.
pub async fn fetch_stored(desk: &Helpdesk, login: &MailboxLogin) -> Result<FetchReport, ImapError> {
    let mailbox = ImapMailbox::from_stored(login);
    let name = mailbox.display_url();
    let outcome = match ImapFetcher::new(desk, mailbox).await {
        Ok(fetcher) => fetcher.fetch_once().await,
        Err(e) => Err(e),
    };
    let (taken, error) = round_status(&owned(&outcome));
    let recorded = desk
        .record_mailbox_round(login.mailbox.id, taken, error)
        .await;
    match (outcome, recorded) {
        (Ok(_), Err(source)) => Err(ImapError::Desk {
            mailbox: name,
            uid: 0,
            source,
        }),
        (outcome, _) => outcome,
    }
}

/// What [`watch_stored`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WatchEvent {
    /// A mailbox is watched now (new, changed, or enabled).
    Started(Mailbox),
    /// A mailbox is no longer watched (removed, changed, or disabled).
    Stopped(MailboxId),
    /// A round over a mailbox ended, recorded as its last round: the report, or why it
    /// failed (with its causes).
    Round(Mailbox, Result<FetchReport, String>),
    /// The stored mailboxes could not be read, or a round not recorded: the store is
    /// unavailable for now (tried again at the next re-read).
    StoreFailed(String),
}

/// The watchers running, each with the mailbox and password it was started with; dropped,
/// it stops them.
#[derive(Default)]
struct Running(BTreeMap<MailboxId, (MailboxLogin, AbortHandle)>);

impl Drop for Running {
    fn drop(&mut self) {
        for (_, handle) in self.0.values() {
            handle.abort();
        }
    }
}

/// Watches every enabled stored mailbox of `desk` until the future is dropped (which stops
/// them all): each in a task of its own (IDLE where offered, else a round every poll
/// interval of the mailbox), each round recorded as the mailbox's last round. The store is
/// read again every `reread`: a mailbox added or enabled is started, one changed (its
/// settings or password) is started anew, one removed or disabled is stopped. A mailbox
/// that cannot start (an unknown department, no mail settings) has that recorded as its
/// round and is tried again at the next re-read. `on_event` hears of every start, stop,
/// round and store failure.
pub async fn watch_stored(
    desk: &Helpdesk,
    reread: Duration,
    mut on_event: impl FnMut(&WatchEvent),
) {
    let (tx, mut rounds) = mpsc::unbounded_channel::<WatchEvent>();
    let mut running = Running::default();
    let mut ticker = tokio::time::interval(reread);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                sync(desk, &mut running, &tx, &mut on_event).await;
            }
            Some(event) = rounds.recv() => {
                if let WatchEvent::Round(mailbox, outcome) = &event {
                    record(desk, mailbox.id, outcome, &mut on_event).await;
                }
                on_event(&event);
            }
        }
    }
}

/// Records a round; a failure to is reported.
async fn record(
    desk: &Helpdesk,
    id: MailboxId,
    outcome: &Result<FetchReport, String>,
    on_event: &mut impl FnMut(&WatchEvent),
) {
    let (taken, error) = round_status(outcome);
    if let Err(e) = desk.record_mailbox_round(id, taken, error).await {
        on_event(&WatchEvent::StoreFailed(Causes(&e).to_string()));
    }
}

/// Brings the running watchers in line with the stored mailboxes.
async fn sync(
    desk: &Helpdesk,
    running: &mut Running,
    tx: &mpsc::UnboundedSender<WatchEvent>,
    on_event: &mut impl FnMut(&WatchEvent),
) {
    let wanted = match desk.mailboxes_to_fetch().await {
        Ok(wanted) => wanted,
        Err(e) => {
            on_event(&WatchEvent::StoreFailed(Causes(&e).to_string()));
            return;
        }
    };
    let stale: Vec<MailboxId> = running
        .0
        .iter()
        .filter(|(id, (was, _))| {
            !wanted.iter().any(|w| {
                w.mailbox.id == **id
                    && w.mailbox.settings == was.mailbox.settings
                    && w.password == was.password
            })
        })
        .map(|(id, _)| *id)
        .collect();
    for id in stale {
        if let Some((_, handle)) = running.0.remove(&id) {
            handle.abort();
            on_event(&WatchEvent::Stopped(id));
        }
    }
    for login in wanted {
        if running.0.contains_key(&login.mailbox.id) {
            continue;
        }
        let mailbox = login.mailbox.clone();
        let fetcher = match ImapFetcher::new(desk, ImapMailbox::from_stored(&login)).await {
            Ok(fetcher) => fetcher,
            Err(e) => {
                let outcome = Err(error_text(&e));
                record(desk, mailbox.id, &outcome, on_event).await;
                on_event(&WatchEvent::Round(mailbox, outcome));
                continue;
            }
        };
        let poll = Duration::from_secs(u64::from(mailbox.settings.poll_seconds.max(1)));
        let tx = tx.clone();
        let for_rounds = mailbox.clone();
        let task = tokio::spawn(async move {
            fetcher
                .watch(poll, move |round| {
                    let outcome = owned(round);
                    // The receiver is gone only when the watch is being dropped.
                    let _ = tx.send(WatchEvent::Round(for_rounds.clone(), outcome));
                })
                .await;
        });
        running.0.insert(mailbox.id, (login, task.abort_handle()));
        on_event(&WatchEvent::Started(mailbox));
    }
}
