-- helpdesk-postgres, schema version 1.
--
-- Every object is created unqualified, in the first schema of the connection's search_path,
-- so a deployment (or a test) can keep a helpdesk in a schema of its own.
--
-- Conventions:
-- * ids are uuid; instants are timestamptz (whole microseconds, like the domain's clock);
-- * enums are their stable text forms (Status::as_str, Channel::as_str, ...), priority is
--   Priority::rank (1 = low .. 4 = urgent) so that it sorts;
-- * structured values without their own query needs (actors, custom fields, attachments,
--   permissions, the change of an event) are jsonb in the domain's serde form;
-- * names that the store sorts by use the "C" collation: byte order, the same as Rust's str
--   ordering, whatever the database's default collation is;
-- * unique constraints are named explicitly: the store maps their violations onto
--   Error::Conflict by name.

CREATE TABLE departments (
    id         uuid        PRIMARY KEY,
    name       text        COLLATE "C" NOT NULL,
    follow_up  text        NOT NULL,
    active     boolean     NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX departments_name_idx ON departments (name, id);

CREATE TABLE agents (
    id          uuid        PRIMARY KEY,
    name        text        COLLATE "C" NOT NULL,
    email       text        NOT NULL CONSTRAINT agents_email_key UNIQUE,
    role        text        NOT NULL,
    signature   text        NOT NULL,
    active      boolean     NOT NULL,
    -- {"<department id>": ["read", "reply", ...], ...}
    departments jsonb       NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE INDEX agents_name_idx ON agents (name, id);

CREATE TABLE customers (
    id              uuid        PRIMARY KEY,
    kind            text        NOT NULL,
    name            text        NOT NULL,
    -- Unique when present (NULLs are distinct).
    email           text        CONSTRAINT customers_email_key UNIQUE,
    phone           text,
    contract_number text        CONSTRAINT customers_contract_number_key UNIQUE,
    address         text,
    custom_fields   jsonb       NOT NULL,
    language        text,
    access_enabled  boolean     NOT NULL,
    created_at      timestamptz NOT NULL
);

-- The ticket number sequence: nextval never repeats, also across concurrent transactions;
-- a value whose ticket is never committed is a gap.
CREATE SEQUENCE ticket_number_seq AS bigint MINVALUE 1 START WITH 1 NO CYCLE;

CREATE TABLE tickets (
    id                uuid        PRIMARY KEY,
    number_full       text        NOT NULL CONSTRAINT tickets_number_full_key UNIQUE,
    number_short      text        NOT NULL CONSTRAINT tickets_number_short_key UNIQUE,
    subject           text        NOT NULL,
    customer          uuid,
    department        uuid        NOT NULL,
    assignee          uuid,
    status            text        NOT NULL,
    priority          smallint    NOT NULL,
    ticket_type       text        NOT NULL,
    service           text,
    custom_fields     jsonb       NOT NULL,
    channel           text        NOT NULL,
    internal          boolean     NOT NULL,
    master            uuid,
    merged_into       uuid,
    follow_up_of      uuid,
    opened_by         jsonb       NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    first_response_at timestamptz,
    resolved_at       timestamptz,
    closed_at         timestamptz,
    version           bigint      NOT NULL
);

-- The list orders: most recently changed first, and the priority queue.
CREATE INDEX tickets_updated_idx ON tickets (updated_at DESC, id DESC);
CREATE INDEX tickets_priority_idx ON tickets (priority DESC, updated_at, id);
-- The common filters, each leading an index in the default order.
CREATE INDEX tickets_department_updated_idx ON tickets (department, updated_at DESC, id DESC);
CREATE INDEX tickets_department_priority_idx ON tickets (department, priority DESC, updated_at, id);
CREATE INDEX tickets_status_updated_idx ON tickets (status, updated_at DESC, id DESC);
CREATE INDEX tickets_assignee_updated_idx ON tickets (assignee, updated_at DESC, id DESC);
CREATE INDEX tickets_customer_updated_idx ON tickets (customer, updated_at DESC, id DESC)
    WHERE customer IS NOT NULL;
CREATE INDEX tickets_master_idx ON tickets (master) WHERE master IS NOT NULL;

-- Full and short numbers share one namespace, as people type either: a digit string names
-- at most one ticket. Written when a ticket is created.
CREATE TABLE ticket_numbers (
    digits    text PRIMARY KEY,
    ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE
);

CREATE INDEX ticket_numbers_ticket_idx ON ticket_numbers (ticket_id);

-- A ticket's categories, one row each, for the category filter.
CREATE TABLE ticket_categories (
    ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    category  text COLLATE "C" NOT NULL,
    PRIMARY KEY (ticket_id, category)
);

CREATE INDEX ticket_categories_category_idx ON ticket_categories (category, ticket_id);

-- Messages, events and time entries come back in the order they were written: seq.
CREATE TABLE messages (
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    id          uuid        PRIMARY KEY,
    ticket_id   uuid        NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author      jsonb       NOT NULL,
    visibility  text        NOT NULL,
    channel     text        NOT NULL,
    body        text        NOT NULL,
    attachments jsonb       NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE INDEX messages_ticket_idx ON messages (ticket_id, seq);

CREATE TABLE ticket_events (
    seq       bigint      GENERATED ALWAYS AS IDENTITY,
    id        uuid        PRIMARY KEY,
    ticket_id uuid        NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    -- Change::kind, for querying the log by kind; the change itself is the jsonb.
    kind      text        NOT NULL,
    actor     jsonb       NOT NULL,
    at        timestamptz NOT NULL,
    change    jsonb       NOT NULL
);

CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, seq);

CREATE TABLE time_entries (
    seq        bigint      GENERATED ALWAYS AS IDENTITY,
    id         uuid        PRIMARY KEY,
    ticket_id  uuid        NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    agent      uuid        NOT NULL,
    minutes    integer     NOT NULL,
    billable   boolean     NOT NULL,
    note       text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX time_entries_ticket_idx ON time_entries (ticket_id, seq);
