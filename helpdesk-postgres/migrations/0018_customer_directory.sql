-- helpdesk-postgres, schema version 18: the customer directory (`Store::list_customers`) and
-- the organisation a person belongs to.
--
-- * organisation_id: the customer of kind organisation the person belongs to (checked by
--   the library, which never deletes customers).
-- * directory_key:   `helpdesk_core::listing::directory_key(customer)` (the folded name,
--                    e-mail, phone and contract number, one a line), computed by the
--                    library and written by `put_customer`; a list's free text is found in
--                    it with strpos(), exactly.
-- Lists are by name bytewise ("C"), then id. Customers written before this migration get
-- their key from the store after it runs: the `customer_backfill` row of 0004 is set again.

ALTER TABLE customers
    ADD COLUMN organisation_id uuid,
    ADD COLUMN directory_key   text;

CREATE INDEX customers_directory_idx ON customers ((name COLLATE "C"), id);

CREATE INDEX customers_organisation_idx ON customers (organisation_id, (name COLLATE "C"), id)
    WHERE organisation_id IS NOT NULL;

INSERT INTO customer_backfill DEFAULT VALUES ON CONFLICT DO NOTHING;
