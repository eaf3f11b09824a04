-- 0002: each ticket's waiting time, its timers and when something about it is next due.
--
-- Same conventions as 0001: instants are INTEGER microseconds since the Unix epoch, UTC, and
-- nested values with no query use are JSON text.
-- Never edit this file once released: add 0003_*.sql instead.

-- Since when the customer has been waiting for us; NULL when nobody waits.
ALTER TABLE tickets ADD COLUMN waiting_since INTEGER;

-- The service-level clocks, the pending reminder and the auto-close: a `Timers`, JSON. The
-- default is the JSON of `Timers::default()`, so tickets written before 0002 have no timers.
ALTER TABLE tickets ADD COLUMN timers TEXT NOT NULL
    DEFAULT '{"sla_policy":null,"clocks":[],"pending_until":null,"auto_close_at":null,"auto_close_warn_at":null}';

-- The earliest instant at which something about the ticket is due (`Timers::next_due_at`);
-- NULL when nothing is.
ALTER TABLE tickets ADD COLUMN next_due_at INTEGER;

-- Due tickets, earliest first: only tickets with something due are in the index, so finding
-- the due ones reads just those.
CREATE INDEX tickets_due ON tickets (next_due_at, id) WHERE next_due_at IS NOT NULL;

-- The "waiting" order: the longest waiting first, tickets nobody waits on last, then by id.
-- Its key is a virtual column (computed on read, stored only in the index): NULL becomes the
-- largest integer, which is no instant (the latest `DateTime<Utc>` is about 8.2e18
-- microseconds after the epoch), so (waiting_key, id) orders exactly like the reference. As a
-- plain column in the index, a page after a cursor is one seek on ((waiting_key, id) > (?, ?)),
-- which an index on the expression itself does not get from SQLite's planner.
ALTER TABLE tickets ADD COLUMN waiting_key INTEGER
    GENERATED ALWAYS AS (coalesce(waiting_since, 9223372036854775807)) VIRTUAL;

CREATE INDEX tickets_by_waiting ON tickets (waiting_key, id);
