-- 0045 (issue 23): notices to admins about the desk itself, with no ticket (today: a
-- webhook endpoint the desk disabled after repeated failures), written in the transaction
-- that causes them. A notice is kept as the core's JSON (`AdminNotice`) beside the columns
-- its recipient's list reads and the time they marked it read.
CREATE TABLE admin_notices (
    id          uuid        PRIMARY KEY,
    recipient   uuid        NOT NULL,
    created_at  timestamptz NOT NULL,
    read_at     timestamptz,
    notice      text        NOT NULL
);

CREATE INDEX admin_notices_recipient_idx ON admin_notices (recipient, created_at, id);
