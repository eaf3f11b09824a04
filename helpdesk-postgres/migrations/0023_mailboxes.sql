-- 0023 (issue 19): IMAP mailboxes stored for departments.
--
-- `mailboxes`: a mailbox the desk fetches mail from: its id (UUID v7, sorting by when
-- it was added), the core's settings as JSON (`MailboxSettings`: department, server, login,
-- folder, what happens to a taken message, enabled, poll interval), the password as written
-- (read back only to log in; never listed), and the last round as JSON (`MailboxRound`),
-- NULL before the first. Every change of the settings is appended to `settings_changes`
-- in the same transaction. The store only writes, reads and deletes rows, oldest first by id.
CREATE TABLE mailboxes (
    id          uuid PRIMARY KEY,
    settings    TEXT NOT NULL,
    password    TEXT NOT NULL,
    last_round  TEXT
);
