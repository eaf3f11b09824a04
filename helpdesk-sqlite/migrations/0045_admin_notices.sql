-- 0045 (issue 23): notices to admins about the desk itself, with no ticket (today: a
-- webhook endpoint the desk disabled after repeated failures), written in the transaction
-- that causes them. A notice is kept as the core's JSON (`AdminNotice`) beside the columns
-- its recipient's list reads and the time they marked it read.
CREATE TABLE admin_notices (
    id          BLOB PRIMARY KEY,
    recipient   BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER,
    notice      TEXT NOT NULL
) STRICT;

CREATE INDEX admin_notices_recipient_idx ON admin_notices (recipient, created_at, id);
