-- helpdesk-postgres, schema version 6: ticket templates and canned responses
-- (`helpdesk_core::domain::template`).
--
-- Same conventions as 0001: enums are their stable text forms (TicketType::as_str; the
-- language its serde form, as for articles), priority is its rank (NULL: none asked for),
-- names the store sorts by use the "C" collation. Nested values are jsonb in the domain's
-- serde form: a template's categories (an array, sorted) and required fields (an array, in
-- order). No foreign keys to departments, like the tickets' and saved searches' references.

CREATE TABLE templates (
    id              uuid        PRIMARY KEY,
    name            text        COLLATE "C" NOT NULL,
    ticket_type     text        NOT NULL,
    subject_prefix  text,
    department      uuid        NOT NULL,
    priority        smallint,
    categories      jsonb       NOT NULL,
    required_fields jsonb       NOT NULL,
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL
);

CREATE INDEX templates_name_idx ON templates (name, id);

CREATE TABLE canned_responses (
    id         uuid        PRIMARY KEY,
    -- NULL: for every department.
    department uuid,
    name       text        COLLATE "C" NOT NULL,
    language   text        NOT NULL,
    -- With {{placeholders}}.
    body       text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX canned_responses_department_idx ON canned_responses (department, language, name);
