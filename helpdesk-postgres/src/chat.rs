//! Live chat (tables `chats` and `chat_availability`, migration 0010): [`ChatStore`] for
//! [`PostgresStore`].
//!
//! A [`ChatCommit`] is one READ COMMITTED transaction. It first locks the stored rows it
//! names (`SELECT ... FOR UPDATE`: chats, then availabilities, each in id order, so that
//! concurrent commits never deadlock) and checks every version against them as the reference
//! store checks them: all chats, then all availabilities, against the state before the
//! commit. A concurrent commit of the same row makes the lock wait, and then read the version
//! that commit wrote, so of two routers that read one seat exactly one fills it and the other
//! gets `Conflict(StaleVersion)` with nothing written. Updates keep the version predicate
//! (`WHERE id = $1 AND version = $2`) as well; a new row is inserted with
//! `ON CONFLICT DO NOTHING`, and when a concurrent commit inserted it first that is the same
//! stale-version conflict.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::domain::StableText;
use helpdesk_core::domain::{
    AgentId, Availability, ChatEnd, ChatId, ChatSession, ChatState, CustomerId, DepartmentId,
    Presence, TicketId, Version,
};
use helpdesk_core::error::{ConflictKind, Entity};
use helpdesk_core::store::{ChatCommit, ChatStore};
use helpdesk_core::{Error, Result};
use sqlx::PgConnection;
use sqlx::postgres::PgRow;
use uuid::Uuid;

use crate::PostgresStore;
use crate::error;
use crate::rows::{PgQuery, Reader};

/// The column list of chat reads.
const CHAT_COLUMNS: &str = "id, ticket_id, customer, department, state, since, agent, ended_at, \
                            end_reason, created_at, version";

/// The column list of availability reads.
const AVAILABILITY_COLUMNS: &str =
    "agent, presence, max_chats, active_chats, last_assigned_at, version";

/// A chat's end as stored.
fn end_str(end: ChatEnd) -> &'static str {
    match end {
        ChatEnd::Answered => "answered",
        ChatEnd::ByCustomer => "by_customer",
        ChatEnd::ByAgent => "by_agent",
        ChatEnd::NoAgent => "no_agent",
    }
}

fn chat_end(s: String) -> std::result::Result<ChatEnd, String> {
    [
        ChatEnd::Answered,
        ChatEnd::ByCustomer,
        ChatEnd::ByAgent,
        ChatEnd::NoAgent,
    ]
    .into_iter()
    .find(|e| end_str(*e) == s)
    .ok_or_else(|| format!("{s:?} is not a chat end"))
}

fn presence(s: String) -> std::result::Result<Presence, String> {
    Presence::from_text(&s).map_err(|e| e.to_string())
}

fn to_i64(v: Version) -> Result<i64> {
    i64::try_from(v.get()).map_err(Error::backend)
}

/// A stored version.
fn version_at(r: &Reader<'_>) -> Result<Version> {
    let v: i64 = r.get("version")?;
    u64::try_from(v)
        .map(Version::new)
        .map_err(|e| r.corrupt("version", e))
}

/// A stored count of chats.
fn count(r: &Reader<'_>, column: &'static str) -> Result<u32> {
    let n: i64 = r.get(column)?;
    u32::try_from(n).map_err(|e| r.corrupt(column, e))
}

fn chat_row(row: &PgRow) -> Result<ChatSession> {
    let r = Reader::new(row, "chats");
    let missing = |column: &'static str| r.corrupt(column, "NULL in this chat state");
    let since: Option<DateTime<Utc>> = r.get("since")?;
    let agent: Option<Uuid> = r.get("agent")?;
    let ended_at: Option<DateTime<Utc>> = r.get("ended_at")?;
    let state: String = r.get("state")?;
    let state = match state.as_str() {
        "assistant" => ChatState::Assistant,
        "waiting" => ChatState::Waiting {
            since: since.ok_or_else(|| missing("since"))?,
        },
        "active" => ChatState::Active {
            agent: AgentId::from_uuid(agent.ok_or_else(|| missing("agent"))?),
            since: since.ok_or_else(|| missing("since"))?,
        },
        "ended" => ChatState::Ended {
            at: ended_at.ok_or_else(|| missing("ended_at"))?,
            end: r
                .parse_opt("end_reason", chat_end)?
                .ok_or_else(|| missing("end_reason"))?,
        },
        _ => return Err(r.corrupt("state", format!("{state:?} is not a chat state"))),
    };
    Ok(ChatSession {
        id: ChatId::from_uuid(r.get("id")?),
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        customer: CustomerId::from_uuid(r.get("customer")?),
        department: DepartmentId::from_uuid(r.get("department")?),
        state,
        created_at: r.get("created_at")?,
        version: version_at(&r)?,
    })
}

fn availability_row(row: &PgRow) -> Result<Availability> {
    let r = Reader::new(row, "chat_availability");
    Ok(Availability {
        agent: AgentId::from_uuid(r.get("agent")?),
        presence: r.parse("presence", presence)?,
        max_chats: count(&r, "max_chats")?,
        active_chats: count(&r, "active_chats")?,
        last_assigned_at: r.get("last_assigned_at")?,
        version: version_at(&r)?,
    })
}

/// The conflict of a row not at its expected version, reported as the reference reports it
/// (a missing side as the first version).
fn stale(entity: Entity, expected: Option<Version>, actual: Option<Version>) -> Error {
    Error::Conflict {
        entity,
        kind: ConflictKind::StaleVersion {
            expected: expected.unwrap_or(Version::FIRST),
            actual: actual.unwrap_or(Version::FIRST),
        },
    }
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
    /// Locks the stored rows of `keys` (in key order) and reads their versions.
    async fn lock(self, tx: &mut PgConnection, keys: &[Uuid]) -> Result<HashMap<Uuid, Version>> {
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.is_empty() {
            return Ok(HashMap::new());
        }
        let Table { name, key, .. } = self;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {key} AS key, version FROM {name} WHERE {key} = ANY($1) \
             ORDER BY {key} FOR UPDATE"
        )))
        .bind(&sorted)
        .fetch_all(&mut *tx)
        .await
        .map_err(error::db)?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, name);
                Ok((r.get("key")?, version_at(&r)?))
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
            .map(|row| version_at(&Reader::new(row, name)))
            .transpose()
    }

    /// Runs a write of the row `key` from version `expected`; when it changed nothing, the
    /// row is not at that version (a concurrent commit got there first): a conflict.
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
        Err(stale(self.entity, expected, actual))
    }
}

/// Checks `items` (key and expected version, in commit order) against `stored`.
fn check(
    table: Table,
    items: &[(Uuid, Option<Version>)],
    stored: &HashMap<Uuid, Version>,
) -> Result<()> {
    for (key, expected) in items {
        let actual = stored.get(key).copied();
        if actual != *expected {
            return Err(stale(table.entity, *expected, actual));
        }
    }
    Ok(())
}

/// The last write of each key, in key order: a row twice in one commit ends as the later
/// one, as in the reference; key order keeps concurrent inserts from deadlocking.
fn last_of_each<T>(
    items: &[(Option<Version>, T)],
    key: impl Fn(&T) -> Uuid,
) -> Vec<(Uuid, Option<Version>, &T)> {
    let mut last = BTreeMap::new();
    for (expected, item) in items {
        last.insert(key(item), (*expected, item));
    }
    last.into_iter()
        .map(|(k, (expected, item))| (k, expected, item))
        .collect()
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

/// Writes one chat at the version after `expected`.
async fn write_chat(
    tx: &mut PgConnection,
    expected: Option<Version>,
    c: &ChatSession,
) -> Result<()> {
    let (state, since, agent, ended_at, end_reason) = match c.state {
        ChatState::Assistant => ("assistant", None, None, None, None),
        ChatState::Waiting { since } => ("waiting", Some(since), None, None, None),
        ChatState::Active { agent, since } => {
            ("active", Some(since), Some(agent.as_uuid()), None, None)
        }
        ChatState::Ended { at, end } => ("ended", None, None, Some(at), Some(end_str(end))),
    };
    let written = to_i64(expected.map_or(Version::FIRST, Version::next))?;
    let query = sqlx::query(if expected.is_some() {
        UPDATE_CHAT
    } else {
        INSERT_CHAT
    })
    .bind(c.id.as_uuid())
    .bind(c.ticket_id.as_uuid())
    .bind(c.customer.as_uuid())
    .bind(c.department.as_uuid())
    .bind(state)
    .bind(since)
    .bind(agent)
    .bind(ended_at)
    .bind(end_reason)
    .bind(c.created_at)
    .bind(written);
    let query = match expected {
        Some(v) => query.bind(to_i64(v)?),
        None => query,
    };
    CHATS.written(tx, c.id.as_uuid(), expected, query).await
}

/// Writes one availability at the version after `expected`.
async fn write_availability(
    tx: &mut PgConnection,
    expected: Option<Version>,
    a: &Availability,
) -> Result<()> {
    let written = to_i64(expected.map_or(Version::FIRST, Version::next))?;
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
    .bind(written);
    let query = match expected {
        Some(v) => query.bind(to_i64(v)?),
        None => query,
    };
    AVAILABILITY
        .written(tx, a.agent.as_uuid(), expected, query)
        .await
}

#[async_trait]
impl ChatStore for PostgresStore {
    async fn commit_chat(&self, commit: ChatCommit) -> Result<()> {
        if commit.chats.is_empty() && commit.availability.is_empty() {
            return Ok(());
        }
        let chats: Vec<(Uuid, Option<Version>)> = commit
            .chats
            .iter()
            .map(|(expected, c)| (c.id.as_uuid(), *expected))
            .collect();
        let seats: Vec<(Uuid, Option<Version>)> = commit
            .availability
            .iter()
            .map(|(expected, a)| (a.agent.as_uuid(), *expected))
            .collect();
        // READ COMMITTED whatever the server's default: a concurrent commit's row lock makes
        // the locking reads wait, and then see the version it wrote (stricter levels would
        // fail with a serialization error instead of a stale-version conflict).
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
            .await
            .map_err(error::db)?;
        let keys = |items: &[(Uuid, Option<Version>)]| -> Vec<Uuid> {
            items.iter().map(|(k, _)| *k).collect()
        };
        let stored_chats = CHATS.lock(&mut tx, &keys(&chats)).await?;
        let stored_seats = AVAILABILITY.lock(&mut tx, &keys(&seats)).await?;
        check(CHATS, &chats, &stored_chats)?;
        check(AVAILABILITY, &seats, &stored_seats)?;
        for (_, expected, c) in last_of_each(&commit.chats, |c| c.id.as_uuid()) {
            write_chat(&mut tx, expected, c).await?;
        }
        for (_, expected, a) in last_of_each(&commit.availability, |a| a.agent.as_uuid()) {
            write_availability(&mut tx, expected, a).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chat_end_round_trips_its_text() {
        for end in [
            ChatEnd::Answered,
            ChatEnd::ByCustomer,
            ChatEnd::ByAgent,
            ChatEnd::NoAgent,
        ] {
            assert_eq!(chat_end(end_str(end).to_owned()), Ok(end));
        }
        assert!(chat_end("later".into()).is_err());
    }

    #[test]
    fn a_row_twice_in_one_commit_is_written_once_as_the_later() {
        let (a, b) = (Uuid::from_u128(2), Uuid::from_u128(1));
        let items = [
            (None, (a, 1)),
            (Some(Version::FIRST), (b, 2)),
            (None, (a, 3)),
        ];
        let last = last_of_each(&items, |(k, _)| *k);
        let got: Vec<_> = last.iter().map(|(k, e, (_, n))| (*k, *e, *n)).collect();
        assert_eq!(got, [(b, Some(Version::FIRST), 2), (a, None, 3)]);
    }
}
