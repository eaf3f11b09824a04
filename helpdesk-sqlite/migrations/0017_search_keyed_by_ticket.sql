-- 0015: the full-text index keyed by the ticket, so that a match names its ticket without a
-- join, and a ticket's fields are one range of the index.
--
-- A field's `seq` (the rowid of its FTS5 entry) is now
--     (ticket rowid << 24) | (ordinal << 1) | internal
-- where `ordinal` is 0 for the subject and 1, 2, ... for the ticket's messages in the order
-- they were written, and `internal` is 1 for an internal note. So:
--   * the ticket of a match is `rowid >> 24` (the `tickets` rowid), no join;
--   * "does ticket t match" is one probe of the index over the range
--     [t.rowid << 24, (t.rowid << 24) + 16777215];
--   * a field customers may see has an even rowid; the subject is the range's first rowid.
--
-- And `ticket_words`: each word of each ticket once per kind of field, a plain B-tree keyed by
-- (word, ticket rowid, kind): "does ticket t hold word w" is one seek (an FTS5 probe costs 10-100
-- times more), a word's tickets are one range, in rowid order, and how common a word is, is
-- counted on that range (up to the point that decides the plan). Kept in step with
-- `search_fields` by triggers. A word of a field is a space-free run of letters and digits
-- (`words` is the words joined by single spaces), so the JSON array built by replacing the
-- spaces with `","` is exactly the list of words.
-- A ticket holds at most 2^23 - 1 messages in the index and the tickets' rowids stay below
-- 2^39; the store refuses a write past either (`search.rs`).
-- Never edit this file once released: add 0016_*.sql instead.

DROP TRIGGER search_fields_insert;
DROP TRIGGER search_fields_delete;
DROP TRIGGER search_fields_update;
DROP TABLE search_index;

CREATE TABLE search_fields_keyed (
    seq          INTEGER NOT NULL PRIMARY KEY,
    ticket_id    BLOB    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_seq  INTEGER REFERENCES messages (seq) ON DELETE CASCADE,  -- NULL: the subject
    internal     INTEGER NOT NULL CHECK (internal IN (0, 1)),          -- an internal note
    words        TEXT    NOT NULL,
    folded       TEXT    NOT NULL,
    CHECK ((seq & 1) = internal),
    CHECK (((seq & 16777215) = 0) = (message_seq IS NULL))
) STRICT;

INSERT INTO search_fields_keyed (seq, ticket_id, message_seq, internal, words, folded)
SELECT (t.rowid << 24)
       | ((row_number() OVER (
              PARTITION BY f.ticket_id ORDER BY f.message_seq IS NOT NULL, f.message_seq
          ) - 1) << 1)
       | f.internal,
       f.ticket_id, f.message_seq, f.internal, f.words, f.folded
FROM search_fields f JOIN tickets t ON t.id = f.ticket_id
ORDER BY 1;

DROP TABLE search_fields;
ALTER TABLE search_fields_keyed RENAME TO search_fields;

CREATE UNIQUE INDEX search_fields_subject ON search_fields (ticket_id) WHERE message_seq IS NULL;
CREATE INDEX search_fields_by_ticket ON search_fields (ticket_id, internal);
CREATE INDEX search_fields_by_message ON search_fields (message_seq) WHERE message_seq IS NOT NULL;

-- As in 0003, over the new rowids.
CREATE VIRTUAL TABLE search_index USING fts5 (
    words,
    content = 'search_fields',
    content_rowid = 'seq',
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* M* P* S* C* Zl Zp'"
);

INSERT INTO search_index (search_index) VALUES ('rebuild');

-- One row per (word, ticket, kind): `kind` 0 when the subject holds the word, 1 when a
-- message customers may see does, 2 when an internal note does (from the field's rowid:
-- `CASE WHEN (seq & 16777215) = 0 THEN 0 ELSE 1 + (seq & 1) END`).
CREATE TABLE ticket_words (
    word    TEXT    NOT NULL,
    ticket  INTEGER NOT NULL,  -- the ticket's rowid
    kind    INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
    PRIMARY KEY (word, ticket, kind)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO ticket_words (word, ticket, kind)
SELECT j.value, f.seq >> 24, CASE WHEN (f.seq & 16777215) = 0 THEN 0 ELSE 1 + (f.seq & 1) END
FROM search_fields f, json_each('["' || replace(f.words, ' ', '","') || '"]') j
WHERE f.words <> '';

CREATE TRIGGER search_fields_insert AFTER INSERT ON search_fields BEGIN
    INSERT INTO search_index (rowid, words) VALUES (new.seq, new.words);
    INSERT OR IGNORE INTO ticket_words (word, ticket, kind)
    SELECT j.value, new.seq >> 24, CASE WHEN (new.seq & 16777215) = 0 THEN 0 ELSE 1 + (new.seq & 1) END
    FROM json_each('["' || replace(new.words, ' ', '","') || '"]') j
    WHERE new.words <> '';
END;

-- A word leaves `ticket_words` when no field of the ticket of the same kind holds it
-- any more (the field's own row is already gone or changed).
CREATE TRIGGER search_fields_delete AFTER DELETE ON search_fields BEGIN
    INSERT INTO search_index (search_index, rowid, words) VALUES ('delete', old.seq, old.words);
    DELETE FROM ticket_words
    WHERE ticket = old.seq >> 24 AND kind = CASE WHEN (old.seq & 16777215) = 0 THEN 0 ELSE 1 + (old.seq & 1) END
      AND word IN (SELECT value FROM json_each('["' || replace(old.words, ' ', '","') || '"]'))
      AND NOT EXISTS (
          SELECT 1 FROM search_fields f
          WHERE f.seq BETWEEN (old.seq >> 24) << 24 AND ((old.seq >> 24) << 24) + 16777215
            AND CASE WHEN (f.seq & 16777215) = 0 THEN 0 ELSE 1 + (f.seq & 1) END = CASE WHEN (old.seq & 16777215) = 0 THEN 0 ELSE 1 + (old.seq & 1) END
            AND instr(' ' || f.words || ' ', ' ' || ticket_words.word || ' ') > 0
      );
END;

CREATE TRIGGER search_fields_update AFTER UPDATE OF words ON search_fields BEGIN
    INSERT INTO search_index (search_index, rowid, words) VALUES ('delete', old.seq, old.words);
    INSERT INTO search_index (rowid, words) VALUES (new.seq, new.words);
    DELETE FROM ticket_words
    WHERE ticket = old.seq >> 24 AND kind = CASE WHEN (old.seq & 16777215) = 0 THEN 0 ELSE 1 + (old.seq & 1) END
      AND word IN (SELECT value FROM json_each('["' || replace(old.words, ' ', '","') || '"]'))
      AND NOT EXISTS (
          SELECT 1 FROM search_fields f
          WHERE f.seq BETWEEN (old.seq >> 24) << 24 AND ((old.seq >> 24) << 24) + 16777215
            AND CASE WHEN (f.seq & 16777215) = 0 THEN 0 ELSE 1 + (f.seq & 1) END = CASE WHEN (old.seq & 16777215) = 0 THEN 0 ELSE 1 + (old.seq & 1) END
            AND instr(' ' || f.words || ' ', ' ' || ticket_words.word || ' ') > 0
      );
    INSERT OR IGNORE INTO ticket_words (word, ticket, kind)
    SELECT j.value, new.seq >> 24, CASE WHEN (new.seq & 16777215) = 0 THEN 0 ELSE 1 + (new.seq & 1) END
    FROM json_each('["' || replace(new.words, ' ', '","') || '"]') j
    WHERE new.words <> '';
END;
