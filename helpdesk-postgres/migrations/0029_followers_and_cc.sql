-- Followers and CC (issue 20): the addresses copied on a ticket's public thread, the agents
-- who follow a ticket, and the Cc of an outbox e-mail.
CREATE TABLE ticket_cc (
    ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    address   text COLLATE "C" NOT NULL,
    PRIMARY KEY (ticket_id, address)
);

-- The tickets an address is copied on (the participant rule of inbound mail).
CREATE INDEX ticket_cc_address_idx ON ticket_cc (address, ticket_id);

CREATE TABLE ticket_followers (
    ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    agent_id  uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    PRIMARY KEY (ticket_id, agent_id)
);

-- An agent's followed tickets.
CREATE INDEX ticket_followers_agent_idx ON ticket_followers (agent_id, ticket_id);

-- The addresses, in order; '[]' for e-mails written before.
ALTER TABLE outbox ADD COLUMN cc jsonb NOT NULL DEFAULT '[]'::jsonb;
