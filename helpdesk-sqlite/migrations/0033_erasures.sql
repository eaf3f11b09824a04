-- The audit trail of erasures and anonymisations (issue 22): who, when, how and how many
-- tickets, as an ErasureRecord in JSON; never whose data.
CREATE TABLE erasures (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    record  TEXT NOT NULL
) STRICT;
