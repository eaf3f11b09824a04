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
    AgentId, Availability, ChatEnd, ChatId, ChatSession, ChatState, ChatStateParts, CustomerId,
    DepartmentId, TicketId, Version,
};
use helpdesk_core::error::Entity;
use helpdesk_core::store::ChatCommit;
use helpdesk_core::store::ChatStore;
use helpdesk_core::{Error, Result};
use sqlx::PgConnection;
use sqlx::postgres::PgRow;
use uuid::Uuid;

use crate::PostgresStore;
use crate::error;
use crate::rows::{PgQuery, Reader, to_i64};

/// The column list of chat reads.
const CHAT_COLUMNS: &str = "id, ticket_id, customer, department, state, since, agent, ended_at, \
                            end_reason, created_at, version";

/// The column list of availability reads.
const AVAILABILITY_COLUMNS: &str =
    "agent, presence, max_chats, active_chats, last_assigned_at, version";

/// A chat from a row selected with [`CHAT_COLUMNS`].
fn chat_row(row: &PgRow) -> Result<ChatSession> {
    let r = Reader::new(row, "chats");
    let parts = ChatStateParts {
        kind: r.text("state")?,
        since: r.get("since")?,
        agent: r.get::<Option<Uuid>>("agent")?.map(AgentId::from_uuid),
        ended_at: r.get("ended_at")?,
        end: r.text_opt("end_reason")?,
    };
    Ok(ChatSession {
        id: ChatId::from_uuid(r.get("id")?),
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        customer: CustomerId::from_uuid(r.get("customer")?),
        department: DepartmentId::from_uuid(r.get("department")?),
        state: ChatState::try_from(parts).map_err(|e| r.corrupt("state", e))?,
        created_at: r.get("created_at")?,
        version: r.version("version")?,
    })
}

/// An availability from a row selected with [`AVAILABILITY_COLUMNS`].
fn availability_row(row: &PgRow) -> Result<Availability> {
    let r = Reader::new(row, "chat_availability");
    Ok(Availability {
        agent: AgentId::from_uuid(r.get("agent")?),
        presence: r.text("presence")?,
        max_chats: r.number("max_chats")?,
        active_chats: r.number("active_chats")?,
        last_assigned_at: r.get("last_assigned_at")?,
        version: r.version("version")?,
    })
}

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
    /// Locks the stored rows of `keys` (given in key order) and reads their versions.
    async fn lock<K: Copy + Eq + Hash>(
        self,
        tx: &mut PgConnection,
        keys: &[K],
        uuid: impl Fn(K) -> Uuid,
    ) -> Result<HashMap<K, Version>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let by_uuid: HashMap<Uuid, K> = keys.iter().map(|k| (uuid(*k), *k)).collect();
        let uuids: Vec<Uuid> = keys.iter().map(|k| uuid(*k)).collect();
        let Table { name, key, .. } = self;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {key} AS key, version FROM {name} WHERE {key} = ANY($1) \
             ORDER BY {key} FOR UPDATE"
        )))
        .bind(&uuids)
        .fetch_all(&mut *tx)
        .await
        .map_err(error::db)?;
        let mut stored = HashMap::with_capacity(rows.len());
        for row in &rows {
            let r = Reader::new(row, name);
            let found: Uuid = r.get("key")?;
            if let Some(k) = by_uuid.get(&found) {
                stored.insert(*k, r.version("version")?);
            }
        }
        Ok(stored)
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

const INSERT_CHAT: &str = "INSERT INTO chats (id, ticket_id, customer, department, state, \
     since, agent, ended_at, end_reason, created_at, version) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING";

const UPDATE_CHAT: &str = "UPDATE chats SET ticket_id = $2, customer = $3, department = $4, \
     state = $5, since = $6, agent = $7, ended_at = $8, end_reason = $9, created_at = $10, \
     version = $11 WHERE id = $1 AND version = $12";

const INSERT_AVAILABILITY: &str = "INSERT INTO chat_availability (agent, presence, max_chats, \
     active_chats, last_assigned_at, version) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (agent) DO NOTHING";

const UPDATE_AVAILABILITY: &str = "UPDATE chat_availability SET presence = $2, \
     max_chats = $3, active_chats = $4, last_assigned_at = $5, version = $6 \
     WHERE agent = $1 AND version = $7";

/// Writes one checked chat (its version already the one it gets) over `expected`.
async fn write_chat(
    tx: &mut PgConnection,
    expected: Option<Version>,
    c: &ChatSession,
) -> Result<()> {
    let parts = ChatStateParts::from(c.state);
    let query = sqlx::query(if expected.is_some() {
        UPDATE_CHAT
    } else {
        INSERT_CHAT
    })
    .bind(c.id.as_uuid())
    .bind(c.ticket_id.as_uuid())
    .bind(c.customer.as_uuid())
    .bind(c.department.as_uuid())
    .bind(parts.kind.as_str())
    .bind(parts.since)
    .bind(parts.agent.map(|a| a.as_uuid()))
    .bind(parts.ended_at)
    .bind(parts.end.map(ChatEnd::as_str))
    .bind(c.created_at)
    .bind(to_i64(c.version.get())?);
    let query = match expected {
        Some(v) => query.bind(to_i64(v.get())?),
        None => query,
    };
    CHATS.written(tx, c.id.as_uuid(), expected, query).await
}

/// Writes one checked availability (its version already the one it gets) over `expected`.
async fn write_availability(
    tx: &mut PgConnection,
    expected: Option<Version>,
    a: &Availability,
) -> Result<()> {
    let query = sqlx::query(if expected.is_some() {
        UPDATE_AVAILABILITY
    } else {
        INSERT_AVAILABILITY
    })
    .bind(a.agent.as_uuid())
    .bind(a.presence.as_str())
    .bind(i64::from(a.max_chats))
    .bind(i64::from(a.active_chats))
    .bind(a.last_assigned_at)
    .bind(to_i64(a.version.get())?);
    let query = match expected {
        Some(v) => query.bind(to_i64(v.get())?),
        None => query,
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
        let stored_chats = CHATS.lock(&mut tx, &chats, |c| c.as_uuid()).await?;
        let stored_seats = AVAILABILITY.lock(&mut tx, &agents, |a| a.as_uuid()).await?;
        let mut writes = commit.check(&stored_chats, &stored_seats)?;
        // In key order, as locked: concurrent inserts of the same new rows cannot deadlock.
        writes.chats.sort_by_key(|(_, c)| c.id);
        writes.availability.sort_by_key(|(_, a)| a.agent);
        for (expected, chat) in &writes.chats {
            write_chat(&mut tx, *expected, chat).await?;
        }
        for (expected, seat) in &writes.availability {
            write_availability(&mut tx, *expected, seat).await?;
        }
        tx.commit().await.map_err(error::db)
    }

    async fn chat(&self, id: ChatId) -> Result<Option<ChatSession>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CHAT_COLUMNS} FROM chats WHERE id = $1"
        )))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .as_ref()
        .map(chat_row)
        .transpose()
    }

    async fn waiting_chats(&self, department: DepartmentId) -> Result<Vec<ChatSession>> {
        let query = select_chats("department = $1 AND state = 'waiting' ORDER BY since, id");
        self.fetch_chats(query.bind(department.as_uuid())).await
    }

    async fn chats_waiting_since_before(&self, before: DateTime<Utc>) -> Result<Vec<ChatSession>> {
        let query = select_chats("state = 'waiting' AND since < $1 ORDER BY since, id");
        self.fetch_chats(query.bind(before)).await
    }

    async fn agent_chats(&self, agent: AgentId) -> Result<Vec<ChatSession>> {
        let query = select_chats("agent = $1 AND state = 'active' ORDER BY created_at, id");
        self.fetch_chats(query.bind(agent.as_uuid())).await
    }

    async fn customer_chats(&self, customer: CustomerId, limit: u32) -> Result<Vec<ChatSession>> {
        let query = select_chats("customer = $1 ORDER BY created_at DESC, id DESC LIMIT $2");
        self.fetch_chats(query.bind(customer.as_uuid()).bind(i64::from(limit)))
            .await
    }

    async fn availability(&self, agent: AgentId) -> Result<Option<Availability>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {AVAILABILITY_COLUMNS} FROM chat_availability WHERE agent = $1"
        )))
        .bind(agent.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .as_ref()
        .map(availability_row)
        .transpose()
    }

    async fn availabilities(&self) -> Result<Vec<Availability>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {AVAILABILITY_COLUMNS} FROM chat_availability ORDER BY agent"
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(availability_row)
        .collect()
    }
}

/// The chats matching `condition` (a `WHERE` clause, with its order and binds to add).
fn select_chats(condition: &str) -> PgQuery<'static> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {CHAT_COLUMNS} FROM chats WHERE {condition}"
    )))
}

impl PostgresStore {
    async fn fetch_chats(&self, query: PgQuery<'_>) -> Result<Vec<ChatSession>> {
        query
            .fetch_all(&self.pool)
            .await
            .map_err(error::db)?
            .iter()
            .map(chat_row)
            .collect()
    }
}
