-- helpdesk-postgres, schema version 28: stems for search. Each field keeps the stem keys of
-- its words (`stems`, computed by the library: `helpdesk_core::search::stem_keys`), and
-- `ticket_words` holds them beside the words, so that a whole word of a query is one seek of
-- its stem keys ("офис" finds "в офисе"). A key starts with `~`: never a word nor the prefix
-- of one. The tsvector (`lexemes`, for prefixes and phrases) keeps the words only.
--
-- `stems` is NULL for the fields written before this migration: the store computes theirs
-- when it opens (`search.rs`, `backfill_stems`), in batches found through the partial index;
-- then it is never NULL again. Never edit this file once released.

ALTER TABLE search_fields ADD COLUMN stems text[];
CREATE INDEX search_fields_unstemmed_idx ON search_fields (id) WHERE stems IS NULL;
