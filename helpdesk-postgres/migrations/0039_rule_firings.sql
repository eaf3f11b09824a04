-- The log of rules that fired (issue 22), written in the transaction of the change that
-- fired them: which rule, on which ticket, when and what it did, as a RuleFiring in JSON.
-- Deleted with its ticket.
CREATE TABLE rule_firings (
    id         uuid        PRIMARY KEY,
    ticket_id  uuid        NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    at         timestamptz NOT NULL,
    firing     text        NOT NULL
);

-- A ticket's firings in the last hour (the limit per ticket), and the log newest first.
CREATE INDEX rule_firings_ticket_idx ON rule_firings (ticket_id, at);
CREATE INDEX rule_firings_at_idx ON rule_firings (at, id);
