-- 0015 (issue 18): failed sign-ins counted in the database, so the throttle survives a
-- restart and holds for every server process sharing it.
--
-- A row per counted attempt: its id (UUID bytes), the key the application counts it against
-- (a hash of the login and the client address) and when it was made (microseconds). The
-- core's rule decides; the store counts, writes and deletes rows.
CREATE TABLE sign_in_attempts (
    id   BLOB    NOT NULL PRIMARY KEY,
    key  TEXT    NOT NULL,
    at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sign_in_attempts_by_key ON sign_in_attempts (key, at);
CREATE INDEX sign_in_attempts_by_at ON sign_in_attempts (at);
