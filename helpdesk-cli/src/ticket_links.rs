//! Linked tickets from the command line: `merge SOURCE TARGET`, `split TICKET --message ID…`
//! and `linked MASTER` (the tickets linked to a master, with their states), each acting as
//! `--as` (the library checks who may).

use helpdesk::domain::{MessageId, Subject, TicketKey};
use helpdesk::machine::{Command, SplitRequest};
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

/// `merge SOURCE TARGET`: the source's thread and history move into the target; the source
/// closes as merged and its number leads to the target.
pub(crate) async fn merge(ctx: &Ctx, source: &str, target: &str, out: &mut Out<'_>) -> CliResult {
    let target = ctx.acting.ticket(TicketKey::parse(target)?).await?;
    let outcome = ctx
        .acting
        .execute(
            TicketKey::parse(source)?,
            Command::MergeInto { target: target.id },
        )
        .await?;
    let source = outcome.ticket().clone();
    if out.json {
        return out.json_value(&json!({ "source": source, "target": target.id }));
    }
    out.raw(&format!(
        "#{} merged into #{}\n",
        source.number.short(),
        target.number.short()
    ))
}

/// `split TICKET --message ID… [--subject TEXT]`: the messages move into a new ticket.
pub(crate) async fn split(
    ctx: &Ctx,
    ticket: &str,
    messages: Vec<MessageId>,
    subject: Option<String>,
    out: &mut Out<'_>,
) -> CliResult {
    let subject = subject.as_deref().map(Subject::parse).transpose()?;
    let done = ctx
        .acting
        .split_ticket(
            TicketKey::parse(ticket)?,
            SplitRequest { messages, subject },
        )
        .await?;
    if out.json {
        return out.json_value(&json!({ "original": done.original, "split": done.split }));
    }
    out.raw(&format!(
        "#{} split off #{}: {}\n",
        done.split.number.short(),
        done.original.number.short(),
        done.split.subject
    ))
}

/// `linked MASTER`: the tickets linked to a master ticket, each with its status.
pub(crate) async fn linked(ctx: &Ctx, master: &str, out: &mut Out<'_>) -> CliResult {
    let linked = ctx.acting.linked_tickets(TicketKey::parse(master)?).await?;
    if out.json {
        return out.json_value(&json!({ "items": linked }));
    }
    let mut text = String::new();
    for t in &linked {
        text += &format!("#{}  {}  {}\n", t.number.short(), t.status, t.subject);
    }
    text += &format!("{} linked\n", linked.len());
    out.raw(&text)
}
