-- Automation (issue 22): triggers and macros, each kept as its JSON definition (a Rule or
-- a Macro), with the columns they are listed by.
CREATE TABLE automation_rules (
    id        uuid   PRIMARY KEY,
    position  bigint NOT NULL,
    rule      text   NOT NULL
);

CREATE TABLE automation_macros (
    id     uuid PRIMARY KEY,
    name   text COLLATE "C" NOT NULL,
    entry  text NOT NULL
);
