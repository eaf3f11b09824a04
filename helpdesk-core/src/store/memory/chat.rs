//! [`ChatStore`] for the in-memory reference store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::MemoryStore;
use crate::domain::{
    AgentId, Availability, ChatId, ChatSession, ChatState, CustomerId, DepartmentId,
};
use crate::error::Result;
use crate::store::{ChatCommit, ChatStore};

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
        let chats = (commit.chats.iter())
            .filter_map(|(_, c)| inner.chats.get(&c.id).map(|s| (c.id, s.version)))
            .collect();
        let seats = (commit.availability.iter())
            .filter_map(|(_, a)| {
                inner
                    .availability
                    .get(&a.agent)
                    .map(|s| (a.agent, s.version))
            })
            .collect();
        let writes = commit.check(&chats, &seats)?;
        let changes = crate::feed::changes_of_chat(&writes);
        inner.enqueue_webhooks(&changes, chrono::Utc::now());
        inner.feed.append(changes);
        for (_, chat) in writes.chats {
            inner.chats.insert(chat.id, chat);
        }
        for (_, a) in writes.availability {
            inner.availability.insert(a.agent, a);
        }
        drop(inner);
        self.feed_wake.wake();
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
