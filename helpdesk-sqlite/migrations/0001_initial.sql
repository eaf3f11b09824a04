-- 0001: the first schema of the helpdesk SQLite store.
--
-- Conventions, for every table:
--   * ids are UUIDs as 16-byte BLOBs (big-endian, so BLOB order is `Uuid`'s order);
--   * instants are INTEGER microseconds since the Unix epoch, UTC;
--   * booleans are INTEGER 0 or 1;
--   * enums are their stable text forms (`Status::as_str`, ...), priorities their rank 1..4;
--   * validated text (names, subjects, ...) is stored as validated and parsed again on read;
--   * nested values with no query use (custom fields, attachments, changes) are JSON text.
-- Every table is STRICT, so a value of the wrong type is refused on write.
-- Threads, histories and time entries keep insertion order in an INTEGER PRIMARY KEY `seq`.
-- Never edit this file once released: add 0002_*.sql instead.

-- The directory ---------------------------------------------------------------------------

CREATE TABLE departments (
    id          BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    name        TEXT    NOT NULL,
    follow_up   TEXT    NOT NULL,
    active      INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX departments_by_name ON departments (name, id);

CREATE TABLE agents (
    id          BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    name        TEXT    NOT NULL,
    email       TEXT    NOT NULL UNIQUE,
    role        TEXT    NOT NULL,
    signature   TEXT    NOT NULL,
    active      INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX agents_by_name ON agents (name, id);

-- An agent's departments, each with its permission set (a JSON array of permission names;
-- it may be empty: membership alone matters to supervisors). No foreign key to departments:
-- the directory may be filled in any order.
CREATE TABLE agent_departments (
    agent_id       BLOB NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    department_id  BLOB NOT NULL CHECK (length(department_id) = 16),
    permissions    TEXT NOT NULL,
    PRIMARY KEY (agent_id, department_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX agent_departments_by_department ON agent_departments (department_id, agent_id);

CREATE TABLE customers (
    id               BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    kind             TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    email            TEXT    UNIQUE,           -- NULLs are not equal: many customers have none
    phone            TEXT,                     -- as typed
    phone_digits     TEXT,                     -- only its ASCII digits, for look-ups
    contract_number  TEXT    UNIQUE,
    address          TEXT,
    custom_fields    TEXT    NOT NULL,         -- JSON object
    language         TEXT,                     -- ISO 639-1 code
    access_enabled   INTEGER NOT NULL CHECK (access_enabled IN (0, 1)),
    created_at       INTEGER NOT NULL
) STRICT;

CREATE INDEX customers_by_phone ON customers (phone_digits) WHERE phone_digits IS NOT NULL;

-- Tickets ---------------------------------------------------------------------------------

-- The ticket number sequence: one row, advanced with UPDATE ... RETURNING.
CREATE TABLE ticket_sequence (
    id     INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    value  INTEGER NOT NULL CHECK (value >= 0)
) STRICT;

INSERT INTO ticket_sequence (id, value) VALUES (1, 0);

CREATE TABLE tickets (
    id                 BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    number_full        TEXT    NOT NULL UNIQUE,
    number_short       TEXT    NOT NULL UNIQUE,
    subject            TEXT    NOT NULL,
    customer           BLOB,
    department         BLOB    NOT NULL,
    assignee           BLOB,
    status             TEXT    NOT NULL,
    priority           INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),
    ticket_type        TEXT    NOT NULL,
    service            TEXT,
    custom_fields      TEXT    NOT NULL,       -- JSON object
    channel            TEXT    NOT NULL,
    internal           INTEGER NOT NULL CHECK (internal IN (0, 1)),
    master             BLOB,
    merged_into        BLOB,
    follow_up_of       BLOB,
    opened_by_kind     TEXT    NOT NULL,       -- customer, agent or system
    opened_by_id       BLOB,                   -- NULL for the system
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    first_response_at  INTEGER,
    resolved_at        INTEGER,
    closed_at          INTEGER,
    version            INTEGER NOT NULL
) STRICT;

-- The two list orders: most recently changed first, and the priority queue.
CREATE INDEX tickets_by_update ON tickets (updated_at DESC, id DESC);
CREATE INDEX tickets_by_priority ON tickets (priority DESC, updated_at, id);
-- The usual filters, each leading an index in "last update" order.
CREATE INDEX tickets_by_department ON tickets (department, updated_at DESC, id DESC);
CREATE INDEX tickets_by_department_priority ON tickets (department, priority DESC, updated_at, id);
CREATE INDEX tickets_by_status ON tickets (status, updated_at DESC, id DESC);
CREATE INDEX tickets_by_customer ON tickets (customer, updated_at DESC, id DESC)
    WHERE customer IS NOT NULL;
CREATE INDEX tickets_by_assignee ON tickets (assignee, updated_at DESC, id DESC);
CREATE INDEX tickets_by_master ON tickets (master) WHERE master IS NOT NULL;

CREATE TABLE ticket_categories (
    ticket_id  BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    PRIMARY KEY (ticket_id, category)
) STRICT, WITHOUT ROWID;

CREATE INDEX ticket_categories_by_category ON ticket_categories (category, ticket_id);

CREATE TABLE messages (
    seq          INTEGER NOT NULL PRIMARY KEY,
    id           BLOB    NOT NULL UNIQUE CHECK (length(id) = 16),
    ticket_id    BLOB    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_kind  TEXT    NOT NULL,             -- customer, agent or system
    author_id    BLOB,
    visibility   TEXT    NOT NULL,             -- public or internal
    channel      TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    attachments  TEXT    NOT NULL,             -- JSON array
    created_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX messages_by_ticket ON messages (ticket_id, seq);

CREATE TABLE ticket_events (
    seq         INTEGER NOT NULL PRIMARY KEY,
    id          BLOB    NOT NULL UNIQUE CHECK (length(id) = 16),
    ticket_id   BLOB    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    actor_kind  TEXT    NOT NULL,              -- customer, agent or system
    actor_id    BLOB,
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL,              -- Change::kind, for queries by kind
    change      TEXT    NOT NULL               -- the whole Change, JSON
) STRICT;

CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, seq);

CREATE TABLE time_entries (
    seq         INTEGER NOT NULL PRIMARY KEY,
    id          BLOB    NOT NULL UNIQUE CHECK (length(id) = 16),
    ticket_id   BLOB    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    agent       BLOB    NOT NULL,
    minutes     INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    billable    INTEGER NOT NULL CHECK (billable IN (0, 1)),
    note        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX time_entries_by_ticket ON time_entries (ticket_id, seq);
CREATE INDEX time_entries_by_agent ON time_entries (agent, created_at);
