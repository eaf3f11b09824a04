//! Automation rules, macros (tables `automation_rules`, `automation_macros`, migration 0038)
//! and the firing log (`rule_firings`, 0039, written by `commit`): [`AutomationStore`] for
//! [`PostgresStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::automation::{Macro, Rule, RuleFiring};
use helpdesk_core::domain::{MacroId, RuleId, TicketId};
use helpdesk_core::store::AutomationStore;
use sqlx::PgConnection;
use sqlx::postgres::PgRow;

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::{Reader, all, execute, json};

/// Inserts a batch's firing log entries, inside its transaction.
pub(crate) async fn insert_firings(tx: &mut PgConnection, firings: &[RuleFiring]) -> Result<()> {
    for f in firings {
        sqlx::query("INSERT INTO rule_firings (id, ticket_id, at, firing) VALUES ($1, $2, $3, $4)")
            .bind(f.id.as_uuid())
            .bind(f.ticket_id.as_uuid())
            .bind(f.at)
            .bind(json(f)?)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
    }
    Ok(())
}

/// The automation rules in their order (also read with a request's other reads).
pub(crate) async fn rules_in(pool: &sqlx::PgPool) -> Result<Vec<Rule>> {
    let query = sqlx::query("SELECT rule FROM automation_rules ORDER BY position, id");
    all(pool, query, read_rule).await
}

/// The statement that inserts or replaces a macro (also run with its audit entry).
pub(crate) fn put_macro_query(entry: &Macro) -> Result<crate::rows::PgQuery<'static>> {
    Ok(sqlx::query(
        "INSERT INTO automation_macros (id, name, entry) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, entry = excluded.entry",
    )
    .bind(entry.id.as_uuid())
    .bind(entry.name.as_str().to_owned())
    .bind(json(entry)?))
}

fn read_rule(row: &PgRow) -> Result<Rule> {
    Reader::new(row, "automation_rules").json("rule")
}

fn read_macro(row: &PgRow) -> Result<Macro> {
    Reader::new(row, "automation_macros").json("entry")
}

fn read_firing(row: &PgRow) -> Result<RuleFiring> {
    Reader::new(row, "rule_firings").json("firing")
}

#[async_trait]
impl AutomationStore for PostgresStore {
    async fn put_rule(&self, rule: &Rule) -> Result<()> {
        let query = sqlx::query(
            "INSERT INTO automation_rules (id, position, rule) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET position = excluded.position, rule = excluded.rule",
        )
        .bind(rule.id.as_uuid())
        .bind(i64::from(rule.position))
        .bind(json(rule)?);
        execute(&self.pool, query).await.map(drop)
    }

    async fn rules(&self) -> Result<Vec<Rule>> {
        rules_in(&self.pool).await
    }

    async fn delete_rule(&self, id: RuleId) -> Result<bool> {
        let query = sqlx::query("DELETE FROM automation_rules WHERE id = $1").bind(id.as_uuid());
        Ok(execute(&self.pool, query).await? > 0)
    }

    async fn put_macro(&self, entry: &Macro) -> Result<()> {
        execute(&self.pool, put_macro_query(entry)?).await.map(drop)
    }

    async fn macros(&self) -> Result<Vec<Macro>> {
        let query = sqlx::query("SELECT entry FROM automation_macros ORDER BY name, id");
        all(&self.pool, query, read_macro).await
    }

    async fn delete_macro(&self, id: MacroId) -> Result<bool> {
        let query = sqlx::query("DELETE FROM automation_macros WHERE id = $1").bind(id.as_uuid());
        Ok(execute(&self.pool, query).await? > 0)
    }

    async fn rule_firings(&self, ticket: Option<TicketId>, limit: u32) -> Result<Vec<RuleFiring>> {
        let query = sqlx::query(
            "SELECT firing FROM rule_firings WHERE ($1::uuid IS NULL OR ticket_id = $1)
             ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(ticket.map(|t| t.as_uuid()))
        .bind(i64::from(limit));
        all(&self.pool, query, read_firing).await
    }

    async fn firings_since(&self, ticket: TicketId, since: DateTime<Utc>) -> Result<u32> {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM rule_firings WHERE ticket_id = $1 AND at >= $2",
        )
        .bind(ticket.as_uuid())
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .map_err(error::db)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn claim_rule_run(
        &self,
        rule: RuleId,
        now: DateTime<Utc>,
        next: DateTime<Utc>,
    ) -> Result<bool> {
        let query = sqlx::query(
            "INSERT INTO rule_runs (rule_id, next_run_at, last_run_at) VALUES ($1, $3, $2)
             ON CONFLICT (rule_id) DO UPDATE
             SET next_run_at = excluded.next_run_at, last_run_at = excluded.last_run_at
             WHERE rule_runs.last_run_at <= $4",
        )
        .bind(rule.as_uuid())
        .bind(now)
        .bind(next)
        // Due when the last run was at least one period (next − now) before now.
        .bind(now - (next - now));
        Ok(execute(&self.pool, query).await? > 0)
    }

    async fn last_rule_runs(&self) -> Result<Vec<(RuleId, DateTime<Utc>)>> {
        let query = sqlx::query("SELECT rule_id, last_run_at FROM rule_runs ORDER BY rule_id");
        all(&self.pool, query, |row| {
            let r = Reader::new(row, "rule_runs");
            Ok((RuleId::from_uuid(r.get("rule_id")?), r.get("last_run_at")?))
        })
        .await
    }
}
