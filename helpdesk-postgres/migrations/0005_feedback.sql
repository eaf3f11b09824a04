-- helpdesk-postgres, schema version 5: customer feedback on tickets.
--
-- * satisfaction:     the customer's rating of a solved ticket (`Satisfaction`), given once;
-- * priority_request: a customer's pending request to raise the priority
--                     (`PriorityRequest`), cleared when an agent decides it.
-- Both are jsonb in the domain's serde form, NULL when absent; existing tickets have
-- neither.

ALTER TABLE tickets
    ADD COLUMN satisfaction     jsonb,
    ADD COLUMN priority_request jsonb;
