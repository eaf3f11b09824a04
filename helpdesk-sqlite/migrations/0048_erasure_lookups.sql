-- 0048 (issue 22, item 4): an erasure finds, on every ticket, the history entries naming the
-- customer's address as the one a thread was e-mailed to, and the mail that copies them (CC),
-- without reading the whole history and outbox.
CREATE INDEX ticket_events_thread_emailed_idx ON ticket_events (json_extract(change, '$.to'))
    WHERE kind = 'thread_emailed';

CREATE INDEX outbox_copied_idx ON outbox (cc, id) WHERE cc <> '[]';
