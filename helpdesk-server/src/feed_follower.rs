//! The feed follower: one task per server process (per [`ChatHub`]) that reads the store's
//! change feed as the system and turns what any process committed into events of this
//! process's chat hub, so a customer's line written through process A reaches an agent's
//! socket on process B.
//!
//! It starts at the feed's head (what was committed before it started, sockets read when
//! they connect) and then waits for records with [`Acting::wait_for_changes`]: on
//! PostgreSQL the wake-up is `LISTEN/NOTIFY`, on SQLite a wake-up in the process plus a
//! re-read every half second (so two processes on one SQLite file hear of each other within
//! that). What it publishes:
//!
//! - a public message added to a ticket: [`ChatEvent::Stored`] on [`Topic::Ticket`] (only
//!   chat sockets listen there; a socket that has not sent the message re-reads the thread);
//! - a chat that changed: [`ChatEvent::Changed`] on its [`Topic::Chat`] and on its
//!   department's [`Topic::Department`];
//! - an agent's availability that changed: [`ChatEvent::Changed`] on the departments of the
//!   agent that some socket listens to (the agent is read only then).
//!
//! The handlers of a process still publish their own successful calls at once; the feed
//! brings the same message again a moment later and the socket, which keeps the ids it
//! sent, sends it once. The store stays the truth: a lost wake-up or a failed read costs
//! only a delay (sockets also re-read their chat every few seconds). The task ends when the
//! hub it feeds is dropped, or at once when the store keeps no feed.

use std::sync::{Arc, Weak};
use std::time::Duration;

use helpdesk::Error;
use helpdesk::Helpdesk;
use helpdesk::error::Causes;
use helpdesk::feed::{FeedChange, FeedPosition, MessageScope};
use helpdesk::service::Acting;

use crate::chat::hub::{ChatEvent, ChatHub, Topic};

/// The longest one wait for new records lasts (then the follower checks that its hub is
/// still there and waits again).
pub const WAIT: Duration = Duration::from_secs(10);

/// How long the follower waits after a failed read before reading again.
pub const RETRY: Duration = Duration::from_secs(1);

/// Starts following `desk`'s change feed into `hub`, when there is a Tokio runtime to run
/// the task on (a router built outside one has no follower; its handlers still publish).
pub fn spawn(desk: &Helpdesk, hub: &Arc<ChatHub>) -> Option<tokio::task::JoinHandle<()>> {
    let runtime = tokio::runtime::Handle::try_current().ok()?;
    Some(runtime.spawn(follow(desk.clone(), Arc::downgrade(hub))))
}

/// Follows the feed until `hub` is gone.
async fn follow(desk: Helpdesk, hub: Weak<ChatHub>) {
    let system = desk.as_system();
    let mut next = loop {
        match head(&desk).await {
            Ok(head) => break head,
            Err(Error::Unsupported { .. }) => return,
            Err(e) => {
                eprintln!("the chat hub cannot read the change feed: {}", Causes(&e));
                if hub.strong_count() == 0 {
                    return;
                }
                tokio::time::sleep(RETRY).await;
            }
        }
    };
    loop {
        if hub.strong_count() == 0 {
            return;
        }
        match system.wait_for_changes(next, WAIT).await {
            Ok(page) => {
                let Some(hub) = hub.upgrade() else { return };
                for entry in &page.changes {
                    publish(&system, &hub, &entry.change).await;
                }
                next = page.next;
            }
            Err(Error::Unsupported { .. }) => return,
            Err(e) => {
                eprintln!("the chat hub cannot read the change feed: {}", Causes(&e));
                tokio::time::sleep(RETRY).await;
            }
        }
    }
}

/// Tells `hub` of `change`.
async fn publish(system: &Acting, hub: &ChatHub, change: &FeedChange) {
    match change {
        FeedChange::MessageAdded {
            ticket,
            message,
            scope: MessageScope::Public,
            ..
        } => hub.publish(Topic::Ticket(*ticket), ChatEvent::Stored(*message)),
        FeedChange::ChatChanged {
            chat, department, ..
        } => {
            hub.publish(Topic::Chat(*chat), ChatEvent::Changed);
            hub.publish(Topic::Department(*department), ChatEvent::Changed);
        }
        FeedChange::AvailabilityChanged { agent } => {
            let listened = hub.departments();
            if listened.is_empty() {
                return;
            }
            match system.agent(*agent).await {
                Ok(agent) => {
                    for department in listened {
                        if agent.departments.contains_key(&department) {
                            hub.publish(Topic::Department(department), ChatEvent::Changed);
                        }
                    }
                }
                Err(e) => eprintln!("the chat hub cannot read an agent: {}", Causes(&e)),
            }
        }
        _ => {}
    }
}

/// Where the feed stands now, for a reader that starts at the head ([`Error::Unsupported`]
/// when the store keeps no feed).
pub async fn head(desk: &Helpdesk) -> helpdesk::Result<FeedPosition> {
    desk.change_feed()?.last_position().await
}
