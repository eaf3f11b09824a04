//! [`SettingsStore`] for the in-memory reference store: a value per setting.

use async_trait::async_trait;

use super::MemoryStore;
use crate::error::Result;
use crate::store::{SettingChange, SettingKey, SettingsStore};

#[async_trait]
impl SettingsStore for MemoryStore {
    async fn setting(&self, key: SettingKey) -> Result<Option<String>> {
        Ok(self.lock().settings.get(&key).cloned())
    }

    async fn put_setting(&self, key: SettingKey, value: &str) -> Result<()> {
        self.lock().settings.insert(key, value.to_owned());
        Ok(())
    }

    async fn delete_setting(&self, key: SettingKey) -> Result<bool> {
        Ok(self.lock().settings.remove(&key).is_some())
    }

    async fn change_setting(&self, change: &SettingChange) -> Result<()> {
        let mut state = self.lock();
        match &change.after {
            Some(value) => state.settings.insert(change.key, value.clone()),
            None => state.settings.remove(&change.key),
        };
        state.setting_changes.push(change.clone());
        Ok(())
    }

    async fn setting_changes(&self, limit: u32) -> Result<Vec<SettingChange>> {
        let state = self.lock();
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(state
            .setting_changes
            .iter()
            .rev()
            .take(limit)
            .cloned()
            .collect())
    }
}
