//! [`AutomationStore`] for the in-memory reference store: rules, macros and the firing log
//! (written by `commit`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::MemoryStore;
use crate::automation::{Macro, Rule, RuleFiring};
use crate::domain::{MacroId, RuleId, TicketId};
use crate::error::Result;
use crate::store::AutomationStore;

#[async_trait]
impl AutomationStore for MemoryStore {
    async fn put_rule(&self, rule: &Rule) -> Result<()> {
        self.lock().rules.insert(rule.id, rule.clone());
        Ok(())
    }

    async fn rules(&self) -> Result<Vec<Rule>> {
        let mut rules: Vec<Rule> = self.lock().rules.values().cloned().collect();
        rules.sort_by_key(|r| (r.position, r.id));
        Ok(rules)
    }

    async fn delete_rule(&self, id: RuleId) -> Result<bool> {
        Ok(self.lock().rules.remove(&id).is_some())
    }

    async fn put_macro(&self, entry: &Macro) -> Result<()> {
        self.lock().macros.insert(entry.id, entry.clone());
        Ok(())
    }

    async fn macros(&self) -> Result<Vec<Macro>> {
        let mut macros: Vec<Macro> = self.lock().macros.values().cloned().collect();
        macros.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
        Ok(macros)
    }

    async fn delete_macro(&self, id: MacroId) -> Result<bool> {
        Ok(self.lock().macros.remove(&id).is_some())
    }

    async fn rule_firings(&self, ticket: Option<TicketId>, limit: u32) -> Result<Vec<RuleFiring>> {
        let mut log: Vec<RuleFiring> = (self.lock().rule_firings.iter())
            .filter(|f| ticket.is_none_or(|t| f.ticket_id == t))
            .cloned()
            .collect();
        log.sort_by_key(|f| std::cmp::Reverse((f.at, f.id)));
        log.truncate(limit as usize);
        Ok(log)
    }

    async fn firings_since(&self, ticket: TicketId, since: DateTime<Utc>) -> Result<u32> {
        let n = (self.lock().rule_firings.iter())
            .filter(|f| f.ticket_id == ticket && f.at >= since)
            .count();
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn claim_rule_run(
        &self,
        rule: RuleId,
        now: DateTime<Utc>,
        next: DateTime<Utc>,
    ) -> Result<bool> {
        let mut state = self.lock();
        let every = next - now;
        if state
            .rule_runs
            .get(&rule)
            .is_some_and(|last| *last > now - every)
        {
            return Ok(false);
        }
        state.rule_runs.insert(rule, now);
        Ok(true)
    }

    async fn last_rule_runs(&self) -> Result<Vec<(RuleId, DateTime<Utc>)>> {
        Ok(self
            .lock()
            .rule_runs
            .iter()
            .map(|(r, at)| (*r, *at))
            .collect())
    }
}
