//! [`ChatStore`] for the in-memory reference store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{ChatCommit, ChatStore, MemoryStore};
use crate::domain::{
    AgentId, Availability, ChatId, ChatSession, ChatState, CustomerId, DepartmentId, Version,
};
use crate::error::{ConflictKind, Entity, Error, Result};

fn stale(entity: Entity, expected: Option<Version>, actual: Option<Version>) -> Error {
    Error::Conflict {
        entity,
        kind: ConflictKind::StaleVersion {
            expected: expected.unwrap_or(Version::FIRST),
            actual: actual.unwrap_or(Version::FIRST),
        },
    }
}

fn waiting_since(c: &ChatSession) -> Option<DateTime<Utc>> {
    match c.state {
        ChatState::Waiting { since } => Some(since),
        _ => None,
    }
}

#[async_trait]
impl ChatStore for MemoryStore {
    async fn commit_chat(&self, commit: ChatCommit) -> Result<()> {
        let mut inner = self.lock();
        for (expected, chat) in &commit.chats {
            let actual = inner.chats.get(&chat.id).map(|c| c.version);
            if actual != *expected {
                return Err(stale(Entity::Chat, *expected, actual));
            }
        }
        for (expected, a) in &commit.availability {
            let actual = inner.availability.get(&a.agent).map(|x| x.version);
            if actual != *expected {
                return Err(stale(Entity::Availability, *expected, actual));
            }
        }
        for (expected, mut chat) in commit.chats {
            chat.version = expected.map_or(Version::FIRST, |v| v.next());
            inner.chats.insert(chat.id, chat);
        }
        for (expected, mut a) in commit.availability {
            a.version = expected.map_or(Version::FIRST, |v| v.next());
            inner.availability.insert(a.agent, a);
        }
        Ok(())
    }

    async fn chat(&self, id: ChatId) -> Result<Option<ChatSession>> {
        Ok(self.lock().chats.get(&id).cloned())
    }

    async fn waiting_chats(&self, department: DepartmentId) -> Result<Vec<ChatSession>> {
        let mut waiting: Vec<ChatSession> = self
            .lock()
            .chats
            .values()
            .filter(|c| c.department == department && waiting_since(c).is_some())
            .cloned()
            .collect();
        waiting.sort_by_key(|c| (waiting_since(c), c.id));
        Ok(waiting)
    }

    async fn chats_waiting_since_before(&self, before: DateTime<Utc>) -> Result<Vec<ChatSession>> {
        let mut waiting: Vec<ChatSession> = self
            .lock()
            .chats
            .values()
            .filter(|c| waiting_since(c).is_some_and(|s| s < before))
            .cloned()
            .collect();
        waiting.sort_by_key(|c| (waiting_since(c), c.id));
        Ok(waiting)
    }

    async fn agent_chats(&self, agent: AgentId) -> Result<Vec<ChatSession>> {
        let mut mine: Vec<ChatSession> = self
            .lock()
            .chats
            .values()
            .filter(|c| c.agent() == Some(agent))
            .cloned()
            .collect();
        mine.sort_by_key(|c| (c.created_at, c.id));
        Ok(mine)
    }

    async fn customer_chats(&self, customer: CustomerId, limit: u32) -> Result<Vec<ChatSession>> {
        let mut theirs: Vec<ChatSession> = self
            .lock()
            .chats
            .values()
            .filter(|c| c.customer == customer)
            .cloned()
            .collect();
        theirs.sort_by_key(|c| std::cmp::Reverse((c.created_at, c.id)));
        theirs.truncate(limit as usize);
        Ok(theirs)
    }

    async fn availability(&self, agent: AgentId) -> Result<Option<Availability>> {
        Ok(self.lock().availability.get(&agent).cloned())
    }

    async fn availabilities(&self) -> Result<Vec<Availability>> {
        Ok(self.lock().availability.values().cloned().collect())
    }
}
