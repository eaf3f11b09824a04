//! `priority-rule list|set|remove` (admins, issue 20): the priority rules kept in the store
//! that match on the organisation — the priority its customers' new tickets get and,
//! optionally, the highest an agent may set without the override.

use clap::Subcommand;
use helpdesk::domain::{Name, Priority};
use helpdesk::policy::{PriorityRuleSetting, PriorityRuleSettings};

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum PriorityRuleCmd {
    /// List the stored priority rules.
    List,
    /// Add a priority rule, or replace the one of that name.
    Set {
        /// Its name.
        name: String,
        /// The organisations it names (ids or e-mails, comma-separated).
        #[arg(long, value_delimiter = ',', required = true)]
        organisation: Vec<String>,
        /// The priority their customers' new tickets get (low, normal, high, urgent).
        #[arg(long)]
        initial: Priority,
        /// The highest priority an agent may set without the override (default: the usual
        /// one, at least the initial).
        #[arg(long)]
        ceiling: Option<Priority>,
    },
    /// Remove a priority rule.
    Remove {
        /// Its name.
        name: String,
    },
}

/// `priority-rule …`.
pub(crate) async fn priority_rule(ctx: &Ctx, cmd: PriorityRuleCmd, out: &mut Out<'_>) -> CliResult {
    let rules = match cmd {
        PriorityRuleCmd::List => ctx.acting.priority_rule_settings().await?,
        PriorityRuleCmd::Set {
            name,
            organisation,
            initial,
            ceiling,
        } => {
            let mut organisations = Vec::with_capacity(organisation.len());
            for typed in &organisation {
                organisations.push(crate::customers::customer_id(ctx, typed).await?);
            }
            let rule = PriorityRuleSetting::new(Name::parse(&name)?, organisations, initial)
                .with_ceiling(ceiling);
            ctx.acting.put_priority_rule(rule).await?
        }
        PriorityRuleCmd::Remove { name } => {
            ctx.acting
                .delete_priority_rule(&Name::parse(&name)?)
                .await?
        }
    };
    print(&rules, out)
}

fn print(rules: &PriorityRuleSettings, out: &mut Out<'_>) -> CliResult {
    let mut text = String::new();
    for r in &rules.rules {
        let organisations: Vec<String> = r.organisations.iter().map(ToString::to_string).collect();
        text += &format!(
            "{}  initial {}  ceiling {}  organisations: {}\n",
            r.name.as_str(),
            r.initial,
            r.ceiling
                .map_or_else(|| "usual".to_owned(), |c| c.to_string()),
            organisations.join(","),
        );
    }
    if text.is_empty() {
        text = "no priority rules stored\n".into();
    }
    out.value(&serde_json::to_value(rules)?, &text)
}
