//! [`SettingsStore`] for the in-memory reference store: a value per setting.

use async_trait::async_trait;

use super::MemoryStore;
use crate::error::{Entity, Error, Result};
use crate::store::{SettingChange, SettingKey, SettingWrite, SettingsStore};

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

    async fn write_audited(&self, write: &SettingWrite, change: &SettingChange) -> Result<u64> {
        let mut state = self.lock();
        // Every write below checks before it changes anything, so an error leaves the maps
        // as they were and appends no change.
        let moved = match write {
            SettingWrite::Value { key, value } => {
                match value {
                    Some(value) => state.settings.insert(*key, value.clone()),
                    None => state.settings.remove(key),
                };
                0
            }
            SettingWrite::PutTemplate(template) => {
                state.templates.insert(template.id, template.clone());
                0
            }
            SettingWrite::DeleteTemplate(id) => {
                state
                    .templates
                    .remove(id)
                    .ok_or_else(|| Error::not_found(Entity::Template, id))?;
                0
            }
            SettingWrite::PutCannedResponse(response) => {
                state.canned.insert(response.id, response.clone());
                0
            }
            SettingWrite::DeleteCannedResponse(id) => {
                state
                    .canned
                    .remove(id)
                    .ok_or_else(|| Error::not_found(Entity::CannedResponse, id))?;
                0
            }
            SettingWrite::AddArticleCategory(category) => {
                state.add_article_category(category)?;
                0
            }
            SettingWrite::RenameArticleCategory { from, to } => {
                state.rename_article_category(from, to)?
            }
            SettingWrite::DeleteArticleCategory(category) => {
                state.delete_article_category(category)?;
                0
            }
            SettingWrite::PutMacro(entry) => {
                state.macros.insert(entry.id, entry.clone());
                0
            }
            SettingWrite::DeleteMacro(id) => {
                state
                    .macros
                    .remove(id)
                    .ok_or_else(|| Error::not_found(Entity::Macro, id))?;
                0
            }
        };
        state.setting_changes.push(change.clone());
        Ok(moved)
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
