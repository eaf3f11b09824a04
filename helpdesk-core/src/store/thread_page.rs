//! Pages of a ticket's thread: the newest messages first, then older ones, for threads of any
//! length ([`Store::messages_page`](super::Store::messages_page)).

use crate::domain::{Message, MessageId};
use crate::error::{Error, Result};

/// The most messages one page holds.
pub const MAX_THREAD_PAGE: u32 = 500;

/// One page of a thread: up to a limit of messages written just before a cursor (the newest
/// ones on the first page), oldest first, and the cursor to the older ones.
#[derive(Debug, Clone, PartialEq)]
pub struct MessagePage {
    /// The messages, oldest first.
    pub items: Vec<Message>,
    /// The id of this page's oldest message when older ones remain: ask for the messages
    /// `before` it. `None` on the page holding the first message.
    pub older: Option<MessageId>,
}

impl MessagePage {
    /// The page of `thread` (the whole thread, oldest first) that holds the `limit` messages
    /// before `before` (the newest ones when `None`): the reference every store's
    /// `messages_page` agrees with.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] when `limit` is 0 or above [`MAX_THREAD_PAGE`], or `before` is no
    /// message of `thread`.
    pub fn of(thread: Vec<Message>, before: Option<MessageId>, limit: u32) -> Result<Self> {
        check_limit(limit)?;
        let end = match before {
            None => thread.len(),
            Some(id) => thread
                .iter()
                .position(|m| m.id == id)
                .ok_or_else(not_in_thread)?,
        };
        let start = end.saturating_sub(limit as usize);
        let mut thread = thread;
        thread.truncate(end);
        let items = thread.split_off(start);
        Ok(Self::from_newest(items, start > 0))
    }

    /// The page of `items` (oldest first), `more` when older messages remain.
    pub fn from_newest(items: Vec<Message>, more: bool) -> Self {
        let older = if more {
            items.first().map(|m| m.id)
        } else {
            None
        };
        Self { items, older }
    }
}

/// A ticket with its thread, or the newest page of it, read together
/// ([`Store::ticket_with_thread`](super::Store::ticket_with_thread)).
#[derive(Debug, Clone, PartialEq)]
pub struct TicketThread {
    /// The ticket.
    pub ticket: crate::domain::Ticket,
    /// Its thread (all of it, or its newest page), oldest first.
    pub thread: MessagePage,
}

/// Checks a page's `limit`: 1 to [`MAX_THREAD_PAGE`].
///
/// # Errors
///
/// [`Error::Validation`] otherwise.
pub fn check_limit(limit: u32) -> Result<()> {
    if (1..=MAX_THREAD_PAGE).contains(&limit) {
        Ok(())
    } else {
        Err(Error::validation(
            "limit",
            format!("must be 1 to {MAX_THREAD_PAGE}"),
        ))
    }
}

/// The error of a `before` cursor naming no message of the thread (or one the reader may not
/// see).
pub fn not_in_thread() -> Error {
    Error::validation("before", "is not a message of this ticket's thread")
}
