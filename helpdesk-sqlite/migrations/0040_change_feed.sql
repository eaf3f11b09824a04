-- The change feed (issue 23): the records each committed batch yields, written in the
-- batch's transaction, each at a position that grows and is never reused (AUTOINCREMENT:
-- also not after the newest records are pruned), with the instant (microseconds) its batch
-- committed and the record as a FeedChange in JSON.
CREATE TABLE change_feed (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    change   TEXT    NOT NULL
) STRICT;

-- Pruning by age.
CREATE INDEX change_feed_by_time ON change_feed (at);
