-- 0007: what ticket changes cause beside the ticket: in-app notifications, the e-mail outbox,
-- the Message-IDs of mail in and out (`helpdesk_core::domain::{notification, outbound_email,
-- mail_reference}`); and attachment bytes kept in the database (`helpdesk_core::store::BlobStore`).
--
-- Same conventions as 0001: ids are 16-byte BLOBs, instants INTEGER microseconds since the
-- epoch, enums their stable text forms, nested values with no query use JSON text, insertion
-- order an INTEGER PRIMARY KEY `seq`. Notifications, e-mails and mail references are written
-- in the transaction of the ticket change that causes them, after its ticket rows.
-- Attachments stay JSON in `messages.attachments`: their new `display_name` is read back as
-- the file name when absent, so no backfill is needed.
-- Never edit this file once released: add 0008_*.sql instead.

-- In-app notifications ----------------------------------------------------------------------

CREATE TABLE notifications (
    id              BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    recipient_kind  TEXT    NOT NULL CHECK (recipient_kind IN ('agent', 'customer')),
    recipient_id    BLOB    NOT NULL CHECK (length(recipient_id) = 16),
    ticket_id       BLOB    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    event_id        BLOB    NOT NULL CHECK (length(event_id) = 16),
    kind            TEXT    NOT NULL,     -- NotificationKind::as_str, for queries by kind
    kind_data       TEXT    NOT NULL,     -- the whole NotificationKind, JSON
    created_at      INTEGER NOT NULL,
    read_at         INTEGER,              -- NotificationState: NULL when not done
    snoozed_until   INTEGER,
    dismissed_at    INTEGER
) STRICT;

-- A recipient's list, newest first: dismissed notifications are never listed, so they leave
-- the index and the list reads only what may be shown.
CREATE INDEX notifications_by_recipient
    ON notifications (recipient_kind, recipient_id, created_at DESC, id DESC)
    WHERE dismissed_at IS NULL;

-- The outbox --------------------------------------------------------------------------------

CREATE TABLE outbox (
    id              BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    message_id      TEXT    NOT NULL UNIQUE,   -- without angle brackets, compared exactly
    ticket_id       BLOB    REFERENCES tickets (id) ON DELETE SET NULL,
    kind            TEXT    NOT NULL,          -- EmailKind::as_str
    language        TEXT    NOT NULL,          -- ISO 639-1 code
    to_address      TEXT    NOT NULL,
    to_name         TEXT,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    message_refs    TEXT    NOT NULL,          -- JSON array of Message-IDs, oldest first
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL CHECK (attempts >= 0),
    delivery        TEXT    NOT NULL CHECK (delivery IN ('pending', 'sent', 'failed')),
    delivery_at     INTEGER NOT NULL,          -- Delivery's instant: when (re)tried, sent or failed
    last_error      TEXT
) STRICT;

-- Leasing: the pending e-mails by their instant, earliest first; sent and failed ones leave
-- the index, so a lease reads only what is due.
CREATE INDEX outbox_pending ON outbox (delivery_at, id) WHERE delivery = 'pending';

-- A ticket's e-mails, oldest first.
CREATE INDEX outbox_by_ticket ON outbox (ticket_id, created_at, id) WHERE ticket_id IS NOT NULL;

-- Mail references ---------------------------------------------------------------------------

CREATE TABLE mail_references (
    seq         INTEGER NOT NULL PRIMARY KEY,
    message_id  TEXT    NOT NULL UNIQUE,       -- without angle brackets, compared exactly
    ticket_id   BLOB    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    inbound     INTEGER NOT NULL CHECK (inbound IN (0, 1))
) STRICT;

CREATE INDEX mail_references_by_ticket ON mail_references (ticket_id, seq);

-- Blobs -------------------------------------------------------------------------------------

-- Content-addressed bytes (attachments): the key is the sha256 of the bytes, lower-case hex.
CREATE TABLE blobs (
    sha256  TEXT NOT NULL PRIMARY KEY CHECK (length(sha256) = 64),
    bytes   BLOB NOT NULL
) STRICT;
