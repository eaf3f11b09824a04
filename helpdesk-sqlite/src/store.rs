//! [`Store`] for [`SqliteStore`]: each method a call into the module that owns it, and the
//! abilities this store has (every one the core defines).

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

use crate::connection::SqliteStore;
use crate::{commit, directory, notifications, outbox, query, search, tickets, together};

#[async_trait]
impl Store for SqliteStore {
    async fn put_department(&self, department: &Department) -> Result<()> {
        directory::put_department(self, department).await
    }

    async fn department(&self, id: DepartmentId) -> Result<Option<Department>> {
        directory::department(self, id).await
    }

    async fn departments(&self) -> Result<Vec<Department>> {
        directory::departments(self).await
    }

    async fn put_agent(&self, agent: &Agent) -> Result<()> {
        directory::put_agent(self, agent).await
    }

    async fn agent(&self, id: AgentId) -> Result<Option<Agent>> {
        directory::agent(self, id).await
    }

    async fn agents(&self) -> Result<Vec<Agent>> {
        directory::agents(self).await
    }

    async fn put_customer(&self, customer: &Customer) -> Result<()> {
        directory::put_customer(self, customer).await
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        directory::customer(self, id).await
    }

    async fn customer_by_email(&self, email: &Email) -> Result<Option<Customer>> {
        directory::customer_by_email(self, email).await
    }

    async fn find_customers(&self, lookup: &CustomerLookup, limit: u32) -> Result<Vec<Customer>> {
        directory::find_customers(self, lookup, limit).await
    }

    async fn list_customers(
        &self,
        filter: &helpdesk_core::store::CustomerFilter,
        page: &helpdesk_core::store::CustomerPageRequest,
    ) -> Result<helpdesk_core::store::CustomerPage> {
        directory::list_customers(self, filter, page).await
    }

    async fn next_ticket_sequence(&self) -> Result<u64> {
        tickets::next_ticket_sequence(self).await
    }

    async fn next_ticket_sequences(&self, count: u32) -> Result<Vec<u64>> {
        tickets::next_ticket_sequences(self, count).await
    }

    async fn commit(&self, batch: WriteBatch) -> Result<()> {
        commit::commit(self, batch).await
    }

    async fn read_together(&self, set: &ReadSet) -> Result<ReadTogether> {
        together::read_together(self, set).await
    }

    async fn ticket(&self, id: TicketId) -> Result<Option<Ticket>> {
        tickets::ticket(self, id).await
    }

    async fn ticket_by_number(&self, digits: &str) -> Result<Option<Ticket>> {
        tickets::ticket_by_number(self, digits).await
    }

    async fn list_tickets(
        &self,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        let query = query::list_tickets(filter, page);
        tickets::page(self, query, page).await
    }

    async fn search_tickets(
        &self,
        search: &TicketSearch,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        let (search, page, plan) = (search.clone(), page.clone(), self.search_plan());
        self.read(move |conn| search::page(conn, &search, &page, plan))
            .await
    }

    async fn count_tickets(&self, filter: &TicketFilter) -> Result<u64> {
        tickets::count(self, query::count_tickets(filter)).await
    }

    async fn due_tickets(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Ticket>> {
        tickets::due_tickets(self, now, limit).await
    }

    async fn messages(&self, ticket: TicketId, include_internal: bool) -> Result<Vec<Message>> {
        tickets::messages(self, ticket, include_internal).await
    }

    async fn messages_page(
        &self,
        ticket: TicketId,
        include_internal: bool,
        before: Option<MessageId>,
        limit: u32,
    ) -> Result<MessagePage> {
        tickets::messages_page(self, ticket, include_internal, before, limit).await
    }

    async fn ticket_with_thread(
        &self,
        key: &TicketKey,
        include_internal: bool,
        newest: Option<u32>,
    ) -> Result<Option<TicketThread>> {
        tickets::ticket_with_thread(self, key, include_internal, newest).await
    }

    async fn history(&self, ticket: TicketId) -> Result<Vec<TicketEvent>> {
        tickets::history(self, ticket).await
    }

    async fn time_entries(&self, ticket: TicketId) -> Result<Vec<TimeEntry>> {
        tickets::time_entries(self, ticket).await
    }

    async fn referenced_blobs(&self, keys: &[BlobKey]) -> Result<Vec<BlobKey>> {
        tickets::referenced_blobs(self, keys).await
    }

    async fn notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        notifications::list(self, recipient, now, limit).await
    }

    async fn notification(
        &self,
        recipient: Recipient,
        id: NotificationId,
    ) -> Result<Option<Notification>> {
        notifications::one(self, recipient, id).await
    }

    async fn set_notification_state(
        &self,
        recipient: Recipient,
        id: NotificationId,
        state: &NotificationState,
    ) -> Result<()> {
        notifications::set_state(self, recipient, id, state).await
    }

    async fn dismiss_notifications(&self, recipient: Recipient, now: DateTime<Utc>) -> Result<u64> {
        notifications::dismiss_all(self, recipient, now).await
    }

    async fn lease_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboundEmail>> {
        outbox::lease(self, now, lease_until, limit).await
    }

    async fn finish_delivery(&self, id: OutboxId, outcome: &DeliveryOutcome) -> Result<()> {
        outbox::finish(self, id, outcome).await
    }

    async fn outbox_email(&self, id: OutboxId) -> Result<Option<OutboundEmail>> {
        outbox::email(self, id).await
    }

    async fn ticket_emails(&self, ticket: TicketId) -> Result<Vec<OutboundEmail>> {
        outbox::ticket_emails(self, ticket).await
    }

    async fn mail_reference(&self, message_id: &str) -> Result<Option<MailReference>> {
        outbox::mail_reference(self, message_id).await
    }

    async fn mail_references_of(&self, message_ids: &[String]) -> Result<Vec<MailReference>> {
        outbox::mail_references_of(self, message_ids).await
    }

    async fn mail_references(&self, ticket: TicketId) -> Result<Vec<MailReference>> {
        outbox::mail_references(self, ticket).await
    }

    helpdesk_core::offer_every_ability!();
}
