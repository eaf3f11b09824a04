-- Presence kept by heartbeats (issues 21 and 23): when each agent was last seen (setting
-- their presence, or a heartbeat of their console or chat window), INTEGER microseconds
-- since the epoch; NULL before the first. The desk counts an agent not seen for the stored
-- presence timeout as offline.
-- Never edit this file once released: add a later migration instead.
ALTER TABLE chat_availability ADD COLUMN last_seen_at INTEGER;
