//! Storage: the contract every backend keeps, the abilities a backend may offer beside it,
//! the meaning of a commit, and the in-memory reference store.
//!
//! Layered like `object_store`: one small required trait, [`Store`], holds what must share
//! one transaction (the directory, tickets and their children, the commit, notifications,
//! the outbox and mail references, the due index). Each optional ability is a
//! dyn-compatible trait of its own, reached through the store (`Store::as_chat_store`, ...):
//!
//! | ability | trait | reached with |
//! |---|---|---|
//! | logins, sessions, API tokens | [`AccountStore`] | [`Store::as_account_store`] |
//! | live chat | [`ChatStore`] | [`Store::as_chat_store`] |
//! | reports | [`ReportStore`] | [`Store::as_report_store`] |
//! | knowledge base | [`KnowledgeStore`] | [`Store::as_knowledge_store`] |
//! | saved searches | [`SavedSearchStore`] | [`Store::as_saved_search_store`] |
//! | templates, canned responses | [`TemplateStore`] | [`Store::as_template_store`] |
//! | settings (the public URL) | [`SettingsStore`] | [`Store::as_settings_store`] |
//! | mail kept aside, ignored mail | [`MailQuarantineStore`] | [`Store::as_mail_quarantine`] |
//! | undeliverable addresses | [`UndeliverableStore`] | [`Store::as_undeliverable_store`] |
//! | IMAP mailboxes of departments | [`MailboxStore`] | [`Store::as_mailbox_store`] |
//! | organisations' domains, members who see their tickets | [`OrganisationStore`] | [`Store::as_organisation_store`] |
//! | tags in use, counted | [`TagStore`] | [`Store::as_tag_store`] |
//! | agents' notification preferences | [`NotificationPreferenceStore`] | [`Store::as_notification_preference_store`] |
//! | erasure and anonymisation, their audit | [`ErasureStore`] | [`Store::as_erasure_store`] |
//! | CC addresses and following agents of tickets | [`FollowerStore`] | [`Store::as_follower_store`] |
//! | automation rules, macros, the firing log | [`AutomationStore`] | [`Store::as_automation_store`] |
//! | webhook endpoints and deliveries | [`WebhookStore`] | [`Store::as_webhook_store`] |
//! | people's time zones, staff's page language | [`PersonSettingsStore`] | [`Store::as_person_settings_store`] |
//! | snoozed notifications, listed | [`SnoozedNotificationStore`] | [`Store::as_snoozed_notification_store`] |
//! | failed sign-ins, counted | [`SignInThrottle`] | [`Store::as_sign_in_throttle`] |
//! | the change feed | [`ChangeFeed`] | [`Store::as_change_feed`] |
//! | restored tickets written in bulk | [`BulkRestore`] | [`Store::as_bulk_restore`] |
//! | attachment bytes | [`BlobStore`] | passed to [`Helpdesk::with_blobs`](crate::Helpdesk::with_blobs) |
//!
//! Applications hold an `Arc<dyn Store>` and call it through [`Helpdesk`](crate::Helpdesk),
//! which authorizes every call, runs the state machine, and answers a call whose ability the
//! store lacks with [`Error::Unsupported`](crate::Error::Unsupported). `Arc<T>` and `Box<T>`
//! are stores of every kind `T` is. What a commit means is [`check_commit`], written once.

mod accounts;
mod blob;
mod chat;
mod commit;
mod contract;
mod delegate;
mod erasure;
mod ext;
mod followers;
mod forward;
mod knowledge;
mod mailboxes;
mod memory;
mod notification_prefs;
mod organisations;
mod quarantine;
mod reports;
mod saved_searches;
mod settings;
mod sign_in_throttle;
mod tags;
mod templates;
pub mod thread_page;
mod together;
mod undeliverable;
mod webhooks;
mod write;
pub use webhooks::{WebhookAttemptRecorded, WebhookLease, WebhookStore};

pub use crate::listing::{
    AssigneeFilter, Changed, Cursor, CustomerCursor, CustomerFilter, CustomerPage,
    CustomerPageRequest, Page, PageRequest, TicketFilter, TicketOrder, TimeRange,
};
pub use accounts::AccountStore;
pub use blob::{BlobKey, BlobStore, MemoryBlobStore, WrittenBlob, check_blob};
pub use chat::{ChatCommit, ChatStore, ChatWrites};
pub use commit::{CommitFacts, CommitKeys, StoredTicket, TicketWriteKind, check_commit};
pub use contract::Store;
pub use erasure::{
    ANONYMISED, ErasureCause, ErasureMode, ErasurePlan, ErasureRecord, ErasureStore,
    MAX_ERASURES_LISTED, handled, is_anonymised, placeholder, record_of,
};
pub use ext::StoreExt;
pub use followers::FollowerStore;
mod automation;
pub use automation::AutomationStore;
mod feed;
pub use feed::{ChangeFeed, FeedEntry, FeedWake, MAX_FEED_READ};
mod person_settings;
mod snoozed_notifications;
pub use knowledge::KnowledgeStore;
pub use mailboxes::{
    Mailbox, MailboxAfter, MailboxRound, MailboxSecurity, MailboxSettings, MailboxStore,
};
pub use memory::MemoryStore;
pub use notification_prefs::NotificationPreferenceStore;
pub use organisations::OrganisationStore;
pub use person_settings::PersonSettingsStore;
pub use quarantine::{IgnoredMail, MailQuarantineStore, MailSummary, QuarantinedMail};
pub use reports::{ReportStore, reference_report, report_key};
pub use saved_searches::SavedSearchStore;
pub use settings::{ChangedSetting, SettingChange, SettingKey, SettingWrite, SettingsStore};
pub use sign_in_throttle::{SignInAttempt, SignInThrottle, check_attempt_key};
pub use snoozed_notifications::SnoozedNotificationStore;
pub use tags::{TagScope, TagStore, reference_tag_counts};
pub use templates::TemplateStore;
pub use thread_page::{MAX_THREAD_PAGE, MessagePage, TicketThread};
pub use together::{
    ReadSet, ReadTogether, ThreadRead, read_one_by_one, read_together_via, ticket_customer,
    ticket_department,
};
pub use together::{TicketsRead, tickets_filter};
pub use together::{linked_filter, linked_first_page};
pub use undeliverable::{UndeliverableAddress, UndeliverableStore};
pub use write::{TicketWrite, WriteBatch};
mod bulk_restore;
pub use bulk_restore::{BulkRestore, RestoredTickets};
mod erasure_text;
pub use erasure_text::{
    ADDRESS_CHANGE_KIND, ANONYMISED_ADDRESS, PERSONAL_CHANGE_KINDS, anonymised_address,
};
