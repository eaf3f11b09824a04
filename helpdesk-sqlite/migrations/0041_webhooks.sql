-- 0041 (issue 23): webhook endpoints and their deliveries.
--
-- An endpoint is kept as the core's JSON (`WebhookEndpoint`, its secret included) beside
-- the column the commit reads. A delivery is written by the commit of the change it
-- reports, in its transaction (the outbox pattern), as the core's JSON (`WebhookDelivery`)
-- beside the columns a dispatcher's lease reads and writes.
CREATE TABLE webhook_endpoints (
    id        BLOB PRIMARY KEY,
    enabled   INTEGER NOT NULL,
    endpoint  TEXT NOT NULL
) STRICT;

CREATE TABLE webhook_deliveries (
    id               BLOB PRIMARY KEY,
    endpoint_id      BLOB NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    state            TEXT NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    lease_token      BLOB,
    leased_until     INTEGER,
    delivery         TEXT NOT NULL
) STRICT;

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_of_endpoint
    ON webhook_deliveries (endpoint_id, created_at, id);
