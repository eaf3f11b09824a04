-- 0028: stems for search. Each field keeps the stem keys of its words (`stems`: computed by
-- the library, `helpdesk_core::search::stem_keys`, joined by single spaces like `words`), and
-- `ticket_words` holds them beside the words, so that a whole word of a query is one seek of
-- its stem key ("офис" finds "в офисе"). A key starts with `~`, so it is never a word nor
-- the prefix of one; the full-text index (phrases, prefixes) keeps the words only.
--
-- `stems` is NULL for the fields written before this migration: the store computes theirs
-- when it opens (`schema.rs`), the partial index finding them in one step; then it is never
-- NULL again. Never edit this file once released.

ALTER TABLE search_fields ADD COLUMN stems TEXT;
CREATE INDEX search_fields_unstemmed ON search_fields (seq) WHERE stems IS NULL;

DROP TRIGGER search_fields_insert;
DROP TRIGGER search_fields_delete;
DROP TRIGGER search_fields_update;

-- As in 0017, over the words and the stems of a field.
CREATE TRIGGER search_fields_insert AFTER INSERT ON search_fields BEGIN
    INSERT INTO search_index (rowid, words) VALUES (new.seq, new.words);
    INSERT OR IGNORE INTO ticket_words (word, ticket, kind)
    SELECT j.value, new.seq >> 24, CASE WHEN (new.seq & 16777215) = 0 THEN 0 ELSE 1 + (new.seq & 1) END
    FROM json_each('["' || replace(trim(new.words || ' ' || coalesce(new.stems, '')), ' ', '","') || '"]') j
    WHERE trim(new.words || ' ' || coalesce(new.stems, '')) <> '';
END;

CREATE TRIGGER search_fields_delete AFTER DELETE ON search_fields BEGIN
    INSERT INTO search_index (search_index, rowid, words) VALUES ('delete', old.seq, old.words);
    DELETE FROM ticket_words
    WHERE ticket = old.seq >> 24 AND kind = CASE WHEN (old.seq & 16777215) = 0 THEN 0 ELSE 1 + (old.seq & 1) END
      AND word IN (SELECT value FROM json_each('["' || replace(trim(old.words || ' ' || coalesce(old.stems, '')), ' ', '","') || '"]'))
      AND NOT EXISTS (
          SELECT 1 FROM search_fields f
          WHERE f.seq BETWEEN (old.seq >> 24) << 24 AND ((old.seq >> 24) << 24) + 16777215
            AND CASE WHEN (f.seq & 16777215) = 0 THEN 0 ELSE 1 + (f.seq & 1) END = CASE WHEN (old.seq & 16777215) = 0 THEN 0 ELSE 1 + (old.seq & 1) END
            AND instr(' ' || f.words || ' ' || coalesce(f.stems, '') || ' ', ' ' || ticket_words.word || ' ') > 0
      );
END;

CREATE TRIGGER search_fields_update AFTER UPDATE OF words, stems ON search_fields BEGIN
    INSERT INTO search_index (search_index, rowid, words) VALUES ('delete', old.seq, old.words);
    INSERT INTO search_index (rowid, words) VALUES (new.seq, new.words);
    DELETE FROM ticket_words
    WHERE ticket = old.seq >> 24 AND kind = CASE WHEN (old.seq & 16777215) = 0 THEN 0 ELSE 1 + (old.seq & 1) END
      AND word IN (SELECT value FROM json_each('["' || replace(trim(old.words || ' ' || coalesce(old.stems, '')), ' ', '","') || '"]'))
      AND NOT EXISTS (
          SELECT 1 FROM search_fields f
          WHERE f.seq BETWEEN (old.seq >> 24) << 24 AND ((old.seq >> 24) << 24) + 16777215
            AND CASE WHEN (f.seq & 16777215) = 0 THEN 0 ELSE 1 + (f.seq & 1) END = CASE WHEN (old.seq & 16777215) = 0 THEN 0 ELSE 1 + (old.seq & 1) END
            AND instr(' ' || f.words || ' ' || coalesce(f.stems, '') || ' ', ' ' || ticket_words.word || ' ') > 0
      );
    INSERT OR IGNORE INTO ticket_words (word, ticket, kind)
    SELECT j.value, new.seq >> 24, CASE WHEN (new.seq & 16777215) = 0 THEN 0 ELSE 1 + (new.seq & 1) END
    FROM json_each('["' || replace(trim(new.words || ' ' || coalesce(new.stems, '')), ' ', '","') || '"]') j
    WHERE trim(new.words || ' ' || coalesce(new.stems, '')) <> '';
END;
