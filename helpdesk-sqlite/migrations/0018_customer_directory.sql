-- 0018: the customer directory (`Store::list_customers`) and the organisation a person
-- belongs to.
--
-- * organisation_id: the id of the customer of kind organisation the person belongs to
--   (checked by the library, which never deletes customers).
-- * directory_key: `helpdesk_core::listing::directory_key(customer)`: the folded name,
--   e-mail, phone and contract number, computed in Rust and written by `put_customer`; the
--   free text of a list is found in it with instr(). Customers written before 0018 get it
--   when the store opens.
-- Lists are by name then id (`customers_by_name` of 0004); members by organisation.
-- Never edit this file once released: add 0019_*.sql instead.

ALTER TABLE customers ADD COLUMN organisation_id BLOB
    CHECK (organisation_id IS NULL OR length(organisation_id) = 16);
ALTER TABLE customers ADD COLUMN directory_key TEXT;

CREATE INDEX customers_by_organisation ON customers (organisation_id, name, id)
    WHERE organisation_id IS NOT NULL;
