-- 0022 (issue 19): addresses the desk's mail cannot reach.
--
-- `undeliverable_address`: one mark per address (lower-case, as the core's `Email` keeps
-- it): until when it lasts (compared with the instant the core asks about) and the core's
-- record as JSON (`UndeliverableAddress`: when it was marked, the status and the server's
-- words, the ticket and outbox e-mail that bounced). The store only writes, reads and
-- deletes rows, listed by address in byte order (collation "C", as the other stores).
CREATE TABLE undeliverable_address (
    address  TEXT COLLATE "C" PRIMARY KEY,
    until_at timestamptz NOT NULL,
    mark     TEXT        NOT NULL
);
