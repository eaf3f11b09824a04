//! [`RequiredOnly`]: a store that keeps the required contract and offers no ability, to show
//! that a desk on such a store answers [`Error::Unsupported`](crate::Error::Unsupported)
//! where it needs one, and that the required checks ask for nothing more.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{
    Agent, AgentId, Customer, CustomerId, DeliveryOutcome, Department, DepartmentId, Email,
    MailReference, Message, Notification, NotificationId, NotificationState, OutboundEmail,
    OutboxId, Recipient, Ticket, TicketEvent, TicketId, TimeEntry,
};
use crate::error::Result;
use crate::search::{CustomerLookup, TicketSearch};
use crate::store::{BlobKey, Page, PageRequest, Store, TicketFilter, WriteBatch};

/// `S` with only the required [`Store`] methods: every call goes to `S`, and every `as_*`
/// answers "not offered", whatever `S` offers.
///
/// ```
/// use helpdesk_core::store::{MemoryStore, Store};
/// use helpdesk_core::testkit::RequiredOnly;
///
/// let store = RequiredOnly::new(MemoryStore::new());
/// assert!(store.inner().as_chat_store().is_some());
/// assert!(store.as_chat_store().is_none());
/// ```
#[derive(Debug)]
pub struct RequiredOnly<S> {
    inner: S,
}

impl<S: Store> RequiredOnly<S> {
    /// `inner` without its abilities.
    pub fn new(inner: S) -> Self {
        Self { inner }
    }

    /// The store underneath, abilities and all.
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

#[async_trait]
impl<S: Store> Store for RequiredOnly<S> {
    async fn put_department(&self, department: &Department) -> Result<()> {
        self.inner.put_department(department).await
    }
    async fn department(&self, id: DepartmentId) -> Result<Option<Department>> {
        self.inner.department(id).await
    }
    async fn departments(&self) -> Result<Vec<Department>> {
        self.inner.departments().await
    }
    async fn put_agent(&self, agent: &Agent) -> Result<()> {
        self.inner.put_agent(agent).await
    }
    async fn agent(&self, id: AgentId) -> Result<Option<Agent>> {
        self.inner.agent(id).await
    }
    async fn agents(&self) -> Result<Vec<Agent>> {
        self.inner.agents().await
    }
    async fn put_customer(&self, customer: &Customer) -> Result<()> {
        self.inner.put_customer(customer).await
    }
    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        self.inner.customer(id).await
    }
    async fn customer_by_email(&self, email: &Email) -> Result<Option<Customer>> {
        self.inner.customer_by_email(email).await
    }
    async fn find_customers(&self, lookup: &CustomerLookup, limit: u32) -> Result<Vec<Customer>> {
        self.inner.find_customers(lookup, limit).await
    }
    async fn next_ticket_sequence(&self) -> Result<u64> {
        self.inner.next_ticket_sequence().await
    }
    async fn commit(&self, batch: WriteBatch) -> Result<()> {
        self.inner.commit(batch).await
    }
    async fn ticket(&self, id: TicketId) -> Result<Option<Ticket>> {
        self.inner.ticket(id).await
    }
    async fn ticket_by_number(&self, digits: &str) -> Result<Option<Ticket>> {
        self.inner.ticket_by_number(digits).await
    }
    async fn list_tickets(
        &self,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        self.inner.list_tickets(filter, page).await
    }
    async fn search_tickets(
        &self,
        search: &TicketSearch,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        self.inner.search_tickets(search, page).await
    }
    async fn due_tickets(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Ticket>> {
        self.inner.due_tickets(now, limit).await
    }
    async fn messages(&self, ticket: TicketId, include_internal: bool) -> Result<Vec<Message>> {
        self.inner.messages(ticket, include_internal).await
    }
    async fn history(&self, ticket: TicketId) -> Result<Vec<TicketEvent>> {
        self.inner.history(ticket).await
    }
    async fn time_entries(&self, ticket: TicketId) -> Result<Vec<TimeEntry>> {
        self.inner.time_entries(ticket).await
    }
    async fn referenced_blobs(&self, keys: &[BlobKey]) -> Result<Vec<BlobKey>> {
        self.inner.referenced_blobs(keys).await
    }
    async fn notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        self.inner.notifications(recipient, now, limit).await
    }
    async fn notification(
        &self,
        recipient: Recipient,
        id: NotificationId,
    ) -> Result<Option<Notification>> {
        self.inner.notification(recipient, id).await
    }
    async fn set_notification_state(
        &self,
        recipient: Recipient,
        id: NotificationId,
        state: &NotificationState,
    ) -> Result<()> {
        self.inner
            .set_notification_state(recipient, id, state)
            .await
    }
    async fn lease_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboundEmail>> {
        self.inner.lease_outbox(now, lease_until, limit).await
    }
    async fn finish_delivery(&self, id: OutboxId, outcome: &DeliveryOutcome) -> Result<()> {
        self.inner.finish_delivery(id, outcome).await
    }
    async fn outbox_email(&self, id: OutboxId) -> Result<Option<OutboundEmail>> {
        self.inner.outbox_email(id).await
    }
    async fn ticket_emails(&self, ticket: TicketId) -> Result<Vec<OutboundEmail>> {
        self.inner.ticket_emails(ticket).await
    }
    async fn mail_reference(&self, message_id: &str) -> Result<Option<MailReference>> {
        self.inner.mail_reference(message_id).await
    }
    async fn mail_references(&self, ticket: TicketId) -> Result<Vec<MailReference>> {
        self.inner.mail_references(ticket).await
    }
}
