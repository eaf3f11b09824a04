-- 0015 (issue 18): the audit trail of the desk's settings.
--
-- Settings now hold the service levels (name 'service_levels': calendars, the calendar of
-- each department, SLA policies, as JSON the core validates) beside the public URL. Every
-- change an admin makes is appended here with the setting row in one transaction: the
-- change as the core's JSON (`SettingChange`: key, actor, at, before, after). The store only
-- writes and reads rows, newest first by `seq`.
CREATE TABLE settings_changes (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    name    TEXT NOT NULL,
    change  TEXT NOT NULL
) STRICT;
