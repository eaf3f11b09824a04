//! The admin commands' arguments (clap): departments, agents, logins, calendars, SLA
//! policies, attachment limits, templates, canned responses, the knowledge base and the
//! settings' audit trail.

use clap::{Args, Subcommand};
use helpdesk::domain::{
    ArticleId, ArticleStatus, CannedResponseId, CustomerKind, FollowUpPolicy, Language, Priority,
    Role, TemplateId, TicketType, Visibility,
};

#[derive(Debug, Subcommand)]
pub(crate) enum DepartmentCmd {
    /// List the departments.
    List,
    /// Add a department.
    Add {
        /// Its name.
        name: String,
        /// What a customer's message on a closed ticket does (reopen, reject, new_ticket).
        #[arg(long, default_value = "reopen")]
        follow_up: FollowUpPolicy,
    },
    /// Rename a department, change its follow-up policy or calendar, or (de)activate it.
    Edit {
        /// Its name now.
        name: String,
        /// Its new name.
        #[arg(long)]
        rename: Option<String>,
        /// Its follow-up policy (reopen, reject, new_ticket).
        #[arg(long)]
        follow_up: Option<FollowUpPolicy>,
        /// The business-hours calendar it works on, or `none` for the desk's default.
        #[arg(long)]
        calendar: Option<String>,
        /// Deactivate it (customers no longer see it).
        #[arg(long, conflicts_with = "enable")]
        disable: bool,
        /// Activate it again.
        #[arg(long)]
        enable: bool,
    },
    /// Give a department a mail address of its own (mail to it becomes a ticket there; its
    /// answers go out from it), or `none` to remove it.
    MailAddress {
        /// The department's name.
        name: String,
        /// The address, or `none`.
        address: String,
        /// List mail to the address: take_in or ignore.
        #[arg(long, default_value = "take_in")]
        list_mail: helpdesk::service::ListMail,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AgentCmd {
    /// List the agents.
    List,
    /// Add an agent, with a login when `--login` is given (the password read from stdin).
    Add(AgentAddArgs),
    /// Change an agent's role or departments.
    Edit {
        /// The agent's e-mail.
        email: String,
        /// The new role.
        #[arg(long)]
        role: Option<Role>,
        /// The departments (by name, comma-separated) they work in, with the standard
        /// permissions.
        #[arg(long, value_delimiter = ',')]
        department: Option<Vec<String>>,
    },
    /// Give an agent a login, or change it (the password read from stdin).
    Login(LoginArgs),
    /// Disable an agent: they can no longer sign in or act; their sessions and tokens are
    /// revoked.
    Disable {
        /// The agent's e-mail.
        email: String,
    },
    /// Invite an agent: a one-time link (7 days) to choose the password of a new login.
    Invite {
        /// The agent's e-mail.
        email: String,
        /// The login name (default: the e-mail).
        #[arg(long)]
        login: Option<String>,
    },
    /// A one-time password-reset link (1 hour) for an agent's login.
    ResetLink {
        /// The agent's e-mail.
        email: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct AgentAddArgs {
    /// The name.
    #[arg(long)]
    pub(crate) name: String,
    /// The e-mail.
    #[arg(long)]
    pub(crate) email: String,
    /// The role (agent, supervisor, admin).
    #[arg(long, default_value = "agent")]
    pub(crate) role: Role,
    /// The departments (by name, comma-separated), with the standard permissions.
    #[arg(long, value_delimiter = ',')]
    pub(crate) department: Vec<String>,
    /// A login name; the password is read from the first line of stdin.
    #[arg(long)]
    pub(crate) login: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    /// The person's e-mail.
    pub(crate) email: String,
    /// The login name; the password is read from the first line of stdin.
    #[arg(long)]
    pub(crate) login: String,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CalendarCmd {
    /// List the business-hours calendars and which departments use them.
    List,
    /// Add a calendar or replace the one of that name.
    Set {
        /// Its name.
        name: String,
        /// An IANA time zone, e.g. Europe/Bucharest.
        #[arg(long)]
        zone: String,
        /// Weekly hours, repeatable: `mon-fri 09:00-18:00`, `sat 10:00-14:00`.
        #[arg(long = "hours", required = true)]
        hours: Vec<String>,
        /// A one-off holiday (YYYY-MM-DD), repeatable.
        #[arg(long = "holiday")]
        holidays: Vec<chrono::NaiveDate>,
        /// A holiday every year (MM-DD), repeatable.
        #[arg(long = "yearly-holiday")]
        yearly_holidays: Vec<String>,
    },
    /// Remove a calendar nothing uses.
    Remove {
        /// Its name.
        name: String,
    },
    /// The calendar of departments without their own, or `none` (open around the clock).
    Default {
        /// Its name, or `none`.
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SlaCmd {
    /// List the SLA policies in the order they match.
    List,
    /// Add an SLA policy after the others, or replace the one of that name.
    Set(SlaSetArgs),
    /// Remove an SLA policy.
    Remove {
        /// Its name.
        name: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct SlaSetArgs {
    /// Its name.
    pub(crate) name: String,
    /// Tickets of these priorities (comma-separated; none: any).
    #[arg(long, value_delimiter = ',')]
    pub(crate) priority: Vec<Priority>,
    /// In these departments (names, comma-separated; none: any).
    #[arg(long, value_delimiter = ',')]
    pub(crate) department: Vec<String>,
    /// Of these types (comma-separated; none: any).
    #[arg(long = "type", value_delimiter = ',')]
    pub(crate) ticket_type: Vec<TicketType>,
    /// For these kinds of customer (individual, organisation; none: any).
    #[arg(long, value_delimiter = ',')]
    pub(crate) customer_kind: Vec<CustomerKind>,
    /// For the tickets of these organisations and their members (ids or e-mails,
    /// comma-separated; none: any).
    #[arg(long, value_delimiter = ',')]
    pub(crate) organisation: Vec<String>,
    /// Business minutes to the first public reply.
    #[arg(long)]
    pub(crate) first_response: Option<u32>,
    /// Business minutes from a customer message to the next public reply.
    #[arg(long)]
    pub(crate) next_response: Option<u32>,
    /// Business minutes to the solution.
    #[arg(long)]
    pub(crate) resolution: Option<u32>,
    /// The calendar its clocks run on (default: the ticket's department's).
    #[arg(long)]
    pub(crate) calendar: Option<String>,
    /// Warn when this share of a target is spent (1–99; default 80).
    #[arg(long)]
    pub(crate) warn_percent: Option<u8>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LimitsCmd {
    /// Show the stored attachment limits.
    Show,
    /// Set the limits of a department, or the desk's default without `--department`.
    Set {
        /// The department (by name); none: the desk's default.
        #[arg(long)]
        department: Option<String>,
        /// The largest file, in bytes.
        #[arg(long, default_value_t = 10 * 1024 * 1024)]
        max_size: u64,
        /// The most files on one message.
        #[arg(long, default_value_t = 5)]
        max_files: usize,
        /// The most files on one ticket, all messages together.
        #[arg(long)]
        max_per_ticket: Option<usize>,
        /// The most bytes of files on one ticket, all messages together.
        #[arg(long)]
        max_bytes_per_ticket: Option<u64>,
        /// The content types accepted (comma-separated; `image/*` for a family); default:
        /// the desk's usual list.
        #[arg(long, value_delimiter = ',')]
        types: Vec<String>,
    },
    /// Remove a department's limits (or the default's).
    Unset {
        /// The department (by name); none: the desk's default.
        #[arg(long)]
        department: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum TemplateCmd {
    /// List the ticket templates.
    List,
    /// Add a ticket template.
    Add {
        /// Its name.
        #[arg(long)]
        name: String,
        /// The department its tickets go to (by name).
        #[arg(long)]
        department: String,
        /// The ticket type.
        #[arg(long = "type", default_value = "question")]
        ticket_type: TicketType,
        /// Put before the subject.
        #[arg(long)]
        subject_prefix: Option<String>,
        /// The priority asked for.
        #[arg(long)]
        priority: Option<Priority>,
        /// The text an operator starts from.
        #[arg(long)]
        body: String,
    },
    /// Change a ticket template; what is left out stays (admins).
    Edit {
        /// Its id.
        template: TemplateId,
        /// Its name.
        #[arg(long)]
        name: Option<String>,
        /// The department its tickets go to (by name).
        #[arg(long)]
        department: Option<String>,
        /// The ticket type.
        #[arg(long = "type")]
        ticket_type: Option<TicketType>,
        /// Put before the subject; empty: nothing.
        #[arg(long)]
        subject_prefix: Option<String>,
        /// The priority asked for.
        #[arg(long, conflicts_with = "no_priority")]
        priority: Option<Priority>,
        /// Ask for no priority (the desk's rules decide).
        #[arg(long)]
        no_priority: bool,
        /// The text an operator starts from.
        #[arg(long)]
        body: Option<String>,
    },
    /// Delete a ticket template; tickets opened from it keep what they have (admins).
    Delete {
        /// Its id.
        template: TemplateId,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CannedCmd {
    /// List the canned responses (of a department and language).
    List {
        /// The department (by name).
        #[arg(long)]
        department: Option<String>,
        /// The language (en, ro, ru, fa).
        #[arg(long)]
        language: Option<Language>,
    },
    /// Add a canned response; placeholders: {{customer_name}}, {{ticket_number}},
    /// {{agent_name}}, {{ticket_link}}.
    Add {
        /// Its name.
        #[arg(long)]
        name: String,
        /// Its language (en, ro, ru, fa).
        #[arg(long)]
        language: Language,
        /// A department it belongs to (by name); none: every department.
        #[arg(long)]
        department: Option<String>,
        /// The text.
        #[arg(long)]
        body: String,
    },
    /// Change a canned response; what is left out stays.
    Edit {
        /// Its id.
        canned: CannedResponseId,
        /// Its name.
        #[arg(long)]
        name: Option<String>,
        /// Its language (en, ro, ru, fa).
        #[arg(long)]
        language: Option<Language>,
        /// The department it belongs to (by name).
        #[arg(long, conflicts_with = "all_departments")]
        department: Option<String>,
        /// For every department.
        #[arg(long)]
        all_departments: bool,
        /// The text.
        #[arg(long)]
        body: Option<String>,
    },
    /// Delete a canned response.
    Delete {
        /// Its id.
        canned: CannedResponseId,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum KbCmd {
    /// Search the articles.
    Search {
        /// The words searched for (the search language: "phrases", prefix*, -not).
        query: String,
        /// Only articles in this language (en, ro, ru, fa).
        #[arg(long, conflicts_with = "prefer")]
        lang: Option<Language>,
        /// Articles in this language first (best first), then those in the others (en, ro,
        /// ru, fa).
        #[arg(long)]
        prefer: Option<Language>,
        /// At most this many (1–100).
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// List every article (drafts and internal ones too), most recently updated first
    /// (agents).
    List {
        /// Only those in this category.
        #[arg(long)]
        category: Option<String>,
        /// At most this many (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Show an article.
    Show {
        /// Its id.
        article: ArticleId,
    },
    /// Write an article (agents), in a stored category.
    Add {
        /// Its title.
        #[arg(long)]
        title: String,
        /// Its text.
        #[arg(long)]
        body: String,
        /// Its category (a stored one: `kb category list`).
        #[arg(long)]
        category: String,
        /// Its language (en, ro, ru, fa).
        #[arg(long)]
        language: Language,
        /// draft or published.
        #[arg(long, default_value = "published")]
        status: ArticleStatus,
        /// public or internal.
        #[arg(long, default_value = "public")]
        visibility: Visibility,
    },
    /// Rewrite an article; what is left out stays, its votes too (agents).
    Edit {
        /// Its id.
        article: ArticleId,
        /// Its title.
        #[arg(long)]
        title: Option<String>,
        /// Its text.
        #[arg(long)]
        body: Option<String>,
        /// Its category (a stored one).
        #[arg(long)]
        category: Option<String>,
        /// Its language (en, ro, ru, fa).
        #[arg(long)]
        language: Option<Language>,
        /// draft or published.
        #[arg(long)]
        status: Option<ArticleStatus>,
        /// public or internal.
        #[arg(long)]
        visibility: Option<Visibility>,
    },
    /// Delete an article with its votes (agents).
    Delete {
        /// Its id.
        article: ArticleId,
    },
    /// The categories articles are filed in (admins add, rename and delete them).
    #[command(subcommand)]
    Category(KbCategoryCmd),
}

#[derive(Debug, Subcommand)]
pub(crate) enum KbCategoryCmd {
    /// List the categories.
    List,
    /// Add a category.
    Add {
        /// Its name.
        name: String,
    },
    /// Rename a category; its articles move with it.
    Rename {
        /// Its name now.
        from: String,
        /// Its new name.
        to: String,
    },
    /// Delete a category no article is filed in.
    Delete {
        /// Its name.
        name: String,
    },
}
