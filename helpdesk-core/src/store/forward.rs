//! `Arc<T>` and `Box<T>` are stores when `T` is one (also `T = dyn Store`), for every trait of
//! this module: a shared or boxed store can be passed wherever a store is wanted.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{
    AccountStore, BlobKey, BlobStore, ChatCommit, ChatStore, KnowledgeStore, Page, PageRequest,
    ReportStore, SavedSearchStore, Store, TemplateStore, TicketFilter, WriteBatch,
};
use crate::domain::{
    Actor, Agent, AgentId, Article, ArticleId, AuthToken, Availability, CannedResponse, ChatId,
    ChatSession, Customer, CustomerId, DeliveryOutcome, Department, DepartmentId, Email, Language,
    Login, LoginName, MailReference, Message, Notification, NotificationId, NotificationState,
    OutboundEmail, OutboxId, Recipient, Report, ReportQuery, SavedSearchId, TemplateId, Ticket,
    TicketEvent, TicketId, TicketTemplate, TimeEntry, TokenHash,
};
use crate::error::Result;
use crate::search::{ArticleSearch, ArticleSuggest, CustomerLookup, SavedSearch, TicketSearch};

/// Implements `$trait` for `Arc<T>` and `Box<T>` by calling `T`'s methods; `fn` items are
/// the trait's provided non-async methods, forwarded too.
macro_rules! forward {
    ($trait:ident {
        $(async fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*
        $(fn $sync:ident(&self) -> $sret:ty;)*
    }) => {
        forward!(@impl Arc, $trait { $(async fn $name(&self $(, $arg: $ty)*) -> $ret;)* $(fn $sync(&self) -> $sret;)* });
        forward!(@impl Box, $trait { $(async fn $name(&self $(, $arg: $ty)*) -> $ret;)* $(fn $sync(&self) -> $sret;)* });
    };
    (@impl $wrapper:ident, $trait:ident {
        $(async fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*
        $(fn $sync:ident(&self) -> $sret:ty;)*
    }) => {
        #[async_trait]
        impl<T: $trait + ?Sized> $trait for $wrapper<T> {
            $(
                async fn $name(&self $(, $arg: $ty)*) -> $ret {
                    (**self).$name($($arg),*).await
                }
            )*
            $(
                fn $sync(&self) -> $sret {
                    (**self).$sync()
                }
            )*
        }
    };
}

forward!(Store {
    async fn put_department(&self, department: &Department) -> Result<()>;
    async fn department(&self, id: DepartmentId) -> Result<Option<Department>>;
    async fn departments(&self) -> Result<Vec<Department>>;
    async fn put_agent(&self, agent: &Agent) -> Result<()>;
    async fn agent(&self, id: AgentId) -> Result<Option<Agent>>;
    async fn agents(&self) -> Result<Vec<Agent>>;
    async fn put_customer(&self, customer: &Customer) -> Result<()>;
    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>>;
    async fn customer_by_email(&self, email: &Email) -> Result<Option<Customer>>;
    async fn find_customers(&self, lookup: &CustomerLookup, limit: u32) -> Result<Vec<Customer>>;
    async fn next_ticket_sequence(&self) -> Result<u64>;
    async fn commit(&self, batch: WriteBatch) -> Result<()>;
    async fn ticket(&self, id: TicketId) -> Result<Option<Ticket>>;
    async fn ticket_by_number(&self, digits: &str) -> Result<Option<Ticket>>;
    async fn list_tickets(&self, filter: &TicketFilter, page: &PageRequest) -> Result<Page<Ticket>>;
    async fn search_tickets(&self, search: &TicketSearch, page: &PageRequest) -> Result<Page<Ticket>>;
    async fn due_tickets(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Ticket>>;
    async fn messages(&self, ticket: TicketId, include_internal: bool) -> Result<Vec<Message>>;
    async fn history(&self, ticket: TicketId) -> Result<Vec<TicketEvent>>;
    async fn time_entries(&self, ticket: TicketId) -> Result<Vec<TimeEntry>>;
    async fn referenced_blobs(&self, keys: &[BlobKey]) -> Result<Vec<BlobKey>>;
    async fn notifications(&self, recipient: Recipient, now: DateTime<Utc>, limit: u32) -> Result<Vec<Notification>>;
    async fn notification(&self, recipient: Recipient, id: NotificationId) -> Result<Option<Notification>>;
    async fn set_notification_state(&self, recipient: Recipient, id: NotificationId, state: &NotificationState) -> Result<()>;
    async fn lease_outbox(&self, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: u32) -> Result<Vec<OutboundEmail>>;
    async fn finish_delivery(&self, id: OutboxId, outcome: &DeliveryOutcome) -> Result<()>;
    async fn outbox_email(&self, id: OutboxId) -> Result<Option<OutboundEmail>>;
    async fn ticket_emails(&self, ticket: TicketId) -> Result<Vec<OutboundEmail>>;
    async fn mail_reference(&self, message_id: &str) -> Result<Option<MailReference>>;
    async fn mail_references(&self, ticket: TicketId) -> Result<Vec<MailReference>>;
    fn as_account_store(&self) -> Option<&dyn AccountStore>;
    fn as_chat_store(&self) -> Option<&dyn ChatStore>;
    fn as_report_store(&self) -> Option<&dyn ReportStore>;
    fn as_knowledge_store(&self) -> Option<&dyn KnowledgeStore>;
    fn as_saved_search_store(&self) -> Option<&dyn SavedSearchStore>;
    fn as_template_store(&self) -> Option<&dyn TemplateStore>;
});

forward!(AccountStore {
    async fn put_login(&self, login: &Login) -> Result<()>;
    async fn login(&self, name: &LoginName) -> Result<Option<Login>>;
    async fn login_of(&self, actor: Actor) -> Result<Option<Login>>;
    async fn delete_login(&self, actor: Actor) -> Result<bool>;
    async fn put_token(&self, token: &AuthToken) -> Result<()>;
    async fn token(&self, hash: &TokenHash) -> Result<Option<AuthToken>>;
    async fn touch_token(&self, hash: &TokenHash, at: DateTime<Utc>) -> Result<bool>;
    async fn delete_token(&self, hash: &TokenHash) -> Result<bool>;
    async fn delete_expired_tokens(&self, now: DateTime<Utc>) -> Result<u64>;
    async fn tokens_of(&self, actor: Actor) -> Result<Vec<AuthToken>>;
});

forward!(ChatStore {
    async fn commit_chat(&self, commit: ChatCommit) -> Result<()>;
    async fn chat(&self, id: ChatId) -> Result<Option<ChatSession>>;
    async fn waiting_chats(&self, department: DepartmentId) -> Result<Vec<ChatSession>>;
    async fn chats_waiting_since_before(&self, before: DateTime<Utc>) -> Result<Vec<ChatSession>>;
    async fn agent_chats(&self, agent: AgentId) -> Result<Vec<ChatSession>>;
    async fn customer_chats(&self, customer: CustomerId, limit: u32) -> Result<Vec<ChatSession>>;
    async fn availability(&self, agent: AgentId) -> Result<Option<Availability>>;
    async fn availabilities(&self) -> Result<Vec<Availability>>;
});

forward!(ReportStore {
    async fn report(&self, query: &ReportQuery) -> Result<Report>;
});

forward!(KnowledgeStore {
    async fn put_article(&self, article: &Article) -> Result<()>;
    async fn article(&self, id: ArticleId) -> Result<Option<Article>>;
    async fn search_articles(&self, search: &ArticleSearch, limit: u32) -> Result<Vec<Article>>;
    async fn suggest_articles(&self, suggest: &ArticleSuggest, limit: u32) -> Result<Vec<Article>>;
    async fn vote_article(&self, id: ArticleId, helpful: bool) -> Result<Article>;
});

forward!(SavedSearchStore {
    async fn put_saved_search(&self, search: &SavedSearch) -> Result<()>;
    async fn saved_searches(&self, agent: AgentId) -> Result<Vec<SavedSearch>>;
    async fn delete_saved_search(&self, id: SavedSearchId) -> Result<bool>;
});

forward!(TemplateStore {
    async fn put_template(&self, template: &TicketTemplate) -> Result<()>;
    async fn template(&self, id: TemplateId) -> Result<Option<TicketTemplate>>;
    async fn templates(&self) -> Result<Vec<TicketTemplate>>;
    async fn put_canned_response(&self, response: &CannedResponse) -> Result<()>;
    async fn canned_responses(&self, department: Option<DepartmentId>, language: Option<Language>) -> Result<Vec<CannedResponse>>;
});

forward!(BlobStore {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8], at: DateTime<Utc>) -> Result<()>;
    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>>;
    async fn blobs_written_before(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<BlobKey>>;
    async fn delete_blob_written_before(&self, key: &BlobKey, before: DateTime<Utc>) -> Result<bool>;
});
