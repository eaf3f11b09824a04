//! Storage: the one trait every backend implements, the queries it answers, and the
//! in-memory reference store.
//!
//! A backend implements [`Store`]; applications hold an `Arc<dyn Store>` and call it through
//! [`Helpdesk`](crate::Helpdesk), which checks authorization and runs the state machine.
//! [`StoreExt`] adds conveniences on top of the required methods.

mod accounts;
mod blob;
mod chat;
mod ext;
mod memory;
mod memory_accounts;
mod memory_chat;
mod notifications;
mod outbox;
mod query;
mod reports;
mod write;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use accounts::AccountStore;
pub use blob::{BlobKey, BlobStore, MemoryBlobStore, check_blob};
pub use chat::{ChatCommit, ChatStore};
pub use ext::StoreExt;
pub use memory::MemoryStore;
pub use notifications::NotificationStore;
pub use outbox::OutboxStore;
pub use query::{AssigneeFilter, Cursor, Page, PageRequest, TicketFilter, TicketOrder, TimeRange};
pub use reports::{ReportStore, reference_report, report_key};
pub use write::{TicketWrite, WriteBatch};

use crate::domain::{
    Agent, AgentId, Article, ArticleId, CannedResponse, Customer, CustomerId, Department,
    DepartmentId, Email, Language, Message, SavedSearch, SavedSearchId, TemplateId, Ticket,
    TicketEvent, TicketId, TicketTemplate, TimeEntry,
};
use crate::error::Result;
use crate::search::{ArticleSearch, ArticleSuggest, CustomerLookup, TicketSearch};

/// A place to keep a helpdesk: the directory (departments, agents, customers) and tickets
/// with their messages, history and time entries.
///
/// Every backend passes the conformance suite in `helpdesk_core::testkit`. The contract:
/// - [`commit`](Store::commit) is atomic: all of a batch's tickets, messages, events and time
///   entries are written, or none; each update is checked against its expected version, and a
///   stale one fails the whole batch with [`Error::Conflict`](crate::Error::Conflict).
/// - Unique values (ticket ids and numbers, agent e-mails, customer e-mails and contract
///   numbers) that are taken give `Conflict` with [`ConflictKind::Duplicate`](crate::error::ConflictKind::Duplicate).
/// - Full and short ticket numbers share one namespace: no ticket's short number may equal
///   another's full number.
/// - Reads return what was written, equal field by field. Instants are whole microseconds
///   (the [`Helpdesk`](crate::Helpdesk) truncates every instant with
///   [`clock::to_micros`](crate::clock::to_micros)); finer instants do not round-trip.
/// - Messages, events and time entries come back in the order they were written.
/// - No method blocks the async runtime.
///
/// A store is also a [`NotificationStore`] and an [`OutboxStore`]: what ticket changes cause
/// (notifications, e-mail to send) is written in the same batch as the change. It is an
/// [`AccountStore`] too: logins, sessions and API tokens.
#[async_trait]
pub trait Store:
    NotificationStore
    + OutboxStore
    + ReportStore
    + ChatStore
    + AccountStore
    + Send
    + Sync
    + std::fmt::Debug
    + 'static
{
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

    /// Inserts or replaces a knowledge-base article (its vote counts included).
    async fn put_article(&self, article: &Article) -> Result<()>;
    /// An article by id.
    async fn article(&self, id: ArticleId) -> Result<Option<Article>>;
    /// Articles `search` matches (see [`ArticleSearch::matches`]), most recently updated
    /// first, then by id descending, at most `limit`.
    async fn search_articles(&self, search: &ArticleSearch, limit: u32) -> Result<Vec<Article>>;
    /// Articles scoring above 0 for `suggest` (see [`ArticleSuggest::score`]): by score
    /// descending, then `helpful` descending, then id ascending, at most `limit`.
    async fn suggest_articles(&self, suggest: &ArticleSuggest, limit: u32) -> Result<Vec<Article>>;
    /// Counts a "this helped" (`true`) or "this did not help" vote, atomically; the article
    /// after it.
    async fn vote_article(&self, id: ArticleId, helpful: bool) -> Result<Article>;

    /// Inserts or replaces a saved search.
    async fn put_saved_search(&self, search: &SavedSearch) -> Result<()>;
    /// An agent's saved searches, by name then id.
    async fn saved_searches(&self, agent: AgentId) -> Result<Vec<SavedSearch>>;
    /// Deletes a saved search; whether it existed.
    async fn delete_saved_search(&self, id: SavedSearchId) -> Result<bool>;

    /// Inserts or replaces a ticket template.
    async fn put_template(&self, template: &TicketTemplate) -> Result<()>;
    /// A ticket template by id.
    async fn template(&self, id: TemplateId) -> Result<Option<TicketTemplate>>;
    /// Every ticket template, by name then id.
    async fn templates(&self) -> Result<Vec<TicketTemplate>>;

    /// Inserts or replaces a canned response.
    async fn put_canned_response(&self, response: &CannedResponse) -> Result<()>;
    /// Canned responses for `department` (its own and those for every department; all of
    /// them when `None`) in `language` (any when `None`), by name then id.
    async fn canned_responses(
        &self,
        department: Option<DepartmentId>,
        language: Option<Language>,
    ) -> Result<Vec<CannedResponse>>;

    /// The next value of the ticket number sequence: 1, 2, 3, ... Never the same value twice,
    /// also under concurrent callers; a value whose ticket is never written is a gap.
    async fn next_ticket_sequence(&self) -> Result<u64>;
    /// Writes a batch of new and changed tickets atomically (see the trait's contract).
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

    /// Up to `limit` tickets whose `next_due_at` is at or before `now`, earliest first (ties
    /// by id). Must be an index scan: its cost grows with the number of due tickets, not with
    /// the total.
    async fn due_tickets(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Ticket>>;

    /// A ticket's thread, oldest first; internal notes only when `include_internal`.
    async fn messages(&self, ticket: TicketId, include_internal: bool) -> Result<Vec<Message>>;
    /// A ticket's history, oldest first.
    async fn history(&self, ticket: TicketId) -> Result<Vec<TicketEvent>>;
    /// A ticket's time entries, oldest first.
    async fn time_entries(&self, ticket: TicketId) -> Result<Vec<TimeEntry>>;
}
