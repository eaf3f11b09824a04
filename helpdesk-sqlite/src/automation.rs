//! Automation rules, macros (tables `automation_rules`, `automation_macros`, migration 0038)
//! and the firing log (`rule_firings`, 0039, written by `commit`): [`AutomationStore`] for
//! [`SqliteStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::automation::{Macro, Rule, RuleFiring};
use helpdesk_core::domain::{MacroId, RuleId, TicketId};
use helpdesk_core::store::AutomationStore;
use rusqlite::{Row, Transaction};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, all, blob, json, micros};

/// Inserts a batch's firing log entries, inside its transaction.
pub(crate) fn insert_firings(tx: &Transaction<'_>, rows: &[FiringRow]) -> Outcome<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO rule_firings (id, ticket_id, at, firing) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for row in rows {
        insert.execute((row.id, row.ticket_id, row.at, &row.firing))?;
    }
    Ok(())
}

/// A firing log entry as a row.
pub(crate) struct FiringRow {
    id: [u8; 16],
    ticket_id: [u8; 16],
    at: i64,
    firing: String,
}

impl FiringRow {
    pub(crate) fn new(firing: &RuleFiring) -> Outcome<Self> {
        Ok(Self {
            id: blob(firing.id.as_uuid()),
            ticket_id: blob(firing.ticket_id.as_uuid()),
            at: micros(firing.at),
            firing: json(firing)?,
        })
    }
}

/// The automation rules in their order, read on `conn` (also with a request's other reads).
pub(crate) fn rules_in(conn: &rusqlite::Connection) -> Outcome<Vec<Rule>> {
    let sql = "SELECT rule FROM automation_rules ORDER BY position, id";
    all(conn, sql, [], read_rule)
}

/// Inserts or replaces a macro on `conn` (also inside a settings write's transaction).
pub(crate) fn put_macro_in(conn: &rusqlite::Connection, entry: &Macro) -> Outcome<()> {
    conn.prepare_cached(
        "INSERT INTO automation_macros (id, name, entry) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, entry = excluded.entry",
    )?
    .execute((blob(entry.id.as_uuid()), entry.name.as_str(), json(entry)?))?;
    Ok(())
}

/// Deletes a macro on `conn`; whether it existed.
pub(crate) fn delete_macro_in(conn: &rusqlite::Connection, id: MacroId) -> Outcome<bool> {
    let n = conn
        .prepare_cached("DELETE FROM automation_macros WHERE id = ?1")?
        .execute([blob(id.as_uuid())])?;
    Ok(n > 0)
}

fn read_rule(row: &Row<'_>) -> Outcome<Rule> {
    Reader::new(row, "automation_rules").json("rule")
}

fn read_macro(row: &Row<'_>) -> Outcome<Macro> {
    Reader::new(row, "automation_macros").json("entry")
}

fn read_firing(row: &Row<'_>) -> Outcome<RuleFiring> {
    Reader::new(row, "rule_firings").json("firing")
}

#[async_trait]
impl AutomationStore for SqliteStore {
    async fn put_rule(&self, rule: &Rule) -> Result<()> {
        let (id, position, text) = (
            blob(rule.id.as_uuid()),
            i64::from(rule.position),
            json(rule)?,
        );
        self.write(move |conn| {
            conn.prepare_cached(
                "INSERT INTO automation_rules (id, position, rule) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET position = excluded.position, rule = excluded.rule",
            )?
            .execute((id, position, text))?;
            Ok(())
        })
        .await
    }

    async fn rules(&self) -> Result<Vec<Rule>> {
        self.read(|conn| rules_in(conn)).await
    }

    async fn delete_rule(&self, id: RuleId) -> Result<bool> {
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM automation_rules WHERE id = ?1")?
                .execute([blob(id.as_uuid())])?;
            Ok(n > 0)
        })
        .await
    }

    async fn put_macro(&self, entry: &Macro) -> Result<()> {
        let entry = entry.clone();
        self.write(move |conn| put_macro_in(conn, &entry)).await
    }

    async fn macros(&self) -> Result<Vec<Macro>> {
        self.read(move |conn| {
            all(
                conn,
                "SELECT entry FROM automation_macros ORDER BY CAST(name AS BLOB), id",
                [],
                read_macro,
            )
        })
        .await
    }

    async fn delete_macro(&self, id: MacroId) -> Result<bool> {
        self.write(move |conn| delete_macro_in(conn, id)).await
    }

    async fn rule_firings(&self, ticket: Option<TicketId>, limit: u32) -> Result<Vec<RuleFiring>> {
        self.read(move |conn| match ticket {
            Some(t) => all(
                conn,
                "SELECT firing FROM rule_firings WHERE ticket_id = ?1
                 ORDER BY at DESC, id DESC LIMIT ?2",
                (blob(t.as_uuid()), i64::from(limit)),
                read_firing,
            ),
            None => all(
                conn,
                "SELECT firing FROM rule_firings ORDER BY at DESC, id DESC LIMIT ?1",
                [i64::from(limit)],
                read_firing,
            ),
        })
        .await
    }

    async fn firings_since(&self, ticket: TicketId, since: DateTime<Utc>) -> Result<u32> {
        self.read(move |conn| {
            let n: i64 = conn
                .prepare_cached(
                    "SELECT count(*) FROM rule_firings WHERE ticket_id = ?1 AND at >= ?2",
                )?
                .query_row((blob(ticket.as_uuid()), micros(since)), |r| r.get(0))?;
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        })
        .await
    }

    async fn claim_rule_run(
        &self,
        rule: RuleId,
        now: DateTime<Utc>,
        next: DateTime<Utc>,
    ) -> Result<bool> {
        // Due when the last run was at least one period (next − now) before now.
        let latest = micros(now - (next - now));
        let (id, now, next) = (blob(rule.as_uuid()), micros(now), micros(next));
        self.write(move |conn| {
            let n = conn
                .prepare_cached(
                    "INSERT INTO rule_runs (rule_id, next_run_at, last_run_at) VALUES (?1, ?3, ?2)
                     ON CONFLICT (rule_id) DO UPDATE
                     SET next_run_at = excluded.next_run_at, last_run_at = excluded.last_run_at
                     WHERE rule_runs.last_run_at <= ?4",
                )?
                .execute((id, now, next, latest))?;
            Ok(n > 0)
        })
        .await
    }

    async fn last_rule_runs(&self) -> Result<Vec<(RuleId, DateTime<Utc>)>> {
        self.read(|conn| {
            all(
                conn,
                "SELECT rule_id, last_run_at FROM rule_runs ORDER BY rule_id",
                [],
                |row| {
                    let r = Reader::new(row, "rule_runs");
                    Ok((
                        RuleId::from_uuid(r.uuid("rule_id")?),
                        r.instant("last_run_at")?,
                    ))
                },
            )
        })
        .await
    }
}
