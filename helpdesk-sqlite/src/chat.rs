//! Live chat (tables `chats` and `chat_availability`, migration 0010): [`ChatStore`] for
//! [`SqliteStore`].
//!
//! A [`ChatCommit`] is one `BEGIN IMMEDIATE` transaction: the stored versions of the chats and
//! availabilities it names ([`ChatCommit::keys`]) are read, [`ChatCommit::check`] decides (the
//! one definition of what a chat commit may do), and what it returns is written. The immediate
//! transaction holds SQLite's write lock from the first read to the commit, so of two routers
//! that read one seat, exactly one fills it.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{
    AgentId, Availability, ChatId, ChatSession, ChatStateKind, CustomerId, DepartmentId,
};
use helpdesk_core::store::{ChatCommit, ChatStore};
use rusqlite::{Connection, TransactionBehavior};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::chat::{
    AVAILABILITY_COLUMNS, AvailabilityRow, CHAT_COLUMNS, ChatRow, read_availability,
    read_availability_version, read_chat, read_chat_version,
};
use crate::rows::{all, blob, first, literal, micros};

/// Applies `commit` in one immediate transaction, or nothing.
fn commit(conn: &mut Connection, commit: &ChatCommit) -> Outcome<()> {
    let (chat_ids, agents) = commit.keys();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut chats = HashMap::new();
    for id in chat_ids {
        let sql = "SELECT version FROM chats WHERE id = ?1";
        if let Some(v) = first(&tx, sql, [blob(id.as_uuid())], read_chat_version)? {
            chats.insert(id, v);
        }
    }
    let mut seats = HashMap::new();
    for agent in agents {
        let sql = "SELECT version FROM chat_availability WHERE agent = ?1";
        if let Some(v) = first(&tx, sql, [blob(agent.as_uuid())], read_availability_version)? {
            seats.insert(agent, v);
        }
    }
    let writes = commit.check(&chats, &seats)?;
    let mut chat = tx.prepare_cached(ChatRow::UPSERT)?;
    for (_, c) in &writes.chats {
        chat.execute(&ChatRow::new(c)?.params()[..])?;
    }
    let mut seat = tx.prepare_cached(AvailabilityRow::UPSERT)?;
    for (_, a) in &writes.availability {
        seat.execute(&AvailabilityRow::new(a)?.params()[..])?;
    }
    drop((chat, seat));
    let changes = helpdesk_core::feed::changes_of_chat(&writes);
    crate::feed::append(&tx, &changes)?;
    crate::webhooks::enqueue(&tx, &changes, chrono::Utc::now())?;
    tx.commit()?;
    Ok(())
}

/// The chats that meet `condition`, in `order`.
fn chat_list(condition: &str, order: &str) -> String {
    format!("SELECT {CHAT_COLUMNS} FROM chats WHERE {condition} ORDER BY {order}")
}

/// The chats waiting in a department (`?1`), longest waiting first.
fn waiting_sql() -> String {
    let waiting = literal(ChatStateKind::Waiting);
    chat_list(
        &format!("department = ?1 AND state = {waiting}"),
        "since, id",
    )
}

/// The chats waiting since before `?1`, longest waiting first.
fn waiting_since_before_sql() -> String {
    let waiting = literal(ChatStateKind::Waiting);
    chat_list(&format!("state = {waiting} AND since < ?1"), "since, id")
}

/// The chats an agent (`?1`) is in, oldest first.
fn agent_chats_sql() -> String {
    let active = literal(ChatStateKind::Active);
    chat_list(
        &format!("agent = ?1 AND state = {active}"),
        "created_at, id",
    )
}

/// A customer's (`?1`) chats, newest first, at most `?2`.
fn customer_chats_sql() -> String {
    chat_list("customer = ?1", "created_at DESC, id DESC LIMIT ?2")
}

#[async_trait]
impl ChatStore for SqliteStore {
    async fn commit_chat(&self, batch: ChatCommit) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        self.write(move |conn| commit(conn, &batch)).await?;
        self.feed_wake().wake();
        Ok(())
    }

    async fn chat(&self, id: ChatId) -> Result<Option<ChatSession>> {
        self.read(move |conn| {
            let sql = format!("SELECT {CHAT_COLUMNS} FROM chats WHERE id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_chat)
        })
        .await
    }

    async fn waiting_chats(&self, department: DepartmentId) -> Result<Vec<ChatSession>> {
        self.read(move |conn| {
            all(
                conn,
                &waiting_sql(),
                [blob(department.as_uuid())],
                read_chat,
            )
        })
        .await
    }

    async fn chats_waiting_since_before(&self, before: DateTime<Utc>) -> Result<Vec<ChatSession>> {
        self.read(move |conn| {
            all(
                conn,
                &waiting_since_before_sql(),
                [micros(before)],
                read_chat,
            )
        })
        .await
    }

    async fn agent_chats(&self, agent: AgentId) -> Result<Vec<ChatSession>> {
        self.read(move |conn| all(conn, &agent_chats_sql(), [blob(agent.as_uuid())], read_chat))
            .await
    }

    async fn customer_chats(&self, customer: CustomerId, limit: u32) -> Result<Vec<ChatSession>> {
        self.read(move |conn| {
            all(
                conn,
                &customer_chats_sql(),
                (blob(customer.as_uuid()), i64::from(limit)),
                read_chat,
            )
        })
        .await
    }

    async fn availability(&self, agent: AgentId) -> Result<Option<Availability>> {
        self.read(move |conn| {
            let sql =
                format!("SELECT {AVAILABILITY_COLUMNS} FROM chat_availability WHERE agent = ?1");
            first(conn, &sql, [blob(agent.as_uuid())], read_availability)
        })
        .await
    }

    async fn availabilities(&self) -> Result<Vec<Availability>> {
        self.read(|conn| {
            let sql =
                format!("SELECT {AVAILABILITY_COLUMNS} FROM chat_availability ORDER BY agent");
            all(conn, &sql, [], read_availability)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::plan;

    /// The queue, the overdue waiting chats, an agent's chats and a customer's chats are each
    /// one search of an index in the order asked for: no table scan, no sort.
    #[test]
    fn chat_queries_use_their_indexes() {
        for (sql, index) in [
            (waiting_sql(), "chats_waiting_by_department"),
            (waiting_since_before_sql(), "chats_waiting_by_since"),
            (agent_chats_sql(), "chats_active_by_agent"),
            (customer_chats_sql(), "chats_by_customer"),
        ] {
            let p = plan(&sql);
            assert!(p.contains(index), "{sql}:\n{p}");
            assert!(!p.contains("TEMP B-TREE"), "{sql}:\n{p}");
        }
    }
}
