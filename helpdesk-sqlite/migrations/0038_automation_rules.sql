-- Automation (issue 22): triggers and macros, each kept as its JSON definition (a Rule or
-- a Macro), with the columns they are listed by.
CREATE TABLE automation_rules (
    id        BLOB    PRIMARY KEY,
    position  INTEGER NOT NULL,
    rule      TEXT    NOT NULL
) STRICT;

CREATE TABLE automation_macros (
    id     BLOB PRIMARY KEY,
    name   TEXT NOT NULL,
    entry  TEXT NOT NULL
) STRICT;
