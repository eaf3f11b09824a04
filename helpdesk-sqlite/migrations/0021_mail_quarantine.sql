-- 0021 (issue 19): nothing a person sent is lost.
--
-- `mail_quarantine`: a mail the desk could not take in, kept whole: its id (UUID v7 bytes,
-- sorting by when it was kept), the core's record as JSON (`QuarantinedMail`: when, the
-- reason, sender, subject, Message-ID) and its bytes exactly as received.
-- `ignored_mail`: the log of mail ignored on purpose (list mail), the core's record as JSON
-- (`IgnoredMail`), no bytes. The store only writes, reads and deletes rows, newest first by id.
CREATE TABLE mail_quarantine (
    id    BLOB NOT NULL PRIMARY KEY,
    mail  TEXT NOT NULL,
    raw   BLOB NOT NULL
) STRICT;

CREATE TABLE ignored_mail (
    id    BLOB NOT NULL PRIMARY KEY,
    mail  TEXT NOT NULL
) STRICT;
