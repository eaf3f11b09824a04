//! Live chat (seeds 000 and 001): agents' availability, and chat sessions that are routed to
//! an available agent, queued when none is free, and kept as a ticket on the chat channel so
//! nothing is lost when the window closes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AgentId, ChatId, CustomerId, DepartmentId, TicketId, Version};

/// Whether an agent takes chats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Takes new chats, up to their limit.
    Online,
    /// Keeps their chats but takes no new ones.
    Away,
    /// Takes no chats.
    #[default]
    Offline,
}

impl Presence {
    /// The stable name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Presence::Online => "online",
            Presence::Away => "away",
            Presence::Offline => "offline",
        }
    }

    /// The presence named `s`.
    pub fn parse(s: &str) -> Option<Self> {
        [Presence::Online, Presence::Away, Presence::Offline]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// An agent's availability for chats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    /// The agent.
    pub agent: AgentId,
    /// Whether they take chats.
    pub presence: Presence,
    /// How many chats they take at once.
    pub max_chats: u32,
    /// How many they have now.
    pub active_chats: u32,
    /// When they last got a chat (the least busy agent longest without one goes first).
    pub last_assigned_at: Option<DateTime<Utc>>,
    /// Checked on every change, so two routers never fill one seat twice.
    pub version: Version,
}

impl Availability {
    /// An offline agent taking `max_chats` at once when online.
    pub fn offline(agent: AgentId, max_chats: u32) -> Self {
        Self {
            agent,
            presence: Presence::Offline,
            max_chats,
            active_chats: 0,
            last_assigned_at: None,
            version: Version::FIRST,
        }
    }

    /// Whether a new chat can go to them.
    pub fn has_seat(&self) -> bool {
        self.presence == Presence::Online && self.active_chats < self.max_chats
    }
}

/// How a chat ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatEnd {
    /// The knowledge base answered it ("this helped"); the ticket is closed as solved.
    Answered,
    /// The customer left.
    ByCustomer,
    /// The agent ended it; the ticket stays as it is.
    ByAgent,
    /// Nobody answered in time: the ticket waits in the department's queue.
    NoAgent,
}

/// Where a chat is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ChatState {
    /// The assistant answers from the knowledge base; no person yet.
    Assistant,
    /// Waiting for an agent since `since` (the queue is in that order).
    Waiting {
        /// When the customer asked for a person.
        since: DateTime<Utc>,
    },
    /// With an agent.
    Active {
        /// The agent.
        agent: AgentId,
        /// Since when.
        since: DateTime<Utc>,
    },
    /// Over; its transcript stays in the ticket.
    Ended {
        /// When.
        at: DateTime<Utc>,
        /// How.
        end: ChatEnd,
    },
}

/// One live chat. Its messages are the thread of its ticket (channel `chat`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatSession {
    /// Its id.
    pub id: ChatId,
    /// The ticket that keeps its transcript.
    pub ticket_id: TicketId,
    /// The customer.
    pub customer: CustomerId,
    /// The department chosen.
    pub department: DepartmentId,
    /// Where it is.
    pub state: ChatState,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// Checked on every change.
    pub version: Version,
}

impl ChatSession {
    /// The agent it is with, if any.
    pub fn agent(&self) -> Option<AgentId> {
        match self.state {
            ChatState::Active { agent, .. } => Some(agent),
            _ => None,
        }
    }

    /// Whether it is over.
    pub fn is_ended(&self) -> bool {
        matches!(self.state, ChatState::Ended { .. })
    }
}
