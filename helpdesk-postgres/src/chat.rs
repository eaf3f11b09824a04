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
    Presence::parse(&s).ok_or_else(|| format!("{s:?} is not a presence"))
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
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CHAT_COLUMNS} FROM chats WHERE department = $1 AND state = 'waiting' \
             ORDER BY since, id"
        )))
        .bind(department.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(chat_row)
        .collect()
    }

    async fn chats_waiting_since_before(&self, before: DateTime<Utc>) -> Result<Vec<ChatSession>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CHAT_COLUMNS} FROM chats WHERE state = 'waiting' AND since < $1 \
             ORDER BY since, id"
        )))
        .bind(before)
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(chat_row)
        .collect()
    }

    async fn agent_chats(&self, agent: AgentId) -> Result<Vec<ChatSession>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CHAT_COLUMNS} FROM chats WHERE agent = $1 AND state = 'active' \
             ORDER BY created_at, id"
        )))
        .bind(agent.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(chat_row)
        .collect()
    }

    async fn customer_chats(&self, customer: CustomerId, limit: u32) -> Result<Vec<ChatSession>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CHAT_COLUMNS} FROM chats WHERE customer = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2"
        )))
        .bind(customer.as_uuid())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(chat_row)
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use helpdesk_core::store::MemoryStore;
    use helpdesk_core::testkit::samples::at;
    use tokio::sync::Barrier;

    fn chat(
        customer: CustomerId,
        department: DepartmentId,
        state: ChatState,
        created: i64,
    ) -> ChatSession {
        ChatSession {
            id: ChatId::new(),
            ticket_id: TicketId::new(),
            customer,
            department,
            state,
            created_at: at(created),
            version: Version::FIRST,
        }
    }

    fn seat(agent: AgentId, presence: Presence, active_chats: u32) -> Availability {
        Availability {
            agent,
            presence,
            max_chats: 3,
            active_chats,
            last_assigned_at: (active_chats > 0).then(|| at(50)),
            version: Version::FIRST,
        }
    }

    fn summary(e: &Error) -> String {
        match e {
            Error::Conflict {
                entity,
                kind: ConflictKind::StaleVersion { expected, actual },
            } => format!("stale {entity} {expected} {actual}"),
            other => format!("{other:?}"),
        }
    }

    /// Commits `commit` to both stores; they must agree on the outcome.
    async fn both(
        store: &dyn ChatStore,
        memory: &MemoryStore,
        commit: ChatCommit,
    ) -> Option<String> {
        let got = store
            .commit_chat(commit.clone())
            .await
            .err()
            .map(|e| summary(&e));
        let want = memory.commit_chat(commit).await.err().map(|e| summary(&e));
        assert_eq!(got, want);
        got
    }

    /// Every state and every query, beside the in-memory reference: the same chats and
    /// availabilities come back, in the same order, with the same versions and conflicts.
    async fn agrees_with_the_memory_store(store: &dyn ChatStore) {
        let memory = MemoryStore::new();
        let (support, billing) = (DepartmentId::new(), DepartmentId::new());
        let (ana, reza) = (CustomerId::new(), CustomerId::new());
        let (ivan, maria) = (AgentId::new(), AgentId::new());
        let mut chats = vec![
            chat(ana, support, ChatState::Assistant, 1),
            chat(ana, support, ChatState::Waiting { since: at(20) }, 2),
            chat(reza, support, ChatState::Waiting { since: at(10) }, 3),
            chat(reza, support, ChatState::Waiting { since: at(10) }, 3),
            chat(reza, billing, ChatState::Waiting { since: at(5) }, 4),
            chat(
                ana,
                support,
                ChatState::Active {
                    agent: ivan,
                    since: at(30),
                },
                6,
            ),
            chat(
                reza,
                billing,
                ChatState::Active {
                    agent: ivan,
                    since: at(31),
                },
                5,
            ),
            chat(
                reza,
                billing,
                ChatState::Active {
                    agent: maria,
                    since: at(31),
                },
                5,
            ),
        ];
        for end in [
            ChatEnd::Answered,
            ChatEnd::ByCustomer,
            ChatEnd::ByAgent,
            ChatEnd::NoAgent,
        ] {
            chats.push(chat(ana, billing, ChatState::Ended { at: at(40), end }, 7));
        }
        let seats = [
            seat(ivan, Presence::Online, 2),
            seat(maria, Presence::Away, 1),
        ];
        let first = ChatCommit {
            chats: chats.iter().map(|c| (None, c.clone())).collect(),
            availability: seats.iter().map(|a| (None, a.clone())).collect(),
        };
        assert_eq!(both(store, &memory, first).await, None);

        // Ivan ends a chat; the queue's head goes to him.
        let mut ended = chats[5].clone();
        ended.state = ChatState::Ended {
            at: at(60),
            end: ChatEnd::ByAgent,
        };
        let mut routed = chats[4].clone();
        routed.state = ChatState::Active {
            agent: ivan,
            since: at(60),
        };
        let mut ivan_seat = seats[0].clone();
        ivan_seat.last_assigned_at = Some(at(60));
        let next = ChatCommit {
            chats: vec![
                (Some(Version::FIRST), ended.clone()),
                (Some(Version::FIRST), routed),
            ],
            availability: vec![(Some(Version::FIRST), ivan_seat.clone())],
        };
        assert_eq!(both(store, &memory, next.clone()).await, None);
        // Again from the same versions: stale, chats checked first.
        assert_eq!(
            both(store, &memory, next).await.as_deref(),
            Some("stale chat 1 2")
        );
        // A stale availability fails the chats with it: nothing is written.
        let untouched = chat(ana, support, ChatState::Assistant, 9);
        let mut maria_seat = seats[1].clone();
        maria_seat.presence = Presence::Online;
        let stale_seat = ChatCommit {
            chats: vec![
                (None, untouched.clone()),
                (Some(Version::new(2)), ended.clone()),
            ],
            availability: vec![(Some(Version::new(2)), maria_seat.clone())],
        };
        assert_eq!(
            both(store, &memory, stale_seat).await.as_deref(),
            Some("stale availability 2 1")
        );
        assert_eq!(store.chat(untouched.id).await.unwrap(), None);
        // New, but taken; and expected, but missing.
        let taken = ChatCommit {
            chats: vec![(None, ended.clone())],
            availability: vec![],
        };
        assert_eq!(
            both(store, &memory, taken).await.as_deref(),
            Some("stale chat 1 2")
        );
        let missing = ChatCommit {
            chats: vec![],
            availability: vec![(
                Some(Version::new(4)),
                seat(AgentId::new(), Presence::Online, 0),
            )],
        };
        assert_eq!(
            both(store, &memory, missing).await.as_deref(),
            Some("stale availability 4 1")
        );
        // One row twice in a commit: both checked against the state before, the later kept.
        let mut twice = maria_seat.clone();
        twice.max_chats = 7;
        let twice = ChatCommit {
            chats: vec![],
            availability: vec![
                (Some(Version::FIRST), maria_seat),
                (Some(Version::FIRST), twice),
            ],
        };
        assert_eq!(both(store, &memory, twice).await, None);
        assert_eq!(both(store, &memory, ChatCommit::default()).await, None);

        for c in chats.iter().chain([&untouched]) {
            assert_eq!(
                store.chat(c.id).await.unwrap(),
                memory.chat(c.id).await.unwrap()
            );
        }
        for d in [support, billing, DepartmentId::new()] {
            assert_eq!(
                store.waiting_chats(d).await.unwrap(),
                memory.waiting_chats(d).await.unwrap()
            );
        }
        assert_eq!(store.waiting_chats(support).await.unwrap().len(), 3);
        for s in [0, 5, 6, 10, 11, 20, 21, 100] {
            assert_eq!(
                store.chats_waiting_since_before(at(s)).await.unwrap(),
                memory.chats_waiting_since_before(at(s)).await.unwrap(),
                "{s}"
            );
        }
        for a in [ivan, maria, AgentId::new()] {
            assert_eq!(
                store.agent_chats(a).await.unwrap(),
                memory.agent_chats(a).await.unwrap()
            );
            assert_eq!(
                store.availability(a).await.unwrap(),
                memory.availability(a).await.unwrap()
            );
        }
        assert_eq!(store.agent_chats(ivan).await.unwrap().len(), 2);
        for c in [ana, reza, CustomerId::new()] {
            for limit in [0, 1, 3, 100] {
                assert_eq!(
                    store.customer_chats(c, limit).await.unwrap(),
                    memory.customer_chats(c, limit).await.unwrap()
                );
            }
        }
        assert_eq!(
            store.availabilities().await.unwrap(),
            memory.availabilities().await.unwrap()
        );
        assert_eq!(
            store.availability(maria).await.unwrap().unwrap().max_chats,
            7
        );
    }

    /// Sixteen routers read one seat at one version and commit together: exactly one fills
    /// it, the others are stale; and of eight commits of one new chat exactly one inserts it.
    async fn one_of_many_concurrent_commits_wins(store: Arc<dyn ChatStore>) {
        let ivan = AgentId::new();
        let support = DepartmentId::new();
        store
            .commit_chat(ChatCommit {
                chats: vec![],
                availability: vec![(None, seat(ivan, Presence::Online, 0))],
            })
            .await
            .unwrap();

        let n = 16;
        let barrier = Arc::new(Barrier::new(n));
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let (store, barrier) = (store.clone(), barrier.clone());
                tokio::spawn(async move {
                    let c = chat(
                        CustomerId::new(),
                        support,
                        ChatState::Active {
                            agent: ivan,
                            since: at(100),
                        },
                        i64::try_from(i).unwrap(),
                    );
                    barrier.wait().await;
                    let outcome = store
                        .commit_chat(ChatCommit {
                            chats: vec![(None, c.clone())],
                            availability: vec![(
                                Some(Version::FIRST),
                                seat(ivan, Presence::Online, 1),
                            )],
                        })
                        .await;
                    (c, outcome)
                })
            })
            .collect();
        let mut winners = Vec::new();
        for task in tasks {
            let (c, outcome) = task.await.unwrap();
            match outcome {
                Ok(()) => winners.push(c),
                Err(e) => {
                    assert_eq!(summary(&e), "stale availability 1 2");
                    assert_eq!(store.chat(c.id).await.unwrap(), None, "nothing of a loser");
                }
            }
        }
        assert_eq!(winners.len(), 1);
        let seat_now = store.availability(ivan).await.unwrap().unwrap();
        assert_eq!(
            (seat_now.active_chats, seat_now.version),
            (1, Version::new(2))
        );
        assert_eq!(store.agent_chats(ivan).await.unwrap(), winners);

        let same = chat(CustomerId::new(), support, ChatState::Assistant, 200);
        let barrier = Arc::new(Barrier::new(8));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (store, barrier, same) = (store.clone(), barrier.clone(), same.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    store
                        .commit_chat(ChatCommit {
                            chats: vec![(None, same)],
                            availability: vec![],
                        })
                        .await
                })
            })
            .collect();
        let mut won = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => won += 1,
                Err(e) => assert_eq!(summary(&e), "stale chat 1 1"),
            }
        }
        assert_eq!(won, 1);
        assert_eq!(store.chat(same.id).await.unwrap(), Some(same));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn chats_read_back_as_the_memory_store_keeps_them() {
        let Some(store) = crate::testing::fresh_store().await else {
            return;
        };
        agrees_with_the_memory_store(&store).await;
        crate::testing::discard(store).await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_commits_from_one_version_have_one_winner() {
        let Some(store) = crate::testing::fresh_store().await else {
            return;
        };
        let store = Arc::new(store);
        one_of_many_concurrent_commits_wins(store.clone()).await;
        crate::testing::discard(Arc::into_inner(store).unwrap())
            .await
            .unwrap();
    }

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
