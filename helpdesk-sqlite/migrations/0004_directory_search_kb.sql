-- 0004: customer look-ups, the knowledge base and saved searches.
--
-- Customers: `address_key` is `helpdesk_core::search::address_key(address)` (folded, without
-- white space), computed in Rust and written by `put_customer`; address patterns are matched
-- against it with LIKE. Customers written before 0004 get it when the store opens.
-- Contract numbers and e-mails are UNIQUE (so indexed) since 0001, phone digits indexed too.
--
-- Articles: one row each, plus
--   * `article_fields`: its title (field 0) and body (field 1), folded in Rust like the
--     ticket fields of 0003, with the FTS5 index `article_index` over their words;
--   * `article_words`: each distinct folded word of the article, whether it is in the title
--     and in the body, for suggestions.
-- All three are rewritten by `put_article`, in its transaction.
-- Never edit this file once released: add 0005_*.sql instead.

ALTER TABLE customers ADD COLUMN address_key TEXT;

CREATE INDEX customers_by_name ON customers (name, id);

-- The knowledge base ----------------------------------------------------------------------

CREATE TABLE articles (
    seq          INTEGER NOT NULL PRIMARY KEY,
    id           BLOB    NOT NULL UNIQUE CHECK (length(id) = 16),
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    language     TEXT    NOT NULL,                 -- ISO 639-1 code
    status       TEXT    NOT NULL,                 -- draft | published
    visibility   TEXT    NOT NULL,                 -- public | internal
    helpful      INTEGER NOT NULL CHECK (helpful >= 0),
    not_helpful  INTEGER NOT NULL CHECK (not_helpful >= 0),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX articles_by_update ON articles (updated_at DESC, id DESC);

CREATE TABLE article_fields (
    seq         INTEGER NOT NULL PRIMARY KEY,
    article_id  BLOB    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    field       INTEGER NOT NULL CHECK (field IN (0, 1)),   -- 0: title, 1: body
    words       TEXT    NOT NULL,                           -- words(text).join(" ")
    folded      TEXT    NOT NULL,                           -- fold(text)
    UNIQUE (article_id, field)
) STRICT;

-- The same tokenizer as `search_index` (0003): the tokens are exactly the words.
CREATE VIRTUAL TABLE article_index USING fts5 (
    words,
    content = 'article_fields',
    content_rowid = 'seq',
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* M* P* S* C* Zl Zp'"
);

CREATE TRIGGER article_fields_insert AFTER INSERT ON article_fields BEGIN
    INSERT INTO article_index (rowid, words) VALUES (new.seq, new.words);
END;

CREATE TRIGGER article_fields_delete AFTER DELETE ON article_fields BEGIN
    INSERT INTO article_index (article_index, rowid, words) VALUES ('delete', old.seq, old.words);
END;

CREATE TRIGGER article_fields_update AFTER UPDATE OF words ON article_fields BEGIN
    INSERT INTO article_index (article_index, rowid, words) VALUES ('delete', old.seq, old.words);
    INSERT INTO article_index (rowid, words) VALUES (new.seq, new.words);
END;

CREATE TABLE article_words (
    word        TEXT    NOT NULL,
    article_id  BLOB    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    in_title    INTEGER NOT NULL CHECK (in_title IN (0, 1)),
    in_body     INTEGER NOT NULL CHECK (in_body IN (0, 1)),
    PRIMARY KEY (word, article_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX article_words_by_article ON article_words (article_id);

-- Saved searches ----------------------------------------------------------------------------

CREATE TABLE saved_searches (
    id          BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    agent_id    BLOB    NOT NULL CHECK (length(agent_id) = 16),  -- no foreign key, like 0001
    name        TEXT    NOT NULL,
    query       TEXT,                                            -- as typed
    filter      TEXT    NOT NULL,                                -- TicketFilter as JSON
    ticket_order TEXT   NOT NULL,                                -- last_update | priority | waiting
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX saved_searches_by_agent ON saved_searches (agent_id, name, id);
