-- helpdesk-postgres, schema version 26: where a message or history entry came from when
-- another ticket put it in its ticket (issue 20: master tickets, merge, split).
--
-- `origin` is helpdesk_core::domain::Origin as JSON ({"kind": "master" | "merge" | "split",
-- "ticket": id, "number": {...}}), NULL for an entry written on its own ticket. A merge or a
-- split moves rows between tickets: their `ticket_id` changes and they get a new `seq` (the
-- identity's next value) at the end of the new ticket's thread or history; a message's search
-- field and its words in `ticket_words` move with it. A merged ticket keeps its number and
-- `merged_into`, so its number still leads to the ticket it lives on in.
-- Never edit this file once released: add a new one instead.

ALTER TABLE messages ADD COLUMN origin jsonb;
ALTER TABLE ticket_events ADD COLUMN origin jsonb;
