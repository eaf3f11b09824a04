//! `Arc<T>` and `Box<T>` are stores when `T` is one (also `T = dyn Store`), for every trait of
//! this module: a shared or boxed store can be passed wherever a store is wanted.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{
    AccountStore, BlobKey, BlobStore, ChatCommit, ChatStore, IgnoredMail, KnowledgeStore,
    MailQuarantineStore, Mailbox, MailboxRound, MailboxSettings, MailboxStore, OrganisationStore,
    QuarantinedMail, ReportStore, SavedSearchStore, SettingChange, SettingKey, SettingWrite,
    SettingsStore, Store, TemplateStore, UndeliverableAddress, UndeliverableStore, WrittenBlob,
};
use crate::domain::Email;
use crate::domain::{
    AccountLink, Actor, AgentId, Article, ArticleId, ArticleVote, AuthToken, Availability,
    CannedResponse, CannedResponseId, Category, ChatId, ChatSession, CustomerId, DepartmentId,
    IgnoredMailId, Language, Login, LoginName, MailboxId, QuarantineId, Report, ReportQuery,
    SavedSearchId, TemplateId, TicketTemplate, TokenHash, Voter,
};
use crate::error::Result;
use crate::search::{ArticleSearch, ArticleSuggest, SavedSearch};

/// Implements an ability trait `$trait` for `Arc<T>` and `Box<T>` by calling `T`'s methods
/// (`Store` itself is forwarded by [`delegate_store!`](crate::delegate_store)).
macro_rules! forward {
    ($trait:ident { $(async fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)* }) => {
        forward!(@impl Arc, $trait { $(async fn $name(&self $(, $arg: $ty)*) -> $ret;)* });
        forward!(@impl Box, $trait { $(async fn $name(&self $(, $arg: $ty)*) -> $ret;)* });
    };
    (@impl $wrapper:ident, $trait:ident {
        $(async fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*
    }) => {
        #[async_trait]
        impl<T: $trait + ?Sized> $trait for $wrapper<T> {
            $(
                async fn $name(&self $(, $arg: $ty)*) -> $ret {
                    (**self).$name($($arg),*).await
                }
            )*
        }
    };
}

crate::delegate_store! {
    impl[T: Store + ?Sized] Store for Arc<T> {
        via |this| (**this), offering its abilities;
    }
}

crate::delegate_store! {
    impl[T: Store + ?Sized] Store for Box<T> {
        via |this| (**this), offering its abilities;
    }
}

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
    async fn put_account_link(&self, link: &AccountLink) -> Result<()>;
    async fn account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>>;
    async fn take_account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>>;
    async fn account_links_of(&self, actor: Actor) -> Result<Vec<AccountLink>>;
    async fn delete_account_links_of(&self, actor: Actor) -> Result<u64>;
    async fn delete_expired_account_links(&self, now: DateTime<Utc>) -> Result<u64>;
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
    async fn vote_article(&self, vote: &ArticleVote) -> Result<Article>;
    async fn article_votes(&self, voter: Voter, articles: &[ArticleId]) -> Result<Vec<ArticleVote>>;
    async fn list_articles(&self, category: Option<&Category>, limit: u32) -> Result<Vec<Article>>;
    async fn delete_article(&self, id: ArticleId) -> Result<bool>;
    async fn article_categories(&self) -> Result<Vec<Category>>;
    async fn add_article_category(&self, category: &Category) -> Result<()>;
    async fn rename_article_category(&self, from: &Category, to: &Category) -> Result<u64>;
    async fn delete_article_category(&self, category: &Category) -> Result<()>;
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
    async fn delete_template(&self, id: TemplateId) -> Result<bool>;
    async fn canned_response(&self, id: CannedResponseId) -> Result<Option<CannedResponse>>;
    async fn delete_canned_response(&self, id: CannedResponseId) -> Result<bool>;
});

forward!(SettingsStore {
    async fn setting(&self, key: SettingKey) -> Result<Option<String>>;
    async fn put_setting(&self, key: SettingKey, value: &str) -> Result<()>;
    async fn delete_setting(&self, key: SettingKey) -> Result<bool>;
    async fn write_audited(&self, write: &SettingWrite, change: &SettingChange) -> Result<u64>;
    async fn setting_changes(&self, limit: u32) -> Result<Vec<SettingChange>>;
});

forward!(BlobStore {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8], at: DateTime<Utc>) -> Result<()>;
    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>>;
    async fn blobs_written_before(&self, before: DateTime<Utc>, after: Option<&WrittenBlob>, limit: u32) -> Result<Vec<WrittenBlob>>;
    async fn delete_blob_written_before(&self, key: &BlobKey, before: DateTime<Utc>) -> Result<bool>;
});

forward!(MailQuarantineStore {
    async fn put_quarantined_mail(&self, mail: &QuarantinedMail, raw: &[u8]) -> Result<()>;
    async fn quarantined_mail(&self, id: QuarantineId) -> Result<Option<QuarantinedMail>>;
    async fn quarantined_mail_bytes(&self, id: QuarantineId) -> Result<Option<Vec<u8>>>;
    async fn quarantined_mails(&self, before: Option<QuarantineId>, limit: u32) -> Result<Vec<QuarantinedMail>>;
    async fn delete_quarantined_mail(&self, id: QuarantineId) -> Result<bool>;
    async fn record_ignored_mail(&self, mail: &IgnoredMail) -> Result<()>;
    async fn ignored_mails(&self, before: Option<IgnoredMailId>, limit: u32) -> Result<Vec<IgnoredMail>>;
});

forward!(UndeliverableStore {
    async fn mark_undeliverable(&self, mark: &UndeliverableAddress) -> Result<()>;
    async fn undeliverable(&self, address: &Email) -> Result<Option<UndeliverableAddress>>;
    async fn undeliverable_addresses(&self, now: DateTime<Utc>, after: Option<&Email>, limit: u32) -> Result<Vec<UndeliverableAddress>>;
    async fn clear_undeliverable(&self, address: &Email) -> Result<bool>;
});
forward!(MailboxStore {
    async fn put_mailbox(&self, id: MailboxId, settings: &MailboxSettings, password: &str, change: &SettingChange) -> Result<()>;
    async fn mailbox(&self, id: MailboxId) -> Result<Option<Mailbox>>;
    async fn mailbox_password(&self, id: MailboxId) -> Result<Option<String>>;
    async fn mailboxes(&self) -> Result<Vec<Mailbox>>;
    async fn delete_mailbox(&self, id: MailboxId, change: &SettingChange) -> Result<bool>;
    async fn record_mailbox_round(&self, id: MailboxId, round: &MailboxRound) -> Result<bool>;
});
forward!(OrganisationStore {
    async fn set_organisation_domains(&self, organisation: CustomerId, domains: &[crate::domain::OrganisationDomain]) -> Result<()>;
    async fn organisation_domains(&self, organisation: CustomerId) -> Result<Vec<crate::domain::OrganisationDomain>>;
    async fn organisation_by_domain(&self, domain: &crate::domain::OrganisationDomain) -> Result<Option<CustomerId>>;
    async fn set_sees_organisation_tickets(&self, customer: CustomerId, sees: bool) -> Result<()>;
    async fn sees_organisation_tickets(&self, customer: CustomerId) -> Result<bool>;
    async fn organisation_members(&self, organisation: CustomerId) -> Result<Vec<CustomerId>>;
});
use super::TagStore;
forward!(TagStore {
    async fn tag_counts(&self, scope: &super::TagScope, limit: u32) -> Result<Vec<crate::domain::TagCount>>;
});
use super::NotificationPreferenceStore;
forward!(NotificationPreferenceStore {
    async fn notification_preferences(&self, agents: &[crate::domain::AgentId]) -> Result<Vec<crate::domain::NotificationPreferences>>;
    async fn set_notification_preferences(&self, preferences: &crate::domain::NotificationPreferences) -> Result<()>;
});
use super::ErasureStore;
forward!(ErasureStore {
    async fn erase(&self, plan: &super::ErasurePlan) -> Result<u64>;
    async fn erasures(&self, limit: u32) -> Result<Vec<super::ErasureRecord>>;
});
use super::FollowerStore;
forward!(FollowerStore {
    async fn add_cc(&self, ticket: crate::domain::TicketId, addresses: &[Email]) -> Result<()>;
    async fn remove_cc(&self, ticket: crate::domain::TicketId, address: &Email) -> Result<bool>;
    async fn cc_addresses(&self, ticket: crate::domain::TicketId) -> Result<Vec<Email>>;
    async fn set_following(&self, ticket: crate::domain::TicketId, agent: AgentId, follows: bool) -> Result<()>;
    async fn followers(&self, ticket: crate::domain::TicketId) -> Result<Vec<AgentId>>;
    async fn followed_tickets(&self, agent: AgentId) -> Result<Vec<crate::domain::TicketId>>;
});
use super::AutomationStore;
forward!(AutomationStore {
    async fn put_rule(&self, rule: &crate::automation::Rule) -> Result<()>;
    async fn rules(&self) -> Result<Vec<crate::automation::Rule>>;
    async fn delete_rule(&self, id: crate::domain::RuleId) -> Result<bool>;
    async fn put_macro(&self, entry: &crate::automation::Macro) -> Result<()>;
    async fn macros(&self) -> Result<Vec<crate::automation::Macro>>;
    async fn delete_macro(&self, id: crate::domain::MacroId) -> Result<bool>;
    async fn rule_firings(&self, ticket: Option<crate::domain::TicketId>, limit: u32) -> Result<Vec<crate::automation::RuleFiring>>;
    async fn firings_since(&self, ticket: crate::domain::TicketId, since: DateTime<Utc>) -> Result<u32>;
    async fn claim_rule_run(&self, rule: crate::domain::RuleId, now: DateTime<Utc>, next: DateTime<Utc>) -> Result<bool>;
    async fn last_rule_runs(&self) -> Result<Vec<(crate::domain::RuleId, DateTime<Utc>)>>;
});
use super::ChangeFeed;
forward!(ChangeFeed {
    async fn changes_after(&self, after: crate::feed::FeedPosition, limit: u32) -> Result<Vec<super::FeedEntry>>;
    async fn last_position(&self) -> Result<crate::feed::FeedPosition>;
    async fn wait_for_changes(&self, after: crate::feed::FeedPosition, timeout: std::time::Duration) -> Result<bool>;
    async fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64>;
});
use super::{WebhookAttemptRecorded, WebhookLease, WebhookStore};
use crate::webhooks::{RetryPolicy, WebhookAttempt, WebhookDelivery, WebhookEndpoint};
forward!(WebhookStore {
    async fn put_webhook(&self, endpoint: &WebhookEndpoint, change: &SettingChange) -> Result<()>;
    async fn webhook(&self, id: crate::domain::WebhookId) -> Result<Option<WebhookEndpoint>>;
    async fn webhooks(&self) -> Result<Vec<WebhookEndpoint>>;
    async fn delete_webhook(&self, id: crate::domain::WebhookId, change: &SettingChange) -> Result<bool>;
    async fn enqueue_webhook_delivery(&self, delivery: &WebhookDelivery) -> Result<()>;
    async fn webhook_delivery(&self, id: crate::domain::WebhookDeliveryId) -> Result<Option<WebhookDelivery>>;
    async fn webhook_deliveries(&self, endpoint: crate::domain::WebhookId, limit: u32) -> Result<Vec<WebhookDelivery>>;
    async fn lease_due_webhook_deliveries(&self, now: DateTime<Utc>, lease: &WebhookLease, limit: u32) -> Result<Vec<WebhookDelivery>>;
    async fn record_webhook_attempt(&self, lease: &WebhookLease, attempt: &WebhookAttempt, policy: &RetryPolicy, admins: &[crate::domain::AgentId]) -> Result<Option<WebhookAttemptRecorded>>;
    async fn admin_notices(&self, recipient: crate::domain::AgentId, limit: u32) -> Result<Vec<crate::webhooks::AdminNotice>>;
    async fn mark_admin_notice_read(&self, id: crate::domain::AdminNoticeId, recipient: crate::domain::AgentId, at: DateTime<Utc>) -> Result<bool>;
});
use super::PersonSettingsStore;
forward!(PersonSettingsStore {
    async fn person_settings(&self, person: crate::domain::Actor) -> Result<crate::domain::PersonSettings>;
    async fn set_person_settings(&self, person: crate::domain::Actor, settings: &crate::domain::PersonSettings) -> Result<()>;
});
use super::SnoozedNotificationStore;
forward!(SnoozedNotificationStore {
    async fn snoozed_notifications(&self, recipient: crate::domain::Recipient, now: DateTime<Utc>, limit: u32) -> Result<Vec<crate::domain::Notification>>;
});
use super::BulkRestore;
forward!(BulkRestore {
    async fn restore_tickets(&self, tickets: Vec<crate::export::TicketRecord>) -> Result<()>;
});
