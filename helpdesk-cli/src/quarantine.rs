//! `quarantine list|show|raw|reprocess|discard|ignored` (admins): mail the desk could not
//! take in, kept whole with the reason, and the log of mail ignored on purpose (list mail).

use clap::Subcommand;
use helpdesk::domain::{IgnoredMailId, QuarantineId};
use helpdesk::service::Ingested;
use helpdesk::store::{IgnoredMail, QuarantinedMail};
use serde_json::{Value, json};

use crate::CliResult;
use crate::args::IngestArgs;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum QuarantineCmd {
    /// Quarantined mail, newest first: id, when, why, sender, subject.
    List {
        /// Only mail kept before this one (the last id of the page before).
        #[arg(long)]
        before: Option<QuarantineId>,
        /// The most shown (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// One quarantined mail: when, how often tried, why, sender, subject, Message-ID, size.
    Show {
        /// Its id.
        id: QuarantineId,
    },
    /// The quarantined message itself, byte for byte on stdout (also with `--json`).
    Raw {
        /// Its id.
        id: QuarantineId,
    },
    /// Take a quarantined mail in again: it leaves the quarantine when taken in now, and
    /// stays with the new reason when it fails again (`quarantined ID`).
    Reprocess {
        /// Its id.
        id: QuarantineId,
        #[command(flatten)]
        mail: IngestArgs,
    },
    /// Remove a quarantined mail for good.
    Discard {
        /// Its id.
        id: QuarantineId,
    },
    /// The log of mail ignored on purpose (list mail), newest first.
    Ignored {
        /// Only entries logged before this one (the last id of the page before).
        #[arg(long)]
        before: Option<IgnoredMailId>,
        /// The most shown (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

/// `quarantine …`.
pub(crate) async fn quarantine(ctx: &Ctx, cmd: QuarantineCmd, out: &mut Out<'_>) -> CliResult {
    match cmd {
        QuarantineCmd::List { before, limit } => {
            let mails = ctx.acting.quarantined_mails(before, limit).await?;
            let human: String = mails.iter().map(line).collect();
            let human = if human.is_empty() {
                "no quarantined mail\n".to_owned()
            } else {
                human
            };
            out.value(&json!(mails), &human)
        }
        QuarantineCmd::Show { id } => {
            let mail = ctx.acting.quarantined_mail(id).await?;
            let human = format!(
                "id: {}\nreceived: {}\ntried: {} ({} times)\ncode: {}\nreason: {}\nfrom: {}\nsubject: {}\nmessage-id: {}\nsize: {} bytes\n",
                mail.id,
                mail.received_at.to_rfc3339(),
                mail.tried_at.to_rfc3339(),
                mail.attempts,
                mail.code,
                mail.reason,
                shown(&mail.summary.sender),
                shown(&mail.summary.subject),
                shown(&mail.summary.message_id),
                mail.size,
            );
            out.value(&json!(mail), &human)
        }
        QuarantineCmd::Raw { id } => {
            let bytes = ctx.acting.quarantined_mail_bytes(id).await?;
            out.bytes(&bytes)
        }
        QuarantineCmd::Reprocess { id, mail } => {
            let desk = crate::mail::desk_with_mail(ctx, &mail).await?;
            let acting = desk.acting_as(ctx.acting.actor()).await?;
            let done = acting.reprocess_quarantined(id).await?;
            let (value, human) = outcome(&done);
            out.value(&value, &human)
        }
        QuarantineCmd::Discard { id } => {
            ctx.acting.discard_quarantined(id).await?;
            out.value(&json!({"discarded": id}), &format!("discarded {id}\n"))
        }
        QuarantineCmd::Ignored { before, limit } => {
            let log = ctx.acting.ignored_mails(before, limit).await?;
            let human: String = log.iter().map(ignored_line).collect();
            let human = if human.is_empty() {
                "no ignored mail\n".to_owned()
            } else {
                human
            };
            out.value(&json!(log), &human)
        }
    }
}

fn shown(part: &Option<String>) -> &str {
    part.as_deref().unwrap_or("-")
}

/// `ID  WHEN  CODE  SENDER  SUBJECT`.
fn line(mail: &QuarantinedMail) -> String {
    format!(
        "{}  {}  {}  {}  {}\n",
        mail.id,
        mail.received_at.format("%Y-%m-%d %H:%M"),
        mail.code,
        shown(&mail.summary.sender),
        shown(&mail.summary.subject),
    )
}

/// `ID  WHEN  WHY  SENDER  SUBJECT`.
fn ignored_line(mail: &IgnoredMail) -> String {
    format!(
        "{}  {}  {}  {}  {}\n",
        mail.id,
        mail.at.format("%Y-%m-%d %H:%M"),
        mail.why,
        shown(&mail.summary.sender),
        shown(&mail.summary.subject),
    )
}

/// What became of a reprocessed mail, as JSON and as a line.
fn outcome(done: &Ingested) -> (Value, String) {
    let code = done.code();
    match done {
        Ingested::Opened(t) | Ingested::Appended(t) => (
            json!({"outcome": code, "ticket": t}),
            format!("{code} {} {}\n", t.number, t.subject),
        ),
        Ingested::Quarantined(id) => (
            json!({"outcome": code, "mail": id}),
            format!("{code} {id}\n"),
        ),
        Ingested::Duplicate(id) | Ingested::BounceNoted(id) => (
            json!({"outcome": code, "ticket_id": id}),
            format!("{code} {id}\n"),
        ),
        _ => (json!({"outcome": code}), format!("{code}\n")),
    }
}
