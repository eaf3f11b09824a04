//! `notifications list|dismiss-all`: the in-app notifications of the person `--as` names
//! (an agent or a customer): those shown now, newest first, and all of them dismissed at once.

use clap::Subcommand;
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum NotificationCmd {
    /// The notifications shown now (not dismissed, not snoozed), newest first.
    List {
        /// At most this many (1–200).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Dismisses every notification shown now (snoozed ones stay snoozed; tickets stay).
    DismissAll,
}

/// `notifications …`.
pub(crate) async fn notifications(ctx: &Ctx, cmd: NotificationCmd, out: &mut Out<'_>) -> CliResult {
    match cmd {
        NotificationCmd::List { limit } => {
            let shown = ctx.acting.notifications(limit).await?;
            let text: String = shown
                .iter()
                .map(|n| {
                    format!(
                        "{}  {}  {}\n",
                        n.created_at.format("%Y-%m-%d %H:%M"),
                        n.kind.as_str(),
                        n.ticket_id
                    )
                })
                .collect();
            let text = if text.is_empty() {
                "no notifications\n".to_owned()
            } else {
                text
            };
            out.value(&json!(shown), &text)
        }
        NotificationCmd::DismissAll => {
            let dismissed = ctx.acting.dismiss_all_notifications().await?;
            out.value(
                &json!({ "dismissed": dismissed }),
                &format!("dismissed {dismissed}\n"),
            )
        }
    }
}
