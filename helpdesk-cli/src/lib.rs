//! The CLI's commands, kept apart from `main.rs` so that `tests/cli.rs` runs them in-process:
//! [`run`] takes the arguments, stdin, stdout and stderr, and returns the exit code.

mod output;
mod report;
mod seed;
mod transfer;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use helpdesk::Helpdesk;
use helpdesk::clock::Clock;
use helpdesk::domain::{
    Actor, Address, AgentId, Channel, ContractNumber, Customer, CustomerKind, Email, Language,
    MessageBody, Name, Phone, Priority, Resolution, Status, Subject, Ticket, TicketId, TicketType,
};
use helpdesk::machine::{Command, NewTicket};
use helpdesk::search::CustomerLookup;
use helpdesk::service::{
    AttachmentLimits, Ingested, MailSettings, NewCustomer, UnknownSenders, Upload,
};
use helpdesk::store::{AssigneeFilter, PageRequest, TicketFilter, TicketOrder};
use serde_json::{Value, json};

use output::Out;

/// What a command returns: nothing, or an error for stderr.
pub type CliResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The helpdesk at a terminal: tickets, customers, e-mail, jobs, import and export.
#[derive(Debug, Parser)]
#[command(name = "cli", version, about = "The helpdesk at a terminal", long_about = None)]
pub struct Cli {
    /// The database URL (a SQLite path, `sqlite://PATH`, `:memory:` or `postgres://…`);
    /// default: `HELPDESK_DATABASE_URL`, else `./helpdesk.db`.
    #[arg(long, global = true)]
    database: Option<String>,
    /// Who acts: `system` (default), `agent:EMAIL` or `customer:EMAIL`.
    #[arg(long = "as", global = true, default_value = "system")]
    as_: String,
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
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
    /// Customers: look them up, or add one.
    #[command(subcommand)]
    Customer(CustomerCmd),
    /// List the departments.
    Departments,
    /// List the agents.
    Agents,
    /// Take in one e-mail from stdin (a mail server's pipe).
    Ingest(IngestArgs),
    /// Run what is due now: SLA warnings and breaches, reminders, auto-close.
    RunDue {
        /// Run as if it were this instant (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
    },
    /// Export departments, agents, customers and tickets with their threads as JSON.
    Export {
        /// Write to this file instead of stdout.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Import departments, agents, customers and tickets from JSON (the export's format).
    Import {
        /// The file, or `-` for stdin.
        file: PathBuf,
    },
    /// A report over a date range, per department, agent, customer or type (supervisors and
    /// admins): a table, `--json`, or `--csv`.
    Report(ReportArgs),
    /// Load N synthetic tickets, with a progress bar on stderr.
    Seed {
        /// How many tickets.
        count: usize,
    },
}

#[derive(Debug, Args)]
struct CreateArgs {
    /// The customer's phone number.
    #[arg(long, group = "who")]
    phone: Option<String>,
    /// The customer's contract number.
    #[arg(long, group = "who")]
    contract: Option<String>,
    /// The customer's e-mail.
    #[arg(long, group = "who")]
    email: Option<String>,
    /// The department (by name); default: the first one.
    #[arg(long)]
    department: Option<String>,
    /// One line.
    #[arg(long)]
    subject: String,
    /// What the customer said.
    #[arg(long)]
    body: String,
    /// The importance asked for; the priority rules decide.
    #[arg(long)]
    priority: Option<Priority>,
    /// The ticket type (incident, question, consultation, feature_request, access_request).
    #[arg(long = "type")]
    ticket_type: Option<TicketType>,
    /// How it came in.
    #[arg(long, default_value = "phone")]
    channel: Channel,
    /// An internal ticket, with no customer (agents only).
    #[arg(long)]
    internal: bool,
    /// Attach a file (repeatable).
    #[arg(long = "attach")]
    attachments: Vec<PathBuf>,
}

#[derive(Debug, Args, Default)]
struct FilterArgs {
    /// Statuses, comma-separated (new, open, pending_customer, on_hold, resolved,
    /// closed:solved, ...).
    #[arg(long, value_delimiter = ',')]
    status: Vec<Status>,
    /// Department names, comma-separated.
    #[arg(long, value_delimiter = ',')]
    department: Vec<String>,
    /// The assignee's e-mail, or `none`.
    #[arg(long)]
    assignee: Option<String>,
    /// The customer's e-mail.
    #[arg(long)]
    customer: Option<String>,
    /// Priorities, comma-separated.
    #[arg(long, value_delimiter = ',')]
    priority: Vec<Priority>,
    /// The ticket type.
    #[arg(long = "type")]
    ticket_type: Option<TicketType>,
    /// Created at or after (RFC 3339).
    #[arg(long)]
    since: Option<DateTime<Utc>>,
    /// Created before (RFC 3339).
    #[arg(long)]
    until: Option<DateTime<Utc>>,
    /// At most this many tickets (1–200).
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

#[derive(Debug, Args)]
struct MessageArgs {
    /// The ticket's number or id.
    ticket: String,
    /// The text; `-` reads it from stdin.
    body: String,
    /// Attach a file (repeatable).
    #[arg(long = "attach")]
    attachments: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// The first day (YYYY-MM-DD) or instant (RFC 3339).
    #[arg(long)]
    from: String,
    /// The last day, included (YYYY-MM-DD), or the instant the range ends (RFC 3339).
    #[arg(long)]
    to: String,
    /// What the rows are.
    #[arg(long, value_enum, default_value = "department")]
    group: GroupArg,
    /// Only this department (by name).
    #[arg(long)]
    department: Option<String>,
    /// Print CSV (for spreadsheets) instead of the table (or JSON).
    #[arg(long)]
    csv: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum GroupArg {
    Department,
    Agent,
    Customer,
    Type,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Action {
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
enum ResolutionArg {
    Solved,
    Unsolved,
    Duplicate,
}

#[derive(Debug, Subcommand)]
enum CustomerCmd {
    /// Find customers: by contract number, else phone; an e-mail; or an address pattern with
    /// `%` for the gaps (`%Кольц%14%кв.15`).
    Find {
        /// What was typed; a `%` makes it an address pattern, an `@` an e-mail.
        query: String,
    },
    /// Add a customer.
    Add {
        /// The name.
        #[arg(long)]
        name: String,
        /// An organisation instead of an individual.
        #[arg(long)]
        organisation: bool,
        /// E-mail.
        #[arg(long)]
        email: Option<String>,
        /// Phone.
        #[arg(long)]
        phone: Option<String>,
        /// Contract number.
        #[arg(long)]
        contract: Option<String>,
        /// Postal address.
        #[arg(long)]
        address: Option<String>,
        /// Language (en, ro, ru, fa).
        #[arg(long)]
        language: Option<Language>,
    },
}

#[derive(Debug, Args)]
struct IngestArgs {
    /// The desk's own address (mail from it is never taken in).
    #[arg(long)]
    from: String,
    /// The department new tickets go to; default: the first one.
    #[arg(long)]
    department: Option<String>,
    /// Refuse mail from unknown senders instead of creating customers for them.
    #[arg(long)]
    reject_unknown: bool,
}

/// How a run is set up besides its arguments (the test sets a fixed clock).
#[derive(Clone, Default)]
pub struct Setup {
    /// The database when `--database` is not given; `None`: `HELPDESK_DATABASE_URL`, else
    /// `./helpdesk.db`.
    pub database: Option<String>,
    /// The clock; `None`: the system clock.
    pub clock: Option<Arc<dyn Clock>>,
}

/// stdin, stdout and stderr.
pub struct Io<'a> {
    /// Read by `ingest`, `import -` and bodies given as `-`.
    pub stdin: &'a mut dyn Read,
    /// Tables and JSON.
    pub stdout: &'a mut dyn Write,
    /// Errors and the progress bar.
    pub stderr: &'a mut dyn Write,
}

/// Runs the CLI with `args` (the program name first) and returns the exit code: 0, 1 for a
/// failed command, 2 for bad usage.
pub async fn run<I, T>(args: I, setup: &Setup, io: Io<'_>) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                io.stderr.write_all(text.as_bytes())
            } else {
                io.stdout.write_all(text.as_bytes())
            };
            return code;
        }
    };
    match execute(cli, setup, io.stdin, io.stdout, io.stderr).await {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: {e}");
            1
        }
    }
}

/// The database URL: `--database`, else the setup's, else `HELPDESK_DATABASE_URL`, else
/// `./helpdesk.db`.
fn database_url(cli: &Cli, setup: &Setup) -> String {
    if let Some(url) = cli.database.clone().or_else(|| setup.database.clone()) {
        return url;
    }
    match std::env::var(helpdesk::DATABASE_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => "helpdesk.db".to_owned(),
    }
}

/// The desk and who acts.
pub(crate) struct Ctx {
    desk: Helpdesk,
    actor: Actor,
    now: Box<dyn Fn() -> DateTime<Utc> + Send + Sync>,
}

async fn execute(
    cli: Cli,
    setup: &Setup,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> CliResult {
    let url = database_url(&cli, setup);
    let (store, blobs) = helpdesk::connect_with_blobs(&url).await?;
    let mut desk = Helpdesk::new(store).with_blobs(blobs, AttachmentLimits::default());
    let clock = setup.clock.clone();
    if let Some(clock) = &clock {
        desk = desk.with_clock(clock.clone());
    }
    let actor = resolve_actor(&desk, &cli.as_).await?;
    let ctx = Ctx {
        desk,
        actor,
        now: Box::new(move || clock.as_ref().map_or_else(Utc::now, |c| c.now())),
    };
    let mut out = Out::new(stdout, cli.json);
    match cli.command {
        Cmd::Create(args) => create(&ctx, args, &mut out).await,
        Cmd::List(filter) => list(&ctx, None, filter, &mut out).await,
        Cmd::Search { query, filter } => list(&ctx, Some(query), filter, &mut out).await,
        Cmd::Show { ticket } => show(&ctx, &ticket, &mut out).await,
        Cmd::Reply(args) => message(&ctx, args, false, stdin, &mut out).await,
        Cmd::Note(args) => message(&ctx, args, true, stdin, &mut out).await,
        Cmd::Assign { ticket, agent } => assign(&ctx, &ticket, &agent, &mut out).await,
        Cmd::Transition {
            ticket,
            action,
            body,
            resolution,
        } => transition(&ctx, &ticket, action, body, resolution, &mut out).await,
        Cmd::Customer(CustomerCmd::Find { query }) => find_customers(&ctx, &query, &mut out).await,
        Cmd::Customer(CustomerCmd::Add {
            name,
            organisation,
            email,
            phone,
            contract,
            address,
            language,
        }) => {
            let kind = if organisation {
                CustomerKind::Organisation
            } else {
                CustomerKind::Individual
            };
            let mut new = NewCustomer::new(kind, Name::parse(&name)?);
            if let Some(e) = email {
                new = new.with_email(Email::parse(&e)?);
            }
            if let Some(p) = phone {
                new = new.with_phone(Phone::parse(&p)?);
            }
            if let Some(c) = contract {
                new = new.with_contract_number(ContractNumber::parse(&c)?);
            }
            if let Some(a) = address {
                new = new.with_address(Address::parse(&a)?);
            }
            if let Some(l) = language {
                new = new.with_language(l);
            }
            let customer = ctx.desk.create_customer(ctx.actor, new).await?;
            out.customers(&[customer])
        }
        Cmd::Departments => {
            let departments = ctx.desk.departments(ctx.actor).await?;
            out.departments(&departments)
        }
        Cmd::Agents => {
            let agents = ctx.desk.agents(ctx.actor).await?;
            let departments = ctx.desk.departments(Actor::System).await?;
            out.agents(&agents, &departments)
        }
        Cmd::Ingest(args) => ingest(ctx, args, stdin, &mut out).await,
        Cmd::RunDue { at } => {
            let at = at.unwrap_or_else(|| (ctx.now)());
            let report = ctx.desk.run_due(at).await?;
            out.value(
                &json!({"tickets": report.tickets, "events": report.events, "skipped": report.skipped}),
                &format!(
                    "{} events on {} tickets ({} skipped)\n",
                    report.events, report.tickets, report.skipped
                ),
            )
        }
        Cmd::Export { out: file } => {
            let doc = transfer::export(&ctx).await?;
            let text = serde_json::to_string_pretty(&doc)? + "\n";
            match file {
                Some(path) => std::fs::write(path, text)?,
                None => out.raw(&text)?,
            }
            Ok(())
        }
        Cmd::Import { file } => {
            let mut text = String::new();
            if file.as_os_str() == "-" {
                stdin.read_to_string(&mut text)?;
            } else {
                text = std::fs::read_to_string(&file)?;
            }
            let report = transfer::import(&ctx, &text).await?;
            out.value(&serde_json::to_value(&report)?, &report.to_string())
        }
        Cmd::Report(args) => report::report(&ctx, args, &mut out).await,
        Cmd::Seed { count } => {
            let report = seed::seed(&ctx, count, stderr).await?;
            out.value(
                &json!({"tickets": report}),
                &format!("loaded {report} tickets\n"),
            )
        }
    }
}

/// `system`, `agent:EMAIL` or `customer:EMAIL`.
async fn resolve_actor(desk: &Helpdesk, raw: &str) -> CliResult<Actor> {
    let raw = raw.trim();
    if raw == "system" {
        return Ok(Actor::System);
    }
    if let Some(email) = raw.strip_prefix("agent:") {
        return Ok(Actor::Agent(agent_by_email(desk, email).await?));
    }
    if let Some(email) = raw.strip_prefix("customer:") {
        return Ok(Actor::Customer(customer_by_email(desk, email).await?.id));
    }
    Err(format!("--as takes system, agent:EMAIL or customer:EMAIL, not {raw:?}").into())
}

async fn agent_by_email(desk: &Helpdesk, email: &str) -> CliResult<AgentId> {
    let email = Email::parse(email)?;
    desk.agents(Actor::System)
        .await?
        .into_iter()
        .find(|a| a.email == email)
        .map(|a| a.id)
        .ok_or_else(|| format!("no agent with the e-mail {email}").into())
}

async fn customer_by_email(desk: &Helpdesk, email: &str) -> CliResult<Customer> {
    let lookup = CustomerLookup::Email(Email::parse(email)?);
    desk.find_customers(Actor::System, &lookup)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| format!("no customer with the e-mail {email}").into())
}

async fn department_id(
    desk: &Helpdesk,
    name: Option<&str>,
) -> CliResult<helpdesk::domain::DepartmentId> {
    let departments = desk.departments(Actor::System).await?;
    let found = match name {
        Some(name) => departments
            .iter()
            .find(|d| d.name.as_str().eq_ignore_ascii_case(name.trim())),
        // The oldest (ids are time-ordered, for departments made in the same instant).
        None => departments
            .iter()
            .min_by_key(|d| (d.created_at, d.id.as_uuid())),
    };
    match (found, name) {
        (Some(d), _) => Ok(d.id),
        (None, Some(name)) => Err(format!("no department named {name:?}").into()),
        (None, None) => Err("there are no departments yet: import some first".into()),
    }
}

/// A ticket by id, full or short number.
async fn find_ticket(ctx: &Ctx, key: &str) -> CliResult<Ticket> {
    if let Ok(id) = key.trim().parse::<TicketId>() {
        return Ok(ctx.desk.ticket(ctx.actor, id).await?);
    }
    Ok(ctx.desk.ticket_by_number(ctx.actor, key).await?)
}

fn read_uploads(paths: &[PathBuf]) -> CliResult<Vec<Upload>> {
    paths
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "file".to_owned());
            Ok(Upload {
                content_type: content_type(&file_name).to_owned(),
                file_name,
                bytes,
            })
        })
        .collect()
}

/// A content type from a file's extension.
fn content_type(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "log" => "text/plain",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "json" => "application/json",
        "eml" => "message/rfc822",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

async fn create(ctx: &Ctx, args: CreateArgs, out: &mut Out<'_>) -> CliResult {
    let lookup = if let Some(p) = &args.phone {
        Some(CustomerLookup::phone(p)?)
    } else if let Some(c) = &args.contract {
        Some(CustomerLookup::ContractNumber(ContractNumber::parse(c)?))
    } else if let Some(e) = &args.email {
        Some(CustomerLookup::Email(Email::parse(e)?))
    } else {
        None
    };
    let customer = match lookup {
        Some(lookup) => {
            let found = ctx.desk.find_customers(ctx.actor, &lookup).await?;
            match found.as_slice() {
                [one] => Some(one.id),
                [] => return Err("no customer matches: add one with `customer add`".into()),
                many => {
                    return Err(format!(
                        "{} customers match; give the contract number instead",
                        many.len()
                    )
                    .into());
                }
            }
        }
        None if args.internal => None,
        None => return Err("name the customer: --phone, --contract or --email".into()),
    };
    let department = department_id(&ctx.desk, args.department.as_deref()).await?;
    let mut new = NewTicket::new(
        Subject::parse(&args.subject)?,
        MessageBody::parse(&args.body)?,
        department,
    );
    new.customer = customer;
    new.priority = args.priority;
    if let Some(t) = args.ticket_type {
        new.ticket_type = t;
    }
    new.channel = args.channel;
    new.internal = args.internal;
    let uploads = read_uploads(&args.attachments)?;
    let ticket = if uploads.is_empty() {
        ctx.desk.open_ticket(ctx.actor, new).await?
    } else {
        ctx.desk
            .open_ticket_with_uploads(ctx.actor, new, uploads)
            .await?
    };
    out.created(&ticket)
}

async fn filter_of(ctx: &Ctx, args: &FilterArgs) -> CliResult<TicketFilter> {
    let mut filter = TicketFilter::default();
    if !args.status.is_empty() {
        filter.statuses = Some(args.status.clone());
    }
    if !args.department.is_empty() {
        let mut ids = Vec::new();
        for name in &args.department {
            ids.push(department_id(&ctx.desk, Some(name)).await?);
        }
        filter.departments = Some(ids);
    }
    if let Some(a) = &args.assignee {
        filter.assignee = Some(if a == "none" {
            AssigneeFilter::Unassigned
        } else {
            AssigneeFilter::Agent(agent_by_email(&ctx.desk, a).await?)
        });
    }
    if let Some(c) = &args.customer {
        filter.customer = Some(customer_by_email(&ctx.desk, c).await?.id);
    }
    if !args.priority.is_empty() {
        filter.priorities = Some(args.priority.clone());
    }
    filter.ticket_type = args.ticket_type.clone();
    filter.created.from = args.since;
    filter.created.to = args.until;
    Ok(filter)
}

async fn list(ctx: &Ctx, query: Option<String>, args: FilterArgs, out: &mut Out<'_>) -> CliResult {
    let filter = filter_of(ctx, &args).await?;
    let tickets = match query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => {
            let page = PageRequest::first(TicketOrder::Relevance, args.limit);
            ctx.desk.search_tickets(ctx.actor, q, filter, page).await?
        }
        None => {
            let page = PageRequest::first(TicketOrder::LastUpdate, args.limit);
            ctx.desk.list_tickets(ctx.actor, filter, page).await?
        }
    };
    let names = output::Names::load(&ctx.desk)
        .await?
        .with_customers(&ctx.desk, &tickets.items)
        .await;
    out.tickets(&tickets.items, &names)
}

async fn show(ctx: &Ctx, key: &str, out: &mut Out<'_>) -> CliResult {
    let ticket = find_ticket(ctx, key).await?;
    let thread = ctx.desk.thread(ctx.actor, ticket.id).await?;
    let history = ctx.desk.history(ctx.actor, ticket.id).await?;
    let names = output::Names::load(&ctx.desk)
        .await?
        .with_customers(&ctx.desk, std::slice::from_ref(&ticket))
        .await;
    if out.json {
        return out.json_value(&json!({
            "ticket": ticket,
            "messages": thread,
            "history": history,
        }));
    }
    let history_text = ctx
        .desk
        .history_text(ctx.actor, ticket.id, Language::English)
        .await?;
    out.ticket(&ticket, &thread, &history_text, &names)
}

async fn read_body(raw: &str, stdin: &mut dyn Read) -> CliResult<MessageBody> {
    if raw == "-" {
        let mut text = String::new();
        stdin.read_to_string(&mut text)?;
        return Ok(MessageBody::parse(text.trim_end())?);
    }
    Ok(MessageBody::parse(raw)?)
}

async fn message(
    ctx: &Ctx,
    args: MessageArgs,
    internal: bool,
    stdin: &mut dyn Read,
    out: &mut Out<'_>,
) -> CliResult {
    let ticket = find_ticket(ctx, &args.ticket).await?;
    let body = read_body(&args.body, stdin).await?;
    let command = if internal {
        Command::AddNote {
            body,
            attachments: vec![],
        }
    } else {
        Command::Reply {
            body,
            attachments: vec![],
        }
    };
    let uploads = read_uploads(&args.attachments)?;
    let outcome = if uploads.is_empty() {
        ctx.desk.execute(ctx.actor, ticket.id, command).await?
    } else {
        ctx.desk
            .execute_with_uploads(ctx.actor, ticket.id, command, uploads, Default::default())
            .await?
    };
    out.changed(outcome.ticket(), if internal { "noted" } else { "replied" })
}

async fn assign(ctx: &Ctx, key: &str, agent: &str, out: &mut Out<'_>) -> CliResult {
    let ticket = find_ticket(ctx, key).await?;
    let agent = if agent == "none" {
        None
    } else {
        Some(agent_by_email(&ctx.desk, agent).await?)
    };
    let outcome = ctx
        .desk
        .execute(ctx.actor, ticket.id, Command::Assign { agent })
        .await?;
    out.changed(outcome.ticket(), "assigned")
}

async fn transition(
    ctx: &Ctx,
    key: &str,
    action: Action,
    body: Option<String>,
    resolution: ResolutionArg,
    out: &mut Out<'_>,
) -> CliResult {
    let ticket = find_ticket(ctx, key).await?;
    let body = body.as_deref().map(MessageBody::parse).transpose()?;
    let command = match action {
        Action::Ask => Command::AskCustomer {
            body: body.ok_or("ask needs --body: the question for the customer")?,
            until: None,
        },
        Action::Hold => Command::PutOnHold {
            reason: body,
            until: None,
        },
        Action::Resolve => Command::Resolve { body },
        Action::Confirm => Command::ConfirmResolution,
        Action::Close => Command::Close {
            resolution: match resolution {
                ResolutionArg::Solved => Resolution::Solved,
                ResolutionArg::Unsolved => Resolution::Unsolved,
                ResolutionArg::Duplicate => Resolution::Duplicate,
            },
        },
        Action::Reopen => Command::Reopen,
    };
    let outcome = ctx.desk.execute(ctx.actor, ticket.id, command).await?;
    out.changed(outcome.ticket(), outcome.ticket().status.as_str())
}

async fn find_customers(ctx: &Ctx, query: &str, out: &mut Out<'_>) -> CliResult {
    let query = query.trim();
    let found = if query.contains('%') {
        let lookup = CustomerLookup::address(query)?;
        ctx.desk.find_customers(ctx.actor, &lookup).await?
    } else if query.contains('@') {
        let lookup = CustomerLookup::Email(Email::parse(query)?);
        ctx.desk.find_customers(ctx.actor, &lookup).await?
    } else {
        // The contract number first, else the phone (seed 004).
        let by_contract = CustomerLookup::ContractNumber(ContractNumber::parse(query)?);
        let found = ctx.desk.find_customers(ctx.actor, &by_contract).await?;
        if found.is_empty() {
            match CustomerLookup::phone(query) {
                Ok(lookup) => ctx.desk.find_customers(ctx.actor, &lookup).await?,
                Err(_) => found,
            }
        } else {
            found
        }
    };
    out.customers(&found)
}

async fn ingest(ctx: Ctx, args: IngestArgs, stdin: &mut dyn Read, out: &mut Out<'_>) -> CliResult {
    let department = department_id(&ctx.desk, args.department.as_deref()).await?;
    let mut settings = MailSettings::new(Email::parse(&args.from)?, department);
    if args.reject_unknown {
        settings = settings.with_unknown_senders(UnknownSenders::Reject);
    }
    let desk = ctx.desk.with_mail(settings);
    let mut raw = Vec::new();
    stdin.read_to_end(&mut raw)?;
    let (outcome, ticket): (&str, Option<&Ticket>);
    let ingested = desk.ingest_email(&raw).await?;
    let mut detail = Value::Null;
    match &ingested {
        Ingested::Opened(t) => (outcome, ticket) = ("opened", Some(t)),
        Ingested::Appended(t) => (outcome, ticket) = ("appended", Some(t)),
        Ingested::Duplicate(id) => {
            (outcome, ticket) = ("duplicate", None);
            detail = json!(id);
        }
        Ingested::Ignored(why) => {
            (outcome, ticket) = ("ignored", None);
            detail = json!(format!("{why:?}"));
        }
        Ingested::Rejected(why) => {
            (outcome, ticket) = ("rejected", None);
            detail = json!(format!("{why:?}"));
        }
        _ => (outcome, ticket) = ("other", None),
    }
    let human = match ticket {
        Some(t) => format!("{outcome} {} {}\n", t.number, t.subject),
        None => format!("{outcome} {}\n", detail.as_str().unwrap_or_default()),
    };
    out.value(
        &json!({"outcome": outcome, "ticket": ticket, "detail": detail}),
        &human,
    )
}
