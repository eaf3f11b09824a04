//! [`NotificationPreferenceStore`] for the in-memory reference store.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::{AgentId, NotificationPreferences};
use crate::error::{Entity, Error, Result};
use crate::store::NotificationPreferenceStore;

#[async_trait]
impl NotificationPreferenceStore for MemoryStore {
    async fn notification_preferences(
        &self,
        agents: &[AgentId],
    ) -> Result<Vec<NotificationPreferences>> {
        let inner = self.lock();
        Ok(agents
            .iter()
            .filter_map(|a| inner.notification_preferences.get(a).cloned())
            .collect())
    }

    async fn set_notification_preferences(
        &self,
        preferences: &NotificationPreferences,
    ) -> Result<()> {
        let mut inner = self.lock();
        if !inner.agents.contains_key(&preferences.agent) {
            return Err(Error::not_found(Entity::Agent, preferences.agent));
        }
        inner
            .notification_preferences
            .insert(preferences.agent, preferences.clone());
        Ok(())
    }
}
