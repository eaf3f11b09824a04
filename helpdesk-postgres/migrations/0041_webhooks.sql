-- 0041 (issue 23): webhook endpoints and their deliveries.
--
-- An endpoint is kept as the core's JSON (`WebhookEndpoint`, its secret included) beside
-- the column the commit reads. A delivery is written by the commit of the change it
-- reports, in its transaction (the outbox pattern), as the core's JSON (`WebhookDelivery`)
-- beside the columns a dispatcher's lease reads and writes (`FOR UPDATE SKIP LOCKED`).
CREATE TABLE webhook_endpoints (
    id        uuid    PRIMARY KEY,
    enabled   boolean NOT NULL,
    endpoint  text    NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               uuid        PRIMARY KEY,
    endpoint_id      uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    state            text        NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    lease_token      uuid,
    leased_until     timestamptz,
    delivery         text        NOT NULL
);

CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_endpoint_idx
    ON webhook_deliveries (endpoint_id, created_at, id);
