//! [`Store`] for [`PostgresStore`]: each method a call into the module that owns it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{
    Agent, AgentId, Customer, CustomerId, DeliveryOutcome, Department, DepartmentId, Email,
    MailReference, Message, MessageId, Notification, NotificationId, NotificationState,
    OutboundEmail, OutboxId, Recipient, Ticket, TicketEvent, TicketId, TicketKey, TimeEntry,
};
use helpdesk_core::search::{CustomerLookup, TicketSearch};
use helpdesk_core::store::{
    BlobKey, MessagePage, Page, PageRequest, ReadSet, ReadTogether, Store, TicketFilter,
    TicketThread, WriteBatch,
};

use crate::connection::PostgresStore;
use crate::{commit, directory, notifications, outbox, query, search, tickets, together};

#[async_trait]
impl Store for PostgresStore {
    async fn put_department(&self, department: &Department) -> Result<()> {
        directory::put_department(&self.pool, department).await
    }

    async fn department(&self, id: DepartmentId) -> Result<Option<Department>> {
        directory::department(&self.pool, id).await
    }

    async fn departments(&self) -> Result<Vec<Department>> {
        directory::departments(&self.pool).await
    }

    async fn put_agent(&self, agent: &Agent) -> Result<()> {
        directory::put_agent(&self.pool, agent).await
    }

    async fn agent(&self, id: AgentId) -> Result<Option<Agent>> {
        directory::agent(&self.pool, id).await
    }

    async fn agents(&self) -> Result<Vec<Agent>> {
        directory::agents(&self.pool).await
    }

    async fn put_customer(&self, customer: &Customer) -> Result<()> {
        directory::put_customer(&self.pool, customer).await
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        directory::customer(&self.pool, id).await
    }

    async fn customer_by_email(&self, email: &Email) -> Result<Option<Customer>> {
        directory::customer_by_email(&self.pool, email).await
    }

    async fn find_customers(&self, lookup: &CustomerLookup, limit: u32) -> Result<Vec<Customer>> {
        directory::find_customers(&self.pool, lookup, limit).await
    }

    async fn list_customers(
        &self,
        filter: &helpdesk_core::store::CustomerFilter,
        page: &helpdesk_core::store::CustomerPageRequest,
    ) -> Result<helpdesk_core::store::CustomerPage> {
        directory::list_customers(&self.pool, filter, page).await
    }

    async fn next_ticket_sequence(&self) -> Result<u64> {
        tickets::next_sequence(&self.pool).await
    }

    async fn next_ticket_sequences(&self, count: u32) -> Result<Vec<u64>> {
        tickets::next_sequences(&self.pool, count).await
    }

    async fn commit(&self, batch: WriteBatch) -> Result<()> {
        commit::commit(&self.pool, batch).await
    }

    async fn read_together(&self, set: &ReadSet) -> Result<ReadTogether> {
        together::read_together(self, set).await
    }

    async fn ticket(&self, id: TicketId) -> Result<Option<Ticket>> {
        tickets::by_id(&self.pool, id).await
    }

    async fn ticket_by_number(&self, digits: &str) -> Result<Option<Ticket>> {
        tickets::by_number(&self.pool, digits).await
    }

    async fn list_tickets(
        &self,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        query::list(&self.pool, filter, page).await
    }

    async fn search_tickets(
        &self,
        search: &TicketSearch,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        search::search(&self.pool, search, page, self.search_plan).await
    }

    async fn count_tickets(&self, filter: &TicketFilter) -> Result<u64> {
        query::count(&self.pool, filter).await
    }

    async fn due_tickets(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Ticket>> {
        tickets::due(&self.pool, now, limit).await
    }

    async fn messages(&self, ticket: TicketId, include_internal: bool) -> Result<Vec<Message>> {
        tickets::messages(&self.pool, ticket, include_internal).await
    }

    async fn messages_page(
        &self,
        ticket: TicketId,
        include_internal: bool,
        before: Option<MessageId>,
        limit: u32,
    ) -> Result<MessagePage> {
        tickets::messages_page(&self.pool, ticket, include_internal, before, limit).await
    }

    async fn ticket_with_thread(
        &self,
        key: &TicketKey,
        include_internal: bool,
        newest: Option<u32>,
    ) -> Result<Option<TicketThread>> {
        tickets::ticket_with_thread(&self.pool, key, include_internal, newest).await
    }

    async fn history(&self, ticket: TicketId) -> Result<Vec<TicketEvent>> {
        tickets::history(&self.pool, ticket).await
    }

    async fn time_entries(&self, ticket: TicketId) -> Result<Vec<TimeEntry>> {
        tickets::time_entries(&self.pool, ticket).await
    }

    async fn referenced_blobs(&self, keys: &[BlobKey]) -> Result<Vec<BlobKey>> {
        tickets::referenced_blobs(&self.pool, keys).await
    }

    async fn notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        notifications::list(&self.pool, recipient, now, limit).await
    }

    async fn notification(
        &self,
        recipient: Recipient,
        id: NotificationId,
    ) -> Result<Option<Notification>> {
        notifications::one(&self.pool, recipient, id).await
    }

    async fn set_notification_state(
        &self,
        recipient: Recipient,
        id: NotificationId,
        state: &NotificationState,
    ) -> Result<()> {
        notifications::set_state(&self.pool, recipient, id, state).await
    }

    async fn dismiss_notifications(&self, recipient: Recipient, now: DateTime<Utc>) -> Result<u64> {
        notifications::dismiss_all(&self.pool, recipient, now).await
    }

    async fn lease_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboundEmail>> {
        outbox::lease(&self.pool, now, lease_until, limit).await
    }

    async fn finish_delivery(&self, id: OutboxId, outcome: &DeliveryOutcome) -> Result<()> {
        outbox::finish(&self.pool, id, outcome).await
    }

    async fn outbox_email(&self, id: OutboxId) -> Result<Option<OutboundEmail>> {
        outbox::email(&self.pool, id).await
    }

    async fn ticket_emails(&self, ticket: TicketId) -> Result<Vec<OutboundEmail>> {
        outbox::ticket_emails(&self.pool, ticket).await
    }

    async fn mail_reference(&self, message_id: &str) -> Result<Option<MailReference>> {
        outbox::mail_reference(&self.pool, message_id).await
    }

    async fn mail_references_of(&self, message_ids: &[String]) -> Result<Vec<MailReference>> {
        outbox::mail_references_of(&self.pool, message_ids).await
    }

    async fn mail_references(&self, ticket: TicketId) -> Result<Vec<MailReference>> {
        outbox::mail_references(&self.pool, ticket).await
    }

    helpdesk_core::offer_every_ability!();
}
