//! `ingest`: an e-mail from stdin into the desk.

use std::io::Read;

use helpdesk::Helpdesk;
use helpdesk::domain::{Email, Ticket};
use helpdesk::service::{Ingested, MailSettings, UnknownSenders};
use serde_json::{Value, json};

use crate::CliResult;
use crate::args::IngestArgs;
use crate::context::Ctx;
use crate::output::Out;

/// The desk with the mail settings `args` give (shared with `fetch-mail`).
pub(crate) async fn desk_with_mail(ctx: &Ctx, args: &IngestArgs) -> CliResult<Helpdesk> {
    let department = ctx.department_id(args.department.as_deref()).await?;
    let mut settings = MailSettings::new(Email::parse(&args.from)?, department);
    settings = settings.with_auto_answers_per_hour(args.auto_answers_per_hour);
    if args.reject_unknown {
        settings = settings.with_unknown_senders(UnknownSenders::Reject);
    }
    Ok(ctx.desk.clone().with_mail(settings))
}

/// `ingest`: one e-mail from stdin, taken in by the desk itself (a mail server's pipe).
pub(crate) async fn ingest(
    ctx: &Ctx,
    args: IngestArgs,
    stdin: &mut dyn Read,
    out: &mut Out<'_>,
) -> CliResult {
    let desk = desk_with_mail(ctx, &args).await?;
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
        Ingested::Ignored(class) => {
            (outcome, ticket) = ("ignored", None);
            detail = json!(class.to_string());
        }
        Ingested::BounceNoted(id) => {
            (outcome, ticket) = ("bounce_noted", None);
            detail = json!(id);
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
