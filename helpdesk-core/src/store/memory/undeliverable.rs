//! [`UndeliverableStore`] for the in-memory reference store: a mark per address.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::MemoryStore;
use crate::domain::Email;
use crate::error::Result;
use crate::store::{UndeliverableAddress, UndeliverableStore};

#[async_trait]
impl UndeliverableStore for MemoryStore {
    async fn mark_undeliverable(&self, mark: &UndeliverableAddress) -> Result<()> {
        self.lock()
            .undeliverable
            .insert(mark.address.clone(), mark.clone());
        Ok(())
    }

    async fn undeliverable(&self, address: &Email) -> Result<Option<UndeliverableAddress>> {
        Ok(self.lock().undeliverable.get(address).cloned())
    }

    async fn undeliverable_addresses(
        &self,
        now: DateTime<Utc>,
        after: Option<&Email>,
        limit: u32,
    ) -> Result<Vec<UndeliverableAddress>> {
        let state = self.lock();
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(state
            .undeliverable
            .values()
            .filter(|m| after.is_none_or(|a| m.address > *a) && m.until > now)
            .take(limit)
            .cloned()
            .collect())
    }

    async fn clear_undeliverable(&self, address: &Email) -> Result<bool> {
        Ok(self.lock().undeliverable.remove(address).is_some())
    }
}
