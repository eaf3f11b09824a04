//! Live chat (tables `chats` and `chat_availability`, migration 0010): [`ChatStore`] for
//! [`SqliteStore`].
//!
//! A [`ChatCommit`] is one `BEGIN IMMEDIATE` transaction: every chat and availability is first
//! checked against its stored version (as the reference store checks them: all chats, then
//! all availabilities, against the state before the commit), then written with its version
//! raised by one. The immediate transaction holds SQLite's write lock from the first check to
//! the commit, so of two routers that read one seat, exactly one fills it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{
    AgentId, Availability, ChatEnd, ChatId, ChatSession, ChatState, ChatStateKind, ChatStateParts,
    CustomerId, DepartmentId, TicketId, Version,
};
use helpdesk_core::error::{ConflictKind, Entity, Error};
use helpdesk_core::store::{ChatCommit, ChatStore};
use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior};

use crate::error::Outcome;
use crate::rows::{Columns, blob, literal, micros, version};
use crate::store::{SqliteStore, all, first};

/// The columns `read_chat` reads.
const CHAT_COLUMNS: &str = "id, ticket_id, customer, department, state, since, agent, ended_at, \
                            end_reason, created_at, version";

/// The chats waiting in a department (`?1`), longest waiting first.
fn waiting_sql() -> String {
    format!(
        "SELECT {CHAT_COLUMNS} FROM chats
         WHERE department = ?1 AND state = {waiting}
         ORDER BY since, id",
        waiting = literal(ChatStateKind::Waiting)
    )
}

/// The chats waiting since before `?1`, longest waiting first.
fn waiting_since_before_sql() -> String {
    format!(
        "SELECT {CHAT_COLUMNS} FROM chats
         WHERE state = {waiting} AND since < ?1
         ORDER BY since, id",
        waiting = literal(ChatStateKind::Waiting)
    )
}

/// The chats an agent (`?1`) is in, oldest first.
fn agent_chats_sql() -> String {
    format!(
        "SELECT {CHAT_COLUMNS} FROM chats
         WHERE agent = ?1 AND state = {active}
         ORDER BY created_at, id",
        active = literal(ChatStateKind::Active)
    )
}

/// A customer's (`?1`) chats, newest first, at most `?2`.
fn customer_chats_sql() -> String {
    format!(
        "SELECT {CHAT_COLUMNS} FROM chats
         WHERE customer = ?1
         ORDER BY created_at DESC, id DESC
         LIMIT ?2"
    )
}

/// The columns `read_availability` reads.
const AVAILABILITY_COLUMNS: &str =
    "agent, presence, max_chats, active_chats, last_assigned_at, version";

/// A stored version.
fn stored_version(r: &Columns<'_, '_>) -> Outcome<Version> {
    let v: i64 = r.get("version")?;
    u64::try_from(v)
        .map(Version::new)
        .map_err(|e| r.corrupt("version", e))
}

/// A stored count of chats.
fn count(r: &Columns<'_, '_>, column: &'static str) -> Outcome<u32> {
    let n: i64 = r.get(column)?;
    u32::try_from(n).map_err(|e| r.corrupt(column, e))
}

fn read_chat(row: &Row<'_>) -> Outcome<ChatSession> {
    let r = Columns {
        row,
        table: "chats",
    };
    let parts = ChatStateParts {
        kind: r.text("state")?,
        since: r.instant_opt("since")?,
        agent: r.uuid_opt("agent")?.map(AgentId::from_uuid),
        ended_at: r.instant_opt("ended_at")?,
        end: r.text_opt("end_reason")?,
    };
    let state = ChatState::try_from(parts).map_err(|e| r.corrupt("state", e))?;
    Ok(ChatSession {
        id: ChatId::from_uuid(r.uuid("id")?),
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        customer: CustomerId::from_uuid(r.uuid("customer")?),
        department: DepartmentId::from_uuid(r.uuid("department")?),
        state,
        created_at: r.instant("created_at")?,
        version: stored_version(&r)?,
    })
}

fn read_availability(row: &Row<'_>) -> Outcome<Availability> {
    let r = Columns {
        row,
        table: "chat_availability",
    };
    Ok(Availability {
        agent: AgentId::from_uuid(r.uuid("agent")?),
        presence: r.text("presence")?,
        max_chats: count(&r, "max_chats")?,
        active_chats: count(&r, "active_chats")?,
        last_assigned_at: r.instant_opt("last_assigned_at")?,
        version: stored_version(&r)?,
    })
}

/// A chat's columns, with the version it is written at.
struct ChatRow {
    id: [u8; 16],
    ticket_id: [u8; 16],
    customer: [u8; 16],
    department: [u8; 16],
    state: &'static str,
    since: Option<i64>,
    agent: Option<[u8; 16]>,
    ended_at: Option<i64>,
    end_reason: Option<&'static str>,
    created_at: i64,
    version: i64,
}

impl ChatRow {
    const UPSERT: &'static str = "
        INSERT INTO chats (id, ticket_id, customer, department, state, since, agent, ended_at,
                           end_reason, created_at, version)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
        ON CONFLICT (id) DO UPDATE SET
            ticket_id = excluded.ticket_id,
            customer = excluded.customer,
            department = excluded.department,
            state = excluded.state,
            since = excluded.since,
            agent = excluded.agent,
            ended_at = excluded.ended_at,
            end_reason = excluded.end_reason,
            created_at = excluded.created_at,
            version = excluded.version";

    fn new(c: &ChatSession, v: Version) -> rusqlite::Result<Self> {
        let parts = ChatStateParts::from(c.state);
        Ok(Self {
            id: blob(c.id.as_uuid()),
            ticket_id: blob(c.ticket_id.as_uuid()),
            customer: blob(c.customer.as_uuid()),
            department: blob(c.department.as_uuid()),
            state: parts.kind.as_str(),
            since: parts.since.map(micros),
            agent: parts.agent.map(|a| blob(a.as_uuid())),
            ended_at: parts.ended_at.map(micros),
            end_reason: parts.end.map(ChatEnd::as_str),
            created_at: micros(c.created_at),
            version: version(v)?,
        })
    }

    fn write(&self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        tx.prepare_cached(Self::UPSERT)?.execute((
            self.id,
            self.ticket_id,
            self.customer,
            self.department,
            self.state,
            self.since,
            self.agent,
            self.ended_at,
            self.end_reason,
            self.created_at,
            self.version,
        ))?;
        Ok(())
    }
}

/// An availability's columns, with the version it is written at.
struct AvailabilityRow {
    agent: [u8; 16],
    presence: &'static str,
    max_chats: i64,
    active_chats: i64,
    last_assigned_at: Option<i64>,
    version: i64,
}

impl AvailabilityRow {
    const UPSERT: &'static str = "
        INSERT INTO chat_availability (agent, presence, max_chats, active_chats,
                                       last_assigned_at, version)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        ON CONFLICT (agent) DO UPDATE SET
            presence = excluded.presence,
            max_chats = excluded.max_chats,
            active_chats = excluded.active_chats,
            last_assigned_at = excluded.last_assigned_at,
            version = excluded.version";

    fn new(a: &Availability, v: Version) -> rusqlite::Result<Self> {
        Ok(Self {
            agent: blob(a.agent.as_uuid()),
            presence: a.presence.as_str(),
            max_chats: i64::from(a.max_chats),
            active_chats: i64::from(a.active_chats),
            last_assigned_at: a.last_assigned_at.map(micros),
            version: version(v)?,
        })
    }

    fn write(&self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        tx.prepare_cached(Self::UPSERT)?.execute((
            self.agent,
            self.presence,
            self.max_chats,
            self.active_chats,
            self.last_assigned_at,
            self.version,
        ))?;
        Ok(())
    }
}

/// The version a commit writes: one more than expected, or the first for a new row.
fn written_version(expected: Option<Version>) -> Version {
    expected.map_or(Version::FIRST, Version::next)
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

/// The stored version of the row of `table` whose `key_column` is `key`, if any.
fn version_of(
    tx: &Transaction<'_>,
    table: &'static str,
    key_column: &str,
    key: [u8; 16],
) -> Outcome<Option<Version>> {
    let sql = format!("SELECT version FROM {table} WHERE {key_column} = ?1");
    let v: Option<i64> = tx
        .prepare_cached(&sql)?
        .query_row([key], |r| r.get(0))
        .optional()?;
    v.map(|v| {
        u64::try_from(v)
            .map(Version::new)
            .map_err(|e| Error::corrupt(table, "version", e).into())
    })
    .transpose()
}

/// Writes `commit` atomically.
fn commit(conn: &mut rusqlite::Connection, commit: &ChatCommit) -> Outcome<()> {
    let chats = commit
        .chats
        .iter()
        .map(|(expected, c)| ChatRow::new(c, written_version(*expected)))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let seats = commit
        .availability
        .iter()
        .map(|(expected, a)| AvailabilityRow::new(a, written_version(*expected)))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Every check against the state before the commit, chats first, like the reference.
    for ((expected, _), row) in commit.chats.iter().zip(&chats) {
        let actual = version_of(&tx, "chats", "id", row.id)?;
        if actual != *expected {
            return Err(stale(Entity::Chat, *expected, actual).into());
        }
    }
    for ((expected, _), row) in commit.availability.iter().zip(&seats) {
        let actual = version_of(&tx, "chat_availability", "agent", row.agent)?;
        if actual != *expected {
            return Err(stale(Entity::Availability, *expected, actual).into());
        }
    }
    // In order: a row twice in one commit ends as the later one, as in the reference.
    for row in &chats {
        row.write(&tx)?;
    }
    for row in &seats {
        row.write(&tx)?;
    }
    tx.commit()?;
    Ok(())
}

#[async_trait]
impl ChatStore for SqliteStore {
    async fn commit_chat(&self, batch: ChatCommit) -> Result<()> {
        if batch.chats.is_empty() && batch.availability.is_empty() {
            return Ok(());
        }
        self.write(move |conn| commit(conn, &batch)).await
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
