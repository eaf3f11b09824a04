-- helpdesk-postgres, schema version 7: in-app notifications, the e-mail outbox, the
-- Message-IDs of a ticket's mail, and attachment bytes
-- (`helpdesk_core::domain::{notification, outbound_email, mail_reference}`,
-- `helpdesk_core::store::BlobStore`).
--
-- Same conventions as 0001: enums are their stable text forms (EmailKind::as_str; the
-- language its serde form, as for articles), nested values are jsonb in the domain's serde
-- form, unique constraints are named (the store maps their violations onto
-- Error::Conflict by name). Notifications, e-mails and mail references are written by
-- `commit` in the same transaction as the ticket change that causes them, and belong to
-- tickets of that batch, so they reference their ticket like its messages do.
--
-- Attachments need nothing here: they are jsonb in messages.attachments, and one written
-- before `Attachment::display_name` existed reads back with its file name as display name
-- (the domain's serde default).

-- One row per notification; a recipient is the serde tag of `Recipient` ('agent' or
-- 'customer') and the id. The state is three instants, NULL when not done.
CREATE TABLE notifications (
    id             uuid        PRIMARY KEY,
    recipient_kind text        NOT NULL,
    recipient_id   uuid        NOT NULL,
    ticket_id      uuid        NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    event_id       uuid        NOT NULL,
    -- NotificationKind in its serde form ({"kind": "sla_warning", "target": ...}).
    kind           jsonb       NOT NULL,
    created_at     timestamptz NOT NULL,
    read_at        timestamptz,
    snoozed_until  timestamptz,
    dismissed_at   timestamptz
);

-- A recipient's list, newest first: dismissed notifications are never shown, so they
-- leave the index (snoozed ones stay; they come back by themselves).
CREATE INDEX notifications_recipient_idx
    ON notifications (recipient_kind, recipient_id, created_at DESC, id DESC)
    WHERE dismissed_at IS NULL;
CREATE INDEX notifications_ticket_idx ON notifications (ticket_id);

-- The transactional outbox. `delivery` is the state of `Delivery` ('pending', 'sent' or
-- 'failed') and `delivery_at` its instant: for a pending e-mail, the earliest instant to
-- (re)try, which a dispatcher's lease moves on.
CREATE TABLE outbox (
    id          uuid        PRIMARY KEY,
    -- Without angle brackets; compared bytewise.
    message_id  text        COLLATE "C" NOT NULL CONSTRAINT outbox_message_id_key UNIQUE,
    ticket_id   uuid        REFERENCES tickets (id) ON DELETE CASCADE,
    kind        text        NOT NULL,
    language    text        NOT NULL,
    to_address  text        NOT NULL,
    to_name     text,
    subject     text        NOT NULL,
    body        text        NOT NULL,
    -- The Message-IDs of earlier mail in the conversation, oldest first: a JSON array.
    thread      jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    attempts    bigint      NOT NULL,
    delivery    text        NOT NULL,
    delivery_at timestamptz NOT NULL,
    last_error  text
);

-- Leasing: a range scan of the pending e-mails by the instant they are due, in the order
-- they are taken; sent and failed ones are not in it.
CREATE INDEX outbox_pending_idx ON outbox (delivery_at, id) WHERE delivery = 'pending';
-- A ticket's e-mails, oldest first.
CREATE INDEX outbox_ticket_idx ON outbox (ticket_id, created_at, id) WHERE ticket_id IS NOT NULL;

-- The Message-IDs of mail a desk sent or received; they read back in the order written.
CREATE TABLE mail_references (
    seq        bigserial   PRIMARY KEY,
    -- Without angle brackets; compared bytewise (Message-IDs are case-sensitive).
    message_id text        COLLATE "C" NOT NULL CONSTRAINT mail_references_message_id_key UNIQUE,
    ticket_id  uuid        NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    inbound    boolean     NOT NULL
);

CREATE INDEX mail_references_ticket_idx ON mail_references (ticket_id, seq);

-- Attachment bytes, addressed by their sha256 (64 lower-case hex digits). Attachments are
-- mostly compressed formats already: stored out of line without trying to compress them.
CREATE TABLE blobs (
    sha256 text  COLLATE "C" PRIMARY KEY,
    bytes  bytea NOT NULL
);

ALTER TABLE blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;
