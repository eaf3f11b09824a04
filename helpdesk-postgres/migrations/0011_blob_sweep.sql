-- The blob sweep (issue 16): a failed commit no longer deletes the blobs its uploads wrote,
-- since blobs are keyed by content and another message may hold the same bytes. Instead,
-- `Helpdesk::sweep_blobs` removes blobs that no message refers to and that were last written
-- before a grace period, which an upload in flight is always within.
--
-- Each blob knows when it was last written (the blobs written before this migration count
-- as written at the epoch), found oldest first by an index.
ALTER TABLE blobs ADD COLUMN written_at timestamptz NOT NULL DEFAULT to_timestamp(0);
ALTER TABLE blobs ALTER COLUMN written_at DROP DEFAULT;

CREATE INDEX blobs_written_at_idx ON blobs (written_at, sha256);

-- Which message refers to which blob, written by `commit` with the message, so that "is this
-- blob referenced?" is an index look-up rather than a scan of every message's JSON.
CREATE TABLE message_blobs (
    sha256     text COLLATE "C" NOT NULL,
    message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (sha256, message_id)
);

INSERT INTO message_blobs (sha256, message_id)
SELECT DISTINCT a ->> 'sha256', m.id
FROM messages m, jsonb_array_elements(m.attachments) a
WHERE a ->> 'sha256' IS NOT NULL;
