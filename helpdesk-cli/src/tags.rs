//! `tag add|remove|list`: tags on tickets (staff only): put on or taken off one ticket or a
//! selection (all of them or none), and the tags in use with how many tickets carry each.

use std::collections::BTreeSet;

use clap::Subcommand;
use helpdesk::domain::{Tag, TicketKey, parse_tag_list};
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum TagCmd {
    /// Put tags on tickets (one, or several: all of them or none).
    Add {
        /// The tags, comma-separated (`vip,router`).
        tags: String,
        /// The tickets' numbers or ids.
        #[arg(required = true)]
        tickets: Vec<String>,
    },
    /// Take tags off tickets (one, or several: all of them or none).
    Remove {
        /// The tags, comma-separated.
        tags: String,
        /// The tickets' numbers or ids.
        #[arg(required = true)]
        tickets: Vec<String>,
    },
    /// The tags in use, the most used first, with how many tickets carry each.
    List {
        /// Only the tags starting with this (case and diacritics ignored).
        #[arg(long, default_value = "")]
        prefix: String,
        /// At most this many (1–100).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

/// `tag …`.
pub(crate) async fn tag(ctx: &Ctx, cmd: TagCmd, out: &mut Out<'_>) -> CliResult {
    let (tags, tickets, adding) = match cmd {
        TagCmd::List { prefix, limit } => {
            let found = ctx.acting.tags_in_use(&prefix, limit).await?;
            let text: String = found
                .iter()
                .map(|c| format!("{}  {}\n", c.tag, c.tickets))
                .collect();
            let text = if text.is_empty() {
                "no tags\n".to_owned()
            } else {
                text
            };
            return out.value(&json!(found), &text);
        }
        TagCmd::Add { tags, tickets } => (tags, tickets, true),
        TagCmd::Remove { tags, tickets } => (tags, tickets, false),
    };
    let tags = parse_tag_list(&tags)?;
    let keys = (tickets.iter())
        .map(|t| TicketKey::parse(t))
        .collect::<Result<Vec<_>, _>>()?;
    let (add, remove) = if adding {
        (tags, BTreeSet::new())
    } else {
        (BTreeSet::new(), tags)
    };
    let after = ctx.acting.tag_tickets(&keys, add, remove).await?;
    let text: String = after
        .iter()
        .map(|t| {
            let shown: Vec<&str> = t.tags.iter().map(Tag::as_str).collect();
            format!("{}  tags: {}\n", t.number.short(), shown.join(", "))
        })
        .collect();
    out.value(&json!(after), &text)
}
