-- 0005: what customers say about a ticket besides messages (`helpdesk_core::domain::feedback`).
--
-- Same conventions as 0001: nested values with no query use are JSON text. Both columns are
-- NULL when the ticket has none, so tickets written before 0005 read back without either.
-- Never edit this file once released: add 0006_*.sql instead.

-- The customer's rating of the solved ticket: a `Satisfaction`, JSON; given once.
ALTER TABLE tickets ADD COLUMN satisfaction TEXT;

-- The customer's pending request to raise the priority: a `PriorityRequest`, JSON.
ALTER TABLE tickets ADD COLUMN priority_request TEXT;
