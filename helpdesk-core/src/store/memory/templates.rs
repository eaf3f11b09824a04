//! [`TemplateStore`] for the in-memory reference store: ticket templates and canned responses.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::{
    CannedResponse, CannedResponseId, DepartmentId, Language, TemplateId, TicketTemplate,
};
use crate::error::Result;
use crate::store::TemplateStore;

#[async_trait]
impl TemplateStore for MemoryStore {
    async fn put_template(&self, template: &TicketTemplate) -> Result<()> {
        self.lock().templates.insert(template.id, template.clone());
        Ok(())
    }

    async fn template(&self, id: TemplateId) -> Result<Option<TicketTemplate>> {
        Ok(self.lock().templates.get(&id).cloned())
    }

    async fn templates(&self) -> Result<Vec<TicketTemplate>> {
        let mut all: Vec<_> = self.lock().templates.values().cloned().collect();
        all.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
        Ok(all)
    }

    async fn put_canned_response(&self, response: &CannedResponse) -> Result<()> {
        self.lock().canned.insert(response.id, response.clone());
        Ok(())
    }

    async fn canned_responses(
        &self,
        department: Option<DepartmentId>,
        language: Option<Language>,
    ) -> Result<Vec<CannedResponse>> {
        let mut found: Vec<_> = self
            .lock()
            .canned
            .values()
            .filter(|c| department.is_none_or(|d| c.department.is_none_or(|own| own == d)))
            .filter(|c| language.is_none_or(|l| c.language == l))
            .cloned()
            .collect();
        found.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
        Ok(found)
    }

    async fn delete_template(&self, id: TemplateId) -> Result<bool> {
        Ok(self.lock().templates.remove(&id).is_some())
    }

    async fn canned_response(&self, id: CannedResponseId) -> Result<Option<CannedResponse>> {
        Ok(self.lock().canned.get(&id).cloned())
    }

    async fn delete_canned_response(&self, id: CannedResponseId) -> Result<bool> {
        Ok(self.lock().canned.remove(&id).is_some())
    }
}
