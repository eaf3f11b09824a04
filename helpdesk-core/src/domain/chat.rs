//! Live chat (seeds 000 and 001): agents' availability, and chat sessions that are routed to
//! an available agent, queued when none is free, and kept as a ticket on the chat channel so
//! nothing is lost when the window closes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::stable_text::stable_text;
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

stable_text!(Presence, "presence" {
    Online => "online",
    Away => "away",
    Offline => "offline",
});

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
    /// When the agent was last seen (setting their presence, or a heartbeat of their console
    /// or chat window); `None` before the first. Past the desk's
    /// [`PresenceTimeout`](super::PresenceTimeout) they count as offline.
    #[serde(default)]
    pub last_seen_at: Option<DateTime<Utc>>,
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
            last_seen_at: None,
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

stable_text!(ChatEnd, "chat_end" {
    Answered => "answered",
    ByCustomer => "by_customer",
    ByAgent => "by_agent",
    NoAgent => "no_agent",
});

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

/// Which kind of [`ChatState`]: how a chat's state is stored, as this and the columns of
/// [`ChatStateParts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatStateKind {
    /// [`ChatState::Assistant`].
    Assistant,
    /// [`ChatState::Waiting`].
    Waiting,
    /// [`ChatState::Active`].
    Active,
    /// [`ChatState::Ended`].
    Ended,
}

stable_text!(ChatStateKind, "chat_state" {
    Assistant => "assistant",
    Waiting => "waiting",
    Active => "active",
    Ended => "ended",
});

/// A chat state as flat, nullable columns: what every backend stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatStateParts {
    /// The kind of state.
    pub kind: ChatStateKind,
    /// Since when it waits or is with an agent.
    pub since: Option<DateTime<Utc>>,
    /// The agent it is with.
    pub agent: Option<AgentId>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// How it ended.
    pub end: Option<ChatEnd>,
}

impl From<ChatState> for ChatStateParts {
    fn from(state: ChatState) -> Self {
        let none = |kind| ChatStateParts {
            kind,
            since: None,
            agent: None,
            ended_at: None,
            end: None,
        };
        match state {
            ChatState::Assistant => none(ChatStateKind::Assistant),
            ChatState::Waiting { since } => ChatStateParts {
                since: Some(since),
                ..none(ChatStateKind::Waiting)
            },
            ChatState::Active { agent, since } => ChatStateParts {
                since: Some(since),
                agent: Some(agent),
                ..none(ChatStateKind::Active)
            },
            ChatState::Ended { at, end } => ChatStateParts {
                ended_at: Some(at),
                end: Some(end),
                ..none(ChatStateKind::Ended)
            },
        }
    }
}

impl TryFrom<ChatStateParts> for ChatState {
    type Error = ValidationError;

    /// The state the parts describe; a part the kind needs that is missing is an error
    /// naming it (parts the kind does not use are ignored).
    fn try_from(p: ChatStateParts) -> Result<Self, ValidationError> {
        fn needed<T>(part: Option<T>, name: &'static str) -> Result<T, ValidationError> {
            part.ok_or_else(|| ValidationError::new(name, "missing for this chat state"))
        }
        Ok(match p.kind {
            ChatStateKind::Assistant => ChatState::Assistant,
            ChatStateKind::Waiting => ChatState::Waiting {
                since: needed(p.since, "since")?,
            },
            ChatStateKind::Active => ChatState::Active {
                agent: needed(p.agent, "agent")?,
                since: needed(p.since, "since")?,
            },
            ChatStateKind::Ended => ChatState::Ended {
                at: needed(p.ended_at, "ended_at")?,
                end: needed(p.end, "end_reason")?,
            },
        })
    }
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
