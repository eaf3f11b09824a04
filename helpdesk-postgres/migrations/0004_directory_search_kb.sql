-- helpdesk-postgres, schema version 4: customer look-ups, the knowledge base and saved
-- searches.
--
-- Customers: two columns written by `put_customer`, computed by the library (never by SQL):
-- * address_key:  `helpdesk_core::search::address_key(address)` (folded, without white
--                 space), matched against address patterns with LIKE, bytewise ("C");
-- * phone_digits: the phone number's normalised ASCII digits, compared exactly.
-- Contract numbers and e-mails are unique (so indexed) since 0001. Customers written before
-- this migration get the columns from the store after it runs: `customer_backfill` holds a
-- row until that is done.
--
-- Articles: one row each, plus, rewritten by `put_article` in its transaction:
-- * article_fields: the title (field 0) and the body (field 1), folded, split into words and
--   as a tsvector with a GIN index, exactly like the ticket fields of 0003;
-- * article_words: each distinct word of the article (`helpdesk_core::search::words`) and
--   whether it is in the title and in the body, for suggestions. Words may be longer than a
--   btree entry may be, so the word index is a hash index (equality is all it serves).
--
-- Saved searches: the filter is the TicketFilter's serde JSON, the order its serde text.

ALTER TABLE customers
    ADD COLUMN address_key  text COLLATE "C",
    ADD COLUMN phone_digits text;

CREATE INDEX customers_phone_digits_idx ON customers (phone_digits)
    WHERE phone_digits IS NOT NULL;

-- Present while customers written before this migration may lack their keys.
CREATE TABLE customer_backfill (
    pending boolean PRIMARY KEY DEFAULT TRUE CHECK (pending)
);
INSERT INTO customer_backfill DEFAULT VALUES;

CREATE TABLE articles (
    id          uuid        PRIMARY KEY,
    title       text        NOT NULL,
    body        text        NOT NULL,
    category    text        NOT NULL,
    language    text        NOT NULL,
    status      text        NOT NULL,
    visibility  text        NOT NULL,
    -- u32 counts.
    helpful     bigint      NOT NULL CHECK (helpful BETWEEN 0 AND 4294967295),
    not_helpful bigint      NOT NULL CHECK (not_helpful BETWEEN 0 AND 4294967295),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE INDEX articles_updated_idx ON articles (updated_at DESC, id DESC);

CREATE TABLE article_fields (
    article_id uuid     NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- 0: the title, 1: the body.
    field      smallint NOT NULL CHECK (field IN (0, 1)),
    folded     text     NOT NULL,
    words      text[]   NOT NULL,
    lexemes    tsvector NOT NULL,
    PRIMARY KEY (article_id, field)
);

CREATE INDEX article_fields_lexemes_idx ON article_fields USING GIN (lexemes);

CREATE TABLE article_words (
    article_id uuid    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    word       text    NOT NULL,
    in_title   boolean NOT NULL,
    in_body    boolean NOT NULL
);

CREATE INDEX article_words_article_idx ON article_words (article_id);
CREATE INDEX article_words_word_idx ON article_words USING HASH (word);

CREATE TABLE saved_searches (
    id           uuid        PRIMARY KEY,
    -- No foreign key, like the tickets' references to agents.
    agent        uuid        NOT NULL,
    name         text        COLLATE "C" NOT NULL,
    query        text,
    filter       jsonb       NOT NULL,
    ticket_order text        NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE INDEX saved_searches_agent_idx ON saved_searches (agent, name, id);
