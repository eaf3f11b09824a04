-- The blob sweep (issue 16): a failed commit no longer deletes the blobs its uploads wrote,
-- since blobs are keyed by content and another message may hold the same bytes. Instead,
-- `Helpdesk::sweep_blobs` removes blobs that no message refers to and that were last written
-- before a grace period, which an upload in flight is always within.
--
-- Each blob knows when it was last written (microseconds since the epoch; the blobs written
-- before this migration count as written at the epoch), found oldest first by an index.
ALTER TABLE blobs ADD COLUMN written_at INTEGER NOT NULL DEFAULT 0;

CREATE INDEX blobs_by_written_at ON blobs (written_at, sha256);

-- Which message refers to which blob, written by `commit` with the message, so that "is this
-- blob referenced?" is an index look-up rather than a scan of every message's JSON.
CREATE TABLE message_blobs (
    sha256      TEXT NOT NULL,
    message_id  BLOB NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (sha256, message_id)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO message_blobs (sha256, message_id)
SELECT json_extract(a.value, '$.sha256'), m.id
FROM messages m, json_each(m.attachments) a
WHERE json_extract(a.value, '$.sha256') IS NOT NULL;
