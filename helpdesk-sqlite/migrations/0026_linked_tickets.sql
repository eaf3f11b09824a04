-- helpdesk-sqlite, schema version 26: where a message or history entry came from when another
-- ticket put it in its ticket (issue 20: master tickets, merge, split).
--
-- `origin` is the JSON of helpdesk_core::domain::Origin ({"kind": "master" | "merge" |
-- "split", "ticket": id, "number": {...}}), NULL for an entry written on its own ticket.
-- A merge or a split moves rows between tickets (their `ticket_id` changes and they get a
-- new `seq` at the end of the new ticket's thread or history); a merged ticket keeps its
-- number and `merged_into`, so its number still leads to the ticket it lives on in.
-- Never edit this file once released: add a new one instead.

ALTER TABLE messages ADD COLUMN origin TEXT;
ALTER TABLE ticket_events ADD COLUMN origin TEXT;
