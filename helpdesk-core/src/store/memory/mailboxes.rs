//! [`MailboxStore`] for the in-memory reference store: each mailbox with its password, its
//! changes appended to the settings' audit trail under the same lock.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::MailboxId;
use crate::error::Result;
use crate::store::{Mailbox, MailboxRound, MailboxSettings, MailboxStore, SettingChange};

#[async_trait]
impl MailboxStore for MemoryStore {
    async fn put_mailbox(
        &self,
        id: MailboxId,
        settings: &MailboxSettings,
        password: &str,
        change: &SettingChange,
    ) -> Result<()> {
        let mut state = self.lock();
        let last_round = state
            .mailboxes
            .get(&id)
            .and_then(|(m, _)| m.last_round.clone());
        let mailbox = Mailbox {
            id,
            settings: settings.clone(),
            last_round,
        };
        state.mailboxes.insert(id, (mailbox, password.to_owned()));
        state.setting_changes.push(change.clone());
        Ok(())
    }

    async fn mailbox(&self, id: MailboxId) -> Result<Option<Mailbox>> {
        Ok(self.lock().mailboxes.get(&id).map(|(m, _)| m.clone()))
    }

    async fn mailbox_password(&self, id: MailboxId) -> Result<Option<String>> {
        Ok(self.lock().mailboxes.get(&id).map(|(_, p)| p.clone()))
    }

    async fn mailboxes(&self) -> Result<Vec<Mailbox>> {
        Ok(self
            .lock()
            .mailboxes
            .values()
            .map(|(m, _)| m.clone())
            .collect())
    }

    async fn delete_mailbox(&self, id: MailboxId, change: &SettingChange) -> Result<bool> {
        let mut state = self.lock();
        if state.mailboxes.remove(&id).is_none() {
            return Ok(false);
        }
        state.setting_changes.push(change.clone());
        Ok(true)
    }

    async fn record_mailbox_round(&self, id: MailboxId, round: &MailboxRound) -> Result<bool> {
        Ok(match self.lock().mailboxes.get_mut(&id) {
            Some((m, _)) => {
                m.last_round = Some(round.clone());
                true
            }
            None => false,
        })
    }
}
