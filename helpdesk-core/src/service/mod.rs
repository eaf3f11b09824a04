//! [`Helpdesk`]: the API an application calls. It checks authorization on every call, runs
//! the state machine, and commits through the store.

mod account_links;
mod acting;
mod acting_with;
mod admin_notices;
mod agent_notices;
mod attachment_settings;
mod attachments;
mod automation;
mod bounces;
mod chat;
mod chat_notices;
mod customers;
mod directory;
mod dispatch;
mod effects;
mod erasure;
mod export;
mod feed;
mod followers;
mod history_text;
mod ingest;
mod knowledge;
// The knowledge base in the reader's language first (issue 21).
mod knowledge_language;
mod links;
mod logins;
mod macros;
mod mail_settings;
mod mailboxes;
mod notification_prefs;
mod notifications;
mod organisations;
mod person_settings;
mod presence;
mod priorities;
mod priority_rules;
mod quarantine;
mod reads;
mod reports;
mod retention;
mod retry;
mod saved_searches;
mod search_box;
mod send_thread;
mod sequence;
mod service_levels;
mod settings;
mod snoozed_notifications;
mod stored_mail;
mod tags;
mod templates;
mod tickets;
mod timers;
mod triggers;
mod turnstile;
mod undeliverable;
mod webhooks;
// (Added after the list, to keep merges easy.)
mod export_v3;
mod feedback_offers;
mod scheduled_rules;

use std::sync::Arc;

pub use account_links::{IssuedLink, RESET_REQUEST_INTERVAL};
pub use acting::{Acting, Principal};
pub use admin_notices::MAX_ADMIN_NOTICES;
pub use attachments::{
    AttachmentLimits, AttachmentSettings, BLOB_SWEEP_GRACE, MAX_FILE_SIZE, MAX_FILES, OnTicket,
    Upload,
};
pub use automation::{
    DRY_RUN_SCAN, MAX_DRY_RUN_TICKETS, MAX_RULE_FIRINGS, MacroOutcome, RuleDraft,
};
pub use chat::{ChatPlace, ChatSettings, ChatStarted};
pub use customers::CustomerEdit;
pub use directory::{NewAgent, NewCustomer};
pub use dispatch::{DispatchReport, MailTransport, RetryPolicy, SendError};
pub use feed::{ChangesPage, MAX_FEED_WAIT, visible_change};
pub use followers::MAX_CC;
pub use ingest::{Ingested, Rejection};
pub use knowledge::ArticleDraft;
pub use knowledge_language::reader_first;
pub use links::Split;
pub use mail_settings::{
    AUTO_ANSWERS_PER_HOUR, DepartmentAddress, ListMail, MailSettings, UNDELIVERABLE_HOURS,
    UnknownSenders,
};
pub use mailboxes::{
    DEFAULT_POLL_SECONDS, MAX_POLL_SECONDS, MIN_POLL_SECONDS, MailboxLogin, MailboxPassword,
};
pub use notifications::MAX_NOTIFICATIONS;
pub use organisations::MAX_ORGANISATION_DOMAINS;
pub use quarantine::MAX_QUARANTINE_PAGE;
pub use reports::MAX_REPORT_DAYS;
pub use retention::{MAX_RETENTION_DAYS, RETENTION_BATCH, Retention};
pub use scheduled_rules::{MAX_SCHEDULED_TICKETS, ScheduledReport};
pub use service_levels::MAX_SETTING_CHANGES;
pub use settings::DeskSettings;
pub use stored_mail::{
    MAX_AUTO_ANSWERS_PER_HOUR, MAX_UNDELIVERABLE_HOURS, MailDefaults, StoredMailSettings,
};
pub use tags::{MAX_BULK_TICKETS, MAX_TAG_COUNTS};
pub use templates::{FromTemplate, TemplateDraft};
pub use tickets::{ExecOptions, Opened, Outcome};
pub use timers::{DueReport, WaitingTime};
pub use undeliverable::MAX_UNDELIVERABLE_PAGE;
pub use webhooks::{CreatedWebhook, MAX_WEBHOOK_DELIVERIES, MAX_WEBHOOKS, WebhookDraft};

use crate::clock::{Clock, SystemClock};
use crate::error::{Ability, Error, Result};
use crate::policy::{
    DateScheme, DefaultPriorityPolicy, PriorityPolicy, ServiceLevels, TicketNumberGenerator,
};
use crate::store::{
    AccountStore, BlobStore, ChatStore, KnowledgeStore, ReportStore, SavedSearchStore, Store,
    TemplateStore,
};

/// A helpdesk over a store: its settings, the calls that run on their own (timers, mail in
/// and out, the blob sweep), and [`acting_as`](Helpdesk::acting_as), which every call made
/// for a person goes through.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use std::sync::Arc;
/// use helpdesk_core::prelude::*;
///
/// let desk = Helpdesk::new(Arc::new(MemoryStore::new()));
/// let support = desk
///     .as_system()
///     .create_department(Name::parse("Support")?, FollowUpPolicy::Reopen)
///     .await?;
/// let report = desk.run_due(chrono::Utc::now()).await?;
/// assert_eq!(report.events, 0);
/// # let _ = support;
/// # Ok::<_, helpdesk_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct Helpdesk {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    numbers: Arc<dyn TicketNumberGenerator>,
    priority: Arc<dyn PriorityPolicy>,
    levels: Arc<ServiceLevels>,
    mail: Option<Arc<MailSettings>>,
    blobs: Option<Arc<dyn BlobStore>>,
    limits: Arc<AttachmentLimits>,
    chat: ChatSettings,
    /// Where the next blob sweep goes on (see [`Helpdesk::sweep_blobs`]).
    sweep_after: Arc<std::sync::Mutex<Option<crate::store::WrittenBlob>>>,
    /// Ticket number sequence values reserved for this desk (see [`sequence`]).
    sequence: Arc<sequence::SequenceBlock>,
    /// One command at a time per ticket (see [`turnstile`]).
    turnstiles: Arc<turnstile::Turnstiles>,
}

impl std::fmt::Debug for Helpdesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Helpdesk")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Helpdesk {
    /// A helpdesk on `store` with the system clock, the date numbering scheme and the
    /// default priority policy.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            clock: Arc::new(SystemClock),
            numbers: Arc::new(DateScheme::default()),
            priority: Arc::new(DefaultPriorityPolicy),
            levels: Arc::new(ServiceLevels::default()),
            mail: None,
            blobs: None,
            limits: Arc::new(AttachmentLimits::default()),
            chat: ChatSettings::default(),
            sweep_after: Arc::default(),
            sequence: Arc::default(),
            turnstiles: Arc::default(),
        }
    }

    /// Turns on the e-mail channel: e-mail to customers is queued in the outbox with each
    /// change that causes it, and [`Helpdesk::ingest_email`] accepts mail.
    pub fn with_mail(mut self, settings: MailSettings) -> Self {
        self.mail = Some(Arc::new(settings));
        self
    }

    /// The e-mail settings, when the e-mail channel is on.
    pub fn mail_settings(&self) -> Option<&MailSettings> {
        self.mail.as_deref()
    }

    /// Keeps attachment bytes in `blobs`, accepting uploads within `limits`. Without a blob
    /// store, uploads are refused.
    pub fn with_blobs(mut self, blobs: Arc<dyn BlobStore>, limits: AttachmentLimits) -> Self {
        self.blobs = Some(blobs);
        self.limits = Arc::new(limits);
        self
    }

    /// The attachment limits given in code (see [`Helpdesk::limits_in_force`] for those
    /// that apply).
    pub fn attachment_limits(&self) -> &AttachmentLimits {
        &self.limits
    }

    /// Uses `levels` for service-level clocks, calendars and the auto-close while the store
    /// holds none (stored levels, see [`Acting::put_sla_policy`], take precedence).
    pub fn with_service_levels(mut self, levels: ServiceLevels) -> Self {
        self.levels = Arc::new(levels);
        self
    }

    /// The service levels given in code (see [`Helpdesk::levels_in_force`] for those
    /// that apply).
    pub fn service_levels(&self) -> &ServiceLevels {
        &self.levels
    }

    /// Uses `clock` for every instant (tests use a [`ManualClock`](crate::clock::ManualClock)).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Uses `numbers` to number new tickets.
    pub fn with_numbering(mut self, numbers: Arc<dyn TicketNumberGenerator>) -> Self {
        self.numbers = numbers;
        self
    }

    /// Uses `policy` for priorities.
    pub fn with_priority_policy(mut self, policy: Arc<dyn PriorityPolicy>) -> Self {
        self.priority = policy;
        self
    }

    /// The store underneath.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The desk's time (its clock's, in whole microseconds): what its rules and timers
    /// compare with, so also what a page's "overdue" means.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        crate::clock::to_micros(self.clock.now())
    }

    /// The store's accounts, or [`Error::Unsupported`] when it keeps none.
    pub fn account_store(&self) -> Result<&dyn AccountStore> {
        self.store
            .as_account_store()
            .ok_or(Error::unsupported(Ability::Accounts))
    }

    /// The store's live chats, or [`Error::Unsupported`].
    pub fn chat_store(&self) -> Result<&dyn ChatStore> {
        self.store
            .as_chat_store()
            .ok_or(Error::unsupported(Ability::Chat))
    }

    /// The store's reports, or [`Error::Unsupported`].
    pub fn report_store(&self) -> Result<&dyn ReportStore> {
        self.store
            .as_report_store()
            .ok_or(Error::unsupported(Ability::Reports))
    }

    /// The store's knowledge base, or [`Error::Unsupported`].
    pub fn knowledge_store(&self) -> Result<&dyn KnowledgeStore> {
        self.store
            .as_knowledge_store()
            .ok_or(Error::unsupported(Ability::KnowledgeBase))
    }

    /// The store's saved searches, or [`Error::Unsupported`].
    pub fn saved_search_store(&self) -> Result<&dyn SavedSearchStore> {
        self.store
            .as_saved_search_store()
            .ok_or(Error::unsupported(Ability::SavedSearches))
    }

    /// The store's templates and canned responses, or [`Error::Unsupported`].
    pub fn template_store(&self) -> Result<&dyn TemplateStore> {
        self.store
            .as_template_store()
            .ok_or(Error::unsupported(Ability::Templates))
    }
}
