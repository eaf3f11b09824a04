//! The in-process fan-out of live chat: a broadcast channel per chat (its messages and
//! changes) and per department (its queue moved), fed by the handlers after each successful
//! call to the desk. The store stays the source of truth: a socket replays the chat's thread
//! when it connects and re-reads it now and then, so a lost event costs only a delay.

use std::collections::HashMap;
use std::sync::Mutex;

use helpdesk::domain::{ChatId, DepartmentId, Message};
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
}

/// What happened.
#[derive(Debug, Clone)]
pub enum ChatEvent {
    /// A message was stored in the chat's ticket.
    Message(Box<Message>),
    /// Something changed: re-read the place.
    Changed,
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

    /// How many sockets listen to `topic`.
    pub fn listeners(&self, topic: Topic) -> usize {
        self.topics()
            .get(&topic)
            .map_or(0, broadcast::Sender::receiver_count)
    }
}
