//! [`SettingsStore`] for the in-memory reference store: a value per setting.

use async_trait::async_trait;

use super::MemoryStore;
use crate::error::Result;
use crate::store::{SettingKey, SettingsStore};

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
}
