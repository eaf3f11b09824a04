//! `webhook …` (issue 23): the endpoints an admin registers (the secret printed once, when
//! added), their deliveries with the last responses, and test pings (queued; the server's
//! dispatcher sends them with its next round).

use clap::Subcommand;
use helpdesk::domain::WebhookId;
use helpdesk::service::WebhookDraft;
use helpdesk::webhooks::{WebhookEndpoint, WebhookEvents, WebhookUrl};
use serde_json::{Value, json};

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum WebhookCmd {
    /// List the endpoints (never their secrets).
    List,
    /// Register an endpoint; its signing secret is printed this once.
    Add {
        /// Where deliveries go (http:// or https://).
        url: String,
        /// The event kinds, comma-separated: ticket_created, ticket_changed, message_added,
        /// notification_created, chat_changed, availability_changed.
        #[arg(long, value_delimiter = ',', required = true)]
        events: Vec<String>,
        /// A note about it.
        #[arg(long, default_value = "")]
        description: String,
        /// Register it disabled.
        #[arg(long)]
        disabled: bool,
    },
    /// Change endpoint ID (what is not given stays); `--enable` clears its failures.
    Update {
        /// The endpoint's id.
        id: String,
        /// A new URL.
        #[arg(long)]
        url: Option<String>,
        /// New event kinds, comma-separated.
        #[arg(long, value_delimiter = ',')]
        events: Option<Vec<String>>,
        /// A new note.
        #[arg(long)]
        description: Option<String>,
        /// Enable it.
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
        /// Disable it.
        #[arg(long)]
        disable: bool,
    },
    /// Remove endpoint ID and its deliveries.
    Remove {
        /// The endpoint's id.
        id: String,
    },
    /// The deliveries of endpoint ID, newest first, with their last responses.
    Deliveries {
        /// The endpoint's id.
        id: String,
        /// At most this many.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Queue a test ping to endpoint ID (the server sends it with its next round).
    Ping {
        /// The endpoint's id.
        id: String,
    },
}

/// An endpoint as JSON, without its secret.
fn view(e: &WebhookEndpoint) -> Value {
    json!({
        "id": e.id,
        "url": e.url,
        "description": e.description,
        "events": e.events,
        "enabled": e.enabled,
        "disabled_reason": e.disabled_reason,
        "consecutive_failures": e.consecutive_failures,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    })
}

fn line(e: &WebhookEndpoint) -> String {
    let state = match (&e.enabled, &e.disabled_reason) {
        (true, _) => "on".to_owned(),
        (false, Some(why)) => format!("off ({why})"),
        (false, None) => "off".to_owned(),
    };
    format!(
        "{}  {}  {}  {state}\n",
        e.id,
        e.url,
        e.events.as_slice().join(",")
    )
}

fn parse_id(id: &str) -> CliResult<WebhookId> {
    Ok(id.parse::<WebhookId>().map_err(helpdesk::Error::from)?)
}

/// `webhook …`.
pub(crate) async fn webhook(ctx: &Ctx, cmd: WebhookCmd, out: &mut Out<'_>) -> CliResult {
    match cmd {
        WebhookCmd::List => {
            let all = ctx.acting.webhooks().await?;
            let mut text: String = all.iter().map(line).collect();
            if text.is_empty() {
                text = "no webhooks\n".into();
            }
            let json: Vec<Value> = all.iter().map(view).collect();
            out.value(&json!(json), &text)
        }
        WebhookCmd::Add {
            url,
            events,
            description,
            disabled,
        } => {
            let draft = WebhookDraft {
                url: WebhookUrl::parse(&url).map_err(helpdesk::Error::from)?,
                description,
                events: WebhookEvents::parse(&events).map_err(helpdesk::Error::from)?,
                enabled: !disabled,
            };
            let made = ctx.acting.create_webhook(draft).await?;
            let text = format!(
                "webhook {} added\nsecret (shown once): {}\n",
                made.endpoint.id,
                made.secret.expose()
            );
            let json = json!({"endpoint": view(&made.endpoint), "secret": made.secret.expose()});
            out.value(&json, &text)
        }
        WebhookCmd::Update {
            id,
            url,
            events,
            description,
            enable,
            disable,
        } => {
            let id = parse_id(&id)?;
            let before = ctx.acting.webhook(id).await?;
            let draft = WebhookDraft {
                url: match url {
                    Some(u) => WebhookUrl::parse(&u).map_err(helpdesk::Error::from)?,
                    None => before.url.clone(),
                },
                description: description.unwrap_or(before.description.clone()),
                events: match events {
                    Some(e) => WebhookEvents::parse(&e).map_err(helpdesk::Error::from)?,
                    None => before.events.clone(),
                },
                enabled: (before.enabled || enable) && !disable,
            };
            let after = ctx.acting.update_webhook(id, draft).await?;
            out.value(&view(&after), &line(&after))
        }
        WebhookCmd::Remove { id } => {
            let id = parse_id(&id)?;
            ctx.acting.delete_webhook(id).await?;
            out.value(
                &json!({ "removed": id }),
                &format!("webhook {id} removed\n"),
            )
        }
        WebhookCmd::Deliveries { id, limit } => {
            let deliveries = ctx.acting.webhook_deliveries(parse_id(&id)?, limit).await?;
            let mut text = String::new();
            for d in &deliveries {
                let status = d.last_status.map_or("-".to_owned(), |s| s.to_string());
                text += &format!(
                    "{}  {}  {}  {} attempts  {status}  {}\n",
                    d.created_at.to_rfc3339(),
                    d.event,
                    d.state.as_str(),
                    d.attempts,
                    d.last_response
                        .as_deref()
                        .unwrap_or("")
                        .chars()
                        .take(60)
                        .collect::<String>()
                        .replace('\n', " ")
                );
            }
            if text.is_empty() {
                text = "no deliveries\n".into();
            }
            out.value(&serde_json::to_value(&deliveries)?, &text)
        }
        WebhookCmd::Ping { id } => {
            let ping = ctx.acting.ping_webhook(parse_id(&id)?).await?;
            let text = format!("ping {} queued\n", ping.id);
            out.value(&serde_json::to_value(&ping)?, &text)
        }
    }
}
