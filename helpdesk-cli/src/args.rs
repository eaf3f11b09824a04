//! The command line: the global options and every command with its arguments (clap).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use helpdesk::domain::{Channel, Language, Priority, Status, TicketType};

pub(crate) use crate::admin_args::{
    AgentCmd, CalendarCmd, CannedCmd, DepartmentCmd, KbCmd, LimitsCmd, LoginArgs, SlaCmd,
    TemplateCmd,
};

/// The helpdesk at a terminal: tickets, customers, e-mail, jobs, import and export.
#[derive(Debug, Parser)]
#[command(
    name = "cli",
    version,
    about = "The helpdesk at a terminal",
    long_about = None,
    after_help = crate::exit::HELP
)]
pub(crate) struct Cli {
    /// The database URL (a SQLite path, `sqlite://PATH`, `:memory:` or `postgres://…`);
    /// default: `HELPDESK_DATABASE_URL`, else `./helpdesk.db`.
    #[arg(long, global = true)]
    pub(crate) database: Option<String>,
    /// Who acts: `system` (default), `agent:EMAIL` or `customer:EMAIL`.
    #[arg(long = "as", global = true, default_value = "system")]
    pub(crate) as_: String,
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Cmd,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Open a ticket (a phone ticket by default) for a customer found by phone, contract
    /// number or e-mail.
    Create(CreateArgs),
    /// List tickets, newest change first, with filters.
    List(FilterArgs),
    /// Search tickets: words, "phrases", prefix*, -excluded, % patterns; with the filters.
    Search {
        /// The query.
        query: String,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Show a ticket with its thread and history.
    Show {
        /// The ticket's number (full or short) or id.
        ticket: String,
        /// How many of the thread's newest messages (1 to 500).
        #[arg(long, default_value_t = 100)]
        messages: u32,
        /// The messages written before this one (the id an earlier `show` printed after
        /// "older messages").
        #[arg(long)]
        before: Option<helpdesk::domain::MessageId>,
    },
    /// Reply to the customer.
    Reply(MessageArgs),
    /// Add an internal note (customers never see it).
    Note(MessageArgs),
    /// Assign a ticket to an agent (by e-mail), or `none` to unassign.
    Assign {
        /// The ticket's number or id.
        ticket: String,
        /// The agent's e-mail, or `none`.
        agent: String,
    },
    /// Log time spent on a ticket (agents). Customers see billable time; the note stays hidden
    /// from them unless `--note-visible-to-customer`.
    LogTime(LogTimeArgs),
    /// The time logged on a ticket (customers: the billable entries, each note only when it
    /// was made visible to them).
    Time {
        /// The ticket's number or id.
        ticket: String,
    },
    /// Move a ticket through its life cycle.
    Transition {
        /// The ticket's number or id.
        ticket: String,
        /// What to do.
        action: Action,
        /// The message that goes with it (ask, hold, resolve).
        #[arg(long)]
        body: Option<String>,
        /// How a ticket is closed (close).
        #[arg(long, value_enum, default_value = "solved")]
        resolution: ResolutionArg,
    },
    /// Merge a ticket into another of the same customer (agents with the close right in both
    /// departments): its messages, files and history move into the target, it closes as
    /// merged, and its number, mail and replies lead to the target.
    Merge {
        /// The ticket merged (number or id).
        source: String,
        /// The ticket it lives on in (number or id).
        target: String,
    },
    /// Move chosen messages of a ticket into a new ticket of the same customer and
    /// department (their ids are in `show --json`).
    Split {
        /// The ticket's number or id.
        ticket: String,
        /// A message to move; repeat for more.
        #[arg(long = "message", required = true)]
        messages: Vec<helpdesk::domain::MessageId>,
        /// The new ticket's subject (the old one's by default).
        #[arg(long)]
        subject: Option<String>,
    },
    /// The tickets linked to a master ticket, with their states.
    Linked {
        /// The master ticket's number or id.
        master: String,
    },
    /// Customers: look them up, or add one.
    #[command(subcommand)]
    Customer(CustomerCmd),
    /// List the departments.
    Departments,
    /// List the agents.
    Agents,
    /// Take in one e-mail from stdin (a mail server's pipe).
    Ingest(IngestOneArgs),
    /// Take in the mail waiting in IMAP mailboxes, once or (`--watch`) as it arrives; each
    /// message is taken once, then flagged, moved or deleted in its mailbox.
    FetchMail(FetchMailArgs),
    /// Run what is due now: SLA warnings and breaches, reminders, auto-close, unanswered
    /// chats; then sweep the attachments no message refers to that are a day old.
    RunDue {
        /// Run as if it were this instant (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
    },
    /// Export the desk. With `--dir`, everything, losslessly, in the versioned export format
    /// (docs/export-format.md: `DIR/desk.jsonl` and `DIR/attachments/`); without, the older
    /// single JSON document of departments, agents, customers and ticket threads.
    Export {
        /// Write the single document to this file instead of stdout.
        #[arg(long, short, conflicts_with = "dir")]
        out: Option<PathBuf>,
        /// Write the whole desk in the export format into this directory.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Import a directory `export --dir` wrote into an empty desk (every ticket with its
    /// number), or a single JSON document (tickets opened anew).
    Import {
        /// The export's directory, the document's file, or `-` for stdin.
        file: PathBuf,
        /// The file is another help desk's export, mapped onto this desk's format
        /// (docs/export-format.md says what maps): `django-helpdesk` (`manage.py dumpdata`).
        #[arg(long, value_enum)]
        from: Option<ForeignDesk>,
        /// With `--from`: the directory attachments' stored paths are under (Django's media
        /// root); by default the file's own directory.
        #[arg(long, requires = "from")]
        media: Option<PathBuf>,
        /// Write the tickets through the ordinary commit, one change's way, instead of the
        /// store's bulk restore: slower; the benchmark's comparison
        /// (`helpdesk-cli/examples/import_bench.rs`).
        #[arg(long)]
        one_by_one: bool,
    },
    /// A report over a date range, per department, agent, customer or type (supervisors and
    /// admins): a table, `--json`, or `--csv`.
    Report(ReportArgs),
    /// Load N synthetic tickets, with a progress bar on stderr.
    Seed {
        /// How many tickets.
        count: usize,
    },
    /// The desk's settings (admins): its public URL, which every link the desk sends
    /// starts with.
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Departments (admins): add, rename, follow-up policy, calendar, (de)activate.
    #[command(subcommand)]
    Department(DepartmentCmd),
    /// Agents (admins): add with a login, change role and departments, disable.
    #[command(subcommand)]
    Agent(AgentCmd),
    /// Business-hours calendars (admins): time zone, weekly hours, holidays.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// SLA policies (admins): match rules and targets in business minutes.
    #[command(subcommand)]
    Sla(SlaCmd),
    /// Attachment limits (admins): per department or the desk's default, with the most files
    /// per ticket.
    #[command(subcommand)]
    Limits(LimitsCmd),
    /// Mail settings (admins): the desk's address and name, the inbound department, unknown
    /// senders, automatic answers per hour, list mail, VERP, how long a bounced address stays
    /// undeliverable; kept in the store, applied by every process (see also `department
    /// mail-address`).
    #[command(subcommand)]
    MailSettings(crate::mail_settings::MailSettingsCmd),
    /// IMAP mailboxes stored for departments (admins): list, show, add, edit, remove; the
    /// password is read from stdin and never printed.
    #[command(subcommand)]
    Mailbox(crate::mailboxes::MailboxCmd),
    /// Mail the desk could not take in (admins): kept whole with the reason; list, show,
    /// raw, reprocess, discard; and the log of ignored list mail (`quarantine ignored`).
    #[command(subcommand)]
    Quarantine(crate::quarantine::QuarantineCmd),
    /// Addresses a permanent bounce marked undeliverable (admins): the desk sends them
    /// nothing until the mark ends; list, clear.
    #[command(subcommand)]
    Undeliverable(crate::undeliverable::UndeliverableCmd),
    /// Ticket templates (admins add, edit and delete them).
    #[command(subcommand)]
    Template(TemplateCmd),
    /// Canned responses (agents add, edit and delete them).
    #[command(subcommand)]
    Canned(CannedCmd),
    /// The knowledge base: search and show articles; agents add, edit and delete them;
    /// admins manage the categories (`kb category`).
    #[command(subcommand)]
    Kb(KbCmd),
    /// Set a password with an invitation or password-reset link's token (the password read
    /// from the first line of stdin).
    SetPassword {
        /// The link's token.
        #[arg(long)]
        token: String,
    },
    /// The audit trail of settings changes (admins): who, when, before and after.
    Audit {
        /// The most changes shown, newest first (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Tags on tickets (staff): add, remove (one ticket or several, all or none), list the
    /// tags in use.
    #[command(subcommand)]
    Tag(crate::tags::TagCmd),
    /// How an agent hears of each event (in the app, by e-mail, both, none) and the
    /// language of their e-mails: show, set.
    #[command(subcommand)]
    NotificationPrefs(crate::notification_prefs::NotificationPrefsCmd),
    /// A ticket's CC addresses (its customer, or staff who may reply): add, remove, list.
    #[command(subcommand)]
    Cc(crate::followers::CcCmd),
    /// Follow tickets (agents): on, off, the followers of a ticket, the tickets followed.
    #[command(subcommand)]
    Follow(crate::followers::FollowCmd),
    /// The in-app notifications of the person `--as` names: list, dismiss all.
    #[command(subcommand)]
    Notifications(crate::notifications::NotificationCmd),
    /// Priority rules that match on the organisation (admins): list, set, remove.
    #[command(subcommand)]
    PriorityRule(crate::priority_rules::PriorityRuleCmd),
    /// Triggers (admins): list, add, update, remove, dry run, what fired.
    #[command(subcommand)]
    Rule(crate::automation::RuleCmd),
    /// Macros: list, add and remove (admins), apply to tickets (agents).
    #[command(subcommand)]
    Macro(crate::automation::MacroCmd),
    /// The change feed as the person `--as` names may see it: the changes after a position,
    /// and the position to read on from.
    Changes {
        /// Read the changes after this position (0: from the oldest kept).
        #[arg(long, default_value_t = 0)]
        after: u64,
        /// At most this many (1–1000).
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Wait up to this many seconds (at most 60) for the first change.
        #[arg(long, default_value_t = 0)]
        wait: u64,
    },
    /// Webhooks (admins): list, add (the secret shown once), update, remove, deliveries,
    /// ping.
    #[command(subcommand)]
    Webhook(crate::webhooks::WebhookCmd),
    /// The time zone and page language of the person `--as` names: show, set.
    #[command(subcommand)]
    MySettings(crate::person_settings::MySettingsCmd),
    /// What `--as` may say about a ticket now besides messages: the priorities they may
    /// ask for and whether they may rate it.
    FeedbackOffers {
        /// The ticket's number or id.
        ticket: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SettingsCmd {
    /// Show the settings.
    Show,
    /// Set a setting: `settings set public-url https://help.example.com` (without a scheme,
    /// https; write http:// for a local demo).
    Set {
        /// Which setting.
        name: SettingName,
        /// Its value.
        value: String,
    },
    /// Unset a setting.
    Unset {
        /// Which setting.
        name: SettingName,
    },
}

/// A setting's name as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SettingName {
    /// The desk's public URL.
    PublicUrl,
    /// The country whose phone numbers may be typed without their country code (`RO`).
    PhoneRegion,
    /// How long an agent counts as present after their last heartbeat, in seconds (60).
    PresenceTimeout,
    /// How many days the change feed keeps its records (7).
    FeedRetention,
}

#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// The customer's phone number.
    #[arg(long, group = "who")]
    pub(crate) phone: Option<String>,
    /// The customer's contract number.
    #[arg(long, group = "who")]
    pub(crate) contract: Option<String>,
    /// The customer's e-mail.
    #[arg(long, group = "who")]
    pub(crate) email: Option<String>,
    /// The department (by name); default: the first one.
    #[arg(long)]
    pub(crate) department: Option<String>,
    /// One line.
    #[arg(long)]
    pub(crate) subject: String,
    /// What the customer said.
    #[arg(long)]
    pub(crate) body: String,
    /// The importance asked for; the priority rules decide.
    #[arg(long)]
    pub(crate) priority: Option<Priority>,
    /// The ticket type (incident, question, consultation, feature_request, access_request).
    #[arg(long = "type")]
    pub(crate) ticket_type: Option<TicketType>,
    /// How it came in.
    #[arg(long, default_value = "phone")]
    pub(crate) channel: Channel,
    /// An internal ticket, with no customer (agents only).
    #[arg(long)]
    pub(crate) internal: bool,
    /// Attach a file (repeatable).
    #[arg(long = "attach")]
    pub(crate) attachments: Vec<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub(crate) struct FilterArgs {
    /// Statuses, comma-separated (new, open, pending_customer, on_hold, resolved,
    /// closed:solved, ...).
    #[arg(long, value_delimiter = ',')]
    pub(crate) status: Vec<Status>,
    /// Department names, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(crate) department: Vec<String>,
    /// The assignee's e-mail, or `none`.
    #[arg(long)]
    pub(crate) assignee: Option<String>,
    /// The customer's e-mail.
    #[arg(long)]
    pub(crate) customer: Option<String>,
    /// Priorities, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(crate) priority: Vec<Priority>,
    /// The ticket type.
    #[arg(long = "type")]
    pub(crate) ticket_type: Option<TicketType>,
    /// Created at or after (RFC 3339).
    #[arg(long)]
    pub(crate) since: Option<DateTime<Utc>>,
    /// Created before (RFC 3339).
    #[arg(long)]
    pub(crate) until: Option<DateTime<Utc>>,
    /// At most this many tickets a page (1–200).
    #[arg(long, default_value_t = 50)]
    pub(crate) limit: u32,
    /// Every matching ticket, page after page, not just the first page.
    #[arg(long, conflicts_with = "after")]
    pub(crate) all: bool,
    /// The page after this cursor: the one the previous page printed (`--after CURSOR`).
    #[arg(long, value_name = "CURSOR")]
    pub(crate) after: Option<String>,
    /// Tickets carrying any of these tags, comma-separated (staff).
    #[arg(long)]
    pub(crate) tag: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct MessageArgs {
    /// The ticket's number or id.
    pub(crate) ticket: String,
    /// The text; `-` reads it from stdin.
    pub(crate) body: String,
    /// Attach a file (repeatable).
    #[arg(long = "attach")]
    pub(crate) attachments: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct LogTimeArgs {
    /// The ticket's number or id.
    pub(crate) ticket: String,
    /// How long, in minutes (1–1440).
    pub(crate) minutes: u32,
    /// The customer is billed for it (and sees the entry).
    #[arg(long)]
    pub(crate) billable: bool,
    /// What was done.
    #[arg(long, default_value = "")]
    pub(crate) note: String,
    /// Show the note to the customer (on billable time, which they see); hidden otherwise.
    #[arg(long)]
    pub(crate) note_visible_to_customer: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The first day (YYYY-MM-DD) or instant (RFC 3339).
    #[arg(long)]
    pub(crate) from: String,
    /// The last day, included (YYYY-MM-DD), or the instant the range ends (RFC 3339).
    #[arg(long)]
    pub(crate) to: String,
    /// What the rows are.
    #[arg(long, value_enum, default_value = "department")]
    pub(crate) group: GroupArg,
    /// Only this department (by name).
    #[arg(long)]
    pub(crate) department: Option<String>,
    /// Print CSV (for spreadsheets) instead of the table (or JSON).
    #[arg(long)]
    pub(crate) csv: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum GroupArg {
    Department,
    Agent,
    Customer,
    Type,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Action {
    /// Ask the customer for information (needs --body).
    Ask,
    /// Put on hold.
    Hold,
    /// Resolve.
    Resolve,
    /// The customer confirms the resolution.
    Confirm,
    /// Close with --resolution.
    Close,
    /// Reopen.
    Reopen,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ResolutionArg {
    Solved,
    Unsolved,
    Duplicate,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CustomerCmd {
    /// Find customers: by contract number, else phone; an e-mail; or an address pattern with
    /// `%` for the gaps (`%Кольц%14%кв.15`).
    Find {
        /// What was typed; a `%` makes it an address pattern, an `@` an e-mail.
        query: String,
    },
    /// Add a customer.
    Add(CustomerAddArgs),
    /// List customers by name, a page at a time (staff), with how many match: by text in
    /// the name, e-mail, phone or contract number, kind, access or organisation.
    List(CustomerListArgs),
    /// Change a customer's record (staff); what is not given stays.
    Edit(CustomerEditArgs),
    /// Give a customer a login, or change it (the password read from stdin).
    Login(LoginArgs),
    /// Disable a customer's access (admins): sign-in refused, sessions and tokens revoked.
    Disable {
        /// The customer's e-mail.
        email: String,
    },
    /// Enable a customer's access again (admins).
    Enable {
        /// The customer's e-mail.
        email: String,
    },
    /// Invite a customer (staff): a one-time link (7 days) to choose the password of a new
    /// login.
    Invite {
        /// The customer's e-mail.
        email: String,
        /// The login name (default: the e-mail).
        #[arg(long)]
        login: Option<String>,
    },
    /// A one-time password-reset link (1 hour) for a customer's login (admins).
    ResetLink {
        /// The customer's e-mail.
        email: String,
    },
    /// Show an organisation's mail domains, or replace them (staff): a person created with
    /// an address at one of them joins the organisation.
    Domains {
        /// The organisation's id or e-mail.
        organisation: String,
        /// Replace them with these (comma-separated; `--set ""` removes every one).
        #[arg(long, value_delimiter = ',')]
        set: Option<Vec<String>>,
    },
    /// Erase a customer with their tickets, messages, attachments, mail, notifications and
    /// logins, or anonymise them (`--anonymise`: personal data replaced, tickets kept for
    /// reports) (admins). Cannot be undone.
    Erase {
        /// The customer's id or e-mail.
        customer: String,
        /// Replace their personal data instead, keeping the tickets.
        #[arg(long)]
        anonymise: bool,
    },
    /// Show the retention rule for closed tickets, or set it (admins, audited): closed
    /// tickets unchanged for `--closed-days` days are erased or anonymised by `run-due`.
    Retention {
        /// Days since the closed ticket last changed (1 to 36600).
        #[arg(long, requires = "mode", conflicts_with = "off")]
        closed_days: Option<u32>,
        /// Erase or anonymise them.
        #[arg(long, value_parser = ["erase", "anonymise"], requires = "closed_days")]
        mode: Option<String>,
        /// Turn the rule off.
        #[arg(long)]
        off: bool,
    },
    /// The erasures done, newest first: who, when, how many tickets (admins).
    Erasures {
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Show whether a member sees the tickets of their whole organisation, or set it
    /// (staff): with it on they list, read and reply to them (public messages only).
    OrganisationTickets {
        /// The member's id or e-mail.
        customer: String,
        /// Turn it on or off.
        #[arg(long, value_parser = ["on", "off"])]
        set: Option<String>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// The desk's own address (mail from it is never taken in); written to the stored mail
    /// settings when it differs. Needed only while none is stored (`mail-settings set`).
    #[arg(long)]
    pub(crate) from: Option<String>,
    /// The department new tickets go to when the mail was sent to no department's own
    /// address; written to the stored settings. Default: the stored one, else the first.
    #[arg(long)]
    pub(crate) department: Option<String>,
    /// Refuse mail from unknown senders instead of creating customers for them; written to
    /// the stored settings.
    #[arg(long)]
    pub(crate) reject_unknown: bool,
    /// The most "request received" answers one customer gets in an hour; written to the
    /// stored settings. Default: the stored one, else 10.
    #[arg(long)]
    pub(crate) auto_answers_per_hour: Option<u32>,
}

/// `ingest`: the mail settings, and the recipient the mail server delivered to.
#[derive(Debug, Args)]
pub(crate) struct IngestOneArgs {
    /// The address the mail server delivered the mail to (its envelope recipient, e.g.
    /// Postfix's `${recipient}`): a bounce sent back to the desk's VERP address is matched
    /// to the e-mail that bounced by it, even when its headers do not show it.
    #[arg(long)]
    pub(crate) recipient: Option<String>,
    #[command(flatten)]
    pub(crate) mail: IngestArgs,
}

#[derive(Debug, Args)]
pub(crate) struct FetchMailArgs {
    /// A mailbox: `imaps://USER:PASSWORD@HOST[:PORT]/FOLDER?department=NAME&after=flag|delete|move:FOLDER`
    /// (`imap://` without TLS; user and password percent-encoded). Repeat for several.
    /// Default: `HELPDESK_IMAP` (URLs separated by spaces), which keeps passwords out of
    /// the process list.
    #[arg(long = "imap", value_name = "URL")]
    pub(crate) mailboxes: Vec<String>,
    /// Without `--imap` (and `HELPDESK_IMAP`), every enabled mailbox stored for a
    /// department is fetched (`mailbox list`); this fetches only the stored mailbox with
    /// this id (enabled or not).
    #[arg(long = "mailbox", value_name = "ID", conflicts_with = "mailboxes")]
    pub(crate) stored: Option<String>,
    /// Keep watching the mailboxes: IDLE where the server offers it, else a round every
    /// `--poll` seconds; one line per round that took something, and per failure.
    #[arg(long)]
    pub(crate) watch: bool,
    /// Seconds between rounds without IDLE (and the longest wait in IDLE).
    #[arg(long, default_value_t = 60)]
    pub(crate) poll: u64,
    #[command(flatten)]
    pub(crate) mail: IngestArgs,
}

#[derive(Debug, Args)]
pub(crate) struct CustomerAddArgs {
    /// The name.
    #[arg(long)]
    pub(crate) name: String,
    /// An organisation instead of an individual.
    #[arg(long)]
    pub(crate) organisation: bool,
    /// E-mail.
    #[arg(long)]
    pub(crate) email: Option<String>,
    /// Phone.
    #[arg(long)]
    pub(crate) phone: Option<String>,
    /// Contract number.
    #[arg(long)]
    pub(crate) contract: Option<String>,
    /// Postal address.
    #[arg(long)]
    pub(crate) address: Option<String>,
    /// Language (en, ro, ru, fa).
    #[arg(long)]
    pub(crate) language: Option<Language>,
    /// The organisation the person belongs to (its e-mail or id).
    #[arg(long, value_name = "EMAIL-OR-ID")]
    pub(crate) member_of: Option<String>,
}

/// Which customers `customer list` shows.
#[derive(Debug, Args)]
pub(crate) struct CustomerListArgs {
    /// Text in the name, e-mail, phone or contract number (any case).
    #[arg(long)]
    pub(crate) query: Option<String>,
    /// Only persons (`individual`) or only organisations (`organisation`).
    #[arg(long)]
    pub(crate) kind: Option<KindArg>,
    /// Only those whose access is `enabled`, or `disabled`.
    #[arg(long)]
    pub(crate) access: Option<AccessArg>,
    /// Only the members of this organisation (its e-mail or id).
    #[arg(long)]
    pub(crate) organisation: Option<String>,
    /// At most this many customers a page (1–200).
    #[arg(long, default_value_t = 50)]
    pub(crate) limit: u32,
    /// Every matching customer, page after page, not just the first page.
    #[arg(long, conflicts_with = "after")]
    pub(crate) all: bool,
    /// The page after this cursor: the one the previous page printed (`--after CURSOR`).
    #[arg(long, value_name = "CURSOR")]
    pub(crate) after: Option<String>,
}

/// A customer's kind, as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum KindArg {
    Individual,
    Organisation,
}

/// Access enabled or disabled, as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum AccessArg {
    Enabled,
    Disabled,
}

/// What `customer edit` changes.
#[derive(Debug, Args)]
pub(crate) struct CustomerEditArgs {
    /// The customer: their e-mail or id.
    pub(crate) customer: String,
    /// A new name.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// A new e-mail.
    #[arg(long)]
    pub(crate) email: Option<String>,
    /// A new phone.
    #[arg(long)]
    pub(crate) phone: Option<String>,
    /// A new contract number.
    #[arg(long)]
    pub(crate) contract: Option<String>,
    /// A new postal address.
    #[arg(long)]
    pub(crate) address: Option<String>,
    /// A new language (en, ro, ru, fa).
    #[arg(long)]
    pub(crate) language: Option<Language>,
    /// The organisation the person belongs to (its e-mail or id).
    #[arg(long, conflicts_with = "no_organisation")]
    pub(crate) organisation: Option<String>,
    /// The person belongs to no organisation any more.
    #[arg(long)]
    pub(crate) no_organisation: bool,
    /// Fields to clear, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(crate) clear: Vec<ClearArg>,
}

/// An optional field `customer edit --clear` empties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ClearArg {
    Email,
    Phone,
    Contract,
    Address,
    Language,
}

/// Another help desk whose export `import --from` maps onto this desk's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ForeignDesk {
    /// django-helpdesk: the JSON fixture `manage.py dumpdata` writes.
    DjangoHelpdesk,
}
