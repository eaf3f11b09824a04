-- 0044 (issue 21): people's own settings (`PersonSettingsStore`): per agent and per
-- customer who chose, the IANA name of the time zone their pages show dates and times in,
-- and the ISO 639-1 code of their page language (staff; a customer's is on `customers`).
-- A person with no row has chosen nothing. An erasure deletes the customer's row.
-- Never edit this file once released: add a later migration instead.

CREATE TABLE agent_settings (
    agent_id   BLOB NOT NULL PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    time_zone  TEXT,
    language   TEXT
) STRICT;

CREATE TABLE customer_settings (
    customer_id  BLOB NOT NULL PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    time_zone    TEXT,
    language     TEXT
) STRICT;
