-- helpdesk-postgres, schema version 2: waiting times, timers and due tickets.
--
-- * waiting_since: since when the customer has been waiting for a public agent reply; NULL
--   when nobody waits. The Waiting list order is (waiting_since ASC NULLS LAST, id),
--   computed as (COALESCE(waiting_since, 'infinity'), id): no real instant is 'infinity'.
-- * timers: the ticket's service-level clocks, pending reminder and auto-close, as jsonb in
--   the domain's serde form. Existing tickets get the JSON of `Timers::default()`.
-- * next_due_at: the earliest instant something about the ticket is due
--   (`Timers::next_due_at`), a column of its own so that due tickets are an index scan.

ALTER TABLE tickets
    ADD COLUMN waiting_since timestamptz,
    ADD COLUMN timers        jsonb       NOT NULL DEFAULT '{"sla_policy": null, "clocks": [], "pending_until": null, "auto_close_at": null, "auto_close_warn_at": null}'::jsonb,
    ADD COLUMN next_due_at   timestamptz;

-- Due tickets, earliest first: only tickets with something due are in it, so a scan costs
-- what it returns, however many tickets there are.
CREATE INDEX tickets_due_idx ON tickets (next_due_at, id) WHERE next_due_at IS NOT NULL;

-- The Waiting order: who has waited longest first, tickets nobody waits on last. An
-- expression index so that the order is one row value, with no NULLs: a page after any
-- cursor is the row comparison `(COALESCE(waiting_since, 'infinity'), id) > (w, id)`, which
-- starts the scan at the cursor. Queries must spell the expression exactly so.
CREATE INDEX tickets_waiting_idx
    ON tickets ((COALESCE(waiting_since, 'infinity'::timestamptz)), id);
