-- Whether a time entry's note reaches the customer (issue 24). Customers see their tickets'
-- billable entries; until now each with its note, though nothing told the agent who wrote
-- it. From now on the agent chooses, and a note is hidden unless they do.
--
-- The entries logged before this migration are hidden too: their notes were written without
-- anyone being told a customer would read them, so showing them stays nobody's choice. The
-- customer still sees each billable entry, its minutes and date; only the note is kept.
ALTER TABLE time_entries ADD COLUMN note_visible_to_customer boolean NOT NULL DEFAULT false;
ALTER TABLE time_entries ALTER COLUMN note_visible_to_customer DROP DEFAULT;
