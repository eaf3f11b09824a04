-- Tags agents put on tickets (staff only): one row per ticket and tag, the tag as first typed
-- and its folded key (compared and indexed by the key; the desk folds, SQL cannot).
CREATE TABLE ticket_tags (
    ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    tag_key   text COLLATE "C" NOT NULL,
    tag       text COLLATE "C" NOT NULL,
    PRIMARY KEY (ticket_id, tag_key)
);

-- The tickets with a tag (the listing's filter), and the tags in use (autocomplete, reports).
CREATE INDEX ticket_tags_key_idx ON ticket_tags (tag_key, ticket_id);
