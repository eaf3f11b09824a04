//! The ticket commands: `create`, `list` and `search`, `show`, `reply` and `note`,
//! `assign`, `log-time` and `time`, `transition`.

use std::io::Read;
use std::path::PathBuf;

use helpdesk::domain::{
    ContractNumber, Email, Language, MessageBody, MessageId, Minutes, Resolution, ShortNote,
    Subject, TicketKey,
};
use helpdesk::machine::{Command, NewTicket};
use helpdesk::search::CustomerLookup;
use helpdesk::service::{ExecOptions, Upload};
use helpdesk::store::{AssigneeFilter, TicketFilter};
use serde_json::json;

use crate::CliResult;
use crate::args::{Action, CreateArgs, FilterArgs, LogTimeArgs, MessageArgs, ResolutionArg};
use crate::context::Ctx;
use crate::exit::Failure;
use crate::listing::{Listed, Listing};
use crate::output::{Names, Out};

/// The files at `paths` as uploads, their type from their extension.
fn read_uploads(paths: &[PathBuf]) -> CliResult<Vec<Upload>> {
    paths
        .iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).map_err(|e| Failure::file(path.display().to_string(), e))?;
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

/// `create`: a ticket for the customer found by phone, contract number or e-mail.
pub(crate) async fn create(ctx: &Ctx, args: CreateArgs, out: &mut Out<'_>) -> CliResult {
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
            let found = ctx.acting.find_customers(&lookup).await?;
            match found.as_slice() {
                [one] => Some(one.id),
                [] => {
                    return Err(Failure::not_found(
                        "no customer matches: add one with `customer add`",
                    )
                    .into());
                }
                many => {
                    return Err(Failure::invalid(format!(
                        "{} customers match; give the contract number instead",
                        many.len()
                    ))
                    .into());
                }
            }
        }
        None if args.internal => None,
        None => {
            return Err(Failure::usage("name the customer: --phone, --contract or --email").into());
        }
    };
    let department = ctx.department_id(args.department.as_deref()).await?;
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
    let opened = ctx.acting.open_ticket_with_notices(new, uploads).await?;
    out.created(&opened)
}

async fn filter_of(ctx: &Ctx, args: &FilterArgs) -> CliResult<TicketFilter> {
    let mut filter = TicketFilter::default();
    if !args.status.is_empty() {
        filter.statuses = Some(args.status.clone());
    }
    if !args.department.is_empty() {
        let mut ids = Vec::new();
        for name in &args.department {
            ids.push(ctx.department_id(Some(name)).await?);
        }
        filter.departments = Some(ids);
    }
    if let Some(a) = &args.assignee {
        filter.assignee = Some(if a == "none" {
            AssigneeFilter::Unassigned
        } else {
            AssigneeFilter::Agent(ctx.agent_by_email(a).await?)
        });
    }
    if let Some(c) = &args.customer {
        filter.customer = Some(ctx.customer_by_email(c).await?.id);
    }
    if !args.priority.is_empty() {
        filter.priorities = Some(args.priority.clone());
    }
    filter.ticket_type = args.ticket_type.clone();
    if let Some(tags) = args.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        filter.tags = Some(
            helpdesk::domain::parse_tag_list(tags)?
                .into_iter()
                .collect(),
        );
    }
    filter.created.from = args.since;
    filter.created.to = args.until;
    Ok(filter)
}

/// `list` and `search`: a page of tickets (the first, or the one after `--after`), or all of
/// them (`--all`), with how many the filter matches.
pub(crate) async fn list(
    ctx: &Ctx,
    query: Option<String>,
    args: FilterArgs,
    out: &mut Out<'_>,
) -> CliResult {
    let listing = Listing {
        acting: &ctx.acting,
        query: query.as_deref().map(str::trim).filter(|q| !q.is_empty()),
        filter: filter_of(ctx, &args).await?,
    };
    let listed = if args.all {
        Listed {
            items: listing.every(args.limit).await?,
            next: None,
            changed: None,
        }
    } else {
        listing.page(args.limit, args.after.as_deref()).await?
    };
    let total = listing.total().await?;
    let names = Names::load(&ctx.desk)
        .await?
        .with_customers(&ctx.desk, &listed.items)
        .await;
    out.tickets(&listed, total, args.after.is_none(), &names)
}

/// `show`: a ticket with a page of its thread (the newest `limit` messages, or those
/// before `before`) and its history.
pub(crate) async fn show(
    ctx: &Ctx,
    typed: &str,
    (before, limit): (Option<MessageId>, u32),
    out: &mut Out<'_>,
) -> CliResult {
    let ticket = ctx.acting.ticket(TicketKey::parse(typed)?).await?;
    let page = ctx.acting.thread_page(ticket.id, before, limit).await?;
    let thread = page.items;
    let history = ctx.acting.history(ticket.id).await?;
    let names = Names::load(&ctx.desk)
        .await?
        .with_customers(&ctx.desk, std::slice::from_ref(&ticket))
        .await;
    if out.json {
        return out.json_value(&json!({
            "ticket": ticket,
            "messages": thread,
            "older": page.older,
            "history": history,
        }));
    }
    let history_text = ctx
        .acting
        .history_text(ticket.id, Language::English)
        .await?;
    out.ticket(&ticket, &thread, &history_text, &names)?;
    match page.older {
        Some(older) => out.raw(&format!(
            "older messages: show {} --before {older}\n",
            ticket.number.full()
        )),
        None => Ok(()),
    }
}

async fn read_body(raw: &str, stdin: &mut dyn Read) -> CliResult<MessageBody> {
    if raw == "-" {
        let mut text = String::new();
        stdin.read_to_string(&mut text)?;
        return Ok(MessageBody::parse(text.trim_end())?);
    }
    Ok(MessageBody::parse(raw)?)
}

/// `reply` and `note`.
pub(crate) async fn message(
    ctx: &Ctx,
    args: MessageArgs,
    internal: bool,
    stdin: &mut dyn Read,
    out: &mut Out<'_>,
) -> CliResult {
    let key = TicketKey::parse(&args.ticket)?;
    let body = read_body(&args.body, stdin).await?;
    let command = if internal {
        Command::note(body)
    } else {
        Command::reply(body)
    };
    let uploads = read_uploads(&args.attachments)?;
    let outcome = ctx
        .acting
        .execute_with_uploads(key, command, uploads, ExecOptions::default())
        .await?;
    out.changed(outcome.ticket(), if internal { "noted" } else { "replied" })
}

/// `assign`: to an agent by e-mail, or `none`.
pub(crate) async fn assign(ctx: &Ctx, typed: &str, agent: &str, out: &mut Out<'_>) -> CliResult {
    let key = TicketKey::parse(typed)?;
    let agent = if agent == "none" {
        None
    } else {
        Some(ctx.agent_by_email(agent).await?)
    };
    let outcome = ctx.acting.execute(key, Command::Assign { agent }).await?;
    out.changed(outcome.ticket(), "assigned")
}

/// `log-time`: work on a ticket, its note hidden from the customer unless chosen.
pub(crate) async fn log_time(ctx: &Ctx, args: LogTimeArgs, out: &mut Out<'_>) -> CliResult {
    let key = TicketKey::parse(&args.ticket)?;
    let command = Command::LogTime {
        minutes: Minutes::new(args.minutes)?,
        billable: args.billable,
        note: ShortNote::parse(&args.note)?,
        note_visible_to_customer: args.note_visible_to_customer,
    };
    let outcome = ctx.acting.execute(key, command).await?;
    out.changed(outcome.ticket(), "time logged")
}

/// `time`: the entries logged on a ticket, as the actor may see them.
pub(crate) async fn time(ctx: &Ctx, typed: &str, out: &mut Out<'_>) -> CliResult {
    let entries = ctx.acting.time_entries(TicketKey::parse(typed)?).await?;
    let names = Names::load(&ctx.desk).await?;
    out.time_entries(&entries, &names)
}

/// `transition`: a step of the life cycle.
pub(crate) async fn transition(
    ctx: &Ctx,
    typed: &str,
    action: Action,
    body: Option<String>,
    resolution: ResolutionArg,
    out: &mut Out<'_>,
) -> CliResult {
    let key = TicketKey::parse(typed)?;
    let body = body.as_deref().map(MessageBody::parse).transpose()?;
    let command = match action {
        Action::Ask => Command::AskCustomer {
            body: body
                .ok_or_else(|| Failure::usage("ask needs --body: the question for the customer"))?,
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
    let outcome = ctx.acting.execute(key, command).await?;
    out.changed(outcome.ticket(), outcome.ticket().status.as_str())
}
