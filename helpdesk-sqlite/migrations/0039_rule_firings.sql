-- The log of rules that fired (issue 22), written in the transaction of the change that
-- fired them: which rule, on which ticket, when (microseconds) and what it did, as a
-- RuleFiring in JSON. Deleted with its ticket.
CREATE TABLE rule_firings (
    id         BLOB    PRIMARY KEY,
    ticket_id  BLOB    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    firing     TEXT    NOT NULL
) STRICT;

-- A ticket's firings in the last hour (the limit per ticket), and the log newest first.
CREATE INDEX rule_firings_by_ticket ON rule_firings (ticket_id, at);
CREATE INDEX rule_firings_by_time ON rule_firings (at, id);
