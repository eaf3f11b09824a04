-- 0003: full-text search over tickets (`Store::search_tickets`).
--
-- One row per searchable field: a ticket's subject (message_seq NULL) and each message's body.
-- The text is folded in Rust (`helpdesk_core::search::fold`), never in SQL:
--   * `words` is `words(text).join(" ")`: the folded words, one space between them. It is the
--     one column of the FTS5 index `search_index`.
--   * `folded` is `fold(text)`, what `%` patterns are matched against with LIKE.
-- Rows are written by the commit that writes the ticket or message, in its transaction; tickets
-- written before 0003 are indexed by the store when it opens (SQL cannot fold).
-- Never edit this file once released: add 0004_*.sql instead.

CREATE TABLE search_fields (
    seq          INTEGER NOT NULL PRIMARY KEY,
    ticket_id    BLOB    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_seq  INTEGER REFERENCES messages (seq) ON DELETE CASCADE,  -- NULL: the subject
    internal     INTEGER NOT NULL CHECK (internal IN (0, 1)),          -- an internal note
    words        TEXT    NOT NULL,
    folded       TEXT    NOT NULL
) STRICT;

-- One subject row per ticket; the fields of a ticket.
CREATE UNIQUE INDEX search_fields_subject ON search_fields (ticket_id) WHERE message_seq IS NULL;
CREATE INDEX search_fields_by_ticket ON search_fields (ticket_id, internal);
CREATE INDEX search_fields_by_message ON search_fields (message_seq) WHERE message_seq IS NOT NULL;

-- The index over `words`, with `search_fields` as its external content. Its tokens must be
-- exactly the words: the text holds only letters, digits (Rust's `char::is_alphanumeric`) and
-- single spaces, so every character category except the space separators (Zs) is a token
-- character, whatever SQLite's Unicode tables think of a letter or mark. `remove_diacritics 0`:
-- the folding is already done.
CREATE VIRTUAL TABLE search_index USING fts5 (
    words,
    content = 'search_fields',
    content_rowid = 'seq',
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* M* P* S* C* Zl Zp'"
);

-- Kept in step with its content table.
CREATE TRIGGER search_fields_insert AFTER INSERT ON search_fields BEGIN
    INSERT INTO search_index (rowid, words) VALUES (new.seq, new.words);
END;

CREATE TRIGGER search_fields_delete AFTER DELETE ON search_fields BEGIN
    INSERT INTO search_index (search_index, rowid, words) VALUES ('delete', old.seq, old.words);
END;

CREATE TRIGGER search_fields_update AFTER UPDATE OF words ON search_fields BEGIN
    INSERT INTO search_index (search_index, rowid, words) VALUES ('delete', old.seq, old.words);
    INSERT INTO search_index (rowid, words) VALUES (new.seq, new.words);
END;
