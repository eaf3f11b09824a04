//! How a desk sends and receives e-mail: its address, the domain of the Message-IDs it
//! makes, what to do with mail from addresses it does not know, and each department's own
//! address. These are the settings in force; what admins store is
//! [`StoredMailSettings`](super::StoredMailSettings), laid over those given in code.

use serde::{Deserialize, Serialize};

use crate::domain::stable_text::stable_text;
use crate::domain::{DepartmentId, Email};

/// What [`Helpdesk::ingest_email`](super::Helpdesk::ingest_email) does with mail from an
/// address that belongs to no customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownSenders {
    /// Create a customer (an individual, named from the `From` header) and open the ticket.
    #[default]
    CreateCustomer,
    /// Refuse the mail; nothing is stored.
    Reject,
}

stable_text!(UnknownSenders, "unknown_senders" {
    CreateCustomer => "create_customer",
    Reject => "reject",
});

/// What the desk does with mailing-list mail (`List-Id`, `Precedence: list`, …) sent to one
/// of its addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListMail {
    /// Taken in like a person's mail, but never answered automatically.
    #[default]
    TakeIn,
    /// Not taken in: [`Ingested::Ignored`](super::Ingested::Ignored) with
    /// [`MailClass::List`](crate::mail::MailClass::List).
    Ignore,
}

stable_text!(ListMail, "list_mail" {
    TakeIn => "take_in",
    Ignore => "ignore",
});

/// A department's own mail address: mail to it becomes a ticket in the department, and the
/// desk's mail about the department's tickets goes out from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentAddress {
    /// The address.
    pub address: Email,
    /// Whether list mail to it is taken in.
    #[serde(default)]
    pub list_mail: ListMail,
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
    /// Whether list mail to the desk's own address ([`from`](Self::from)) is taken in.
    pub list_mail: ListMail,
    /// The departments with an address of their own.
    pub departments: Vec<(DepartmentId, DepartmentAddress)>,
    /// The department of the mailbox the mail is read from (an IMAP mailbox's), which new
    /// tickets go to instead of [`inbound_department`](Self::inbound_department) unless the
    /// mail is addressed to a department's own address. Stored settings laid over these
    /// keep it.
    pub mailbox_department: Option<DepartmentId>,
    /// Whether each e-mail goes out with an envelope sender (`Return-Path`) that names it
    /// (VERP, see [`verp`](crate::mail::verp)), so its bounce is matched to it even when
    /// the bounce quotes nothing of it; default on.
    pub verp: bool,
    /// How long, in hours, an address stays marked undeliverable after a bounce with a
    /// permanent failure (default [`UNDELIVERABLE_HOURS`]; 0: addresses are not marked).
    pub undeliverable_hours: u32,
}

/// The default of [`MailSettings::auto_answers_per_hour`].
pub const AUTO_ANSWERS_PER_HOUR: u32 = 10;

/// The default of [`MailSettings::undeliverable_hours`]: a week.
pub const UNDELIVERABLE_HOURS: u32 = 7 * 24;

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
            list_mail: ListMail::default(),
            departments: Vec::new(),
            mailbox_department: None,
            verp: true,
            undeliverable_hours: UNDELIVERABLE_HOURS,
        }
    }

    /// Turns VERP on or off (see [`verp`](Self::verp)).
    pub fn with_verp(mut self, on: bool) -> Self {
        self.verp = on;
        self
    }

    /// Sets how long an address stays marked undeliverable, in hours (0: not marked).
    pub fn with_undeliverable_hours(mut self, hours: u32) -> Self {
        self.undeliverable_hours = hours;
        self
    }

    /// The envelope sender (`MAIL FROM`, which becomes the `Return-Path`) of the outbox
    /// e-mail `id` sent from `from`: the VERP address naming it when [`verp`](Self::verp)
    /// is on and the address fits, else `from` itself.
    pub fn envelope_sender(&self, from: &Email, id: crate::domain::OutboxId) -> Email {
        if !self.verp {
            return from.clone();
        }
        crate::mail::verp::verp_address(from, id).unwrap_or_else(|| from.clone())
    }

    /// Sends new tickets to `department`, the department of the mailbox the mail is read
    /// from (see [`mailbox_department`](Self::mailbox_department)).
    pub fn with_mailbox_department(mut self, department: DepartmentId) -> Self {
        self.mailbox_department = Some(department);
        self
    }

    /// Sets the desk's address, and the domain of its Message-IDs with it.
    pub fn with_from(mut self, from: Email) -> Self {
        if let Some((_, domain)) = from.as_str().rsplit_once('@') {
            self.message_id_domain = domain.to_owned();
        }
        self.from = from;
        self
    }

    /// Sets what the desk does with list mail to its own address.
    pub fn with_list_mail(mut self, rule: ListMail) -> Self {
        self.list_mail = rule;
        self
    }

    /// Gives `department` an address of its own.
    pub fn with_department_address(
        mut self,
        department: DepartmentId,
        address: DepartmentAddress,
    ) -> Self {
        self.departments.retain(|(d, _)| *d != department);
        self.departments.push((department, address));
        self
    }

    /// Every address of the desk: its own and the departments' (mail from them is the
    /// desk's own, never taken in).
    pub fn own_addresses(&self) -> Vec<Email> {
        std::iter::once(self.from.clone())
            .chain(self.departments.iter().map(|(_, a)| a.address.clone()))
            .collect()
    }

    /// The department whose address is the first of `recipients` that is one, with its
    /// address settings.
    pub fn department_for(
        &self,
        recipients: &[Email],
    ) -> Option<(DepartmentId, &DepartmentAddress)> {
        recipients.iter().find_map(|to| {
            self.departments
                .iter()
                .find(|(_, a)| a.address == *to)
                .map(|(d, a)| (*d, a))
        })
    }

    /// The address the desk's mail about a ticket of `department` goes out from: the
    /// department's own, else the desk's.
    pub fn from_for(&self, department: DepartmentId) -> &Email {
        self.departments
            .iter()
            .find(|(d, _)| *d == department)
            .map_or(&self.from, |(_, a)| &a.address)
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
