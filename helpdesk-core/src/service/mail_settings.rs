//! How a desk sends and receives e-mail: its address, the domain of the Message-IDs it
//! makes, and what to do with mail from addresses it does not know.

use crate::domain::{DepartmentId, Email};

/// What [`Helpdesk::ingest_email`](super::Helpdesk::ingest_email) does with mail from an
/// address that belongs to no customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownSenders {
    /// Create a customer (an individual, named from the `From` header) and open the ticket.
    #[default]
    CreateCustomer,
    /// Refuse the mail; nothing is stored.
    Reject,
}

/// The e-mail settings of a desk.
///
/// ```
/// use helpdesk_core::domain::{DepartmentId, Email};
/// use helpdesk_core::service::{MailSettings, UnknownSenders};
///
/// let settings = MailSettings::new(Email::parse("support@desk.example").unwrap(), DepartmentId::new())
///     .with_unknown_senders(UnknownSenders::Reject);
/// assert_eq!(settings.message_id_domain, "desk.example");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MailSettings {
    /// The address the desk sends from and receives at.
    pub from: Email,
    /// The display name beside it.
    pub from_name: String,
    /// The right-hand side of the Message-IDs the desk makes.
    pub message_id_domain: String,
    /// The department new tickets from e-mail go to.
    pub inbound_department: DepartmentId,
    /// What to do with mail from unknown addresses.
    pub unknown_senders: UnknownSenders,
    /// The most "request received" answers one customer gets in an hour (default
    /// [`AUTO_ANSWERS_PER_HOUR`]): past it, new tickets are opened without one, so a
    /// misbehaving mail program cannot make the desk flood an address.
    pub auto_answers_per_hour: u32,
}

/// The default of [`MailSettings::auto_answers_per_hour`].
pub const AUTO_ANSWERS_PER_HOUR: u32 = 10;

impl MailSettings {
    /// Settings sending from `from` (named "Helpdesk"), Message-IDs in its domain, new
    /// tickets from mail in `inbound_department`, unknown senders becoming customers.
    pub fn new(from: Email, inbound_department: DepartmentId) -> Self {
        let domain = from
            .as_str()
            .rsplit_once('@')
            .map(|(_, d)| d.to_owned())
            .unwrap_or_default();
        Self {
            from,
            from_name: "Helpdesk".to_owned(),
            message_id_domain: domain,
            inbound_department,
            unknown_senders: UnknownSenders::default(),
            auto_answers_per_hour: AUTO_ANSWERS_PER_HOUR,
        }
    }

    /// Sets the most automatic answers one customer gets in an hour.
    pub fn with_auto_answers_per_hour(mut self, limit: u32) -> Self {
        self.auto_answers_per_hour = limit;
        self
    }

    /// Sets the display name of the sender.
    pub fn with_from_name(mut self, name: impl Into<String>) -> Self {
        self.from_name = name.into();
        self
    }

    /// Sets what to do with mail from unknown addresses.
    pub fn with_unknown_senders(mut self, rule: UnknownSenders) -> Self {
        self.unknown_senders = rule;
        self
    }

    /// A new, unique Message-ID in the desk's domain (without angle brackets).
    pub fn new_message_id(&self) -> String {
        format!(
            "{}@{}",
            uuid::Uuid::now_v7().simple(),
            self.message_id_domain
        )
    }
}
