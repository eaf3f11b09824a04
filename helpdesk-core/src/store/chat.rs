//! Live chats and agents' availability. Routing changes a chat and an agent's seat count
//! together, so [`ChatStore::commit_chat`] applies both or neither, each checked against the
//! version the router read.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{
    AgentId, Availability, ChatId, ChatSession, CustomerId, DepartmentId, Version,
};
use crate::error::Result;

/// Changes to chats and availabilities that commit together or not at all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatCommit {
    /// Chats to write, each with the version it must still have (`None`: it must be new).
    pub chats: Vec<(Option<Version>, ChatSession)>,
    /// Availabilities to write, each with the version it must still have (`None`: it must
    /// be new).
    pub availability: Vec<(Option<Version>, Availability)>,
}

/// The chat half of a store; every [`Store`](super::Store) is one.
#[async_trait]
pub trait ChatStore: Send + Sync {
    /// Applies `commit`: every chat and availability is written with its version raised by
    /// one, or — when one of them is not at its expected version (or a new one exists) —
    /// nothing is, and the error is a `Conflict` (`StaleVersion`, entity `Chat` or
    /// `Availability`).
    async fn commit_chat(&self, commit: ChatCommit) -> Result<()>;

    /// A chat.
    async fn chat(&self, id: ChatId) -> Result<Option<ChatSession>>;

    /// The chats waiting for an agent in `department`, longest waiting first (then by id).
    async fn waiting_chats(&self, department: DepartmentId) -> Result<Vec<ChatSession>>;

    /// The chats waiting since before `before`, in any department, longest first.
    async fn chats_waiting_since_before(&self, before: DateTime<Utc>) -> Result<Vec<ChatSession>>;

    /// The chats an agent is in now, oldest first.
    async fn agent_chats(&self, agent: AgentId) -> Result<Vec<ChatSession>>;

    /// A customer's chats, newest first, at most `limit`.
    async fn customer_chats(&self, customer: CustomerId, limit: u32) -> Result<Vec<ChatSession>>;

    /// An agent's availability, if ever set.
    async fn availability(&self, agent: AgentId) -> Result<Option<Availability>>;

    /// Every agent's availability that was ever set.
    async fn availabilities(&self) -> Result<Vec<Availability>>;
}
