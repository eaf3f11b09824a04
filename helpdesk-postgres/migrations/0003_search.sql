-- helpdesk-postgres, schema version 3: full-text search.
--
-- One row per searchable field of a ticket: its subject (message_id NULL) and each message
-- body. The text is folded by the library (`helpdesk_core::search::fold`), never by
-- PostgreSQL, so that every backend matches alike:
-- * folded:  fold(text), for `%` patterns (LIKE);
-- * words:   the folded words in order (`helpdesk_core::search::words`), for exact words,
--            prefixes and phrases;
-- * lexemes: the distinct words as a tsvector built with array_to_tsvector (no parser, so
--            nothing is re-split or altered; words longer than a tsvector lexeme may be are
--            cut to their first 2000 bytes). Its GIN index finds candidate rows, which are
--            then checked exactly against `words`.
-- The store writes these rows in the same transaction as the tickets and messages. Tickets
-- written before this migration are indexed by the store after it runs (the library folds,
-- SQL cannot): `search_backfill` holds a row until that is done.

CREATE TABLE search_fields (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id  uuid        NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    -- NULL for the subject.
    message_id uuid        CONSTRAINT search_fields_message_key UNIQUE
                           REFERENCES messages (id) ON DELETE CASCADE,
    -- An internal note: searched only when internal notes are.
    internal   boolean     NOT NULL,
    folded     text        NOT NULL,
    words      text[]      NOT NULL,
    lexemes    tsvector    NOT NULL
);

-- One subject row per ticket.
CREATE UNIQUE INDEX search_fields_subject_key ON search_fields (ticket_id)
    WHERE message_id IS NULL;
CREATE INDEX search_fields_ticket_idx ON search_fields (ticket_id);
CREATE INDEX search_fields_lexemes_idx ON search_fields USING GIN (lexemes);

-- Present while tickets written before this migration may lack their search rows.
CREATE TABLE search_backfill (
    pending boolean PRIMARY KEY DEFAULT TRUE CHECK (pending)
);
INSERT INTO search_backfill DEFAULT VALUES;
