-- 0010: live chat (`helpdesk_core::domain::{ChatSession, Availability}`,
-- `helpdesk_core::store::ChatStore`): chat sessions and agents' availability for chats.
--
-- Same conventions as 0001: ids are 16-byte BLOBs, instants INTEGER microseconds since the
-- epoch, enums their stable text forms. A chat's `ChatState` is columns, so that the queue is
-- one scan of an index: `state` names the variant, and only that variant's columns are set.
-- No table references tickets, customers, departments or agents: the store keeps what it is
-- given, like the in-memory reference.
-- Never edit this file once released: add 0011_*.sql instead.

CREATE TABLE chats (
    id          BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    ticket_id   BLOB    NOT NULL CHECK (length(ticket_id) = 16),
    customer    BLOB    NOT NULL CHECK (length(customer) = 16),
    department  BLOB    NOT NULL CHECK (length(department) = 16),
    state       TEXT    NOT NULL CHECK (state IN ('assistant', 'waiting', 'active', 'ended')),
    -- 'waiting': since when the customer waits; 'active': since when the agent has it.
    since       INTEGER,
    -- 'active': the agent.
    agent       BLOB    CHECK (length(agent) = 16),
    -- 'ended': when, and how (`ChatEnd`).
    ended_at    INTEGER,
    end_reason  TEXT    CHECK (end_reason IN ('answered', 'by_customer', 'by_agent', 'no_agent')),
    created_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    CHECK ((since IS NOT NULL) = (state IN ('waiting', 'active'))),
    CHECK ((agent IS NOT NULL) = (state = 'active')),
    CHECK ((ended_at IS NOT NULL) = (state = 'ended')),
    CHECK ((end_reason IS NOT NULL) = (state = 'ended'))
) STRICT, WITHOUT ROWID;

-- A department's queue, longest waiting first; and the waiting chats of every department
-- waiting since before an instant.
CREATE INDEX chats_waiting_by_department ON chats (department, state, since, id)
    WHERE state = 'waiting';
CREATE INDEX chats_waiting_by_since ON chats (since, id) WHERE state = 'waiting';
-- An agent's chats, oldest first.
CREATE INDEX chats_active_by_agent ON chats (agent, created_at, id) WHERE state = 'active';
-- A customer's chats, newest first.
CREATE INDEX chats_by_customer ON chats (customer, created_at, id);

-- Each agent's availability, once set.
CREATE TABLE chat_availability (
    agent             BLOB    NOT NULL PRIMARY KEY CHECK (length(agent) = 16),
    presence          TEXT    NOT NULL CHECK (presence IN ('online', 'away', 'offline')),
    max_chats         INTEGER NOT NULL CHECK (max_chats BETWEEN 0 AND 4294967295),
    active_chats      INTEGER NOT NULL CHECK (active_chats BETWEEN 0 AND 4294967295),
    last_assigned_at  INTEGER,
    version           INTEGER NOT NULL CHECK (version >= 1)
) STRICT, WITHOUT ROWID;
