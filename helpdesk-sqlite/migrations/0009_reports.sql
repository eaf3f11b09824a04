-- 0009: reports (`helpdesk_core::store::ReportStore`): each ticket's measurements
-- (`helpdesk_core::domain::TicketMetrics`) and the values reports aggregate, as plain columns,
-- with indexes for the report's range scans.
--
-- Same conventions as 0001: instants are INTEGER microseconds since the Unix epoch, UTC;
-- enums their stable text forms. The derived columns (sla_*, satisfaction_*) repeat what the
-- `timers` and `satisfaction` JSON hold; every ticket insert and update writes them, and this
-- migration computes them for the tickets written before it.
-- Never edit this file once released: add 0010_*.sql instead.

-- Business seconds from opening to the first public agent reply; NULL until then.
ALTER TABLE tickets ADD COLUMN first_response_secs INTEGER;

-- Business seconds from opening to the (latest) resolution; NULL until then.
ALTER TABLE tickets ADD COLUMN resolution_secs INTEGER;

-- How many times the ticket went from resolved or closed back to work.
ALTER TABLE tickets ADD COLUMN reopens INTEGER NOT NULL DEFAULT 0 CHECK (reopens >= 0);

-- The outcome of each service-level clock (`timers.clocks[].outcome` of the clock with that
-- target): 'met', 'breached', or NULL while unknown or without such a clock.
ALTER TABLE tickets ADD COLUMN sla_first_response TEXT
    CHECK (sla_first_response IN ('met', 'breached'));
ALTER TABLE tickets ADD COLUMN sla_next_response TEXT
    CHECK (sla_next_response IN ('met', 'breached'));
ALTER TABLE tickets ADD COLUMN sla_resolution TEXT
    CHECK (sla_resolution IN ('met', 'breached'));

-- The customer's rating (`satisfaction.score`, 1 to 5) and when it was given
-- (`satisfaction.at`); NULL while unrated.
ALTER TABLE tickets ADD COLUMN satisfaction_score INTEGER
    CHECK (satisfaction_score BETWEEN 1 AND 5);
ALTER TABLE tickets ADD COLUMN satisfaction_at INTEGER;

-- Tickets written before 0009: their clocks' outcomes and their rating. Their metrics are
-- unknown (NULL, and no reopens): the histories are not replayed.
UPDATE tickets SET
    sla_first_response = (
        SELECT json_extract(c.value, '$.outcome') FROM json_each(tickets.timers, '$.clocks') c
        WHERE json_extract(c.value, '$.target') = 'first_response' ORDER BY c.key LIMIT 1),
    sla_next_response = (
        SELECT json_extract(c.value, '$.outcome') FROM json_each(tickets.timers, '$.clocks') c
        WHERE json_extract(c.value, '$.target') = 'next_response' ORDER BY c.key LIMIT 1),
    sla_resolution = (
        SELECT json_extract(c.value, '$.outcome') FROM json_each(tickets.timers, '$.clocks') c
        WHERE json_extract(c.value, '$.target') = 'resolution' ORDER BY c.key LIMIT 1)
WHERE json_array_length(timers, '$.clocks') > 0;

-- `satisfaction.at` is RFC 3339 in UTC as chrono writes it ('2026-01-05T10:00:00Z', or with
-- 3, 6 or 9 fractional digits before the 'Z'): whole seconds, then the fraction cut to
-- microseconds.
UPDATE tickets SET
    satisfaction_score = json_extract(satisfaction, '$.score'),
    satisfaction_at = (
        SELECT unixepoch(substr(a, 1, 19)) * 1000000
               + CASE WHEN substr(a, 20, 1) = '.'
                      THEN CAST(substr(rtrim(substr(a, 21), 'Z') || '000000', 1, 6) AS INTEGER)
                      ELSE 0 END
        FROM (SELECT json_extract(tickets.satisfaction, '$.at') AS a))
WHERE satisfaction IS NOT NULL;

-- The report's range scans: tickets opened (and in backlog) by creation, closed, first
-- answered, resolved and rated in a range; time logged in a range. Tickets without the
-- instant are left out of its index.
CREATE INDEX tickets_by_created ON tickets (created_at);
CREATE INDEX tickets_by_closed ON tickets (closed_at, created_at);
CREATE INDEX tickets_by_first_response ON tickets (first_response_at)
    WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_by_resolved ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX tickets_by_satisfaction ON tickets (satisfaction_at)
    WHERE satisfaction_at IS NOT NULL;
CREATE INDEX time_entries_by_created ON time_entries (created_at);
