-- helpdesk-postgres, schema version 24: each ticket's words in a plain B-tree keyed by
-- (word, ticket), as `ticket_words` is on SQLite (its migration 0017).
--
-- One row per distinct word of a ticket per kind of field: `kind` 0 when the subject holds
-- the word, 1 when a message customers may see does, 2 when an internal note does. So "does
-- ticket t hold word w" is one index seek (the search probes the ticket list with it, in the
-- list's order), a word's tickets are one range of the index (the search drives from them
-- when the word is rare), and how common a word is, is counted on that range.
--
-- The words are those of `search_fields.words` (folded and split by the library); a word of
-- more than 1000 bytes is left out (a B-tree entry holds at most about 2700), and a search for
-- one reads `search_fields` instead. The store writes these rows in the same statement as the
-- field rows they come from (`search.rs`), so the backfill below is all SQL. Tickets and
-- messages are never deleted, so no foreign key is kept (it would cost a look-up per word).
-- Never edit this file once released: add 0025_*.sql instead.

CREATE TABLE ticket_words (
    word   text     NOT NULL,
    ticket uuid     NOT NULL,
    kind   smallint NOT NULL CHECK (kind IN (0, 1, 2)),
    PRIMARY KEY (word, ticket, kind)
);

INSERT INTO ticket_words (word, ticket, kind)
SELECT DISTINCT w.word, f.ticket_id,
       CASE WHEN f.message_id IS NULL THEN 0 WHEN f.internal THEN 2 ELSE 1 END
FROM search_fields f, unnest(f.words) AS w(word)
WHERE octet_length(w.word) <= 1000;

ANALYZE ticket_words;
