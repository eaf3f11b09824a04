-- Scheduled rules (issue 22, item 2): when each one may run next. `run_due` takes a run by
-- moving `next_run_at` forward only while it is due, in one statement (the row lock orders
-- concurrent takers, and the loser sees the moved time), so of several processes at once
-- one runs the rule. No foreign key: a rule deleted while a run is taken must not fail the
-- run; a deleted rule leaves its one row.
CREATE TABLE rule_runs (
    rule_id      uuid        PRIMARY KEY,
    next_run_at  timestamptz NOT NULL,
    last_run_at  timestamptz NOT NULL
);
