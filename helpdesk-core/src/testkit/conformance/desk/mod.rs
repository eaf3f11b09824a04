//! Desk behaviour: checks through [`Helpdesk`](crate::Helpdesk) and
//! [`Acting`](crate::service::Acting) on the fixture's cast ([`Fixture`]), on any store.
//! Each takes a fresh, empty store and panics on a violation; a check that needs an ability
//! the store does not offer skips, loudly.

pub mod access;
pub mod account_links;
pub mod acting_with;
pub mod admin_notices;
pub mod agent_notices;
pub mod attachments;
pub mod automation;
pub mod blobs;
pub mod chat;
pub mod chat_mail;
pub mod commands;
pub mod content;
pub mod directory;
pub mod due_instant;
pub mod email;
pub mod erasure;
pub mod feed;
pub mod feedback;
pub mod firing_limit;
pub mod followers;
pub mod hidden;
pub mod ingest;
pub mod knowledge;
pub mod links;
pub mod logins;
pub mod macro_editing;
pub mod mail_settings;
pub mod mailboxes;
pub mod master_tickets;
pub mod merge_split;
pub mod notifications;
pub mod organisation_priorities;
pub mod organisations;
pub mod paging;
pub mod person_settings;
pub mod presence;
pub mod priorities;
pub mod quarantine;
pub mod reports;
pub mod rule_next_runs;
pub mod rule_webhooks;
pub mod saved_searches;
pub mod scheduled_rules;
pub mod search;
pub mod search_box;
pub mod settings;
pub mod sla;
pub mod sla_triggers;
pub mod snoozed_notifications;
pub mod tags;
pub mod templates;
pub mod tickets;
pub mod timers;
pub mod undeliverable;
pub mod unsupported;
pub mod votes;
pub mod webhooks;

use crate::domain::{Message, Ticket, TicketEvent};
use crate::machine::Command;
use crate::service::Outcome;
use crate::store::Store;
use crate::testkit::body;

/// A public reply saying `text`.
pub(crate) fn reply(text: &str) -> Command {
    Command::reply(body(text))
}

/// An internal note saying `text`.
pub(crate) fn note(text: &str) -> Command {
    Command::note(body(text))
}

/// The ticket a command changed; panics on any other outcome.
pub(crate) fn changed(outcome: Outcome) -> Ticket {
    match outcome {
        Outcome::Changed(t) => t,
        other => panic!("expected a change, got {other:?}"),
    }
}

/// The kinds of `history`'s changes, in order.
pub(crate) fn change_kinds(history: &[TicketEvent]) -> Vec<&'static str> {
    history.iter().map(|e| e.change.kind()).collect()
}

/// Everything a store holds about a ticket, for "nothing changed" comparisons.
pub(crate) async fn snapshot(
    store: &dyn Store,
    ticket: &Ticket,
) -> (Ticket, Vec<Message>, usize, usize) {
    (
        store.ticket(ticket.id).await.unwrap().unwrap(),
        store.messages(ticket.id, true).await.unwrap(),
        store.history(ticket.id).await.unwrap().len(),
        store.time_entries(ticket.id).await.unwrap().len(),
    )
}
