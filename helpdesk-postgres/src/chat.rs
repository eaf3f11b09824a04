//! Live chat (tables `chats` and `chat_availability`, migration 0010): [`ChatStore`] for
//! [`PostgresStore`].
//!
//! A [`ChatCommit`] is one READ COMMITTED transaction. It locks the stored rows of
//! [`ChatCommit::keys`] (`SELECT ... FOR UPDATE`: chats, then availabilities, each in key
//! order, so that concurrent commits never deadlock), reads their versions, and writes what
//! [`ChatCommit::check`] returns, again in key order. A concurrent commit of the same row
//! makes the lock wait, and then read the version that commit wrote, so of two routers that
//! read one seat exactly one fills it and the other gets `Conflict(StaleVersion)` with
//! nothing written. A row not stored yet cannot be locked: it is inserted with
//! `ON CONFLICT DO NOTHING`, and when a concurrent commit inserted it first, that is the same
//! stale-version conflict (updates keep the version predicate `AND version = $n` too).

use std::collections::HashMap;
use std::hash::Hash;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::domain::{
    AgentId, Availability, ChatId, ChatSession, CustomerId, DepartmentId, Version,
};
use helpdesk_core::error::Entity;
use helpdesk_core::store::ChatCommit;
use helpdesk_core::store::ChatStore;
use helpdesk_core::{Error, Result};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::chat::{
    INSERT_AVAILABILITY, INSERT_CHAT, UPDATE_AVAILABILITY, UPDATE_CHAT, availability,
    availability_columns, bind_availability, bind_chat, chat, chat_columns,
};
use crate::rows::{PgQuery, Reader, all, optional, to_i64};

/// One of the two tables a commit writes.
#[derive(Clone, Copy)]
struct Table {
    name: &'static str,
    key: &'static str,
    entity: Entity,
}

const CHATS: Table = Table {
    name: "chats",
    key: "id",
    entity: Entity::Chat,
};

const AVAILABILITY: Table = Table {
    name: "chat_availability",
    key: "agent",
    entity: Entity::Availability,
};

impl Table {
    /// Locks the stored rows of `keys` (given in key order) and reads their versions, keyed
    /// by `key_of` each row's key.
    async fn lock<K: Eq + Hash>(
        self,
        tx: &mut PgConnection,
        keys: Vec<Uuid>,
        key_of: fn(Uuid) -> K,
    ) -> Result<HashMap<K, Version>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let Table { name, key, .. } = self;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {key} AS key, version FROM {name} WHERE {key} = ANY($1) \
             ORDER BY {key} FOR UPDATE"
        )))
        .bind(keys)
        .fetch_all(&mut *tx)
        .await
        .map_err(error::db)?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, name);
                Ok((key_of(r.get("key")?), r.version("version")?))
            })
            .collect()
    }

    /// The stored version of `key`, if any (read after a failed write, to report it).
    async fn version(self, tx: &mut PgConnection, key: Uuid) -> Result<Option<Version>> {
        let Table {
            name, key: column, ..
        } = self;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT version FROM {name} WHERE {column} = $1"
        )))
        .bind(key)
        .fetch_optional(&mut *tx)
        .await
        .map_err(error::db)?;
        row.as_ref()
            .map(|row| Reader::new(row, name).version("version"))
            .transpose()
    }

    /// Runs a write of the row `key` from version `expected`; when it changed nothing, the
    /// row is not at that version (a concurrent commit got there first): a conflict, reported
    /// as [`ChatCommit::check`] reports one (a missing side as the first version).
    async fn written(
        self,
        tx: &mut PgConnection,
        key: Uuid,
        expected: Option<Version>,
        query: PgQuery<'_>,
    ) -> Result<()> {
        let done = query.execute(&mut *tx).await.map_err(error::db)?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        let actual = self.version(tx, key).await?;
        Err(Error::stale(
            self.entity,
            expected.unwrap_or(Version::FIRST),
            actual.unwrap_or(Version::FIRST),
        ))
    }
}

/// Writes one checked chat (its version already the one it gets) over `expected`.
async fn write_chat(
    tx: &mut PgConnection,
    expected: Option<Version>,
    c: &ChatSession,
) -> Result<()> {
    let query = match expected {
        None => bind_chat(sqlx::query(INSERT_CHAT), c)?,
        Some(v) => bind_chat(sqlx::query(UPDATE_CHAT), c)?.bind(to_i64(v.get())?),
    };
    CHATS.written(tx, c.id.as_uuid(), expected, query).await
}

/// Writes one checked availability (its version already the one it gets) over `expected`.
async fn write_availability(
    tx: &mut PgConnection,
    expected: Option<Version>,
    a: &Availability,
) -> Result<()> {
    let query = match expected {
        None => bind_availability(sqlx::query(INSERT_AVAILABILITY), a)?,
        Some(v) => bind_availability(sqlx::query(UPDATE_AVAILABILITY), a)?.bind(to_i64(v.get())?),
    };
    AVAILABILITY
        .written(tx, a.agent.as_uuid(), expected, query)
        .await
}

#[async_trait]
impl ChatStore for PostgresStore {
    async fn commit_chat(&self, commit: ChatCommit) -> Result<()> {
        if commit.is_empty() {
            return Ok(());
        }
        let (chats, agents) = commit.keys();
        // READ COMMITTED whatever the server's default: a concurrent commit's row lock makes
        // the locking reads wait, and then see the version it wrote (stricter levels would
        // fail with a serialization error instead of a stale-version conflict).
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
            .await
            .map_err(error::db)?;
        let stored_chats = CHATS
            .lock(
                &mut tx,
                chats.iter().map(|c| c.as_uuid()).collect(),
                ChatId::from_uuid,
            )
            .await?;
        let stored_seats = AVAILABILITY
            .lock(
                &mut tx,
                agents.iter().map(|a| a.as_uuid()).collect(),
                AgentId::from_uuid,
            )
            .await?;
        let mut writes = commit.check(&stored_chats, &stored_seats)?;
        let changes = helpdesk_core::feed::changes_of_chat(&writes);
        // In key order, as locked: concurrent inserts of the same new rows cannot deadlock.
        writes.chats.sort_by_key(|(_, c)| c.id);
        writes.availability.sort_by_key(|(_, a)| a.agent);
        for (expected, chat) in &writes.chats {
            write_chat(&mut tx, *expected, chat).await?;
        }
        for (expected, seat) in &writes.availability {
            write_availability(&mut tx, *expected, seat).await?;
        }
        crate::webhooks::enqueue(&mut tx, &changes, chrono::Utc::now()).await?;
        // Last before the commit: it locks the feed's head row, which orders every committer.
        crate::feed::append(&mut tx, &changes).await?;
        tx.commit().await.map_err(error::db)
    }

    async fn chat(&self, id: ChatId) -> Result<Option<ChatSession>> {
        optional(&self.pool, sqlx::query(CHAT).bind(id.as_uuid()), chat).await
    }

    async fn waiting_chats(&self, department: DepartmentId) -> Result<Vec<ChatSession>> {
        let query = sqlx::query(WAITING_IN).bind(department.as_uuid());
        all(&self.pool, query, chat).await
    }

    async fn chats_waiting_since_before(&self, before: DateTime<Utc>) -> Result<Vec<ChatSession>> {
        all(
            &self.pool,
            sqlx::query(WAITING_SINCE_BEFORE).bind(before),
            chat,
        )
        .await
    }

    async fn agent_chats(&self, agent: AgentId) -> Result<Vec<ChatSession>> {
        all(
            &self.pool,
            sqlx::query(ACTIVE_WITH).bind(agent.as_uuid()),
            chat,
        )
        .await
    }

    async fn customer_chats(&self, customer: CustomerId, limit: u32) -> Result<Vec<ChatSession>> {
        let query = sqlx::query(OF_CUSTOMER)
            .bind(customer.as_uuid())
            .bind(i64::from(limit));
        all(&self.pool, query, chat).await
    }

    async fn availability(&self, agent: AgentId) -> Result<Option<Availability>> {
        let sql = concat!(
            "SELECT ",
            availability_columns!(),
            " FROM chat_availability WHERE agent = $1"
        );
        optional(
            &self.pool,
            sqlx::query(sql).bind(agent.as_uuid()),
            availability,
        )
        .await
    }

    async fn availabilities(&self) -> Result<Vec<Availability>> {
        let sql = concat!(
            "SELECT ",
            availability_columns!(),
            " FROM chat_availability ORDER BY agent"
        );
        all(&self.pool, sqlx::query(sql), availability).await
    }
}

/// A chat by id: `$1`.
const CHAT: &str = concat!("SELECT ", chat_columns!(), " FROM chats WHERE id = $1");

// The chat lists. Their states are written out (the stable texts of `ChatStateKind`) as the
// partial indexes of migration 0010 spell them, so that the planner matches them.

/// The chats waiting in the department `$1`, longest first.
const WAITING_IN: &str = concat!(
    "SELECT ",
    chat_columns!(),
    " FROM chats WHERE department = $1 AND state = 'waiting' ORDER BY since, id"
);

/// The chats waiting since before `$1`, longest first.
const WAITING_SINCE_BEFORE: &str = concat!(
    "SELECT ",
    chat_columns!(),
    " FROM chats WHERE state = 'waiting' AND since < $1 ORDER BY since, id"
);

/// The chats the agent `$1` is in, oldest first.
const ACTIVE_WITH: &str = concat!(
    "SELECT ",
    chat_columns!(),
    " FROM chats WHERE agent = $1 AND state = 'active' ORDER BY created_at, id"
);

/// The customer `$1`'s chats, newest first, at most `$2`.
const OF_CUSTOMER: &str = concat!(
    "SELECT ",
    chat_columns!(),
    " FROM chats WHERE customer = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
);

#[cfg(test)]
mod tests {
    use helpdesk_core::domain::ChatStateKind;

    use super::*;

    #[test]
    fn the_chat_lists_spell_their_states_as_stored() {
        let waiting = format!("state = '{}'", ChatStateKind::Waiting.as_str());
        let active = format!("state = '{}'", ChatStateKind::Active.as_str());
        assert!(WAITING_IN.contains(&waiting), "{WAITING_IN}");
        assert!(
            WAITING_SINCE_BEFORE.contains(&waiting),
            "{WAITING_SINCE_BEFORE}"
        );
        assert!(ACTIVE_WITH.contains(&active), "{ACTIVE_WITH}");
    }
}
