-- helpdesk-postgres, schema version 10: live chat
-- (`helpdesk_core::domain::{ChatSession, Availability}`, `helpdesk_core::store::ChatStore`):
-- chat sessions and agents' availability for chats.
--
-- Same conventions as 0001: ids are uuid, instants timestamptz, enums their stable text
-- forms. A chat's `ChatState` is columns, so that the queue is one scan of an index: `state`
-- names the variant, and only that variant's columns are set. No table references tickets,
-- customers, departments or agents: the store keeps what it is given, like the in-memory
-- reference. Both tables carry a version, checked (under a row lock) by every commit.

CREATE TABLE chats (
    id          uuid        PRIMARY KEY,
    ticket_id   uuid        NOT NULL,
    customer    uuid        NOT NULL,
    department  uuid        NOT NULL,
    state       text        NOT NULL CHECK (state IN ('assistant', 'waiting', 'active', 'ended')),
    -- 'waiting': since when the customer waits; 'active': since when the agent has it.
    since       timestamptz,
    -- 'active': the agent.
    agent       uuid,
    -- 'ended': when, and how (`ChatEnd`).
    ended_at    timestamptz,
    end_reason  text        CHECK (end_reason IN ('answered', 'by_customer', 'by_agent', 'no_agent')),
    created_at  timestamptz NOT NULL,
    version     bigint      NOT NULL CHECK (version >= 1),
    CHECK ((since IS NOT NULL) = (state IN ('waiting', 'active'))),
    CHECK ((agent IS NOT NULL) = (state = 'active')),
    CHECK ((ended_at IS NOT NULL) = (state = 'ended')),
    CHECK ((end_reason IS NOT NULL) = (state = 'ended'))
);

-- A department's queue, longest waiting first; and the waiting chats of every department
-- waiting since before an instant.
CREATE INDEX chats_waiting_by_department_idx ON chats (department, state, since, id)
    WHERE state = 'waiting';
CREATE INDEX chats_waiting_by_since_idx ON chats (since, id) WHERE state = 'waiting';
-- An agent's chats, oldest first.
CREATE INDEX chats_active_by_agent_idx ON chats (agent, created_at, id) WHERE state = 'active';
-- A customer's chats, newest first.
CREATE INDEX chats_by_customer_idx ON chats (customer, created_at, id);

-- Each agent's availability, once set.
CREATE TABLE chat_availability (
    agent             uuid        PRIMARY KEY,
    presence          text        NOT NULL CHECK (presence IN ('online', 'away', 'offline')),
    max_chats         bigint      NOT NULL CHECK (max_chats BETWEEN 0 AND 4294967295),
    active_chats      bigint      NOT NULL CHECK (active_chats BETWEEN 0 AND 4294967295),
    last_assigned_at  timestamptz,
    version           bigint      NOT NULL CHECK (version >= 1)
);
