//! Erasing and anonymising a customer or tickets ([`ErasureStore`]): what an erasure removes
//! and what an anonymisation replaces is written here, once ([`ErasurePlan`]); a backend
//! deletes and rewrites the rows in one transaction, with the audit entry
//! ([`ErasureRecord`]), which keeps who, when and how many tickets, never the data.
//!
//! The rule (issue 22, item 4), for the tickets of the plan:
//! - [`ErasureMode::Erase`]: the tickets go with everything that hangs off them (messages,
//!   their attachments' references, history, time entries, categories, tags, search rows,
//!   notifications, queued and sent e-mail, mail references, chats); other tickets that
//!   named one as their master lose that link. The attachment bytes no other message refers
//!   to are removed right after ([`Helpdesk::erase_customer`](crate::Helpdesk)).
//! - [`ErasureMode::Anonymise`]: the tickets stay, with their numbers, department, status,
//!   priority, type, categories, tags, timestamps, metrics, SLA outcomes, satisfaction score
//!   and history (kinds and instants), so reports keep counting them; what a person wrote or
//!   what names them is replaced by [`ANONYMISED`]: the subject, the ticket's custom fields,
//!   every message body (a reply quotes and addresses the customer; the search index holds
//!   the placeholder's words), the notes of time entries. Attachments are dropped (their
//!   bytes swept as above), and so are notifications, e-mail and mail references of the
//!   tickets, which carry the text. The history keeps its entries with their personal text
//!   replaced, and so do the ticket's rating and priority request (the rule:
//!   [`ErasurePlan::anonymised_change`] and its siblings).
//!
//! For the customer of the plan (when there is one), in both modes: their logins, sessions,
//! API tokens and account links, knowledge-base votes, organisation flags and domains,
//! notifications, e-mail to their address (also of other tickets), mail kept in quarantine
//! or logged as ignored from their address, and the mark of their address as undeliverable
//! go; their address leaves other tickets' history and the copy lists of mail kept for
//! them, and agents' saved searches naming them go
//! ([`ErasurePlan::change_without_address`], [`ErasurePlan::cc_without_address`],
//! [`ErasurePlan::names_in_saved_search`]). Erasing deletes their record (members of an erased organisation leave it);
//! anonymising replaces it with [`ErasurePlan::placeholder`]: [`ANONYMISED`] as the name,
//! nothing else personal, access disabled.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::stable_text::stable_text;
use crate::domain::{Actor, Customer, CustomerId, Email, TicketId};
use crate::error::Result;

/// The text that replaces what an anonymisation removes (a subject, a body, a name).
pub const ANONYMISED: &str = "anonymised";

/// The most erasures [`ErasureStore::erasures`] returns at once.
pub const MAX_ERASURES_LISTED: u32 = 1_000;

/// Whether data is removed, or replaced while the tickets stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureMode {
    /// Everything goes.
    Erase,
    /// Personal data is replaced; tickets and metrics stay for reports.
    Anonymise,
}

stable_text!(ErasureMode, "erasure_mode" {
    Erase => "erase",
    Anonymise => "anonymise",
});

/// Why an erasure ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureCause {
    /// An admin asked for a customer's erasure.
    Request,
    /// The retention rule handled closed tickets past their age.
    Retention,
}

stable_text!(ErasureCause, "erasure_cause" {
    Request => "request",
    Retention => "retention",
});

/// The audit entry of an erasure: who, when, how and how many; never whose data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureRecord {
    /// Erased or anonymised.
    pub mode: ErasureMode,
    /// Why.
    pub cause: ErasureCause,
    /// Who (the desk itself for retention).
    pub actor: Actor,
    /// When.
    pub at: DateTime<Utc>,
    /// How many tickets it handled.
    pub tickets: u64,
    /// Whether a customer's record was part of it.
    pub customer: bool,
}

/// What one erasure does (see the module's rule), written by
/// [`ErasureStore::erase`] in one transaction with its [`ErasurePlan::record`].
#[derive(Debug, Clone, PartialEq)]
pub struct ErasurePlan {
    /// Erase or anonymise.
    pub mode: ErasureMode,
    /// The tickets.
    pub tickets: Vec<TicketId>,
    /// The customer whose record and accounts go, if any.
    pub customer: Option<CustomerId>,
    /// Their e-mail address: mail to it, and mail from it kept aside, goes.
    pub address: Option<Email>,
    /// What replaces their record when anonymising ([`placeholder`]).
    pub placeholder: Option<Customer>,
    /// The audit entry.
    pub record: ErasureRecord,
}

/// The record that replaces `customer`'s when they are anonymised: same id, kind and
/// creation instant, [`ANONYMISED`] as the name, access disabled, nothing else.
pub fn placeholder(customer: &Customer) -> Customer {
    Customer {
        id: customer.id,
        kind: customer.kind,
        name: crate::domain::Name::parse(ANONYMISED).unwrap_or_else(|_| customer.name.clone()),
        email: None,
        phone: None,
        contract_number: None,
        address: None,
        custom_fields: Default::default(),
        language: None,
        access_enabled: false,
        organisation: None,
        created_at: customer.created_at,
    }
}

/// Whether `customer` is an anonymised record (what [`placeholder`] makes).
pub fn is_anonymised(customer: &Customer) -> bool {
    customer.name.as_str() == ANONYMISED
        && customer.email.is_none()
        && customer.phone.is_none()
        && !customer.access_enabled
}

/// Whether a stored ticket whose subject is `subject` counts as handled by an erasure in
/// `mode`: every one erased, and those anonymised whose subject was not the placeholder
/// already (anonymising is applied to them again, harmlessly, but not counted).
pub fn handled(mode: ErasureMode, subject: &str) -> bool {
    mode == ErasureMode::Erase || subject != ANONYMISED
}

/// The record `plan` writes when it handled `tickets` tickets, if it writes one.
pub fn record_of(plan: &ErasurePlan, tickets: u64) -> Option<ErasureRecord> {
    (tickets > 0 || plan.customer.is_some()).then(|| ErasureRecord {
        tickets,
        ..plan.record.clone()
    })
}

/// An ability a store may offer ([`Store::as_erasure_store`](super::Store::as_erasure_store)):
/// erasing and anonymising, with the audit trail of erasures.
#[async_trait]
pub trait ErasureStore: Send + Sync {
    /// Does what `plan` says (see the module's rule) and appends its record, in one
    /// transaction: all or nothing. Tickets and a customer already gone are skipped. Returns
    /// how many tickets it handled ([`handled`]), which is what the record written says;
    /// when none and the plan names no customer, no record is written (a second worker of
    /// the retention rule finds the work done).
    async fn erase(&self, plan: &ErasurePlan) -> Result<u64>;
    /// The audit trail of erasures, newest first, at most `limit`.
    async fn erasures(&self, limit: u32) -> Result<Vec<ErasureRecord>>;
}
