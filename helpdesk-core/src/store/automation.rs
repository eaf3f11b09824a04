//! Automation rules, macros and the log of rules that fired ([`AutomationStore`]).
//!
//! The log's entries are written with the change that fired the rule, in its
//! [`WriteBatch`](super::WriteBatch) (`rule_firings`), by every store's commit; this ability
//! reads them back and keeps the rules and macros.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::automation::{Macro, Rule, RuleFiring};
use crate::domain::{MacroId, RuleId, TicketId};
use crate::error::Result;

/// An ability a store may offer
/// ([`Store::as_automation_store`](super::Store::as_automation_store)): triggers, macros and
/// the firing log.
#[async_trait]
pub trait AutomationStore: Send + Sync {
    /// Inserts or replaces a rule.
    async fn put_rule(&self, rule: &Rule) -> Result<()>;
    /// Every rule, by position then id.
    async fn rules(&self) -> Result<Vec<Rule>>;
    /// Deletes a rule (its log entries stay); whether it existed.
    async fn delete_rule(&self, id: RuleId) -> Result<bool>;
    /// Inserts or replaces a macro.
    async fn put_macro(&self, entry: &Macro) -> Result<()>;
    /// Every macro, by name (bytewise) then id.
    async fn macros(&self) -> Result<Vec<Macro>>;
    /// Deletes a macro; whether it existed.
    async fn delete_macro(&self, id: MacroId) -> Result<bool>;
    /// The log of rules that fired, on `ticket` or on every ticket, newest first (by time,
    /// then id, descending), at most `limit`.
    async fn rule_firings(&self, ticket: Option<TicketId>, limit: u32) -> Result<Vec<RuleFiring>>;
    /// How many times rules fired on `ticket` at or after `since`.
    async fn firings_since(&self, ticket: TicketId, since: DateTime<Utc>) -> Result<u32>;
    /// Takes the run of scheduled rule `rule` due at `now`, for a schedule of `next − now`
    /// between runs: when none was taken yet, or the last one was taken at or before
    /// `now − (next − now)` (so a changed schedule counts from the last run), records `now`
    /// as the last run and `next` as the next and answers true; otherwise false. Atomic: of
    /// several callers at once (several processes running `run_due`), exactly one takes a
    /// run.
    async fn claim_rule_run(
        &self,
        rule: RuleId,
        now: DateTime<Utc>,
        next: DateTime<Utc>,
    ) -> Result<bool>;
    /// When each scheduled rule's last run was taken (rules never run are absent; a
    /// deleted rule's run may be listed), by rule id.
    async fn last_rule_runs(&self) -> Result<Vec<(RuleId, DateTime<Utc>)>>;
}
