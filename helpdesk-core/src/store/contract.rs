//! [`Store`]: what every backend must do, and how a desk reaches the abilities a backend may
//! offer beside it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{
    AccountStore, BlobKey, ChatStore, KnowledgeStore, Page, PageRequest, ReportStore,
    SavedSearchStore, SettingsStore, TemplateStore, TicketFilter, WriteBatch,
};
use crate::domain::{
    Agent, AgentId, Customer, CustomerId, DeliveryOutcome, Department, DepartmentId, Email,
    MailReference, Message, Notification, NotificationId, NotificationState, OutboundEmail,
    OutboxId, Recipient, Ticket, TicketEvent, TicketId, TimeEntry,
};
use crate::error::Result;
use crate::search::{CustomerLookup, TicketSearch};

/// A place to keep a helpdesk: what must share one transaction. The directory (departments,
/// agents, customers), tickets with their messages, history and time entries, and what a
/// ticket change causes (notifications, e-mail in the outbox, the Message-IDs of mail), all
/// written by one [`commit`](Store::commit); and the index of what is due when.
///
/// Its 33 methods without a default are all required. What a backend may or may not offer
/// (accounts, live chat, reports, the knowledge base, saved searches, templates, settings)
/// are traits of their own, reached through the `as_*` methods, whose default is "not
/// offered"; a desk on a store without one answers the calls that need it with
/// [`Error::Unsupported`](crate::Error::Unsupported).
///
/// Every backend passes the conformance suite of `helpdesk_core::testkit`. The contract:
/// - [`commit`](Store::commit) is atomic and means what
///   [`check_commit`](super::check_commit) says: the backend reads the facts
///   [`CommitKeys`](super::CommitKeys) names inside its transaction, has them checked, and
///   writes the batch's rows only when the check passes; a failed check writes nothing.
/// - Other unique values (agent e-mails, customer e-mails and contract numbers) that are
///   taken give [`Error::Conflict`](crate::Error::Conflict) with
///   [`ConflictKind::Duplicate`](crate::error::ConflictKind::Duplicate).
/// - Reads return what was written, equal field by field. Instants are whole microseconds
///   (the [`Helpdesk`](crate::Helpdesk) truncates every instant with
///   [`clock::to_micros`](crate::clock::to_micros)); finer instants do not round-trip.
/// - Messages, events, time entries and mail references come back in the order they were
///   written.
/// - No method blocks the async runtime.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug + 'static {
    // The directory.

    /// Inserts or replaces a department.
    async fn put_department(&self, department: &Department) -> Result<()>;
    /// A department by id.
    async fn department(&self, id: DepartmentId) -> Result<Option<Department>>;
    /// Every department, by name.
    async fn departments(&self) -> Result<Vec<Department>>;

    /// Inserts or replaces an agent. A taken e-mail is a conflict.
    async fn put_agent(&self, agent: &Agent) -> Result<()>;
    /// An agent by id.
    async fn agent(&self, id: AgentId) -> Result<Option<Agent>>;
    /// Every agent, by name.
    async fn agents(&self) -> Result<Vec<Agent>>;

    /// Inserts or replaces a customer. A taken e-mail or contract number is a conflict.
    async fn put_customer(&self, customer: &Customer) -> Result<()>;
    /// A customer by id.
    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>>;
    /// A customer by e-mail address.
    async fn customer_by_email(&self, email: &Email) -> Result<Option<Customer>>;
    /// Customers matching `lookup` (see [`CustomerLookup::matches`]), by name then id, at
    /// most `limit`.
    async fn find_customers(&self, lookup: &CustomerLookup, limit: u32) -> Result<Vec<Customer>>;
    /// A page of the customers `filter` matches (those
    /// [`CustomerFilter::matches`](super::CustomerFilter::matches), which every store must
    /// agree with), by name (bytewise) then id, after `page.cursor()`, with how many match
    /// in all.
    async fn list_customers(
        &self,
        filter: &super::CustomerFilter,
        page: &super::CustomerPageRequest,
    ) -> Result<super::CustomerPage>;

    // Tickets.

    /// The next value of the ticket number sequence: 1, 2, 3, ... Never the same value twice,
    /// also under concurrent callers; a value whose ticket is never written is a gap.
    async fn next_ticket_sequence(&self) -> Result<u64>;
    /// `count` values of the ticket number sequence at once, ascending, each never handed
    /// out before (by this call or [`next_ticket_sequence`](Self::next_ticket_sequence)),
    /// also under concurrent callers; not necessarily consecutive. The desk reserves numbers
    /// in blocks with it, so that opening a ticket needs no write of its own. The default
    /// takes them one by one.
    async fn next_ticket_sequences(&self, count: u32) -> Result<Vec<u64>> {
        let mut values = Vec::with_capacity(count as usize);
        for _ in 0..count {
            values.push(self.next_ticket_sequence().await?);
        }
        Ok(values)
    }
    /// What `set` asks for, read together: the same answer as
    /// [`read_one_by_one`](super::read_one_by_one) (the default), which a backend may give in
    /// one hop (one blocking task, one connection, concurrent queries). The desk reads what
    /// a decision needs with it, and with the principal when the request names them
    /// ([`Helpdesk::execute_as`](crate::Helpdesk::execute_as)). Not a snapshot: the parts may
    /// come from different moments, as separate reads would.
    async fn read_together(&self, set: &super::ReadSet) -> Result<super::ReadTogether> {
        super::read_one_by_one(self, set).await
    }
    /// Writes a batch atomically, when [`check_commit`](super::check_commit) passes on the
    /// facts read in the same transaction (see the trait's contract).
    async fn commit(&self, batch: WriteBatch) -> Result<()>;
    /// A ticket by id.
    async fn ticket(&self, id: TicketId) -> Result<Option<Ticket>>;
    /// A ticket by the ASCII digits of its full or short number.
    async fn ticket_by_number(&self, digits: &str) -> Result<Option<Ticket>>;
    /// A page of tickets matching `filter`, in `page.order()`, after `page.cursor()`.
    async fn list_tickets(&self, filter: &TicketFilter, page: &PageRequest)
    -> Result<Page<Ticket>>;
    /// A page of the tickets `search` matches (see
    /// [`TicketSearch::matches`](crate::search::TicketSearch::matches), which every store
    /// must agree with), in `page.order()`, after `page.cursor()`. The index behind it is kept
    /// in step with writes, in the same transaction.
    async fn search_tickets(
        &self,
        search: &TicketSearch,
        page: &PageRequest,
    ) -> Result<Page<Ticket>>;
    /// How many tickets match `filter` (those [`TicketFilter::matches`], which every store
    /// must agree with).
    async fn count_tickets(&self, filter: &TicketFilter) -> Result<u64>;
    /// Up to `limit` tickets whose `next_due_at` is at or before `now`, earliest first (ties
    /// by id). Must be an index scan: its cost grows with the number of due tickets, not with
    /// the total.
    async fn due_tickets(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Ticket>>;
    /// A ticket's thread, oldest first; internal notes only when `include_internal`.
    async fn messages(&self, ticket: TicketId, include_internal: bool) -> Result<Vec<Message>>;
    /// One page of a ticket's thread (see [`MessagePage`](super::MessagePage)): the `limit`
    /// messages written just before the message `before` (the newest when `None`), oldest
    /// first; internal notes only when `include_internal`. This default reads the whole
    /// thread; stores read only the page.
    ///
    /// # Errors
    ///
    /// A validation error when `limit` is 0 or above
    /// [`MAX_THREAD_PAGE`](super::MAX_THREAD_PAGE), or `before` is not a message of the
    /// thread as read.
    async fn messages_page(
        &self,
        ticket: TicketId,
        include_internal: bool,
        before: Option<crate::domain::MessageId>,
        limit: u32,
    ) -> Result<super::MessagePage> {
        super::thread_page::check_limit(limit)?;
        let thread = self.messages(ticket, include_internal).await?;
        super::MessagePage::of(thread, before, limit)
    }
    /// A ticket, by id or number, with its thread read together (on one connection, or in
    /// one blocking task: a page showing a ticket makes one call, not two): the whole thread
    /// when `newest` is `None`, else its newest `newest` messages (the first page of
    /// [`messages_page`](Self::messages_page)); internal notes only when
    /// `include_internal`. `None` when there is no such ticket. This default makes the two
    /// calls.
    ///
    /// # Errors
    ///
    /// A validation error when `newest` is 0 or above
    /// [`MAX_THREAD_PAGE`](super::MAX_THREAD_PAGE).
    async fn ticket_with_thread(
        &self,
        key: &crate::domain::TicketKey,
        include_internal: bool,
        newest: Option<u32>,
    ) -> Result<Option<super::TicketThread>> {
        if let Some(limit) = newest {
            super::thread_page::check_limit(limit)?;
        }
        let ticket = match key {
            crate::domain::TicketKey::Id(id) => self.ticket(*id).await?,
            crate::domain::TicketKey::Number(digits) => self.ticket_by_number(digits).await?,
        };
        let Some(ticket) = ticket else {
            return Ok(None);
        };
        let thread = match newest {
            Some(limit) => {
                self.messages_page(ticket.id, include_internal, None, limit)
                    .await?
            }
            None => super::MessagePage::from_newest(
                self.messages(ticket.id, include_internal).await?,
                false,
            ),
        };
        Ok(Some(super::TicketThread { ticket, thread }))
    }
    /// A ticket's history, oldest first.
    async fn history(&self, ticket: TicketId) -> Result<Vec<TicketEvent>>;
    /// A ticket's time entries, oldest first.
    async fn time_entries(&self, ticket: TicketId) -> Result<Vec<TimeEntry>>;
    /// Which of `keys` an attachment of any message refers to, in any order. The blob sweep
    /// ([`Helpdesk::sweep_blobs`](crate::Helpdesk::sweep_blobs)) keeps these. Must be an
    /// index look-up per key, not a scan of messages.
    async fn referenced_blobs(&self, keys: &[BlobKey]) -> Result<Vec<BlobKey>>;

    // What ticket changes cause: notifications (written by `commit`).

    /// The recipient's notifications shown at `now` (see
    /// [`Notification::is_active`]), newest first (`created_at` descending, then id
    /// descending), at most `limit`.
    async fn notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>>;
    /// One notification, when it is the recipient's (dismissed ones too).
    async fn notification(
        &self,
        recipient: Recipient,
        id: NotificationId,
    ) -> Result<Option<Notification>>;
    /// Replaces a notification's state. [`Error::NotFound`](crate::Error::NotFound) unless it
    /// is the recipient's.
    async fn set_notification_state(
        &self,
        recipient: Recipient,
        id: NotificationId,
        state: &NotificationState,
    ) -> Result<()>;
    /// Dismisses, at `now`, every notification of the recipient's shown at `now` (see
    /// [`Notification::is_active`]: snoozed and dismissed ones are left as they are), in one
    /// statement; how many it dismissed.
    async fn dismiss_notifications(&self, recipient: Recipient, now: DateTime<Utc>) -> Result<u64>;

    // The transactional outbox and the Message-IDs of a ticket's mail (written by `commit`).

    /// Takes up to `limit` e-mails that are pending at `now` (earliest `at` first, then by
    /// id), atomically: each taken one has `attempts` raised by one and its pending instant
    /// moved to `lease_until`, so no other dispatcher takes it before then, and a dispatcher
    /// that dies mid-send leaves it to be sent again after the lease. Returns them as updated.
    async fn lease_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboundEmail>>;
    /// Records how an attempt ended (see [`DeliveryOutcome::delivery`]).
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown id.
    async fn finish_delivery(&self, id: OutboxId, outcome: &DeliveryOutcome) -> Result<()>;
    /// An outbox e-mail by id.
    async fn outbox_email(&self, id: OutboxId) -> Result<Option<OutboundEmail>>;
    /// The e-mails queued for a ticket, oldest first (`created_at`, then id).
    async fn ticket_emails(&self, ticket: TicketId) -> Result<Vec<OutboundEmail>>;
    /// The mail reference with this Message-ID (without angle brackets), if the desk sent or
    /// received it.
    async fn mail_reference(&self, message_id: &str) -> Result<Option<MailReference>>;
    /// The mail references with any of `message_ids`, in one read however many there are
    /// (a mail's `References` may list thousands); in no particular order.
    async fn mail_references_of(&self, message_ids: &[String]) -> Result<Vec<MailReference>>;
    /// A ticket's mail references, in the order they were written.
    async fn mail_references(&self, ticket: TicketId) -> Result<Vec<MailReference>>;

    // The abilities this store offers beside the contract; none by default.

    /// Logins, sessions and API tokens, if this store keeps them.
    fn as_account_store(&self) -> Option<&dyn AccountStore> {
        None
    }
    /// Live chats and agents' availability, if this store keeps them.
    fn as_chat_store(&self) -> Option<&dyn ChatStore> {
        None
    }
    /// Sign-in attempts counted for a throttle, if this store keeps them.
    fn as_sign_in_throttle(&self) -> Option<&dyn super::SignInThrottle> {
        None
    }
    /// Reports computed by the store, if it offers them.
    fn as_report_store(&self) -> Option<&dyn ReportStore> {
        None
    }
    /// The knowledge base, if this store keeps one.
    fn as_knowledge_store(&self) -> Option<&dyn KnowledgeStore> {
        None
    }
    /// Agents' saved searches, if this store keeps them.
    fn as_saved_search_store(&self) -> Option<&dyn SavedSearchStore> {
        None
    }
    /// Ticket templates and canned responses, if this store keeps them.
    fn as_template_store(&self) -> Option<&dyn TemplateStore> {
        None
    }
    /// The desk's settings (its public URL), if this store keeps them.
    fn as_settings_store(&self) -> Option<&dyn SettingsStore> {
        None
    }
    /// Mail the desk could not take in, and the log of ignored mail, if this store keeps them.
    fn as_mail_quarantine(&self) -> Option<&dyn super::MailQuarantineStore> {
        None
    }
    /// Addresses marked undeliverable, if this store keeps them.
    fn as_undeliverable_store(&self) -> Option<&dyn super::UndeliverableStore> {
        None
    }
    /// The IMAP mailboxes stored for departments, if this store keeps them.
    fn as_mailbox_store(&self) -> Option<&dyn super::MailboxStore> {
        None
    }
    /// Organisations' domains and the members who see their tickets, if this store keeps
    /// them.
    fn as_organisation_store(&self) -> Option<&dyn super::OrganisationStore> {
        None
    }
    /// The tags in use, counted, if this store counts them.
    fn as_tag_store(&self) -> Option<&dyn super::TagStore> {
        None
    }
    /// Agents' notification preferences, if this store keeps them.
    fn as_notification_preference_store(&self) -> Option<&dyn super::NotificationPreferenceStore> {
        None
    }
    /// Erasure and anonymisation of customers and tickets, with their audit, if this store
    /// offers them.
    fn as_erasure_store(&self) -> Option<&dyn super::ErasureStore> {
        None
    }
    /// Tickets' CC addresses and following agents, if this store keeps them.
    fn as_follower_store(&self) -> Option<&dyn super::FollowerStore> {
        None
    }
    /// Automation rules, macros and the log of rules that fired, if this store keeps them.
    fn as_automation_store(&self) -> Option<&dyn super::AutomationStore> {
        None
    }
    /// The change feed: the records of every committed batch, if this store keeps it.
    fn as_change_feed(&self) -> Option<&dyn super::ChangeFeed> {
        None
    }
    /// Webhook endpoints and their deliveries, if this store keeps them.
    fn as_webhook_store(&self) -> Option<&dyn super::WebhookStore> {
        None
    }
    /// People's time zones and staff's page languages, if this store keeps them.
    fn as_person_settings_store(&self) -> Option<&dyn super::PersonSettingsStore> {
        None
    }
    /// Snoozed notifications listed with their time, if this store lists them.
    fn as_snoozed_notification_store(&self) -> Option<&dyn super::SnoozedNotificationStore> {
        None
    }
    /// Restored tickets written in bulk, if this store writes them so.
    fn as_bulk_restore(&self) -> Option<&dyn super::BulkRestore> {
        None
    }
}
