//! [`Helpdesk`]: the API an application calls. It checks authorization on every call, runs
//! the state machine, and commits through the store.

mod access;
mod attachments;
mod chat;
mod customers;
mod directory;
mod dispatch;
mod effects;
mod history_text;
mod ingest;
mod knowledge;
mod mail_settings;
mod notifications;
mod reads;
mod reports;
mod saved_searches;
mod send_thread;
mod templates;
mod tickets;
mod timers;

use std::sync::Arc;

pub use attachments::{AttachmentLimits, Upload};
pub use chat::{ChatPlace, ChatSettings, ChatStarted};
pub use directory::{NewAgent, NewCustomer};
pub use dispatch::{DispatchReport, MailTransport, RetryPolicy, SendError};
pub use ingest::{Ingested, Rejection};
pub use knowledge::ArticleDraft;
pub use mail_settings::{MailSettings, UnknownSenders};
pub use notifications::MAX_NOTIFICATIONS;
pub use reports::MAX_REPORT_DAYS;
pub use templates::{FromTemplate, TemplateDraft};
pub use tickets::{ExecOptions, Outcome};
pub use timers::{DueReport, WaitingTime};

use crate::clock::{Clock, SystemClock};
use crate::policy::{
    DateScheme, DefaultPriorityPolicy, PriorityPolicy, ServiceLevels, TicketNumberGenerator,
};
use crate::store::{BlobStore, Store};

/// A helpdesk over a store.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use std::sync::Arc;
/// use helpdesk_core::Helpdesk;
/// use helpdesk_core::domain::{Actor, CustomerKind, MessageBody, Name, Subject};
/// use helpdesk_core::machine::{Command, NewTicket};
/// use helpdesk_core::policy::FollowUpPolicy;
/// use helpdesk_core::service::NewCustomer;
/// use helpdesk_core::store::MemoryStore;
///
/// let desk = Helpdesk::new(Arc::new(MemoryStore::new()));
/// let support = desk
///     .create_department(Actor::System, Name::parse("Support").unwrap(), FollowUpPolicy::Reopen)
///     .await?;
/// let ana = desk
///     .create_customer(Actor::System, NewCustomer::new(CustomerKind::Individual, Name::parse("Ana").unwrap()))
///     .await?;
/// let ticket = desk
///     .open_ticket(
///         Actor::Customer(ana.id),
///         NewTicket::new(
///             Subject::parse("Printer on fire").unwrap(),
///             MessageBody::parse("It is on fire.").unwrap(),
///             support.id,
///         ),
///     )
///     .await?;
/// desk.execute(
///     Actor::Customer(ana.id),
///     ticket.id,
///     Command::Reply { body: MessageBody::parse("Still on fire.").unwrap(), attachments: vec![] },
/// )
/// .await?;
/// assert_eq!(desk.thread(Actor::Customer(ana.id), ticket.id).await?.len(), 2);
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

    /// The attachment limits in force.
    pub fn attachment_limits(&self) -> &AttachmentLimits {
        &self.limits
    }

    /// Uses `levels` for service-level clocks, calendars and the auto-close.
    pub fn with_service_levels(mut self, levels: ServiceLevels) -> Self {
        self.levels = Arc::new(levels);
        self
    }

    /// The service levels in force.
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

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        crate::clock::to_micros(self.clock.now())
    }
}
