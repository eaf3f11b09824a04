-- 0030 (issue 20): agents' notification preferences (`NotificationPreferenceStore`): one
-- row per agent who chose, with the language of their notification e-mails (its ISO 639-1
-- code) and, per event, how they hear of it: a JSON object of `NotifyEvent` stable text to
-- `NotifyChannel` stable text (`{"assigned": "both", ...}`). An agent with no row takes the
-- defaults the library defines.
-- Never edit this file once released: add a later migration instead.

CREATE TABLE notification_preferences (
    agent_id  BLOB NOT NULL PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    language  TEXT NOT NULL,
    channels  TEXT NOT NULL
) STRICT;
