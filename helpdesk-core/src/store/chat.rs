//! Live chats and agents' availability. Routing changes a chat and an agent's seat count
//! together, so [`ChatStore::commit_chat`] applies both or neither, each checked against the
//! version the router read. What a chat commit means is written once, here
//! ([`ChatCommit::check`]); a backend reads the stored versions and writes what it returns.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{
    AgentId, Availability, ChatId, ChatSession, CustomerId, DepartmentId, Version,
};
use crate::error::{Entity, Error, Result};

/// Changes to chats and availabilities that commit together or not at all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatCommit {
    /// Chats to write, each with the version it must still have (`None`: it must be new).
    pub chats: Vec<(Option<Version>, ChatSession)>,
    /// Availabilities to write, each with the version it must still have (`None`: it must
    /// be new).
    pub availability: Vec<(Option<Version>, Availability)>,
}

/// What a checked [`ChatCommit`] writes: the last change of each chat and availability, with
/// its version set to the one it gets, beside the version it replaces (`None`: it is new).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatWrites {
    /// Chats to insert (`None`) or update from the given version.
    pub chats: Vec<(Option<Version>, ChatSession)>,
    /// Availabilities to insert (`None`) or update from the given version.
    pub availability: Vec<(Option<Version>, Availability)>,
}

impl ChatCommit {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.chats.is_empty() && self.availability.is_empty()
    }

    /// The chats and the agents whose stored versions [`check`](Self::check) needs, each
    /// once and in ascending order (the order to lock them in).
    pub fn keys(&self) -> (Vec<ChatId>, Vec<AgentId>) {
        let mut chats: Vec<ChatId> = self.chats.iter().map(|(_, c)| c.id).collect();
        let mut agents: Vec<AgentId> = self.availability.iter().map(|(_, a)| a.agent).collect();
        chats.sort_unstable();
        chats.dedup();
        agents.sort_unstable();
        agents.dedup();
        (chats, agents)
    }

    /// Checks the commit against the stored versions of its chats and availabilities (a key
    /// absent from a map is not stored): every chat first, then every availability, each
    /// against the state before the commit. The first one not at its expected version (or
    /// expected to be new and stored) is a `StaleVersion` conflict on
    /// [`Entity::Chat`] or [`Entity::Availability`]. Otherwise, what to write.
    pub fn check(
        &self,
        chats: &HashMap<ChatId, Version>,
        availability: &HashMap<AgentId, Version>,
    ) -> Result<ChatWrites> {
        for (expected, chat) in &self.chats {
            check_version(Entity::Chat, *expected, chats.get(&chat.id).copied())?;
        }
        for (expected, a) in &self.availability {
            check_version(
                Entity::Availability,
                *expected,
                availability.get(&a.agent).copied(),
            )?;
        }
        Ok(ChatWrites {
            chats: last_of_each(&self.chats, |c| c.id, |c, v| c.version = v),
            availability: last_of_each(&self.availability, |a| a.agent, |a, v| a.version = v),
        })
    }
}

fn check_version(entity: Entity, expected: Option<Version>, actual: Option<Version>) -> Result<()> {
    if expected == actual {
        Ok(())
    } else {
        Err(Error::stale(
            entity,
            expected.unwrap_or(Version::FIRST),
            actual.unwrap_or(Version::FIRST),
        ))
    }
}

/// The last change of each key, in the order of their first appearance, with the version
/// each gets: one above the expected one, or the first.
fn last_of_each<T: Clone, K: Eq + std::hash::Hash>(
    changes: &[(Option<Version>, T)],
    key: impl Fn(&T) -> K,
    set_version: impl Fn(&mut T, Version),
) -> Vec<(Option<Version>, T)> {
    let mut at: HashMap<K, usize> = HashMap::new();
    let mut out: Vec<(Option<Version>, T)> = Vec::new();
    for (expected, item) in changes {
        let mut item = item.clone();
        set_version(&mut item, expected.map_or(Version::FIRST, Version::next));
        match at.entry(key(&item)) {
            std::collections::hash_map::Entry::Occupied(slot) => {
                out[*slot.get()] = (*expected, item);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(out.len());
                out.push((*expected, item));
            }
        }
    }
    out
}

/// An ability a store may offer ([`Store::as_chat_store`](super::Store::as_chat_store)):
/// live chats and agents' availability.
#[async_trait]
pub trait ChatStore: Send + Sync {
    /// Applies `commit` atomically: reads the stored versions of [`ChatCommit::keys`] (locking
    /// them), and writes what [`ChatCommit::check`] returns, or nothing when it fails.
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
