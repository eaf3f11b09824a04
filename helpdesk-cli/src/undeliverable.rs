//! `undeliverable list|clear` (admins): addresses a permanent bounce marked undeliverable,
//! which the desk sends nothing until the mark ends.

use clap::Subcommand;
use helpdesk::domain::Email;
use helpdesk::store::UndeliverableAddress;
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum UndeliverableCmd {
    /// The addresses marked now, by address: until when, the status, the mail server's
    /// words.
    List {
        /// Only addresses after this one (the last of the page before).
        #[arg(long)]
        after: Option<String>,
        /// The most shown (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Clear an address's mark: the desk sends there again.
    Clear {
        /// The address.
        address: String,
    },
}

/// `undeliverable …`.
pub(crate) async fn undeliverable(
    ctx: &Ctx,
    cmd: UndeliverableCmd,
    out: &mut Out<'_>,
) -> CliResult {
    match cmd {
        UndeliverableCmd::List { after, limit } => {
            let after = after.as_deref().map(Email::parse).transpose()?;
            let marks = ctx
                .acting
                .undeliverable_addresses(after.as_ref(), limit)
                .await?;
            let human: String = marks.iter().map(line).collect();
            let human = if human.is_empty() {
                "no undeliverable addresses\n".to_owned()
            } else {
                human
            };
            out.value(&json!(marks), &human)
        }
        UndeliverableCmd::Clear { address } => {
            let address = Email::parse(&address)?;
            ctx.acting.clear_undeliverable(&address).await?;
            out.value(
                &json!({"cleared": address}),
                &format!("cleared {address}\n"),
            )
        }
    }
}

/// `ADDRESS  UNTIL  STATUS  DIAGNOSTIC`.
fn line(mark: &UndeliverableAddress) -> String {
    format!(
        "{}  until {}  {}  {}\n",
        mark.address,
        mark.until.format("%Y-%m-%d %H:%M"),
        mark.status.as_deref().unwrap_or("-"),
        mark.diagnostic.as_deref().unwrap_or("-"),
    )
}
