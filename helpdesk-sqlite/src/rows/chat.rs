//! Live chats and agents' chat availability.

use helpdesk_core::domain::{
    AgentId, Availability, ChatEnd, ChatId, ChatSession, ChatState, ChatStateParts, CustomerId,
    DepartmentId, TicketId, Version,
};
use rusqlite::Row;
use rusqlite::types::ToSql;

use super::{Reader, bind, blob, micros, version};
use crate::error::Outcome;

/// A chat's columns, its state as [`ChatStateParts`].
pub(crate) struct ChatRow {
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
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO chats (id, ticket_id, customer, department, state, since, agent, ended_at,
                           end_reason, created_at, version)
        VALUES (:id, :ticket_id, :customer, :department, :state, :since, :agent, :ended_at,
                :end_reason, :created_at, :version)
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

    pub(crate) fn new(c: &ChatSession) -> Outcome<Self> {
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
            version: version(c.version)?,
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 11] {
        bind!(self; id, ticket_id, customer, department, state, since, agent, ended_at,
              end_reason, created_at, version)
    }
}

/// An availability's columns.
pub(crate) struct AvailabilityRow {
    agent: [u8; 16],
    presence: &'static str,
    max_chats: i64,
    active_chats: i64,
    last_assigned_at: Option<i64>,
    last_seen_at: Option<i64>,
    version: i64,
}

impl AvailabilityRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO chat_availability (agent, presence, max_chats, active_chats,
                                       last_assigned_at, last_seen_at, version)
        VALUES (:agent, :presence, :max_chats, :active_chats, :last_assigned_at,
                :last_seen_at, :version)
        ON CONFLICT (agent) DO UPDATE SET
            presence = excluded.presence,
            max_chats = excluded.max_chats,
            active_chats = excluded.active_chats,
            last_assigned_at = excluded.last_assigned_at,
            last_seen_at = excluded.last_seen_at,
            version = excluded.version";

    pub(crate) fn new(a: &Availability) -> Outcome<Self> {
        Ok(Self {
            agent: blob(a.agent.as_uuid()),
            presence: a.presence.as_str(),
            max_chats: i64::from(a.max_chats),
            active_chats: i64::from(a.active_chats),
            last_assigned_at: a.last_assigned_at.map(micros),
            last_seen_at: a.last_seen_at.map(micros),
            version: version(a.version)?,
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 7] {
        bind!(self; agent, presence, max_chats, active_chats, last_assigned_at, last_seen_at,
              version)
    }
}

/// The columns `read_chat` reads.
pub(crate) const CHAT_COLUMNS: &str = "
    id, ticket_id, customer, department, state, since, agent, ended_at, end_reason, created_at,
    version";

/// The columns `read_availability` reads.
pub(crate) const AVAILABILITY_COLUMNS: &str =
    "agent, presence, max_chats, active_chats, last_assigned_at, last_seen_at, version";

/// A chat from a row of [`CHAT_COLUMNS`]; a state whose parts do not fit its kind is a
/// corrupt `state`.
pub(crate) fn read_chat(row: &Row<'_>) -> Outcome<ChatSession> {
    let r = Reader::new(row, "chats");
    let parts = ChatStateParts {
        kind: r.text("state")?,
        since: r.instant_opt("since")?,
        agent: r.uuid_opt("agent")?.map(AgentId::from_uuid),
        ended_at: r.instant_opt("ended_at")?,
        end: r.text_opt("end_reason")?,
    };
    Ok(ChatSession {
        id: ChatId::from_uuid(r.uuid("id")?),
        ticket_id: TicketId::from_uuid(r.uuid("ticket_id")?),
        customer: CustomerId::from_uuid(r.uuid("customer")?),
        department: DepartmentId::from_uuid(r.uuid("department")?),
        state: ChatState::try_from(parts).map_err(|e| r.corrupt("state", e))?,
        created_at: r.instant("created_at")?,
        version: r.version("version")?,
    })
}

/// An availability from a row of [`AVAILABILITY_COLUMNS`].
pub(crate) fn read_availability(row: &Row<'_>) -> Outcome<Availability> {
    let r = Reader::new(row, "chat_availability");
    Ok(Availability {
        agent: AgentId::from_uuid(r.uuid("agent")?),
        presence: r.text("presence")?,
        max_chats: r.u32("max_chats")?,
        active_chats: r.u32("active_chats")?,
        last_assigned_at: r.instant_opt("last_assigned_at")?,
        last_seen_at: r.instant_opt("last_seen_at")?,
        version: r.version("version")?,
    })
}

/// A stored chat's `version` alone, for a chat commit's check.
pub(crate) fn read_chat_version(row: &Row<'_>) -> Outcome<Version> {
    Reader::new(row, "chats").version("version")
}

/// A stored availability's `version` alone, for a chat commit's check.
pub(crate) fn read_availability_version(row: &Row<'_>) -> Outcome<Version> {
    Reader::new(row, "chat_availability").version("version")
}
