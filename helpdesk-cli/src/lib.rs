//! The helpdesk at a terminal: what an operator does, on the same database as the server
//! (`--database URL`, else `HELPDESK_DATABASE_URL`, else `./helpdesk.db`).
//!
//! [`run`] takes the arguments, stdin, stdout and stderr and returns the exit code; the
//! `helpdesk-cli` binary calls it with the process's, tests with their own. Every command
//! acts through one principal, made once from `--as` (`system`, `agent:EMAIL` or
//! `customer:EMAIL`); tickets are named as people type them (an id, or a full or short
//! number, see [`TicketKey`](helpdesk::domain::TicketKey)).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod admin;
mod admin_args;
mod args;
mod automation;
mod changes;
mod content;
mod context;
mod customers;
mod desk_export;
mod erasure;
mod exit;
mod feedback_offers;
mod fetch_mail;
mod followers;
mod foreign_import;
mod jobs;
mod kb;
mod links;
mod listing;
mod mail;
mod mail_settings;
mod mailboxes;
mod notification_prefs;
mod notifications;
mod organisations;
mod output;
mod person_settings;
mod priority_rules;
mod quarantine;
mod report;
mod seed;
mod settings;
mod tags;
mod ticket_links;
mod tickets;
mod transfer;
mod undeliverable;
mod webhooks;

use std::io::{Read, Write};
use std::sync::Arc;

use clap::Parser;
use helpdesk::clock::Clock;
use serde_json::json;

use args::{Cli, Cmd, CustomerCmd, SettingsCmd};
use context::Ctx;
pub use exit::Exit;
use exit::Failure;
use output::Out;

/// What a command returns: nothing, or an error for stderr.
pub type CliResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

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

/// Runs the CLI with `args` (the program name first) and returns the exit code, by meaning
/// (see [`Exit`]; listed at the end of `--help`). A failure is printed on stderr as one line
/// with its causes (the database path, the SQL state, the operating system's error).
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
    let ingest = matches!(cli.command, Cmd::Ingest(_));
    let fetch = matches!(cli.command, Cmd::FetchMail(_));
    // On the heap: the state of the longest command is large, and a caller's stack (a test
    // thread's 2 MiB) should not have to hold it.
    match Box::pin(execute(cli, setup, io.stdin, io.stdout, io.stderr)).await {
        Ok(()) => 0,
        Err(e) => {
            let e: &(dyn std::error::Error + 'static) = &*e;
            let _ = io.stderr.write_all(exit::line(e).as_bytes());
            if ingest {
                exit::ingest_exit_for(e) as i32
            } else if fetch {
                exit::fetch_exit_for(e) as i32
            } else {
                exit::exit_for(e) as i32
            }
        }
    }
}

async fn execute(
    cli: Cli,
    setup: &Setup,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> CliResult {
    let ctx = Ctx::open(&cli, setup).await?;
    let customer = ctx.acting.principal().customer().is_some();
    let mut out = Out::new(stdout, cli.json).for_customer(customer);
    match cli.command {
        Cmd::Create(args) => tickets::create(&ctx, args, &mut out).await,
        Cmd::List(filter) => tickets::list(&ctx, None, filter, &mut out).await,
        Cmd::Search { query, filter } => tickets::list(&ctx, Some(query), filter, &mut out).await,
        Cmd::Show {
            ticket,
            messages,
            before,
        } => tickets::show(&ctx, &ticket, (before, messages), &mut out).await,
        Cmd::Reply(args) => tickets::message(&ctx, args, false, stdin, &mut out).await,
        Cmd::Note(args) => tickets::message(&ctx, args, true, stdin, &mut out).await,
        Cmd::Assign { ticket, agent } => tickets::assign(&ctx, &ticket, &agent, &mut out).await,
        Cmd::LogTime(args) => tickets::log_time(&ctx, args, &mut out).await,
        Cmd::Time { ticket } => tickets::time(&ctx, &ticket, &mut out).await,
        Cmd::Transition {
            ticket,
            action,
            body,
            resolution,
        } => tickets::transition(&ctx, &ticket, action, body, resolution, &mut out).await,
        Cmd::Merge { source, target } => {
            ticket_links::merge(&ctx, &source, &target, &mut out).await
        }
        Cmd::Split {
            ticket,
            messages,
            subject,
        } => ticket_links::split(&ctx, &ticket, messages, subject, &mut out).await,
        Cmd::Linked { master } => ticket_links::linked(&ctx, &master, &mut out).await,
        Cmd::Customer(CustomerCmd::Find { query }) => customers::find(&ctx, &query, &mut out).await,
        Cmd::Customer(CustomerCmd::Add(args)) => customers::add(&ctx, args, &mut out).await,
        Cmd::Customer(CustomerCmd::List(args)) => customers::list(&ctx, args, &mut out).await,
        Cmd::Customer(CustomerCmd::Edit(args)) => customers::edit(&ctx, args, &mut out).await,
        Cmd::Customer(CustomerCmd::Login(args)) => {
            let customer = ctx.customer_by_email(&args.email).await?;
            let actor = helpdesk::domain::Actor::Customer(customer.id);
            admin::login(&ctx, actor, args, stdin, &mut out).await
        }
        Cmd::Customer(CustomerCmd::Disable { email }) => {
            admin::customer_access(&ctx, &email, false, &mut out).await
        }
        Cmd::Customer(CustomerCmd::Enable { email }) => {
            admin::customer_access(&ctx, &email, true, &mut out).await
        }
        Cmd::Customer(CustomerCmd::Invite { email, login }) => {
            let customer = ctx.customer_by_email(&email).await?;
            let actor = helpdesk::domain::Actor::Customer(customer.id);
            links::invite(&ctx, actor, login, &mut out).await
        }
        Cmd::Customer(CustomerCmd::Domains { organisation, set }) => {
            organisations::domains(&ctx, &organisation, set, &mut out).await
        }
        Cmd::Customer(CustomerCmd::Erase {
            customer,
            anonymise,
        }) => erasure::erase(&ctx, &customer, anonymise, &mut out).await,
        Cmd::Customer(CustomerCmd::Retention {
            closed_days,
            mode,
            off,
        }) => erasure::retention(&ctx, closed_days, mode.as_deref(), off, &mut out).await,
        Cmd::Customer(CustomerCmd::Erasures { limit }) => {
            erasure::erasures(&ctx, limit, &mut out).await
        }
        Cmd::Customer(CustomerCmd::OrganisationTickets { customer, set }) => {
            organisations::organisation_tickets(&ctx, &customer, set.as_deref(), &mut out).await
        }
        Cmd::Customer(CustomerCmd::ResetLink { email }) => {
            let customer = ctx.customer_by_email(&email).await?;
            let actor = helpdesk::domain::Actor::Customer(customer.id);
            links::reset_link(&ctx, actor, &mut out).await
        }
        Cmd::SetPassword { token } => links::set_password(&ctx, &token, stdin, &mut out).await,
        Cmd::Department(cmd) => admin::department(&ctx, cmd, &mut out).await,
        Cmd::Agent(cmd) => admin::agent(&ctx, cmd, stdin, &mut out).await,
        Cmd::Calendar(cmd) => admin::calendar(&ctx, cmd, &mut out).await,
        Cmd::Sla(cmd) => admin::sla(&ctx, cmd, &mut out).await,
        Cmd::Limits(cmd) => admin::limits(&ctx, cmd, &mut out).await,
        Cmd::MailSettings(cmd) => mail_settings::mail_settings(&ctx, cmd, &mut out).await,
        Cmd::Mailbox(cmd) => mailboxes::mailbox(&ctx, cmd, stdin, &mut out).await,
        Cmd::Quarantine(cmd) => quarantine::quarantine(&ctx, cmd, &mut out).await,
        Cmd::Undeliverable(cmd) => undeliverable::undeliverable(&ctx, cmd, &mut out).await,
        Cmd::Template(cmd) => content::template(&ctx, cmd, &mut out).await,
        Cmd::Canned(cmd) => content::canned(&ctx, cmd, &mut out).await,
        Cmd::Kb(cmd) => kb::kb(&ctx, cmd, &mut out).await,
        Cmd::Audit { limit } => admin::audit(&ctx, limit, &mut out).await,
        Cmd::Tag(cmd) => tags::tag(&ctx, cmd, &mut out).await,
        Cmd::NotificationPrefs(cmd) => {
            notification_prefs::notification_prefs(&ctx, cmd, &mut out).await
        }
        Cmd::Cc(cmd) => followers::cc(&ctx, cmd, &mut out).await,
        Cmd::Follow(cmd) => followers::follow(&ctx, cmd, &mut out).await,
        Cmd::Notifications(cmd) => notifications::notifications(&ctx, cmd, &mut out).await,
        Cmd::PriorityRule(cmd) => priority_rules::priority_rule(&ctx, cmd, &mut out).await,
        Cmd::Rule(cmd) => automation::rule(&ctx, cmd, stdin, &mut out).await,
        Cmd::Macro(cmd) => automation::macros(&ctx, cmd, stdin, &mut out).await,
        Cmd::Changes { after, limit, wait } => {
            changes::changes(&ctx, after, limit, wait, &mut out).await
        }
        Cmd::Webhook(cmd) => webhooks::webhook(&ctx, cmd, &mut out).await,
        Cmd::MySettings(cmd) => person_settings::my_settings(&ctx, cmd, &mut out).await,
        Cmd::FeedbackOffers { ticket } => {
            feedback_offers::feedback_offers(&ctx, &ticket, &mut out).await
        }
        Cmd::Departments => {
            let departments = ctx.acting.departments().await?;
            out.departments(&departments)
        }
        Cmd::Agents => {
            let agents = ctx.acting.agents().await?;
            let departments = ctx.desk.as_system().departments().await?;
            out.agents(&agents, &departments)
        }
        Cmd::Ingest(args) => mail::ingest(&ctx, args, stdin, &mut out).await,
        Cmd::FetchMail(args) => fetch_mail::fetch_mail(&ctx, args, &mut out).await,
        Cmd::RunDue { at } => jobs::run_due(&ctx, at, &mut out).await,
        Cmd::Export { dir: Some(dir), .. } => {
            let trailer = desk_export::export(&ctx, &dir, stderr).await?;
            out.value(
                &serde_json::to_value(&trailer)?,
                &format!(
                    "exported {} tickets with {} messages and {} attachments to {}\n",
                    trailer.tickets,
                    trailer.messages,
                    trailer.attachments,
                    dir.display()
                ),
            )
        }
        Cmd::Export {
            out: file,
            dir: None,
        } => {
            let doc = transfer::export(&ctx).await?;
            let text = serde_json::to_string_pretty(&doc)? + "\n";
            match file {
                Some(path) => std::fs::write(&path, text)
                    .map_err(|e| Failure::file(format!("writing {}", path.display()), e))?,
                None => out.raw(&text)?,
            }
            Ok(())
        }
        Cmd::Import {
            file,
            from,
            media,
            one_by_one,
        } if from.is_some() || file.is_dir() => {
            let counts = match from {
                Some(from) => {
                    foreign_import::import(&ctx, from, &file, media.as_deref(), stderr).await?
                }
                None => desk_export::import_with(&ctx, &file, stderr, one_by_one).await?,
            };
            out.value(
                &serde_json::to_value(&counts)?,
                &format!(
                    "imported {} departments, {} agents, {} customers, {} tickets with {} messages and {} attachments\n",
                    counts.departments,
                    counts.agents,
                    counts.customers,
                    counts.tickets,
                    counts.messages,
                    counts.attachments
                ),
            )
        }
        Cmd::Import { file, .. } => {
            let mut text = String::new();
            if file.as_os_str() == "-" {
                stdin.read_to_string(&mut text)?;
            } else {
                text = std::fs::read_to_string(&file)
                    .map_err(|e| Failure::file(format!("reading {}", file.display()), e))?;
            }
            let report = transfer::import(&ctx, &text).await?;
            out.value(&serde_json::to_value(&report)?, &report.to_string())
        }
        Cmd::Report(args) => report::report(&ctx, args, &mut out).await,
        Cmd::Settings(SettingsCmd::Show) => settings::show(&ctx, &mut out).await,
        Cmd::Settings(SettingsCmd::Set { name, value }) => {
            settings::set(&ctx, name, Some(&value), &mut out).await
        }
        Cmd::Settings(SettingsCmd::Unset { name }) => {
            settings::set(&ctx, name, None, &mut out).await
        }
        Cmd::Seed { count } => {
            let report = seed::seed(&ctx, count, stderr).await?;
            out.value(
                &json!({"tickets": report}),
                &format!("loaded {report} tickets\n"),
            )
        }
    }
}
