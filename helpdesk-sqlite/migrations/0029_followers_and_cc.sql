-- Followers and CC (issue 20): the addresses copied on a ticket's public thread, the agents
-- who follow a ticket, and the Cc of an outbox e-mail.
CREATE TABLE ticket_cc (
    ticket_id  BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    address    TEXT NOT NULL,
    PRIMARY KEY (ticket_id, address)
) STRICT, WITHOUT ROWID;

-- The tickets an address is copied on (the participant rule of inbound mail).
CREATE INDEX ticket_cc_by_address ON ticket_cc (address, ticket_id);

CREATE TABLE ticket_followers (
    ticket_id  BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    agent_id   BLOB NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    PRIMARY KEY (ticket_id, agent_id)
) STRICT, WITHOUT ROWID;

-- An agent's followed tickets.
CREATE INDEX ticket_followers_by_agent ON ticket_followers (agent_id, ticket_id);

-- JSON array of addresses, in order; '[]' for e-mails written before.
ALTER TABLE outbox ADD COLUMN cc TEXT NOT NULL DEFAULT '[]';
