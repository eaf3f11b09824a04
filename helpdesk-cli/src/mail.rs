//! `ingest`: an e-mail from stdin into the desk, with the mail settings kept in the store
//! (`mail-settings`); the flags given are written there first, like the server's start-up
//! flags, so every process applies the same settings.

use std::io::Read;

use helpdesk::domain::{Email, Ticket};
use helpdesk::service::{Ingested, MailDefaults, MailSettings, UnknownSenders};
use helpdesk::{Error, Helpdesk};
use serde_json::{Value, json};

use crate::CliResult;
use crate::args::{IngestArgs, IngestOneArgs};
use crate::context::Ctx;
use crate::exit::Failure;
use crate::output::Out;

/// The desk with the mail settings of `args` and the store (shared with `fetch-mail`).
pub(crate) async fn desk_with_mail(ctx: &Ctx, args: &IngestArgs) -> CliResult<Helpdesk> {
    Ok(ctx.desk.clone().with_mail(settings_from(ctx, args).await?))
}

/// `ingest`: one e-mail from stdin, taken in by the desk itself (a mail server's pipe).
pub(crate) async fn ingest(
    ctx: &Ctx,
    args: IngestOneArgs,
    stdin: &mut dyn Read,
    out: &mut Out<'_>,
) -> CliResult {
    let recipient = args.recipient.as_deref().map(Email::parse).transpose()?;
    let desk = desk_with_mail(ctx, &args.mail).await?;
    let mut raw = Vec::new();
    stdin.read_to_end(&mut raw)?;
    let ingested = desk.ingest_email_to(&raw, recipient.as_ref()).await?;
    let outcome = ingested.code();
    let (ticket, detail): (Option<&Ticket>, Value) = match &ingested {
        Ingested::Opened(t) | Ingested::Appended(t) => (Some(t), Value::Null),
        Ingested::Duplicate(id) | Ingested::BounceNoted(id) => (None, json!(id)),
        Ingested::Ignored(class) => (None, json!(class.to_string())),
        Ingested::Rejected(why) => (None, json!(format!("{why:?}"))),
        Ingested::Quarantined(id) => (None, json!(id)),
        _ => (None, Value::Null),
    };
    let human = match ticket {
        Some(t) => format!("{outcome} {} {}\n", t.number, t.subject),
        None => format!("{outcome} {}\n", detail.as_str().unwrap_or_default()),
    };
    out.value(
        &json!({"outcome": outcome, "ticket": ticket, "detail": detail}),
        &human,
    )
}

/// The mail settings given in code for `ingest`: the flags given are written to the stored
/// settings (as the desk, audited, when they change them); what is stored then applies on
/// top of the desk's address and the first department.
async fn settings_from(ctx: &Ctx, args: &IngestArgs) -> CliResult<MailSettings> {
    let system = ctx.desk.as_system();
    let stored = match system.mail_settings().await {
        Ok(stored) => Some(stored.desk),
        Err(Error::Unsupported { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let mut wanted = stored.clone().unwrap_or_default();
    if let Some(from) = &args.from {
        wanted.from = Some(Email::parse(from)?);
    }
    if let Some(name) = &args.department {
        wanted.inbound_department = Some(ctx.department_id(Some(name)).await?);
    }
    if args.reject_unknown {
        wanted.unknown_senders = Some(UnknownSenders::Reject);
    }
    if let Some(n) = args.auto_answers_per_hour {
        wanted.auto_answers_per_hour = Some(n);
    }
    if stored.as_ref().is_some_and(|s| *s != wanted) {
        system.set_mail_settings(wanted.clone()).await?;
    }
    let MailDefaults {
        from,
        inbound_department,
        unknown_senders,
        auto_answers_per_hour,
        ..
    } = wanted;
    let from = from.ok_or_else(|| {
        Failure::usage(
            "no desk address: give --from, or store one with `mail-settings set --from ADDRESS`",
        )
    })?;
    let department = match inbound_department {
        Some(d) => d,
        None => ctx.department_id(None).await?,
    };
    let mut settings = MailSettings::new(from, department);
    if let Some(rule) = unknown_senders {
        settings = settings.with_unknown_senders(rule);
    }
    if let Some(n) = auto_answers_per_hour {
        settings = settings.with_auto_answers_per_hour(n);
    }
    Ok(settings)
}
