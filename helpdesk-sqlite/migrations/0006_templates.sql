-- 0006: ticket templates and canned responses (`helpdesk_core::domain::template`).
--
-- Same conventions as 0001: ids are 16-byte BLOBs, instants microseconds since the epoch,
-- priorities their rank (1 low .. 4 urgent), nested values with no query use JSON text.
-- No foreign keys to departments, like `agent_departments` (0001).
-- Never edit this file once released: add 0007_*.sql instead.

CREATE TABLE templates (
    id              BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    name            TEXT    NOT NULL,
    ticket_type     TEXT    NOT NULL,                 -- TicketType's text form
    subject_prefix  TEXT,
    department      BLOB    NOT NULL CHECK (length(department) = 16),
    priority        INTEGER CHECK (priority BETWEEN 1 AND 4),   -- NULL: none asked for
    categories      TEXT    NOT NULL,                 -- JSON array of categories, sorted
    required_fields TEXT    NOT NULL,                 -- JSON array of field keys, in order
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX templates_by_name ON templates (name, id);

CREATE TABLE canned_responses (
    id          BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    department  BLOB    CHECK (length(department) = 16),  -- NULL: for every department
    name        TEXT    NOT NULL,
    language    TEXT    NOT NULL,                         -- ISO 639-1 code
    body        TEXT    NOT NULL,                         -- with {{placeholders}}
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX canned_responses_by_department ON canned_responses (department, language, name);
