//! `cc add|remove|list` and `follow|unfollow|followers|followed`: a ticket's CC addresses
//! (its customer, or staff who may reply) and the agents following it (issue 20, item 3).

use clap::Subcommand;
use helpdesk::domain::{Email, TicketKey};
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum CcCmd {
    /// Copy addresses on a ticket's public thread (all of them or none).
    Add {
        /// The ticket's number or id.
        ticket: String,
        /// The addresses.
        #[arg(required = true)]
        addresses: Vec<String>,
    },
    /// Take an address off a ticket's CC.
    Remove {
        /// The ticket's number or id.
        ticket: String,
        /// The address.
        address: String,
    },
    /// A ticket's CC addresses.
    List {
        /// The ticket's number or id.
        ticket: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum FollowCmd {
    /// Follow a ticket (agents): be told of replies, notes and status changes.
    On {
        /// The ticket's number or id.
        ticket: String,
    },
    /// Stop following a ticket.
    Off {
        /// The ticket's number or id.
        ticket: String,
    },
    /// The agents following a ticket, its assignee among them (staff).
    List {
        /// The ticket's number or id.
        ticket: String,
    },
    /// The tickets the agent follows.
    Mine,
}

/// The addresses, one a line.
fn cc_text(addresses: &[Email]) -> String {
    if addresses.is_empty() {
        return "no CC\n".to_owned();
    }
    addresses.iter().map(|a| format!("{a}\n")).collect()
}

/// `cc …`.
pub(crate) async fn cc(ctx: &Ctx, cmd: CcCmd, out: &mut Out<'_>) -> CliResult {
    let after = match cmd {
        CcCmd::Add { ticket, addresses } => {
            let addresses: Vec<&str> = addresses.iter().map(String::as_str).collect();
            ctx.acting
                .add_cc(TicketKey::parse(&ticket)?, &addresses)
                .await?
        }
        CcCmd::Remove { ticket, address } => {
            ctx.acting
                .remove_cc(TicketKey::parse(&ticket)?, &address)
                .await?
        }
        CcCmd::List { ticket } => ctx.acting.ticket_cc(TicketKey::parse(&ticket)?).await?,
    };
    out.value(&json!(after), &cc_text(&after))
}

/// `follow …`.
pub(crate) async fn follow(ctx: &Ctx, cmd: FollowCmd, out: &mut Out<'_>) -> CliResult {
    let ids = match cmd {
        FollowCmd::On { ticket } => ctx.acting.follow_ticket(TicketKey::parse(&ticket)?).await?,
        FollowCmd::Off { ticket } => {
            (ctx.acting)
                .unfollow_ticket(TicketKey::parse(&ticket)?)
                .await?
        }
        FollowCmd::List { ticket } => {
            (ctx.acting)
                .ticket_followers(TicketKey::parse(&ticket)?)
                .await?
        }
        FollowCmd::Mine => {
            let ids = ctx.acting.followed_tickets().await?;
            let text: String = if ids.is_empty() {
                "no followed tickets\n".to_owned()
            } else {
                ids.iter().map(|t| format!("{}\n", t.as_uuid())).collect()
            };
            return out.value(&json!(ids), &text);
        }
    };
    let agents = ctx.acting.agents().await?;
    let shown: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| {
            let agent = agents.iter().find(|a| a.id == *id);
            json!({
                "id": id,
                "name": agent.map(|a| a.name.as_str()),
                "email": agent.map(|a| a.email.as_str()),
            })
        })
        .collect();
    let text: String = if shown.is_empty() {
        "no followers\n".to_owned()
    } else {
        ids.iter()
            .map(|id| {
                let agent = agents.iter().find(|a| a.id == *id);
                match agent {
                    Some(a) => format!("{}  {}\n", a.name.as_str(), a.email),
                    None => format!("{}\n", id.as_uuid()),
                }
            })
            .collect()
    };
    out.value(&json!(shown), &text)
}
