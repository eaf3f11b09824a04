-- helpdesk-postgres, schema version 9: reports (`helpdesk_core::store::ReportStore`).
--
-- Reports aggregate columns with GROUP BY, FILTER clauses and percentile_disc, so what they
-- count is kept in columns of the ticket:
-- * first_response_secs, resolution_secs, reopens: the ticket's `TicketMetrics`. Tickets
--   written before this migration measured nothing (business time cannot be computed here):
--   NULL, NULL and 0, the domain's defaults for a ticket without metrics.
-- * sla_first_response, sla_next_response, sla_resolution: the outcome ('met', 'breached',
--   the serde form of `SlaOutcome`) of the ticket's clock for each target (the first clock
--   of that target in `timers`), NULL while unknown or without a clock. Derived from
--   `timers`, written by `commit` with every ticket and filled in here for existing ones.
-- * satisfaction_score, satisfaction_at: the rating's score and instant, NULL without one.
--   Derived from `satisfaction` in the same way.
--
-- Indexes: every instant a report counts by is a range scan of its own index, so that a
-- report reads the tickets that count in its range (the planner ORs the scans together),
-- not the whole table; the backlog is a GiST index of each ticket's open span.

ALTER TABLE tickets
    ADD COLUMN first_response_secs bigint,
    ADD COLUMN resolution_secs     bigint,
    ADD COLUMN reopens             bigint      NOT NULL DEFAULT 0,
    ADD COLUMN sla_first_response  text,
    ADD COLUMN sla_next_response   text,
    ADD COLUMN sla_resolution      text,
    ADD COLUMN satisfaction_score  smallint,
    ADD COLUMN satisfaction_at     timestamptz;

UPDATE tickets t SET
    sla_first_response = (
        SELECT c.clock ->> 'outcome' FROM jsonb_array_elements(t.timers -> 'clocks')
            WITH ORDINALITY AS c(clock, n)
        WHERE c.clock ->> 'target' = 'first_response' ORDER BY c.n LIMIT 1),
    sla_next_response = (
        SELECT c.clock ->> 'outcome' FROM jsonb_array_elements(t.timers -> 'clocks')
            WITH ORDINALITY AS c(clock, n)
        WHERE c.clock ->> 'target' = 'next_response' ORDER BY c.n LIMIT 1),
    sla_resolution = (
        SELECT c.clock ->> 'outcome' FROM jsonb_array_elements(t.timers -> 'clocks')
            WITH ORDINALITY AS c(clock, n)
        WHERE c.clock ->> 'target' = 'resolution' ORDER BY c.n LIMIT 1),
    satisfaction_score = (t.satisfaction ->> 'score')::smallint,
    satisfaction_at = (t.satisfaction ->> 'at')::timestamptz
WHERE t.timers -> 'clocks' <> '[]'::jsonb OR t.satisfaction IS NOT NULL;

-- Opened (and SLA outcomes and reopens, which count tickets opened in the range).
CREATE INDEX tickets_created_idx ON tickets (created_at);
-- Closed in the range.
CREATE INDEX tickets_closed_idx ON tickets (closed_at) WHERE closed_at IS NOT NULL;
-- The backlog at an instant: tickets created before it and not closed before it, i.e. whose
-- span (created_at, closed_at] (unbounded while open) contains it. A GiST index of the spans
-- finds them with `@>`, however many tickets were created before and closed since. A
-- closing instant before the creation (which the domain never writes) makes the span empty,
-- as it contains no instant the backlog counts either. Queries must spell the expression
-- exactly so (`reports::BACKLOG_SPAN`).
CREATE INDEX tickets_backlog_idx ON tickets USING gist (
    tstzrange(created_at,
              CASE WHEN closed_at < created_at THEN created_at ELSE closed_at END,
              '(]'));
CREATE INDEX tickets_first_response_idx ON tickets (first_response_at)
    WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_resolved_idx ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX tickets_satisfaction_idx ON tickets (satisfaction_at)
    WHERE satisfaction_at IS NOT NULL;
-- Billable time logged in the range.
CREATE INDEX time_entries_billable_created_idx ON time_entries (created_at, ticket_id)
    WHERE billable;
