//! [`MailQuarantineStore`] for the in-memory reference store.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::{IgnoredMailId, QuarantineId};
use crate::error::Result;
use crate::store::{IgnoredMail, MailQuarantineStore, QuarantinedMail};

#[async_trait]
impl MailQuarantineStore for MemoryStore {
    async fn put_quarantined_mail(&self, mail: &QuarantinedMail, raw: &[u8]) -> Result<()> {
        let mut state = self.lock();
        let entry = state
            .quarantine
            .entry(mail.id)
            .or_insert_with(|| (mail.clone(), raw.to_vec()));
        entry.0 = mail.clone();
        Ok(())
    }

    async fn quarantined_mail(&self, id: QuarantineId) -> Result<Option<QuarantinedMail>> {
        Ok(self.lock().quarantine.get(&id).map(|(m, _)| m.clone()))
    }

    async fn quarantined_mail_bytes(&self, id: QuarantineId) -> Result<Option<Vec<u8>>> {
        Ok(self.lock().quarantine.get(&id).map(|(_, raw)| raw.clone()))
    }

    async fn quarantined_mails(
        &self,
        before: Option<QuarantineId>,
        limit: u32,
    ) -> Result<Vec<QuarantinedMail>> {
        let state = self.lock();
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(state
            .quarantine
            .values()
            .rev()
            .filter(|(m, _)| before.is_none_or(|b| m.id < b))
            .take(limit)
            .map(|(m, _)| m.clone())
            .collect())
    }

    async fn delete_quarantined_mail(&self, id: QuarantineId) -> Result<bool> {
        Ok(self.lock().quarantine.remove(&id).is_some())
    }

    async fn record_ignored_mail(&self, mail: &IgnoredMail) -> Result<()> {
        self.lock().ignored_mail.insert(mail.id, mail.clone());
        Ok(())
    }

    async fn ignored_mails(
        &self,
        before: Option<IgnoredMailId>,
        limit: u32,
    ) -> Result<Vec<IgnoredMail>> {
        let state = self.lock();
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(state
            .ignored_mail
            .values()
            .rev()
            .filter(|m| before.is_none_or(|b| m.id < b))
            .take(limit)
            .cloned()
            .collect())
    }
}
