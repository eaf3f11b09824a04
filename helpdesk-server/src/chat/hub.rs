//! The fan-out of live chat within one server process: a broadcast channel per chat (its
//! messages and changes), per chat ticket (a message was stored in it) and per department
//! (its queue moved). Two sources feed it: the handlers of this process after each
//! successful call to the desk (at once, with the message itself), and the process's
//! [feed follower](crate::feed_follower), which turns the store's change feed into events,
//! so that what another process wrote reaches this process's sockets too. A socket hears of
//! its own process's messages twice and sends each once (it keeps the ids it sent).
//!
//! The store stays the source of truth: a socket replays the chat's thread when it connects
//! and re-reads it now and then, so a lost event costs only a delay.

use std::collections::HashMap;
use std::sync::Mutex;

use helpdesk::domain::{ChatId, DepartmentId, Message, MessageId, TicketId};
use tokio::sync::broadcast;

/// How many events a slow socket may fall behind before it re-reads the store.
const CAPACITY: usize = 64;

/// What a socket hears about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// One chat: its messages, and changes of its place.
    Chat(ChatId),
    /// A department's chats: its queue moved (a chat was taken, ended, or an agent came).
    Department(DepartmentId),
    /// A chat's ticket: a message was stored in it (told by the change feed, which knows
    /// the ticket, not the chat).
    Ticket(TicketId),
}

/// What happened.
#[derive(Debug, Clone)]
pub enum ChatEvent {
    /// A message was stored in the chat's ticket.
    Message(Box<Message>),
    /// Something changed: re-read the place.
    Changed,
    /// A message with this id was stored in the chat's ticket (from the change feed): a
    /// socket that has not sent it re-reads the thread.
    Stored(MessageId),
}

/// The broadcast channels, made when first needed and dropped when nobody listens.
#[derive(Debug, Default)]
pub struct ChatHub {
    topics: Mutex<HashMap<Topic, broadcast::Sender<ChatEvent>>>,
}

impl ChatHub {
    fn topics(&self) -> std::sync::MutexGuard<'_, HashMap<Topic, broadcast::Sender<ChatEvent>>> {
        self.topics.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Listens to `topic`.
    pub fn subscribe(&self, topic: Topic) -> broadcast::Receiver<ChatEvent> {
        let mut topics = self.topics();
        topics.retain(|_, sender| sender.receiver_count() > 0);
        topics
            .entry(topic)
            .or_insert_with(|| broadcast::channel(CAPACITY).0)
            .subscribe()
    }

    /// Tells everyone listening to `topic` (nobody listening is fine).
    pub fn publish(&self, topic: Topic, event: ChatEvent) {
        if let Some(sender) = self.topics().get(&topic) {
            let _ = sender.send(event);
        }
    }

    /// The departments some socket listens to now.
    pub fn departments(&self) -> Vec<DepartmentId> {
        self.topics()
            .iter()
            .filter_map(|(topic, sender)| match topic {
                Topic::Department(d) if sender.receiver_count() > 0 => Some(*d),
                _ => None,
            })
            .collect()
    }

    /// How many sockets listen to `topic`.
    pub fn listeners(&self, topic: Topic) -> usize {
        self.topics()
            .get(&topic)
            .map_or(0, broadcast::Sender::receiver_count)
    }
}
