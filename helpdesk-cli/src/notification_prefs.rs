//! `notification-prefs show|set`: how an agent hears of what needs them (issue 20), per
//! event: in the app, by e-mail, both or not at all, and the language of their e-mails. An
//! agent reads and sets their own; admins anyone's (`--agent`).

use std::collections::BTreeMap;

use clap::Subcommand;
use helpdesk::domain::{Language, NotificationPreferences, NotifyChannel, NotifyEvent};
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum NotificationPrefsCmd {
    /// Show the preferences, every event with its channel.
    Show {
        /// Another agent's, by e-mail (admins).
        #[arg(long)]
        agent: Option<String>,
    },
    /// Change some: `notification-prefs set assigned=email sla_warning=none --language ro`;
    /// channels are in_app, email, both, none. What is not named stays.
    Set {
        /// Another agent's, by e-mail (admins).
        #[arg(long)]
        agent: Option<String>,
        /// The language of the notification e-mails (en, ro, ru, fa).
        #[arg(long)]
        language: Option<String>,
        /// `event=channel` pairs (events: new_ticket, customer_replied, assigned, mention,
        /// sla_warning, sla_breached, pending_reminder, priority_requested, chat_waiting).
        choices: Vec<String>,
    },
}

/// The preferences as lines of `event  channel`, the language first.
fn human(p: &NotificationPreferences) -> String {
    let mut text = format!("language  {}\n", p.language.code());
    for (event, channel) in p.all() {
        text.push_str(&format!("{event}  {channel}\n"));
    }
    text
}

/// `notification-prefs …`.
pub(crate) async fn notification_prefs(
    ctx: &Ctx,
    cmd: NotificationPrefsCmd,
    out: &mut Out<'_>,
) -> CliResult {
    let found = match cmd {
        NotificationPrefsCmd::Show { agent } => {
            let agent = match agent {
                Some(email) => Some(ctx.agent_by_email(&email).await?),
                None => None,
            };
            ctx.acting.notification_preferences(agent).await?
        }
        NotificationPrefsCmd::Set {
            agent,
            language,
            choices,
        } => {
            let agent = match agent {
                Some(email) => Some(ctx.agent_by_email(&email).await?),
                None => None,
            };
            let language = language.map(|l| l.parse::<Language>()).transpose()?;
            let mut channels = BTreeMap::new();
            for choice in &choices {
                let (event, channel) = choice.split_once('=').ok_or_else(|| {
                    helpdesk::Error::validation(
                        "choice",
                        format!("{choice:?} is not event=channel"),
                    )
                })?;
                channels.insert(
                    event.parse::<NotifyEvent>()?,
                    channel.parse::<NotifyChannel>()?,
                );
            }
            ctx.acting
                .change_notification_preferences(agent, language, channels)
                .await?
        }
    };
    out.value(&json!(found), &human(&found))
}
