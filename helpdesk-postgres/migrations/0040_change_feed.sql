-- The change feed (issue 23): the records each committed batch yields, written in the
-- batch's transaction, with the instant its batch committed and the record as a FeedChange
-- in JSON.
--
-- Positions come from the one row of change_feed_head, updated in the same transaction:
-- its row lock is held until the commit, so transactions take their positions in the
-- order they commit, and a reader that read up to N never misses a record committed later
-- at a position at or below N. The head also keeps the last position when every record is
-- pruned.
CREATE TABLE change_feed (
    position bigint      PRIMARY KEY,
    at       timestamptz NOT NULL,
    change   text        NOT NULL
);

-- Pruning by age.
CREATE INDEX change_feed_at_idx ON change_feed (at);

CREATE TABLE change_feed_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    last     bigint  NOT NULL
);
INSERT INTO change_feed_head (last) VALUES (0);
