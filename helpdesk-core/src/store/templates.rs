//! Ticket templates and canned responses: settings kept in the store.

use async_trait::async_trait;

use crate::domain::{
    CannedResponse, CannedResponseId, DepartmentId, Language, TemplateId, TicketTemplate,
};
use crate::error::Result;

/// An ability a store may offer ([`Store::as_template_store`](super::Store::as_template_store)):
/// ticket templates and canned responses.
#[async_trait]
pub trait TemplateStore: Send + Sync {
    /// Inserts or replaces a ticket template.
    async fn put_template(&self, template: &TicketTemplate) -> Result<()>;
    /// A ticket template by id.
    async fn template(&self, id: TemplateId) -> Result<Option<TicketTemplate>>;
    /// Every ticket template, by name then id.
    async fn templates(&self) -> Result<Vec<TicketTemplate>>;
    /// Deletes a ticket template; whether there was one. Tickets opened from it keep what
    /// they were opened with.
    async fn delete_template(&self, id: TemplateId) -> Result<bool>;
    /// Inserts or replaces a canned response.
    async fn put_canned_response(&self, response: &CannedResponse) -> Result<()>;
    /// Canned responses for `department` (its own and those for every department; all of
    /// them when `None`) in `language` (any when `None`), by name then id.
    async fn canned_responses(
        &self,
        department: Option<DepartmentId>,
        language: Option<Language>,
    ) -> Result<Vec<CannedResponse>>;
    /// A canned response by id.
    async fn canned_response(&self, id: CannedResponseId) -> Result<Option<CannedResponse>>;
    /// Deletes a canned response; whether there was one.
    async fn delete_canned_response(&self, id: CannedResponseId) -> Result<bool>;
}
