//! `rule …` and `macro …` (issue 22): the triggers an admin keeps (conditions and actions,
//! written as JSON, the same shapes as the API's), their dry run and firing log; macros kept
//! by admins and applied by agents to tickets, with one outcome per ticket.

use std::io::Read;

use clap::Subcommand;
use helpdesk::automation::{Action, Conditions, RuleSchedule};
use helpdesk::domain::{MacroId, Name, RuleId, TicketKey};
use helpdesk::service::{MacroOutcome, RuleDraft};
use serde::Deserialize;
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum RuleCmd {
    /// List the rules in the order they run.
    List,
    /// Add a rule from JSON (`{"name", "position", "active", "conditions", "actions"}`, and
    /// `"schedule": {"every_minutes", "unchanged_for": {"amount", "unit"}}` for a scheduled
    /// rule run by `run-due`) in FILE, or on stdin with `-`.
    Add {
        /// The JSON file, or `-` for stdin.
        file: String,
    },
    /// Replace rule ID with the JSON in FILE (or `-`).
    Update {
        /// The rule's id.
        id: String,
        /// The JSON file, or `-` for stdin.
        file: String,
    },
    /// Remove rule ID.
    Remove {
        /// The rule's id.
        id: String,
    },
    /// The tickets a rule's conditions (JSON in FILE, or `-`) would touch now; nothing is
    /// written.
    DryRun {
        /// The JSON file of the conditions, or `-` for stdin.
        file: String,
    },
    /// The tickets stored rule ID would touch now (a scheduled rule: those unchanged long
    /// enough for its schedule); nothing is written.
    Try {
        /// The rule's id.
        id: String,
    },
    /// What rules did, newest first.
    Firings {
        /// Only on this ticket (number or id).
        #[arg(long)]
        ticket: Option<String>,
        /// At most this many entries.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum MacroCmd {
    /// List the macros.
    List,
    /// Add a macro NAME whose actions (a JSON list) are in FILE, or on stdin with `-`.
    Add {
        /// Its name.
        name: String,
        /// The JSON file of its actions, or `-` for stdin.
        file: String,
    },
    /// Replace macro ID's name with NAME and its actions with the JSON list in FILE (or `-`).
    Update {
        /// The macro's id.
        id: String,
        /// Its new name.
        name: String,
        /// The JSON file of its actions, or `-` for stdin.
        file: String,
    },
    /// Remove macro ID.
    Remove {
        /// The macro's id.
        id: String,
    },
    /// Apply macro ID to tickets (numbers or ids), as the agent `--as` names.
    Apply {
        /// The macro's id.
        id: String,
        /// The tickets.
        #[arg(required = true)]
        tickets: Vec<String>,
    },
}

/// A rule as written in JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleJson {
    name: String,
    #[serde(default)]
    position: u32,
    #[serde(default = "active")]
    active: bool,
    #[serde(default)]
    conditions: Conditions,
    actions: Vec<Action>,
    #[serde(default)]
    schedule: Option<RuleSchedule>,
}

fn active() -> bool {
    true
}

/// The text of FILE, or of stdin for `-`.
fn read_input(file: &str, stdin: &mut dyn Read) -> CliResult<String> {
    let mut text = String::new();
    if file == "-" {
        stdin.read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(file)?;
    }
    Ok(text)
}

fn draft(text: &str) -> CliResult<RuleDraft> {
    let rule: RuleJson = serde_json::from_str(text)?;
    Ok(RuleDraft {
        name: Name::parse(&rule.name)?,
        position: rule.position,
        active: rule.active,
        conditions: rule.conditions,
        actions: rule.actions,
        schedule: rule.schedule,
    })
}

/// `rule …`.
pub(crate) async fn rule(
    ctx: &Ctx,
    cmd: RuleCmd,
    stdin: &mut dyn Read,
    out: &mut Out<'_>,
) -> CliResult {
    match cmd {
        RuleCmd::List => {
            let rules = ctx.acting.rules_with_next_run().await?;
            let mut text = String::new();
            let mut listed = Vec::with_capacity(rules.len());
            for (r, next) in &rules {
                let state = if r.active { "on" } else { "off" };
                let kind = match &r.schedule {
                    Some(s) => format!("every {} min", s.every_minutes),
                    None => "trigger".to_owned(),
                };
                text += &format!(
                    "{}  {}  {}  {state}  {kind}  {} actions",
                    r.position,
                    r.id,
                    r.name.as_str(),
                    r.actions.len()
                );
                if let Some(next) = next {
                    text += &format!("  next {}", next.to_rfc3339());
                }
                text += "\n";
                let mut value = serde_json::to_value(r)?;
                if let Some(fields) = value.as_object_mut() {
                    fields.insert("next_run_at".to_owned(), json!(next));
                }
                listed.push(value);
            }
            if text.is_empty() {
                text = "no rules\n".into();
            }
            out.value(&serde_json::Value::Array(listed), &text)
        }
        RuleCmd::Add { file } => {
            let rule = ctx
                .acting
                .create_rule(draft(&read_input(&file, stdin)?)?)
                .await?;
            let text = format!("rule {} added: {}\n", rule.id, rule.name.as_str());
            out.value(&serde_json::to_value(&rule)?, &text)
        }
        RuleCmd::Update { id, file } => {
            let id = id.parse::<RuleId>().map_err(helpdesk::Error::from)?;
            let draft = draft(&read_input(&file, stdin)?)?;
            let rule = ctx.acting.update_rule(id, draft).await?;
            let text = format!("rule {} replaced: {}\n", rule.id, rule.name.as_str());
            out.value(&serde_json::to_value(&rule)?, &text)
        }
        RuleCmd::Remove { id } => {
            let id = id.parse::<RuleId>().map_err(helpdesk::Error::from)?;
            ctx.acting.delete_rule(id).await?;
            out.value(&json!({ "removed": id }), &format!("rule {id} removed\n"))
        }
        RuleCmd::DryRun { file } => {
            let conditions: Conditions = serde_json::from_str(&read_input(&file, stdin)?)?;
            let tickets = ctx.acting.dry_run_rule(&conditions).await?;
            let mut text = format!("{} tickets would match\n", tickets.len());
            for t in &tickets {
                text += &format!("#{}  {}\n", t.number.short(), t.subject);
            }
            let numbers: Vec<&str> = tickets.iter().map(|t| t.number.full()).collect();
            out.value(&json!({ "tickets": numbers }), &text)
        }
        RuleCmd::Try { id } => {
            let id = id.parse::<RuleId>().map_err(helpdesk::Error::from)?;
            let rule = (ctx.acting.rules().await?.into_iter())
                .find(|r| r.id == id)
                .ok_or_else(|| helpdesk::Error::not_found(helpdesk::error::Entity::Rule, id))?;
            let tickets = ctx
                .acting
                .dry_run_scheduled_rule(&rule.conditions, rule.schedule.as_ref())
                .await?;
            let mut text = format!("{} tickets would match\n", tickets.len());
            for t in &tickets {
                text += &format!("#{}  {}\n", t.number.short(), t.subject);
            }
            let numbers: Vec<&str> = tickets.iter().map(|t| t.number.full()).collect();
            out.value(&json!({ "tickets": numbers }), &text)
        }
        RuleCmd::Firings { ticket, limit } => {
            let ticket = match ticket {
                Some(key) => Some(ctx.acting.ticket(TicketKey::parse(&key)?).await?.id),
                None => None,
            };
            let firings = ctx.acting.rule_firings(ticket, limit).await?;
            let mut text = String::new();
            for f in &firings {
                text += &format!(
                    "{}  {}  {}  {} actions\n",
                    f.at.to_rfc3339(),
                    f.rule_name.as_str(),
                    f.ticket_id,
                    f.actions.len()
                );
            }
            if text.is_empty() {
                text = "no rule has fired\n".into();
            }
            out.value(&serde_json::to_value(&firings)?, &text)
        }
    }
}

/// `macro …`.
pub(crate) async fn macros(
    ctx: &Ctx,
    cmd: MacroCmd,
    stdin: &mut dyn Read,
    out: &mut Out<'_>,
) -> CliResult {
    match cmd {
        MacroCmd::List => {
            let macros = ctx.acting.macros().await?;
            let mut text = String::new();
            for m in &macros {
                let n = m.actions.len();
                text += &format!("{}  {}  {n} actions\n", m.id, m.name.as_str());
            }
            if text.is_empty() {
                text = "no macros\n".into();
            }
            out.value(&serde_json::to_value(&macros)?, &text)
        }
        MacroCmd::Add { name, file } => {
            let actions: Vec<Action> = serde_json::from_str(&read_input(&file, stdin)?)?;
            let entry = ctx
                .acting
                .create_macro(Name::parse(&name)?, actions)
                .await?;
            let text = format!("macro {} added: {}\n", entry.id, entry.name.as_str());
            out.value(&serde_json::to_value(&entry)?, &text)
        }
        MacroCmd::Update { id, name, file } => {
            let id = id.parse::<MacroId>().map_err(helpdesk::Error::from)?;
            let actions: Vec<Action> = serde_json::from_str(&read_input(&file, stdin)?)?;
            let entry = ctx
                .acting
                .update_macro(id, Name::parse(&name)?, actions)
                .await?;
            let text = format!("macro {} replaced: {}\n", entry.id, entry.name.as_str());
            out.value(&serde_json::to_value(&entry)?, &text)
        }
        MacroCmd::Remove { id } => {
            let id = id.parse::<MacroId>().map_err(helpdesk::Error::from)?;
            ctx.acting.delete_macro(id).await?;
            out.value(&json!({ "removed": id }), &format!("macro {id} removed\n"))
        }
        MacroCmd::Apply { id, tickets } => {
            let id = id.parse::<MacroId>().map_err(helpdesk::Error::from)?;
            let mut ids = Vec::with_capacity(tickets.len());
            for key in &tickets {
                ids.push(ctx.acting.ticket(TicketKey::parse(key)?).await?.id);
            }
            let outcomes = ctx.acting.apply_macro(id, &ids).await?;
            let (mut text, mut rows) = (String::new(), Vec::new());
            for (ticket, outcome) in &outcomes {
                let (word, error) = match outcome {
                    MacroOutcome::Changed(_) => ("changed", None),
                    MacroOutcome::Unchanged => ("unchanged", None),
                    MacroOutcome::Refused(e) => ("refused", Some(e.to_string())),
                };
                text += &format!("{ticket}  {word}");
                if let Some(e) = &error {
                    text += &format!(": {e}");
                }
                text += "\n";
                rows.push(json!({ "ticket": ticket, "outcome": word, "error": error }));
            }
            out.value(&json!({ "tickets": rows }), &text)
        }
    }
}
