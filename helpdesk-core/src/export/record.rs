//! The records of an export: what one line of the stream holds.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::extras::{ArticleRecord, MailboxRecord, PersonSettingsRecord};
use crate::automation::{Macro, Rule};
use crate::domain::{
    Agent, AgentId, CannedResponse, Category, Customer, CustomerId, Department, Email, Login,
    Message, NotificationPreferences, OrganisationDomain, RuleId, Ticket, TicketEvent,
    TicketTemplate, TimeEntry,
};
use crate::search::SavedSearch;
use crate::store::SettingKey;
use crate::webhooks::{WebhookDelivery, WebhookEndpoint};

/// The name every export's header carries.
pub const FORMAT: &str = "helpdesk-export";

/// The version of the format this build writes. A later version that changes what a record
/// means gets a new number; an import refuses versions it does not know.
pub const VERSION: u32 = 3;

/// The versions this build reads: 1 (no content records), 2 (no people's or automation
/// records) and 3.
pub const READS: [u32; 3] = [1, 2, 3];

/// The first line: which format, which version, when, and where the ticket number sequence
/// stood, so that the importing desk never hands out a number it restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// [`FORMAT`].
    pub format: String,
    /// [`VERSION`].
    pub version: u32,
    /// When the export was made.
    pub exported_at: DateTime<Utc>,
    /// A value of the exporting desk's ticket number sequence at least as high as any
    /// number it gave out; the import moves its own sequence past it.
    pub sequence: u64,
}

impl Header {
    /// The header of an export made `at`, with the sequence at `sequence`.
    pub fn new(at: DateTime<Utc>, sequence: u64) -> Self {
        Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at: at,
            sequence,
        }
    }
}

/// A setting kept in the store, as its key and its stored text (validated by the desk when
/// it is read, like any stored value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingRecord {
    /// Which setting.
    pub key: SettingKey,
    /// Its value, exactly as stored.
    pub value: String,
}

/// A ticket whole: the ticket (with its number, assignee, categories, fields, tags, links,
/// metrics and feedback), its thread (every message, internal ones too, with its attachments'
/// keys and where a moved message came from), its history and its time entries, and the
/// people copied on it or following it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketRecord {
    /// The ticket.
    pub ticket: Ticket,
    /// Its thread, oldest first.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// Its history, oldest first.
    #[serde(default)]
    pub history: Vec<TicketEvent>,
    /// Its time entries, oldest first.
    #[serde(default)]
    pub time_entries: Vec<TimeEntry>,
    /// The addresses copied on its public thread.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<Email>,
    /// The agents following it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub followers: Vec<AgentId>,
}

/// The last line: how many records of each kind came before it, so that a cut-off stream is
/// told from a whole one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trailer {
    /// Departments.
    pub departments: u64,
    /// Agents.
    pub agents: u64,
    /// Customers.
    pub customers: u64,
    /// Settings.
    pub settings: u64,
    /// Organisations with domains or members who see their tickets.
    pub organisations: u64,
    /// Tickets.
    pub tickets: u64,
    /// Messages, over all tickets.
    pub messages: u64,
    /// Attachment files (distinct keys).
    pub attachments: u64,
    /// Content records (version 2): ticket templates, canned responses, saved searches,
    /// knowledge-base categories and articles.
    #[serde(default)]
    pub content: u64,
    /// People's records (version 3): logins, person settings and notification preferences.
    #[serde(default)]
    pub people: u64,
    /// Automation and mail records (version 3): rules, rule runs, macros, webhook endpoints,
    /// their deliveries and mailboxes.
    #[serde(default)]
    pub automation: u64,
    /// Knowledge-base votes, over all articles (version 3).
    #[serde(default)]
    pub votes: u64,
}

/// One line of an export. Records come in this order: the header; departments, agents and
/// customers (organisations before their members); settings; organisations' extras;
/// content (templates, canned responses, saved searches, article categories, articles);
/// people's records (logins, person settings, notification preferences); automation
/// (rules, rule runs, macros, mailboxes); tickets (a master, a merge target or a
/// follow-up's original before the tickets that name it); webhook endpoints and their
/// deliveries (after the tickets, so that restoring them sends nothing); the trailer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Record {
    /// The first line.
    Header(Header),
    /// A department.
    Department(Department),
    /// An agent (their login is a record of its own, version 3).
    Agent(Agent),
    /// A customer, person or organisation.
    Customer(Customer),
    /// A setting.
    Setting(SettingRecord),
    /// What an organisation keeps beside its customer record: its mail domains and the
    /// members who see its tickets.
    Organisation {
        /// The organisation.
        organisation: CustomerId,
        /// Its mail domains.
        #[serde(default)]
        domains: Vec<OrganisationDomain>,
        /// Its members who see its tickets.
        #[serde(default)]
        viewers: Vec<CustomerId>,
    },
    /// A ticket template (version 2).
    Template(TicketTemplate),
    /// A canned response (version 2).
    CannedResponse(CannedResponse),
    /// An agent's saved search (version 2).
    SavedSearch(SavedSearch),
    /// A knowledge-base category, kept even with no article in it (version 2).
    ArticleCategory {
        /// The category.
        category: Category,
    },
    /// A knowledge-base article, with its vote counts (version 2) and votes (version 3).
    Article(ArticleRecord),
    /// A ticket whole.
    Ticket(Box<TicketRecord>),
    /// The last line.
    Trailer(Trailer),
    /// An agent's or customer's login: name and password hash, so that they sign in after
    /// a restore (version 3).
    Login(Login),
    /// A person's own settings (version 3).
    PersonSettings(PersonSettingsRecord),
    /// An agent's notification preferences (version 3).
    NotificationPreferences(NotificationPreferences),
    /// An automation rule: a trigger or a scheduled rule (version 3).
    Rule(Rule),
    /// When a scheduled rule last ran (version 3), after its rule.
    RuleRun {
        /// The rule.
        rule: RuleId,
        /// When its last run was taken.
        at: DateTime<Utc>,
    },
    /// A macro (version 3).
    Macro(Macro),
    /// A webhook endpoint, its signing secret included (version 3).
    Webhook(WebhookEndpoint),
    /// An IMAP mailbox, its password included (version 3).
    Mailbox(MailboxRecord),
    /// A delivery to a webhook endpoint, sent or waiting, after its endpoint (version 3).
    WebhookDelivery(WebhookDelivery),
}
