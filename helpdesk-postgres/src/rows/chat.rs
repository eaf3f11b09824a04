//! Chats and agents' availability (tables `chats` and `chat_availability`). A chat's state is
//! the flat columns of core's [`ChatStateParts`]: its kind, `since`, `agent`, `ended_at` and
//! `end_reason` (the table's checks allow only the combinations a state has).

use helpdesk_core::Result;
use helpdesk_core::domain::{
    AgentId, Availability, ChatEnd, ChatId, ChatSession, ChatState, ChatStateParts, CustomerId,
    DepartmentId, TicketId,
};
use sqlx::postgres::PgRow;
use uuid::Uuid;

use super::{PgQuery, Reader, to_i64};

/// The column list of chat reads.
macro_rules! chat_columns {
    () => {
        "id, ticket_id, customer, department, state, since, agent, ended_at, end_reason, \
         created_at, version"
    };
}
pub(crate) use chat_columns;

/// The column list of availability reads.
macro_rules! availability_columns {
    () => {
        "agent, presence, max_chats, active_chats, last_assigned_at, last_seen_at, version"
    };
}
pub(crate) use availability_columns;

/// A chat from a row selected with [`chat_columns!`].
pub(crate) fn chat(row: &PgRow) -> Result<ChatSession> {
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

/// An availability from a row selected with [`availability_columns!`].
pub(crate) fn availability(row: &PgRow) -> Result<Availability> {
    let r = Reader::new(row, "chat_availability");
    Ok(Availability {
        agent: AgentId::from_uuid(r.get("agent")?),
        presence: r.text("presence")?,
        max_chats: r.number("max_chats")?,
        active_chats: r.number("active_chats")?,
        last_assigned_at: r.get("last_assigned_at")?,
        last_seen_at: r.get("last_seen_at")?,
        version: r.version("version")?,
    })
}

/// Inserts a new chat (`$1..$11`, [`bind_chat`]); nothing when a concurrent commit inserted
/// it first.
pub(crate) const INSERT_CHAT: &str = "INSERT INTO chats (id, ticket_id, customer, department, \
     state, since, agent, ended_at, end_reason, created_at, version) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING";

/// Updates a chat (`$1..$11`, [`bind_chat`]) still at the version `$12`.
pub(crate) const UPDATE_CHAT: &str = "UPDATE chats SET ticket_id = $2, customer = $3, \
     department = $4, state = $5, since = $6, agent = $7, ended_at = $8, end_reason = $9, \
     created_at = $10, version = $11 WHERE id = $1 AND version = $12";

/// Binds a chat's columns for [`INSERT_CHAT`] and [`UPDATE_CHAT`].
pub(crate) fn bind_chat<'q>(query: PgQuery<'q>, c: &ChatSession) -> Result<PgQuery<'q>> {
    let parts = ChatStateParts::from(c.state);
    Ok(query
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
        .bind(to_i64(c.version.get())?))
}

/// Inserts a new availability (`$1..$7`, [`bind_availability`]); nothing when a concurrent
/// commit inserted it first.
pub(crate) const INSERT_AVAILABILITY: &str = "INSERT INTO chat_availability (agent, presence, \
     max_chats, active_chats, last_assigned_at, version, last_seen_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (agent) DO NOTHING";

/// Updates an availability (`$1..$7`, [`bind_availability`]) still at the version `$8`.
pub(crate) const UPDATE_AVAILABILITY: &str = "UPDATE chat_availability SET presence = $2, \
     max_chats = $3, active_chats = $4, last_assigned_at = $5, version = $6, \
     last_seen_at = $7 WHERE agent = $1 AND version = $8";

/// Binds an availability's columns for [`INSERT_AVAILABILITY`] and [`UPDATE_AVAILABILITY`].
pub(crate) fn bind_availability<'q>(query: PgQuery<'q>, a: &Availability) -> Result<PgQuery<'q>> {
    Ok(query
        .bind(a.agent.as_uuid())
        .bind(a.presence.as_str())
        .bind(i64::from(a.max_chats))
        .bind(i64::from(a.active_chats))
        .bind(a.last_assigned_at)
        .bind(to_i64(a.version.get())?)
        .bind(a.last_seen_at))
}
