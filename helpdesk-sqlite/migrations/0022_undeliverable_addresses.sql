-- 0022 (issue 19): addresses the desk's mail cannot reach.
--
-- `undeliverable_address`: one mark per address (lower-case, as the core's `Email` keeps
-- it): until when it lasts (microseconds since the epoch, compared with the instant the
-- core asks about) and the core's record as JSON (`UndeliverableAddress`: when it was
-- marked, the status and the server's words, the ticket and outbox e-mail that bounced).
-- The store only writes, reads and deletes rows, listed by address.
CREATE TABLE undeliverable_address (
    address  TEXT    NOT NULL PRIMARY KEY,
    until_at INTEGER NOT NULL,
    mark     TEXT    NOT NULL
) STRICT;
